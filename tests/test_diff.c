/* test_diff.c - formats/diff*.c and capture/diff_cmd.c: re-windowed and
 * delayed logs are equivalent; a changed traffic-path, a missing flow, a
 * REJECT vs ACCEPT, packet counts within and beyond --tolerance, different
 * formats, directories of .log.gz S3 objects, corpus files against
 * themselves, SKIPDATA, --map-eni, --ignore, malformed input, and
 * run_diff end to end (issue 6 section 6; PRODUCT.md 6). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <zlib.h>

#include "capture/diff_cmd.h"
#include "tmpdir.h"
#include "formats/diff.h"

#define DATA SOURCE_ROOT "/tests/data/diff/"
#define CORPUS SOURCE_ROOT "/../shared/corpus/"

/* The shared corpus sits next to the checkout (CI has it); skip without. */
#define need_corpus()                                                        \
	do {                                                                 \
		if (access(CORPUS, R_OK) != 0) {                             \
			print_message("skipped: no corpus at %s\n", CORPUS); \
			skip();                                              \
		}                                                            \
	} while (0)
#define EMU DATA "emulated.log"
#define AWS DATA "aws-rewindowed-delayed.log"

/* The flows of the fixtures (times relative to 1700000000). */
#define F2_E "10.0.1.5 52.216.1.1 40000 443 6 5 500 1700000200"
#define F3_E "198.51.100.7 10.0.1.5 5555 22 6 3 180 1700000300 1700000320 ACCEPT"

/* ---- helpers -------------------------------------------------------------- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *b = malloc(1 << 20);
	size_t n;

	assert_non_null(f);
	assert_non_null(b);
	n = fread(b, 1, (1 << 20) - 1, f);
	b[n] = '\0';
	fclose(f);
	return b;
}

/* Copies src to dst with each "from" (must occur) replaced by "to"; NULL
 * pairs end the list. */
static const char *variant(const char *dst, const char *src, ...)
{
	char *b = slurp(src), *out = malloc(1 << 20);
	const char *from;
	va_list ap;

	assert_non_null(out);
	va_start(ap, src);
	while ((from = va_arg(ap, const char *)) != NULL) {
		const char *to = va_arg(ap, const char *);
		char *p = strstr(b, from);

		assert_non_null(p);
		memcpy(out, b, (size_t)(p - b));
		strcpy(out + (p - b), to);
		strcat(out, p + strlen(from));
		strcpy(b, out);
	}
	va_end(ap);
	write_text(dst, b);
	free(b);
	free(out);
	return dst;
}

static struct diff_result *run(const char *e, const char *a, const struct diff_options *o)
{
	struct diff_options d;
	struct diff_result *r = NULL;
	char err[512];

	if (o == NULL) {
		diff_options_init(&d);
		o = &d;
	}
	if (diff_run(e, a, o, &r, err, sizeof(err)) != 0)
		fail_msg("diff_run: %s", err);
	return r;
}

/* The only counted item, or a failure. */
static const struct diff_item *only_item(const struct diff_result *r)
{
	assert_int_equal(diff_item_count(r), 1);
	return diff_get_item(r, 0);
}

/* ---- matching ------------------------------------------------------------- */

static void test_rewindowed_delayed_equivalent(void **state)
{
	struct diff_result *r = run(EMU, AWS, NULL);
	const struct diff_summary *s = diff_get_summary(r);

	(void)state;
	assert_true(diff_equivalent(r));
	assert_int_equal(diff_item_count(r), 0);
	assert_int_equal(s->matched, 3);
	assert_int_equal(s->records[0], 12);
	assert_int_equal(s->records[1], 8);
	assert_int_equal(s->nodata[0], 1);
	assert_true(s->direction_matched);
	/* Both ways round. */
	diff_free(r);
	r = run(AWS, EMU, NULL);
	assert_true(diff_equivalent(r));
	diff_free(r);
}

static void test_slack_zero_splits(void **state)
{
	struct diff_options o;
	struct diff_result *r;
	unsigned kinds = 0;
	size_t i;

	(void)state;
	diff_options_init(&o);
	o.slack = 0;
	/* F3 is 45 s late in the AWS file: without slack it is two flows. */
	r = run(EMU, AWS, &o);
	assert_false(diff_equivalent(r));
	for (i = 0; i < diff_item_count(r); i++)
		if (diff_get_item(r, i)->dstport == 22)
			kinds |= 1u << diff_get_item(r, i)->kind;
	assert_int_equal(kinds, 1u << DIFF_ONLY_EXPECTED | 1u << DIFF_ONLY_ACTUAL);
	diff_free(r);
}

static void test_traffic_path_endpoint(void **state)
{
	const char *a = variant(tpath("a.log"), AWS, "S3 egress 8\n", "S3 egress 7\n",
				"S3 egress 8\n", "S3 egress 7\n", NULL);
	struct diff_result *r = run(EMU, a, NULL);
	const struct diff_item *it = only_item(r);

	(void)state;
	assert_false(diff_equivalent(r));
	assert_int_equal(it->kind, DIFF_FIELD);
	assert_int_equal(it->field, FLD_TRAFFIC_PATH);
	assert_string_equal(it->value[0], "8");
	assert_string_equal(it->value[1], "7");
	assert_non_null(strstr(it->cause, "gateway endpoint route on one side only"));
	assert_int_equal(it->dstport, 443);
	assert_int_equal(it->direction, 2);
	assert_int_equal(diff_get_summary(r)->by_field[FLD_TRAFFIC_PATH], 1);
	assert_int_equal(diff_get_summary(r)->differing, 1);
	diff_free(r);
}

static void test_traffic_path_non_nitro(void **state)
{
	const char *a = variant(tpath("a.log"), AWS, "S3 egress 8\n", "S3 egress 2\n",
				"S3 egress 8\n", "S3 egress 2\n", NULL);
	struct diff_result *r = run(EMU, a, NULL);
	const struct diff_item *it = only_item(r);

	(void)state;
	assert_int_equal(it->field, FLD_TRAFFIC_PATH);
	assert_non_null(strstr(it->cause, "non-Nitro"));
	diff_free(r);
}

static void test_ignore_field(void **state)
{
	const char *a = variant(tpath("a.log"), AWS, "S3 egress 8\n", "S3 egress 7\n", NULL);
	struct diff_options o;
	struct diff_result *r;
	char err[256];

	(void)state;
	diff_options_init(&o);
	assert_int_equal(diff_ignore_parse("traffic-path", &o, err, sizeof(err)), 0);
	r = run(EMU, a, &o);
	assert_true(diff_equivalent(r));
	assert_false(diff_get_summary(r)->compared & ((uint64_t)1 << FLD_TRAFFIC_PATH));
	diff_free(r);
	assert_int_equal(diff_ignore_parse("srcaddr", &o, err, sizeof(err)), -1);
	assert_string_equal(err, "--ignore: \"srcaddr\" is matched on, not compared");
	assert_int_equal(diff_ignore_parse("nope", &o, err, sizeof(err)), -1);
	assert_string_equal(err, "--ignore: unknown field \"nope\"");
	/* A field the diff never compares is refused, not silently taken. */
	assert_int_equal(diff_ignore_parse("vpc-id", &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--ignore: \"vpc-id\" is not compared; the compared fields are "));
	assert_int_equal(diff_ignore_parse("pkt-dst-aws-service", &o, err, sizeof(err)), 0);
}

static void test_missing_flow(void **state)
{
	const char *e = variant(tpath("e.log"), EMU, F3_E, F3_E, NULL);
	const char *a = variant(tpath("a.log"), AWS,
				"5 123456789012 eni-0a1b2c3d4e5f60718 198.51.100.7 10.0.1.5 5555 22 6 3 180 1700000345 1700000365 ACCEPT OK - - ingress -\n",
				"", NULL);
	struct diff_result *r = run(e, a, NULL);
	const struct diff_item *it = only_item(r);
	char t[IP_ADDR_STRLEN];

	(void)state;
	assert_int_equal(it->kind, DIFF_ONLY_EXPECTED);
	assert_string_equal(it->interface_id, "eni-0a1b2c3d4e5f60718");
	ip_addr_format(&it->srcaddr, t);
	assert_string_equal(t, "198.51.100.7");
	assert_int_equal(it->srcport, 5555);
	assert_int_equal(it->dstport, 22);
	assert_int_equal(it->protocol, 6);
	assert_int_equal(it->packets[0], 3);
	assert_int_equal(it->bytes[0], 180);
	assert_null(it->cause);
	assert_int_equal(diff_get_summary(r)->only[0], 1);
	assert_int_equal(diff_get_summary(r)->matched, 2);
	diff_free(r);
}

static void test_reserved_address(void **state)
{
	const char *a = variant(tpath("a.log"), AWS, "5 123456789012 eni-0a1b2c3d4e5f60718 198.51.100.7",
				"5 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.5 169.254.169.254 43000 80 6 4 400 1700000300 1700000301 ACCEPT OK - - egress 1\n"
				"5 123456789012 eni-0a1b2c3d4e5f60718 10.0.1.5 10.0.0.2 43001 53 17 2 150 1700000300 1700000301 ACCEPT OK - - egress 1\n"
				"5 123456789012 eni-0a1b2c3d4e5f60718 198.51.100.7", NULL);
	struct diff_result *r = run(EMU, a, NULL);

	(void)state;
	assert_int_equal(diff_item_count(r), 2);
	/* Sorted by address: 10.0.0.2 before 169.254.169.254. */
	assert_int_equal(diff_get_item(r, 0)->kind, DIFF_ONLY_ACTUAL);
	assert_non_null(strstr(diff_get_item(r, 0)->cause, "Amazon DNS"));
	assert_non_null(strstr(diff_get_item(r, 1)->cause, "instance metadata 169.254.169.254"));
	assert_int_equal(diff_get_summary(r)->only[1], 2);
	diff_free(r);
}

static void test_reject_vs_accept(void **state)
{
	const char *a = variant(tpath("a.log"), AWS, "1700000365 ACCEPT", "1700000365 REJECT", NULL);
	struct diff_result *r = run(EMU, a, NULL);
	const struct diff_item *it = only_item(r);

	(void)state;
	assert_int_equal(it->field, FLD_ACTION);
	assert_string_equal(it->value[0], "ACCEPT");
	assert_string_equal(it->value[1], "REJECT");
	assert_string_equal(it->cause, "a security group or network ACL rule");
	diff_free(r);
}

static void test_tolerance(void **state)
{
	/* F3: 3 packets expected, 4 actual (bytes unchanged). */
	const char *a = variant(tpath("a.log"), AWS, "22 6 3 180 1700000345", "22 6 4 180 1700000345", NULL);
	struct diff_options o;
	struct diff_result *r;
	char err[128];

	(void)state;
	r = run(EMU, a, NULL);
	assert_int_equal(only_item(r)->field, FLD_PACKETS);
	assert_string_equal(only_item(r)->value[0], "3");
	assert_string_equal(only_item(r)->value[1], "4");
	diff_free(r);

	diff_options_init(&o);
	assert_int_equal(diff_tolerance_parse("1", &o, err, sizeof(err)), 0);
	r = run(EMU, a, &o);
	assert_true(diff_equivalent(r));
	diff_free(r);
	assert_int_equal(diff_tolerance_parse("0", &o, err, sizeof(err)), 0);
	r = run(EMU, a, &o);
	assert_false(diff_equivalent(r));
	diff_free(r);
	/* 1 of 4 is 25%. */
	assert_int_equal(diff_tolerance_parse("25%", &o, err, sizeof(err)), 0);
	r = run(EMU, a, &o);
	assert_true(diff_equivalent(r));
	diff_free(r);
	assert_int_equal(diff_tolerance_parse("24.9%", &o, err, sizeof(err)), 0);
	r = run(EMU, a, &o);
	assert_false(diff_equivalent(r));
	assert_int_equal(diff_get_summary(r)->by_field[FLD_PACKETS], 1);
	assert_int_equal(diff_get_summary(r)->by_field[FLD_BYTES], 0);
	diff_free(r);
	assert_int_equal(diff_tolerance_parse("x%", &o, err, sizeof(err)), -1);
	assert_string_equal(err, "--tolerance: not a number or percentage: \"x%\"");
	assert_int_equal(diff_tolerance_parse("-1", &o, err, sizeof(err)), -1);
	assert_int_equal(diff_tolerance_parse("%", &o, err, sizeof(err)), -1);
}

static void test_capture_edge(void **state)
{
	/* AWS saw packets before the capture started: only the first window differs. */
	const char *a = variant(tpath("a.log"), EMU, "6 10 1000 1700000000", "6 15 1500 1700000000", NULL);
	struct diff_result *r = run(EMU, a, NULL);

	(void)state;
	assert_int_equal(diff_item_count(r), 2);
	assert_int_equal(diff_get_item(r, 0)->field, FLD_PACKETS);
	assert_int_equal(diff_get_item(r, 1)->field, FLD_BYTES);
	assert_non_null(strstr(diff_get_item(r, 0)->cause, "capture start/stop edges"));
	diff_free(r);
	/* The same gap in the middle window has no named cause. */
	a = variant(tpath("a.log"), EMU, "6 10 1000 1700000300", "6 15 1000 1700000300", NULL);
	r = run(EMU, a, NULL);
	assert_null(only_item(r)->cause);
	diff_free(r);
}

static void test_different_formats(void **state)
{
	/* EXPECTED v5 with a header; ACTUAL headerless default format (-f default):
	 * only packets, bytes and action are compared, direction is not matched. */
	char *b = slurp(AWS), *p, *line, *out = malloc(1 << 20);
	size_t n = 0;
	struct diff_options o;
	struct log_format f;
	struct diff_result *r;

	(void)state;
	assert_non_null(out);
	p = strchr(b, '\n') + 1;
	for (line = strtok(p, "\n"); line != NULL; line = strtok(NULL, "\n")) {
		/* the first 14 fields of each v5 record */
		int k = 0;
		char *q = line;

		while (*q && k < 14)
			if (*q++ == ' ')
				k++;
		if (k == 14)
			q[-1] = '\0';
		n += (size_t)sprintf(out + n, "%s\n", line);
	}
	write_text(tpath("default.log"), out);
	free(b);
	free(out);
	assert_int_equal(format_parse("default", &f, NULL, 0), 0);
	diff_options_init(&o);
	o.layout_actual = &f;
	r = run(EMU, tpath("default.log"), &o);
	assert_true(diff_equivalent(r));
	assert_false(diff_get_summary(r)->direction_matched);
	assert_int_equal(diff_get_summary(r)->compared,
			 (uint64_t)1 << FLD_PACKETS | (uint64_t)1 << FLD_BYTES | (uint64_t)1 << FLD_ACTION);
	diff_free(r);
}

static void gz_write(const char *path, const char *text)
{
	gzFile g = gzopen(path, "wb");

	assert_non_null(g);
	assert_int_equal(gzwrite(g, text, (unsigned)strlen(text)), (int)strlen(text));
	assert_int_equal(gzclose(g), Z_OK);
}

static void test_s3_directories(void **state)
{
	const char *dirs[] = {"s3", "s3/AWSLogs", "s3/AWSLogs/123456789012",
			      "s3/AWSLogs/123456789012/vpcflowlogs",
			      "s3/AWSLogs/123456789012/vpcflowlogs/us-east-1",
			      "s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2023",
			      "s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2023/11",
			      "s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2023/11/14"};
	char *b = slurp(AWS), *hdr_end = strchr(b, '\n') + 1, *mid, obj1[1 << 14], obj2[1 << 14];
	size_t i, hlen = (size_t)(hdr_end - b);
	struct diff_result *r;

	(void)state;
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		assert_int_equal(mkdir(tpath(dirs[i]), 0700), 0);
	/* Two objects, each with the header, split after the third record. */
	mid = hdr_end;
	for (i = 0; i < 3; i++)
		mid = strchr(mid, '\n') + 1;
	snprintf(obj1, sizeof(obj1), "%.*s", (int)(mid - b), b);
	snprintf(obj2, sizeof(obj2), "%.*s%s", (int)hlen, b, mid);
	gz_write(tpath("s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2023/11/14/"
		       "123456789012_vpcflowlogs_us-east-1_fl-0123_20231114T2215Z_hash1.log.gz"), obj1);
	gz_write(tpath("s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2023/11/14/"
		       "123456789012_vpcflowlogs_us-east-1_fl-0123_20231114T2220Z_hash2.log.gz"), obj2);
	write_text(tpath("s3/AWSLogs/123456789012/vpcflowlogs/us-east-1/2023/11/14/README.md"), "x");
	free(b);
	r = run(EMU, tpath("s3"), NULL);
	assert_true(diff_equivalent(r));
	assert_int_equal(diff_get_summary(r)->records[1], 8);
	assert_int_equal(diff_note_count(r), 1);
	diff_free(r);
	/* Directory against directory. */
	assert_int_equal(mkdir(tpath("e"), 0700), 0);
	b = slurp(EMU);
	gz_write(tpath("e/emulated.log.gz"), b);
	free(b);
	r = run(tpath("e"), tpath("s3"), NULL);
	assert_true(diff_equivalent(r));
	diff_free(r);
}

/* Regression: a directory whose files have their columns in different
 * orders. The reader keeps each file's header in the same struct, so the
 * diff must notice the layout by content, not by its address. */
static void test_directory_of_different_headers(void **state)
{
	static const char one[] =
		"version account-id interface-id srcaddr dstaddr srcport dstport protocol packets "
		"bytes start end action log-status\n"
		"2 123456789012 eni-1 10.0.0.1 10.0.0.2 1000 80 6 3 300 1700000000 1700000010 "
		"ACCEPT OK\n";
	static const char two[] =
		"log-status action end start bytes packets protocol dstport srcport dstaddr srcaddr "
		"interface-id account-id version\n"
		"OK ACCEPT 1700000010 1700000000 300 3 6 80 1000 10.0.0.2 10.0.0.1 eni-2 "
		"123456789012 2\n";
	struct diff_result *r;

	(void)state;
	assert_int_equal(mkdir(tpath("mixed"), 0700), 0);
	write_text(tpath("mixed/a.log"), one);
	write_text(tpath("mixed/b.log"), two);
	write_text(tpath("both.log"), one);
	/* eni-2's record, in default order, after eni-1's. */
	write_text(tpath("both-2.log"), "2 123456789012 eni-2 10.0.0.1 10.0.0.2 1000 80 6 3 300 "
				       "1700000000 1700000010 ACCEPT OK\n");
	assert_int_equal(mkdir(tpath("plain"), 0700), 0);
	write_text(tpath("plain/a.log"), one);
	write_text(tpath("plain/b.log"), "version account-id interface-id srcaddr dstaddr srcport "
					 "dstport protocol packets bytes start end action log-status\n"
					 "2 123456789012 eni-2 10.0.0.1 10.0.0.2 1000 80 6 3 300 "
					 "1700000000 1700000010 ACCEPT OK\n");
	r = run(tpath("mixed"), tpath("plain"), NULL);
	assert_true(diff_equivalent(r));
	diff_free(r);
}

static void test_corpus_against_itself(void **state)
{
	static const char *const files[] = {
		"elastic__beats/accept-reject-traffic.log",
		"elastic__beats/tcp-flag-sequence.log",
		"elastic__beats/ipv6.log",
		"elastic__beats/no-data-skip-data.log",
		"elastic__integrations/test-with-message-field.log",
		"coralogix__coralogix-aws-shipper/vpcflow.log.gz",
		"grafana__loki/vpcflowlog.log.gz",
		"opensearch-project__opensearch-catalog/raw.log",
		"open-telemetry__opentelemetry-collector-contrib/valid_vpc_flow_log_multi.log",
	};
	size_t i;

	(void)state;
	need_corpus();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[512];
		struct diff_result *r;

		snprintf(path, sizeof(path), CORPUS "%s", files[i]);
		r = run(path, path, NULL);
		if (!diff_equivalent(r))
			fail_msg("%s is not equivalent to itself", files[i]);
		assert_int_equal(diff_item_count(r), 0);
		diff_free(r);
	}
}

static void test_corpus_changed(void **state)
{
	need_corpus();
	/* accept-reject-traffic.log with its REJECT turned into ACCEPT. */
	const char *a = variant(tpath("a.log"), CORPUS "elastic__beats/accept-reject-traffic.log",
				"3389 6 20 4249 1418530010 1418530070 REJECT", "3389 6 20 4249 1418530010 1418530070 ACCEPT",
				NULL);
	struct diff_result *r = run(CORPUS "elastic__beats/accept-reject-traffic.log", a, NULL);

	(void)state;
	assert_int_equal(only_item(r)->field, FLD_ACTION);
	assert_int_equal(only_item(r)->dstport, 3389);
	diff_free(r);
}

/* One flow over two windows, its destination service different in each:
 * both sides have several values, compared as sets and listed. */
static void test_several_values(void **state)
{
#define HDR "version account-id interface-id srcaddr dstaddr srcport dstport protocol " \
	"packets bytes start end action log-status pkt-src-aws-service pkt-dst-aws-service " \
	"flow-direction traffic-path\n"
#define W1 "5 123456789012 eni-0123456789abcdef0 10.0.1.5 52.216.1.1 40000 443 6 5 500 " \
	"1700000000 1700000050 ACCEPT OK - S3 egress 8\n"
#define W2(svc) "5 123456789012 eni-0123456789abcdef0 10.0.1.5 52.216.1.1 40000 443 6 5 500 " \
	"1700000060 1700000110 ACCEPT OK - " svc " egress 8\n"
	struct diff_result *r;
	const struct diff_item *it;

	(void)state;
	write_text(tpath("e.log"), HDR W1 W2("AMAZON"));
	write_text(tpath("same.log"), HDR W1 W2("AMAZON"));
	write_text(tpath("a.log"), HDR W1 W2("EC2"));
	r = run(tpath("e.log"), tpath("same.log"), NULL);
	assert_true(diff_equivalent(r));
	diff_free(r);
	r = run(tpath("e.log"), tpath("a.log"), NULL);
	assert_false(diff_equivalent(r));
	it = only_item(r);
	assert_int_equal(it->kind, DIFF_FIELD);
	assert_int_equal(it->field, FLD_PKT_DST_AWS_SERVICE);
	assert_string_equal(it->value[0], "S3,AMAZON");
	assert_string_equal(it->value[1], "S3,EC2");
	diff_free(r);
#undef HDR
#undef W1
#undef W2
}

static void test_skipdata_incomplete(void **state)
{
	/* ACTUAL lost F3 but has a SKIPDATA window over it: flagged, not counted. */
	const char *a = variant(tpath("a.log"), AWS,
				"5 123456789012 eni-0a1b2c3d4e5f60718 198.51.100.7 10.0.1.5 5555 22 6 3 180 1700000345 1700000365 ACCEPT OK - - ingress -\n",
				"5 123456789012 eni-0a1b2c3d4e5f60718 - - - - - - - 1700000330 1700000390 - SKIPDATA - - - -\n",
				NULL);
	struct diff_result *r = run(EMU, a, NULL);
	const struct diff_summary *s = diff_get_summary(r);
	const struct diff_eni_status *e;

	(void)state;
	assert_true(diff_equivalent(r));
	assert_int_equal(s->incomplete, 1);
	assert_int_equal(s->skipdata[1], 1);
	assert_int_equal(only_item(r)->kind, DIFF_ONLY_EXPECTED);
	assert_true(only_item(r)->incomplete);
	assert_int_equal(diff_eni_count(r), 2);
	e = diff_get_eni(r, 1);
	assert_int_equal(e->side, 1);
	assert_int_equal(e->skipdata, 1);
	assert_int_equal(e->skip_start, 1700000330);
	diff_free(r);
}

/* The same the other way round, with the side that lost nothing in a
 * layout without interface-id (so flows are not matched on interfaces):
 * the SKIPDATA window of the other side still covers the lost flow. */
static void test_skipdata_without_interface_column(void **state)
{
	const char *a = variant(tpath("a.log"), AWS,
				"5 123456789012 eni-0a1b2c3d4e5f60718 198.51.100.7 10.0.1.5 5555 22 6 3 180 1700000345 1700000365 ACCEPT OK - - ingress -\n",
				"5 123456789012 eni-0a1b2c3d4e5f60718 - - - - - - - 1700000330 1700000390 - SKIPDATA - - - -\n",
				NULL);
	char cmd[600];
	struct diff_result *r;

	(void)state;
	/* Another interface named first, so the lost flow's one is not the
	 * first name interned (index 0, what unmatched interfaces become). */
	snprintf(cmd, sizeof(cmd), "awk '{$3 = \"\"; sub(/  /, \" \"); print}' %s > %s && "
		 "awk 'NR == 2 {print \"5 123456789012 eni-00000000000000001 - - - - - - - "
		 "1700000300 1700000360 - NODATA - - - -\"} {print}' %s > %s", EMU, tpath("b.log"),
		 a, tpath("c.log"));
	assert_int_equal(system(cmd), 0);
	r = run(tpath("c.log"), tpath("b.log"), NULL);
	assert_true(diff_equivalent(r));
	assert_int_equal(diff_get_summary(r)->incomplete, 1);
	diff_free(r);
}

static void test_map_eni(void **state)
{
	const char *a = variant(tpath("a.log"), AWS, "eni-0a1b2c3d4e5f60718 10.0.1.5 52", "eni-0ffffffffffffffff 10.0.1.5 52",
				"eni-0a1b2c3d4e5f60718 10.0.1.5 52", "eni-0ffffffffffffffff 10.0.1.5 52", NULL);
	const struct diff_eni_map map[] = {{"eni-0a1b2c3d4e5f60718", "eni-0ffffffffffffffff"}};
	const char *e = EMU;
	struct diff_options o;
	struct diff_result *r = run(e, a, NULL);

	(void)state;
	assert_int_equal(diff_get_summary(r)->only[0], 1);
	assert_int_equal(diff_get_summary(r)->only[1], 1);
	diff_free(r);
	/* The map applies to both sides: every record of A is compared as B. */
	diff_options_init(&o);
	o.map = map;
	o.nmap = 1;
	r = run(e, a, &o);
	assert_true(diff_equivalent(r));
	assert_int_equal(diff_get_summary(r)->matched, 3);
	assert_int_equal(diff_eni_count(r), 1);
	assert_string_equal(diff_get_eni(r, 0)->interface_id, "eni-0a1b2c3d4e5f60718=eni-0ffffffffffffffff");
	diff_free(r);
}

static void test_malformed(void **state)
{
	struct diff_options o;
	struct diff_result *r = (struct diff_result *)1;
	char err[512], want[512];
	const char *bad = variant(tpath("bad.log"), AWS, "6 3 300 1700000245", "6 x 300 1700000245", NULL);

	(void)state;
	diff_options_init(&o);
	assert_int_equal(diff_run(EMU, bad, &o, &r, err, sizeof(err)), -1);
	assert_null(r);
	snprintf(want, sizeof(want), "%s:7: field \"packets\" is not a number: \"x\"", bad);
	assert_string_equal(err, want);
	bad = variant(tpath("bad2.log"), AWS, "10.0.1.5 52.216.1.1 40000 443 6 3", "10.0.1.5 52.216.1.300 40000 443 6 3", NULL);
	assert_int_equal(diff_run(bad, EMU, &o, &r, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:7: field \"dstaddr\" is not an IP address: \"52.216.1.300\"", bad);
	assert_string_equal(err, want);
	bad = variant(tpath("bad3.log"), AWS, "ACCEPT OK - S3 egress 8\n5", "ACCEPT OK - S3 egress 99\n5", NULL);
	assert_int_equal(diff_run(EMU, bad, &o, &r, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:7: field \"traffic-path\" is not in range: \"99\"", bad);
	assert_string_equal(err, want);
	assert_int_equal(diff_run(EMU, tpath("missing"), &o, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "missing"));
}

/* ---- run_diff end to end --------------------------------------------------- */

/* Runs run_diff with stdout and stderr in files; returns the exit code. */
static int cli(char **out, char **errtext, ...)
{
	char *argv[32];
	int argc = 0, rc, saved_out = dup(1), saved_err = dup(2);
	const char *a;
	char po[128], pe[128];
	va_list ap;

	/* Not tpath(): its ring of buffers holds the caller's paths. */
	snprintf(po, sizeof(po), "%s/stdout", tmp_dir());
	snprintf(pe, sizeof(pe), "%s/stderr", tmp_dir());
	argv[argc++] = (char *)(uintptr_t)"vpcflowemu";
	va_start(ap, errtext);
	while ((a = va_arg(ap, const char *)) != NULL && argc < 31)
		argv[argc++] = (char *)(uintptr_t)a;
	va_end(ap);
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	assert_non_null(freopen(po, "w", stdout));
	assert_non_null(freopen(pe, "w", stderr));
	rc = run_diff(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	clearerr(stdout);
	clearerr(stderr);
	*out = slurp(po);
	*errtext = slurp(pe);
	return rc;
}

static void test_cli_equivalent(void **state)
{
	char *out, *err;

	(void)state;
	assert_int_equal(cli(&out, &err, EMU, AWS, NULL), 0);
	assert_non_null(strstr(out, "matched: 3 (0 differing)\n"));
	assert_non_null(strstr(out, "only in expected: 0\n"));
	assert_non_null(strstr(out, "result: equivalent\n"));
	assert_string_equal(err, "");
	free(out);
	free(err);
}

static void test_cli_differences(void **state)
{
	const char *a = variant(tpath("a.log"), AWS, "S3 egress 8\n", "S3 egress 7\n",
				"S3 egress 8\n", "S3 egress 7\n",
				"1700000365 ACCEPT", "1700000365 REJECT", NULL);
	char *out, *err;

	(void)state;
	assert_int_equal(cli(&out, &err, EMU, a, NULL), 1);
	assert_non_null(strstr(out, "differing by field: action 1, traffic-path 1\n"));
	assert_non_null(strstr(out, "result: different\n"));
	assert_non_null(strstr(out,
		"\ndiffers eni-0a1b2c3d4e5f60718 6 10.0.1.5:40000 -> 52.216.1.1:443 egress 1700000200-1700000290: "
		"traffic-path: expected 8, actual 7 (likely cause: a gateway endpoint route on one side only"));
	assert_non_null(strstr(out,
		"differs eni-0a1b2c3d4e5f60718 6 198.51.100.7:5555 -> 10.0.1.5:22 ingress 1700000300-1700000365: "
		"action: expected ACCEPT, actual REJECT (likely cause: a security group or network ACL rule)\n"));
	/* 10.0.1.5 sorts before 198.51.100.7 */
	assert_true(strstr(out, "52.216.1.1:443") < strstr(out, "198.51.100.7:5555"));
	free(out);
	free(err);
	assert_int_equal(cli(&out, &err, "--ignore", "traffic-path", "--ignore", "action", EMU, a, NULL), 0);
	free(out);
	free(err);
}

static void test_cli_json(void **state)
{
	const char *a = variant(tpath("a.log"), AWS, "S3 egress 8\n", "S3 egress 7\n",
				"S3 egress 8\n", "S3 egress 7\n", NULL);
	char *out, *err;
	json_error_t je;
	json_t *root, *d;

	(void)state;
	assert_int_equal(cli(&out, &err, "--json", EMU, a, NULL), 1);
	root = json_loads(out, 0, &je);
	assert_non_null(root);
	assert_true(json_is_false(json_object_get(root, "equivalent")));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(root, "summary"), "matched")), 3);
	d = json_array_get(json_object_get(root, "differences"), 0);
	assert_string_equal(json_string_value(json_object_get(d, "field")), "traffic-path");
	assert_string_equal(json_string_value(json_object_get(d, "srcaddr")), "10.0.1.5");
	assert_string_equal(json_string_value(json_object_get(json_object_get(d, "actual"), "value")), "7");
	assert_non_null(strstr(json_string_value(json_object_get(d, "cause")), "gateway endpoint"));
	json_decref(root);
	free(out);
	free(err);
}

static void test_cli_formats_and_errors(void **state)
{
	char *out, *err;
	const char *hl = variant(tpath("headerless.log"), AWS,
				 "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path\n",
				 "", NULL);

	(void)state;
	assert_int_equal(cli(&out, &err, "--format-actual", "v5", EMU, hl, NULL), 0);
	free(out);
	free(err);
	assert_int_equal(cli(&out, &err, "-f", "v5", EMU, hl, NULL), 0);
	free(out);
	free(err);
	/* Without -f the headerless v5 lines do not have 14 fields. */
	assert_int_equal(cli(&out, &err, EMU, hl, NULL), 2);
	assert_non_null(strstr(err, "vpcflowemu: diff: "));
	assert_non_null(strstr(err, "headerless.log:1: expected 14 fields, got 18\n"));
	free(out);
	free(err);
	assert_int_equal(cli(&out, &err, EMU, NULL), 2);
	assert_string_equal(err, "vpcflowemu: diff: expected two paths, EXPECTED and ACTUAL (got 1)\n");
	free(out);
	free(err);
	assert_int_equal(cli(&out, &err, "--tolerance", "abc", EMU, AWS, NULL), 2);
	assert_string_equal(err, "vpcflowemu: diff: --tolerance: not a number or percentage: \"abc\"\n");
	free(out);
	free(err);
	assert_int_equal(cli(&out, &err, "--slack", "-3", EMU, AWS, NULL), 2);
	free(out);
	free(err);
	assert_int_equal(cli(&out, &err, "--map-eni", "eni-a", EMU, AWS, NULL), 2);
	assert_string_equal(err, "vpcflowemu: diff: --map-eni: expected A=B, got \"eni-a\"\n");
	free(out);
	free(err);
	assert_int_equal(cli(&out, &err, "-f", "${nope}", EMU, AWS, NULL), 2);
	free(out);
	free(err);
	assert_int_equal(cli(&out, &err, "--help", NULL), 0);
	assert_non_null(strstr(out, "usage: vpcflowemu diff"));
	free(out);
	free(err);
	assert_int_equal(cli(&out, &err, "--map-eni", "eni-0a1b2c3d4e5f60718=eni-x", "--slack", "120",
			     "--tolerance", "5%", EMU, AWS, NULL), 0);
	assert_non_null(strstr(out, "eni-0a1b2c3d4e5f60718=eni-x"));
	free(out);
	free(err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rewindowed_delayed_equivalent),
		cmocka_unit_test(test_slack_zero_splits),
		cmocka_unit_test_setup_teardown(test_traffic_path_endpoint, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_traffic_path_non_nitro, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_ignore_field, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_missing_flow, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_reserved_address, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_reject_vs_accept, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_tolerance, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_capture_edge, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_different_formats, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_s3_directories, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_directory_of_different_headers, setup_tmp,
						teardown_tmp),
		cmocka_unit_test(test_corpus_against_itself),
		cmocka_unit_test_setup_teardown(test_corpus_changed, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_several_values, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_skipdata_incomplete, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_skipdata_without_interface_column, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_map_eni, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_malformed, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_cli_equivalent, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_cli_differences, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_cli_json, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_cli_formats_and_errors, setup_tmp, teardown_tmp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
