/* test_reader.c - formats/reader.c and reader_gz.c: header lines (default,
 * alphabetical, repeated), -f layouts, NODATA/SKIPDATA, blanks and CRLF,
 * {"message"} and CloudWatch export lines, gzip (one and several members),
 * directory order and skip notes, every error with its exact text, and the
 * byte-for-byte round trip (spec/vpc-flow-logs.md 1, 3.3, 5.2, 11). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <setjmp.h>
#include <cmocka.h>

#define ZLIB_CONST
#include <zlib.h>

#include "formats/reader.h"
#include "formats/render.h"
#include "tmpdir.h"

#define DATA SOURCE_ROOT "/tests/data/reader"

#define HDR2 "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
#define REC_A "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK"
#define REC_N "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA"

/* ---- helpers -------------------------------------------------------------- */

/* One gzip member of s[0..n); the caller frees the result. */
static unsigned char *gzip_member(const char *s, size_t n, size_t *outn)
{
	z_stream z;
	size_t cap = n + n / 100 + 64;
	unsigned char *out = malloc(cap);

	assert_non_null(out);
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (const Bytef *)s;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = (uInt)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*outn = cap - z.avail_out;
	deflateEnd(&z);
	return out;
}

static void write_gz(const char *path, const char *s)
{
	size_t n;
	unsigned char *g = gzip_member(s, strlen(s), &n);

	write_bytes(path, g, n);
	free(g);
}

static struct flow_reader *open_ok(const char *path, const struct log_format *f)
{
	struct flow_reader *r = NULL;
	char err[512] = "";

	assert_int_equal(flow_reader_open(&r, path, f, err, sizeof(err)), 0);
	assert_string_equal(err, "");
	assert_non_null(r);
	return r;
}

/* Joins the line's fields by single spaces into buf (NUL-terminated). */
static void join(const struct flow_line *l, char *buf, size_t cap)
{
	size_t k = 0;
	uint8_t i;

	for (i = 0; i < l->layout->n; i++) {
		assert_true(k + l->len[i] + 2 < cap);
		if (i > 0)
			buf[k++] = ' ';
		memcpy(buf + k, l->field[i], l->len[i]);
		k += l->len[i];
	}
	buf[k] = '\0';
}

static void next_is(struct flow_reader *r, uint64_t line, const char *want)
{
	struct flow_line l;
	char err[512] = "", got[8192];
	int rc = flow_reader_next(r, &l, err, sizeof(err));

	assert_string_equal(err, "");
	assert_int_equal(rc, 1);
	assert_int_equal(l.line, line);
	join(&l, got, sizeof(got));
	assert_string_equal(got, want);
}

static void next_err(struct flow_reader *r, const char *want)
{
	struct flow_line l;
	char err[512] = "";

	assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), -1);
	assert_string_equal(err, want);
}

static void next_end(struct flow_reader *r)
{
	struct flow_line l;
	char err[512] = "";

	assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), 0);
	assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), 0);
}

/* Reads path (plain, single-spaced, LF) and checks that every record line
 * is the fields joined by one space, every other non-blank line is the
 * header of the layout that follows it (render_header), and nothing else
 * is in the file. Returns the record count. */
static size_t round_trip(const char *path, const struct log_format *f)
{
	FILE *fp = fopen(path, "rb");
	char *text, **lines, got[RENDER_MAX_LINE];
	size_t size, nl = 0, i, records = 0;
	uint64_t last = 0;
	struct flow_reader *r = open_ok(path, f);
	struct flow_line l;
	char err[512];
	int rc;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	size = (size_t)ftell(fp);
	rewind(fp);
	text = malloc(size + 1);
	lines = calloc(size + 2, sizeof(*lines));
	assert_non_null(text);
	assert_non_null(lines);
	assert_int_equal(fread(text, 1, size, fp), size);
	fclose(fp);
	text[size] = '\0';
	for (i = 0; i < size || (i == size && size > 0 && text[size - 1] != '\n'); ) {
		char *e = strchr(text + i, '\n');

		lines[++nl] = text + i;
		if (e == NULL)
			break;
		*e = '\0';
		i = (size_t)(e - text) + 1;
	}
	while ((rc = flow_reader_next(r, &l, err, sizeof(err))) == 1) {
		/* The lines skipped since the last record: blanks or the
		 * header of this record's layout. */
		for (i = (size_t)last + 1; i < l.line; i++) {
			if (lines[i][0] == '\0')
				continue;
			assert_int_equal(render_header(l.layout, got, sizeof(got)), strlen(lines[i]) + 1);
			assert_memory_equal(got, lines[i], strlen(lines[i]));
		}
		join(&l, got, sizeof(got));
		assert_string_equal(got, lines[l.line]);
		last = l.line;
		records++;
	}
	assert_int_equal(rc, 0);
	for (i = (size_t)last + 1; i <= nl; i++)
		assert_string_equal(lines[i], "");
	flow_reader_close(r);
	free(lines);
	free(text);
	return records;
}

/* ---- well-formed input ------------------------------------------------------ */

static void test_default_header(void **state)
{
	struct flow_reader *r;
	struct flow_line l;
	struct flow_reader_stats st;
	char err[256];
	const char *s;
	size_t n;
	uint64_t v = 0;

	(void)state;
	r = open_ok(DATA "/default-header.log", NULL);
	assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), 1);
	assert_int_equal(l.line, 2);
	assert_string_equal(l.file, DATA "/default-header.log");
	assert_int_equal(l.layout->n, 14);
	assert_int_equal(l.layout->version, 2);
	s = flow_line_get(&l, FLD_SRCADDR, &n);
	assert_int_equal(n, strlen("172.31.16.139"));
	assert_memory_equal(s, "172.31.16.139", n);
	assert_int_equal(flow_line_u64(&l, FLD_BYTES, &v), 1);
	assert_int_equal(v, 4249);
	assert_null(flow_line_get(&l, FLD_VPC_ID, &n));
	assert_int_equal(flow_line_u64(&l, FLD_TCP_FLAGS, &v), 0);
	assert_int_equal(flow_line_u64(&l, FLD_ACTION, &v), -1);
	next_is(r, 3, "2 123456789010 eni-1235b8ca123456789 172.31.9.69 172.31.9.12 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK");
	/* NODATA and SKIPDATA: "-" is kept as text, absent for the helpers. */
	assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), 1);
	assert_int_equal(l.line, 4);
	assert_false(flow_line_has(&l, FLD_SRCADDR));
	assert_true(flow_line_has(&l, FLD_START));
	assert_int_equal(flow_line_u64(&l, FLD_PACKETS, &v), 0);
	s = flow_line_get(&l, FLD_LOG_STATUS, &n);
	assert_memory_equal(s, "NODATA", n);
	next_is(r, 5, "2 123456789010 eni-11111111aaaaaaaaa - - - - - - - 1431280876 1431280934 - SKIPDATA");
	next_end(r);
	flow_reader_stats(r, &st);
	assert_int_equal(st.files, 1);
	assert_int_equal(st.records, 4);
	assert_int_equal(st.headers, 1);
	assert_int_equal(st.errors, 0);
	flow_reader_close(r);
	assert_int_equal(round_trip(DATA "/default-header.log", NULL), 4);
}

static void test_headerless_layout(void **state)
{
	struct log_format f;
	struct flow_reader *r;
	struct flow_line l;
	char err[256];
	const char *fs = "${version} ${interface-id} ${account-id} ${vpc-id} ${subnet-id} "
		"${instance-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} "
		"${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} ${action} ${log-status}";
	const char *rec = "3 eni-33333333333333333 123456789010 vpc-abcdefab012345678 "
		"subnet-22222222bbbbbbbbb i-01234567890123456 10.20.33.164 10.40.2.236 39812 80 6 3 "
		"IPv4 10.20.33.164 10.40.2.236 ACCEPT OK";
	char text[512];
	uint64_t v;

	(void)state;
	assert_int_equal(format_parse(fs, &f, err, sizeof(err)), 0);
	snprintf(text, sizeof(text), "%s\n", rec);
	write_text(tpath("tgw.log"), text);
	r = open_ok(tpath("tgw.log"), &f);
	assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), 1);
	assert_int_equal(l.layout->n, 17);
	assert_int_equal(flow_line_u64(&l, FLD_TCP_FLAGS, &v), 1);
	assert_int_equal(v, 3);
	next_end(r);
	flow_reader_close(r);
	assert_int_equal(round_trip(tpath("tgw.log"), &f), 1);
}

static void test_alphabetical_header(void **state)
{
	struct flow_reader *r;
	struct flow_line l;
	char err[256];
	uint64_t v;
	size_t n;
	const char *s;

	(void)state;
	r = open_ok(DATA "/alphabetical.log", NULL);
	assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), 1);
	assert_int_equal(l.layout->n, 18);
	assert_int_equal(l.layout->version, 3);
	assert_int_equal(l.layout->ids[0], FLD_ACCOUNT_ID);
	assert_int_equal(flow_line_u64(&l, FLD_VERSION, &v), 1);
	assert_int_equal(v, 3);
	assert_int_equal(flow_line_u64(&l, FLD_BYTES, &v), 1);
	assert_int_equal(v, 6392);
	s = flow_line_get(&l, FLD_VPC_ID, &n);
	assert_memory_equal(s, "vpc-0461a061", n);
	assert_null(flow_line_get(&l, FLD_ACTION, NULL));
	flow_reader_close(r);
	assert_int_equal(round_trip(DATA "/alphabetical.log", NULL), 2);
}

static void test_repeated_header(void **state)
{
	struct flow_reader *r;
	struct flow_line l;
	char err[256];
	struct flow_reader_stats st;

	(void)state;
	r = open_ok(DATA "/repeated-header.log", NULL);
	next_is(r, 2, REC_A);
	assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), 1);
	assert_int_equal(l.line, 5);
	assert_int_equal(l.layout->n, 8);
	assert_int_equal(l.layout->version, 5);
	assert_non_null(flow_line_get(&l, FLD_TRAFFIC_PATH, NULL));
	assert_null(flow_line_get(&l, FLD_ACCOUNT_ID, NULL));
	next_is(r, 7, REC_N);
	next_end(r);
	flow_reader_stats(r, &st);
	assert_int_equal(st.headers, 3);
	assert_int_equal(st.blank, 1);
	flow_reader_close(r);
	assert_int_equal(round_trip(DATA "/repeated-header.log", NULL), 3);
}

static void test_no_final_newline_crlf_blanks(void **state)
{
	struct flow_reader *r;

	(void)state;
	write_text(tpath("nonl.log"), HDR2 "\n" REC_A "\n" REC_N);
	r = open_ok(tpath("nonl.log"), NULL);
	next_is(r, 2, REC_A);
	next_is(r, 3, REC_N);
	next_end(r);
	flow_reader_close(r);
	assert_int_equal(round_trip(tpath("nonl.log"), NULL), 2);

	write_text(tpath("crlf.log"), HDR2 "\r\n" REC_A "\r\n\r\n" REC_N "\r\n");
	r = open_ok(tpath("crlf.log"), NULL);
	next_is(r, 2, REC_A);
	next_is(r, 4, REC_N);
	next_end(r);
	flow_reader_close(r);

	/* Runs of blanks and tabs (the AWS docs' double space), leading and
	 * trailing blanks, and whitespace-only lines. */
	write_text(tpath("blanks.log"),
		   "  \t\n2 123456789010  eni-1235b8ca123456789 - - - -\t- - - 1431280876 1431280934 - NODATA  \n \n");
	r = open_ok(tpath("blanks.log"), NULL);
	next_is(r, 2, REC_N);
	next_end(r);
	flow_reader_close(r);

	/* Empty file. */
	write_text(tpath("empty.log"), "");
	r = open_ok(tpath("empty.log"), NULL);
	next_end(r);
	flow_reader_close(r);
}

static void test_unknown_and_masked_accounts(void **state)
{
	struct flow_reader *r;

	(void)state;
	write_text(tpath("acct.log"),
		   "2 unknown eni-abc123de 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"
		   "2 *********** eni-0695a6beca1d0d1a1 185.142.239.16 192.168.30.104 26200 9663 6 1 44 1647287159 1647287178 REJECT OK\n");
	r = open_ok(tpath("acct.log"), NULL);
	next_is(r, 1, "2 unknown eni-abc123de 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK");
	next_is(r, 2, "2 *********** eni-0695a6beca1d0d1a1 185.142.239.16 192.168.30.104 26200 9663 6 1 44 1647287159 1647287178 REJECT OK");
	next_end(r);
	flow_reader_close(r);
}

static void test_json_and_export_lines(void **state)
{
	struct flow_reader *r;
	struct flow_reader_stats st;

	(void)state;
	r = open_ok(DATA "/firehose-message.json", NULL);
	next_is(r, 1, "2 428961148399 eni-0e0bf7be352692297 - - - - - - - 1671029698 1671029728 - NODATA");
	next_is(r, 2, "2 647604195155 eni-0c19436730cc350ae 10.5.81.140 10.90.0.45 53598 443 6 2 120 1702918083 1702918083 ACCEPT OK");
	next_end(r);
	flow_reader_stats(r, &st);
	assert_int_equal(st.json, 2);
	flow_reader_close(r);

	r = open_ok(DATA "/cloudwatch-export.log", NULL);
	next_is(r, 1, "2 633112549318 eni-d68830d4 209.141.42.153 10.155.108.192 54252 8088 6 1 40 1537648094 1537648129 ACCEPT OK");
	next_is(r, 2, "2 633112549318 eni-d68830d4 - - - - - - - 1537648152 1537648249 - NODATA");
	next_end(r);
	flow_reader_stats(r, &st);
	assert_int_equal(st.iso_prefix, 2);
	flow_reader_close(r);
}

static void test_gzip(void **state)
{
	const char *a = HDR2 "\n" REC_A "\n";
	const char *b = HDR2 "\n" REC_N "\n";
	unsigned char *ga, *gb, *both;
	size_t na, nb;
	struct flow_reader *r;

	(void)state;
	/* Named .bin: gzip is found by its magic, not by the name. */
	write_gz(tpath("one.bin"), a);
	r = open_ok(tpath("one.bin"), NULL);
	next_is(r, 2, REC_A);
	next_end(r);
	flow_reader_close(r);

	/* Two members, as "cat a.gz b.gz" gives: one stream of text. */
	ga = gzip_member(a, strlen(a), &na);
	gb = gzip_member(b, strlen(b), &nb);
	both = malloc(na + nb);
	assert_non_null(both);
	memcpy(both, ga, na);
	memcpy(both + na, gb, nb);
	write_bytes(tpath("two.log.gz"), both, na + nb);
	r = open_ok(tpath("two.log.gz"), NULL);
	next_is(r, 2, REC_A);
	next_is(r, 4, REC_N);
	next_end(r);
	flow_reader_close(r);
	free(ga);
	free(gb);
	free(both);
}

/* A large gzip file: many buffer refills, lines across chunk borders. */
static void test_gzip_large(void **state)
{
	size_t n = 20000, i, k = 0, cap = n * 128;
	char *text = malloc(cap);
	struct flow_reader *r;
	struct flow_line l;
	char err[256];
	uint64_t v, count = 0;

	(void)state;
	assert_non_null(text);
	k += (size_t)snprintf(text + k, cap - k, "%s\n", HDR2);
	for (i = 0; i < n; i++)
		k += (size_t)snprintf(text + k, cap - k,
				      "2 123456789012 eni-0123456789abcdef0 10.0.%zu.%zu 10.1.0.1 %zu 443 6 3 %zu 1700000000 1700000060 ACCEPT OK\n",
				      i / 256 % 256, i % 256, 1024 + i % 60000, 120 + i);
	write_gz(tpath("big.log.gz"), text);
	free(text);
	r = open_ok(tpath("big.log.gz"), NULL);
	while (flow_reader_next(r, &l, err, sizeof(err)) == 1) {
		assert_int_equal(flow_line_u64(&l, FLD_BYTES, &v), 1);
		assert_int_equal(v, 120 + count);
		assert_int_equal(l.line, count + 2);
		count++;
	}
	assert_int_equal(count, n);
	flow_reader_close(r);
}

static void test_directory(void **state)
{
	struct flow_reader *r;
	struct flow_reader_stats st;

	(void)state;
	r = open_ok(DATA "/tree", NULL);
	next_is(r, 1, "2 123456789010 eni-ccccccccccccccccc 10.0.0.1 10.0.0.2 5 6 1 1 40 100 160 ACCEPT OK");
	next_is(r, 1, "2 123456789010 eni-bbbbbbbbbbbbbbbbb 10.0.0.1 10.0.0.2 3 4 17 1 40 100 160 REJECT OK");
	next_is(r, 2, "2 123456789010 eni-aaaaaaaaaaaaaaaaa 10.0.0.1 10.0.0.2 1 2 6 1 40 100 160 ACCEPT OK");
	next_end(r);
	flow_reader_stats(r, &st);
	assert_int_equal(st.files, 3);
	assert_int_equal(st.files_skipped, 3);
	assert_int_equal(st.records, 3);
	assert_int_equal(flow_reader_note_count(r), 3);
	assert_string_equal(flow_reader_note(r, 0),
			    DATA "/tree/a/flows.parquet: skipped, not a .log, .txt or .json file");
	assert_string_equal(flow_reader_note(r, 1),
			    DATA "/tree/b/envelope.json: skipped, not a flow log file (JSON document, not {\"message\": ...} lines)");
	assert_string_equal(flow_reader_note(r, 2),
			    DATA "/tree/b/samples.yml: skipped, not a .log, .txt or .json file");
	assert_null(flow_reader_note(r, 3));
	flow_reader_close(r);
}

/* ---- errors ------------------------------------------------------------------ */

static void test_field_errors(void **state)
{
	struct flow_reader *r;
	char want[512];
	const char *p = tpath("bad.log");
	struct flow_reader_stats st;

	(void)state;
	write_text(p, HDR2 "\n"
		   "2 12345678910 eni-0eb1e4178af74336c - - - - - - - 1742570089 1742570142 -\n"
		   "2 12345678910 eni-0eb1e4178af74336c - - - - - - - 1742570089 1742570142 - NODATA one-too-many\n"
		   "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 abc 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"
		   "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"
		   "x 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"
		   "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK\n"
		   "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 99999999999 6 20 4249 1418530010 1418530070 ACCEPT OK\n"
		   "2 123456789010 eni-1235b8ca123456789 172.31.16.139 172.31.16.21 20641 22 6 20 -5 1418530010 1418530070 ACCEPT OK\n"
		   "Phony unsupported log format.\n"
		   "{\"msg\": \"2 1 eni-1 - - - - - - - 1 2 - NODATA\"}\n"
		   "{not json\n");
	r = open_ok(p, NULL);
	snprintf(want, sizeof(want), "%s:2: expected 14 fields, got 13", p);
	next_err(r, want);
	snprintf(want, sizeof(want), "%s:3: expected 14 fields, got 15", p);
	next_err(r, want);
	snprintf(want, sizeof(want), "%s:4: field \"srcport\" is not a number: \"abc\"", p);
	next_err(r, want);
	next_is(r, 5, REC_A);
	snprintf(want, sizeof(want), "%s:6: field \"version\" is not a number: \"x\"", p);
	next_err(r, want);
	next_is(r, 7, REC_A);
	/* INT_32 fields stop at 2147483647; INT_64 ones take 19 digits. */
	snprintf(want, sizeof(want), "%s:8: field \"dstport\" is not a number: \"99999999999\"", p);
	next_err(r, want);
	snprintf(want, sizeof(want), "%s:9: field \"bytes\" is not a number: \"-5\"", p);
	next_err(r, want);
	snprintf(want, sizeof(want), "%s:10: expected 14 fields, got 4", p);
	next_err(r, want);
	snprintf(want, sizeof(want), "%s:11: JSON line without a \"message\" string", p);
	next_err(r, want);
	snprintf(want, sizeof(want), "%s:12: JSON line without a \"message\" string", p);
	next_err(r, want);
	next_end(r);
	flow_reader_stats(r, &st);
	assert_int_equal(st.errors, 9);
	assert_int_equal(st.records, 2);
	flow_reader_close(r);
}

static void test_header_errors(void **state)
{
	struct flow_reader *r;
	char want[512];
	const char *p = tpath("hdr.log");

	(void)state;
	/* An unknown token in a header abandons the file: nothing after it
	 * can be placed in a column. */
	write_text(p, HDR2 "\n" REC_A "\nversion account-id foo-bar srcaddr\n" REC_A "\n");
	r = open_ok(p, NULL);
	next_is(r, 2, REC_A);
	snprintf(want, sizeof(want), "%s:3: unknown field \"foo-bar\" in header", p);
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);

	write_text(p, "version account-id tgw-id tgw-attachment-id srcaddr\n6 1 tgw-1 tgw-attach-1 10.0.0.1\n");
	r = open_ok(p, NULL);
	snprintf(want, sizeof(want),
		 "%s:1: unknown field \"tgw-id\" in header (transit gateway flow logs are not supported)", p);
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);

	write_text(p, "\nversion srcaddr dstaddr srcaddr\n");
	r = open_ok(p, NULL);
	snprintf(want, sizeof(want), "%s:2: field \"srcaddr\" appears twice in header", p);
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);

	/* Lowercase hyphen words that name no field are data, not a header. */
	write_text(p, "eni-abc vpc-123\n");
	r = open_ok(p, NULL);
	snprintf(want, sizeof(want), "%s:1: expected 14 fields, got 2", p);
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);
}

static void test_gzip_errors(void **state)
{
	const char *a = HDR2 "\n" REC_A "\n" REC_N "\n";
	unsigned char *g, *t;
	size_t n;
	struct flow_reader *r;
	char want[512];

	(void)state;
	g = gzip_member(a, strlen(a), &n);

	/* Truncated: the complete lines before the cut are still records. */
	write_bytes(tpath("trunc.log.gz"), g, n - 4);
	r = open_ok(tpath("trunc.log.gz"), NULL);
	next_is(r, 2, REC_A);
	next_is(r, 3, REC_N);
	snprintf(want, sizeof(want), "%s: gzip data truncated at byte %zu", tpath("trunc.log.gz"), n - 4);
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);

	write_bytes(tpath("short.gz"), g, 2);
	r = open_ok(tpath("short.gz"), NULL);
	snprintf(want, sizeof(want), "%s: gzip data truncated at byte 2", tpath("short.gz"));
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);

	/* Corrupt CRC: zlib's reason, and the byte where inflate stopped. */
	t = malloc(n + 8);
	assert_non_null(t);
	memcpy(t, g, n);
	t[n - 8] ^= 0xff;
	write_bytes(tpath("crc.log.gz"), t, n);
	r = open_ok(tpath("crc.log.gz"), NULL);
	next_is(r, 2, REC_A);
	next_is(r, 3, REC_N);
	snprintf(want, sizeof(want), "%s: invalid gzip data at byte %zu (incorrect data check)",
		 tpath("crc.log.gz"), n - 4);
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);

	/* Garbage after a complete member. */
	memcpy(t, g, n);
	memcpy(t + n, "garbage!", 8);
	write_bytes(tpath("trail.log.gz"), t, n + 8);
	r = open_ok(tpath("trail.log.gz"), NULL);
	next_is(r, 2, REC_A);
	next_is(r, 3, REC_N);
	snprintf(want, sizeof(want), "%s: trailing garbage after gzip data at byte %zu",
		 tpath("trail.log.gz"), n);
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);
	free(t);
	free(g);

	/* A .gz name on plain text. */
	write_text(tpath("plain.log.gz"), REC_A "\n");
	r = open_ok(tpath("plain.log.gz"), NULL);
	snprintf(want, sizeof(want), "%s: not gzip data", tpath("plain.log.gz"));
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);
}

static void test_file_errors(void **state)
{
	struct flow_reader *r = NULL;
	char want[512], err[512];
	char *big;
	size_t n = 300 * 1024;

	(void)state;
	assert_int_equal(flow_reader_open(&r, tpath("missing.log"), NULL, err, sizeof(err)), -1);
	assert_null(r);
	snprintf(want, sizeof(want), "%s: No such file or directory", tpath("missing.log"));
	assert_string_equal(err, want);

	write_bytes(tpath("bin.log"), "PAR1\0\0\0\x15", 8);
	r = open_ok(tpath("bin.log"), NULL);
	snprintf(want, sizeof(want), "%s: not a flow log file (binary data)", tpath("bin.log"));
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);

	write_text(tpath("doc.json"), "{\n  \"logEvents\": []\n}\n");
	r = open_ok(tpath("doc.json"), NULL);
	snprintf(want, sizeof(want),
		 "%s: not a flow log file (JSON document, not {\"message\": ...} lines)", tpath("doc.json"));
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);

	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, 'a', n);
	big[0] = '\n';
	big[n] = '\0';
	write_text(tpath("long.log"), big);
	free(big);
	r = open_ok(tpath("long.log"), NULL);
	snprintf(want, sizeof(want), "%s:2: line longer than 262144 bytes", tpath("long.log"));
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);
}

/* Without -f a headerless custom file meets the default layout. */
static void test_headerless_without_f(void **state)
{
	struct flow_reader *r;
	char want[512];

	(void)state;
	write_text(tpath("v3.log"), "3 eni-3 1 vpc-a subnet-b i-c 10.0.0.1 10.0.0.2 1 2 6 3 IPv4 10.0.0.1 10.0.0.2 ACCEPT OK\n");
	r = open_ok(tpath("v3.log"), NULL);
	snprintf(want, sizeof(want), "%s:1: expected 14 fields, got 17", tpath("v3.log"));
	next_err(r, want);
	next_end(r);
	flow_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_header),
		cmocka_unit_test(test_headerless_layout),
		cmocka_unit_test(test_headerless_without_f),
		cmocka_unit_test(test_alphabetical_header),
		cmocka_unit_test(test_repeated_header),
		cmocka_unit_test(test_no_final_newline_crlf_blanks),
		cmocka_unit_test(test_unknown_and_masked_accounts),
		cmocka_unit_test(test_json_and_export_lines),
		cmocka_unit_test(test_gzip),
		cmocka_unit_test(test_gzip_large),
		cmocka_unit_test(test_directory),
		cmocka_unit_test(test_field_errors),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_gzip_errors),
		cmocka_unit_test(test_file_errors),
	};

	return cmocka_run_group_tests(tests, setup_tmp, teardown_tmp);
}
