/* test_corpus.c - formats/reader.c against every file of the shared AWS
 * VPC Flow Log corpus (/work/shared/corpus, see its README.md): each file
 * is read with the record count its lines give, refused at the line that
 * breaks it, or skipped as not a flow log file. The table's numbers were
 * counted from the files themselves (fields per line, header lines), not
 * from the reader. Skips (cmocka skip()) when the corpus is absent. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <setjmp.h>
#include <cmocka.h>

#include "formats/reader.h"

#define CORPUS SOURCE_ROOT "/../shared/corpus"

enum outcome {
	READS,          /* every non-header line is a record */
	REFUSED,        /* at least one error; first one at err_line */
	SKIP_NAME,      /* a directory walk passes it over by its name */
	SKIP_JSON,      /* a JSON document, not {"message"} lines */
};

/* Field layouts of headerless files, as the corpus README gives them. */
#define V2 "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} " \
	"${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}"
#define V5_ALL V2 " ${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} " \
	"${pkt-dstaddr} ${region} ${az-id} ${sublocation-type} ${sublocation-id} " \
	"${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}"
#define V7_ALL V5_ALL " ${ecs-cluster-arn} ${ecs-cluster-name} ${ecs-container-instance-arn} " \
	"${ecs-container-instance-id} ${ecs-container-id} ${ecs-second-container-id} " \
	"${ecs-service-name} ${ecs-task-definition-arn} ${ecs-task-arn} ${ecs-task-id}"
#define V3_TGW_DOC "${version} ${interface-id} ${account-id} ${vpc-id} ${subnet-id} " \
	"${instance-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${tcp-flags} " \
	"${type} ${pkt-srcaddr} ${pkt-dstaddr} ${action} ${log-status}"
#define V5_ALPHA "${account-id} ${action} ${az-id} ${bytes} ${dstaddr} ${dstport} ${end} " \
	"${flow-direction} ${instance-id} ${interface-id} ${log-status} ${packets} " \
	"${pkt-dst-aws-service} ${pkt-dstaddr} ${pkt-src-aws-service} ${pkt-srcaddr} " \
	"${protocol} ${region} ${srcaddr} ${srcport} ${start} ${sublocation-id} " \
	"${sublocation-type} ${subnet-id} ${tcp-flags} ${traffic-path} ${type} ${version} ${vpc-id}"

struct expect {
	const char *path;       /* below the corpus root */
	enum outcome o;
	unsigned records;       /* records read (with fmt when set) */
	unsigned errors;        /* -1 returns */
	unsigned err_line;      /* line of the first error, 0 for a file error */
	const char *err;        /* first error after "PATH:LINE: " */
	const char *fmt;        /* -f layout for a headerless custom file */
	int plain;              /* plain single-spaced text: round-trip it */
};

static const struct expect table[] = {
	/* v2 default, text or gzip */
	{"FoxIO-LLC__LogSlash/vpc_flow_in.log", READS, 50, 0, 0, NULL, NULL, 1},
	{"opensearch-project__opensearch-catalog/raw.log", READS, 775, 0, 0, NULL, NULL, 1},
	{"airbnb__streamalert/issue-315-unknown-account-id.log", READS, 1, 0, 0, NULL, NULL, 1},
	{"aws-solutions__distributed-load-testing-on-aws/issue-86-description.log", READS, 1, 0, 0, NULL, NULL, 1},
	{"allinurl__goaccess/issue-1341-comment-2019-01-02.log", READS, 5, 0, 0, NULL, NULL, 0},
	{"coralogix__coralogix-aws-shipper/vpcflow.log.gz", READS, 2, 0, 0, NULL, NULL, 0},
	{"grafana__loki/vpcflowlog.log.gz", READS, 3, 0, 0, NULL, NULL, 0},
	{"m-mizutani__aws-vpcflowlogs-parquet/sample1.log", READS, 2, 0, 0, NULL, NULL, 1},
	{"m-mizutani__aws-vpcflowlogs-parquet/sample2.log.gz", READS, 2, 0, 0, NULL, NULL, 0},
	{"elastic__beats/accept-reject-traffic.log", READS, 4, 0, 0, NULL, NULL, 1},
	{"elastic__beats/ipv6.log", READS, 1, 0, 0, NULL, NULL, 1},
	{"elastic__beats/no-data-skip-data.log", READS, 2, 0, 0, NULL, NULL, 1},
	{"elastic__integrations/test-extra-samples.log", READS, 7, 0, 0, NULL, NULL, 1},
	{"elastic__integrations/test-with-message-field.log", READS, 1, 0, 0, NULL, NULL, 0},
	{"obsrvbl-oss__flowlogs-reader/test_flowlogs_reader.py.V2_RECORDS.log", READS, 5, 0, 0, NULL, NULL, 1},
	{"open-telemetry__opentelemetry-collector-contrib/valid_vpc_flow_log.log", READS, 1, 0, 0, NULL, NULL, 1},
	{"open-telemetry__opentelemetry-collector-contrib/valid_vpc_flow_log_multi.log", READS, 2, 0, 0, NULL, NULL, 1},
	/* custom layouts with a header (also alphabetical, also repeated) */
	{"elastic__beats/custom-nat-gateway.log", READS, 2, 0, 0, NULL, NULL, 1},
	{"elastic__beats/tcp-flag-sequence.log", READS, 3, 0, 0, NULL, NULL, 1},
	{"elastic__beats/tcp-flag-sequence-skip-data.log", READS, 2, 0, 0, NULL, NULL, 1},
	{"elastic__integrations/test-tcp-flag-sequence.log", READS, 3, 0, 0, NULL, NULL, 1},
	{"grafana__vpc-flow-logs-analyzer/aws-flow-logs-10.3.11.57-142.250.185.91.log", READS, 31, 0, 0, NULL, NULL, 1},
	{"grafana__vpc-flow-logs-analyzer/aws-test_flow_logs.log", READS, 6, 0, 0, NULL, NULL, 1},
	{"obsrvbl-oss__flowlogs-reader/test_flowlogs_reader.py.V3_FILE.log", READS, 2, 0, 0, NULL, NULL, 1},
	{"obsrvbl-oss__flowlogs-reader/test_flowlogs_reader.py.V4_FILE.log", READS, 2, 0, 0, NULL, NULL, 1},
	{"open-telemetry__opentelemetry-collector-contrib/valid_vpc_flow_log_ecs.log", READS, 1, 0, 0, NULL, NULL, 1},
	/* headerless custom layouts: read with -f */
	{"elastic__beats/custom-transit-gateway.log", READS, 1, 0, 0, NULL, V3_TGW_DOC, 1},
	{"elastic__integrations/issue-8532-event.original.log", READS, 1, 0, 0, NULL, V5_ALPHA, 1},
	{"elastic__integrations/test-v5-all-fields.log", READS, 1, 0, 0, NULL, V5_ALL, 1},
	{"elastic__integrations/test-ecs-samples.log", READS, 10, 0, 0, NULL, V7_ALL, 1},
	{"elastic__integrations/test-v8-samples.log", READS, 1, 0, 0, NULL, V7_ALL " ${reject-reason}", 1},
	/* deliberately broken */
	{"elastic__beats/bad.log", REFUSED, 0, 1, 1, "expected 14 fields, got 4", NULL, 0},
	{"open-telemetry__opentelemetry-collector-contrib/vpc_flow_log_too_few_fields.log", REFUSED, 0, 1, 2,
	 "expected 14 fields, got 13", NULL, 0},
	{"open-telemetry__opentelemetry-collector-contrib/vpc_flow_log_too_many_fields.log", REFUSED, 0, 1, 2,
	 "expected 14 fields, got 15", NULL, 0},
	{"obsrvbl-oss__flowlogs-reader/test_flowlogs_reader.py.V5_FILE.log", REFUSED, 2, 1, 4,
	 "expected 29 fields, got 2", NULL, 0},
	/* transit gateway flow logs (v6): not VPC flow logs, refused */
	{"obsrvbl-oss__flowlogs-reader/test_flowlogs_reader.py.V6_FILE.log", REFUSED, 0, 1, 1,
	 "unknown field \"resource-type\" in header (transit gateway flow logs are not supported)", NULL, 0},
	{"open-telemetry__opentelemetry-collector-contrib/valid_tgw_flow_log.log", REFUSED, 0, 1, 1,
	 "unknown field \"tgw-id\" in header (transit gateway flow logs are not supported)", NULL, 0},
	{"elastic__integrations/test-tgw-samples.log", REFUSED, 0, 10, 1, "expected 14 fields, got 36", NULL, 0},
	/* not flow log files by name: YAML, Parquet, CSV/JSON with underscore names */
	{"elastic__beats/aws-vpc-flow-logs.yml", SKIP_NAME, 0, 0, 0, NULL, NULL, 0},
	{"obsrvbl-oss__flowlogs-reader/flows.parquet", SKIP_NAME, 0, 0, 0, NULL, NULL, 0},
	{"ocsf__examples/dataprepper-v1.1.0/vpcflowlog.raw", SKIP_NAME, 0, 0, 0, NULL, NULL, 0},
	{"ocsf__examples/markdown-v1.0.0-rc.2/vpcflowlog.raw", SKIP_NAME, 0, 0, 0, NULL, NULL, 0},
	{"ocsf__examples/markdown-v1.5.0/vpcflowlog.raw", SKIP_NAME, 0, 0, 0, NULL, NULL, 0},
	{"README.md", SKIP_NAME, 0, 0, 0, NULL, NULL, 0},
	/* JSON documents: envelopes holding several records, test cases, ip-ranges */
	{"ip-ranges/ip-ranges.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"airbnb__streamalert/cloudwatch.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"newrelic__aws-log-ingestion/entry_vpc_flow_logs.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"amazon-archives__aws-vpc-flow-log-appender/event.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"StackVista__stackstate-agent-integrations/get_object_e3f0ea6.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"StackVista__stackstate-agent-integrations/list_objects_v2_8da08c3.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"ranjitkk__splunk-aws-lambda-cloudwatchlogs-processor/app.py.comment-awslogs-event.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"ranjitkk__splunk-aws-lambda-cloudwatchlogs-processor/app.py.comment-awslogs-payload-decoded.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"open-telemetry__opentelemetry-collector-contrib/valid_vpc_flow_cw.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"open-telemetry__opentelemetry-collector-contrib/valid_vpc_flow_cw_custom.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"open-telemetry__opentelemetry-collector-contrib/valid_tgw_flow_cw.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"SEKOIA-IO__intake-formats/aws-flow-logs-tests/accept.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"SEKOIA-IO__intake-formats/aws-flow-logs-tests/accept_ok_v5.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"SEKOIA-IO__intake-formats/aws-flow-logs-tests/accept_structured.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"SEKOIA-IO__intake-formats/aws-flow-logs-tests/custom.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"SEKOIA-IO__intake-formats/aws-flow-logs-tests/ipv6traffic.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"SEKOIA-IO__intake-formats/aws-flow-logs-tests/network_traffic.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"SEKOIA-IO__intake-formats/aws-flow-logs-tests/nodata.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"SEKOIA-IO__intake-formats/aws-flow-logs-tests/reject.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
	{"SEKOIA-IO__intake-formats/aws-flow-logs-tests/reject_structured.json", SKIP_JSON, 0, 0, 0, NULL, NULL, 0},
};

#define NTABLE (sizeof(table) / sizeof(table[0]))

static int have_corpus(void)
{
	struct stat sb;

	return stat(CORPUS, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static const struct expect *lookup(const char *rel)
{
	size_t i;

	for (i = 0; i < NTABLE; i++)
		if (strcmp(table[i].path, rel) == 0)
			return &table[i];
	return NULL;
}

static void full(const struct expect *e, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s/%s", CORPUS, e->path);
}

/* Lists every regular file below dir (relative names) into the counter. */
static void count_files(const char *dir, const char *rel, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		char p[1024], r[1024];
		struct stat sb;

		if (e->d_name[0] == '.' && (e->d_name[1] == '\0' || (e->d_name[1] == '.' && e->d_name[2] == '\0')))
			continue;
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		snprintf(r, sizeof(r), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
		assert_int_equal(lstat(p, &sb), 0);
		if (S_ISDIR(sb.st_mode)) {
			count_files(p, r, n);
			continue;
		}
		if (lookup(r) == NULL)
			fail_msg("corpus file %s is not in the table", r);
		(*n)++;
	}
	closedir(d);
}

/* Every corpus file is in the table and every table entry exists. */
static void test_table_complete(void **state)
{
	size_t n = 0;

	(void)state;
	if (!have_corpus())
		skip();
	count_files(CORPUS, "", &n);
	assert_int_equal(n, NTABLE);
}

/* Reads path (not gzip) into lines[1..]; returns the buffer to free. */
static char *load_lines(const char *path, char ***lines, size_t *nl)
{
	FILE *fp = fopen(path, "rb");
	char *text, *p;
	long size;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	size = ftell(fp);
	rewind(fp);
	text = malloc((size_t)size + 1);
	*lines = calloc((size_t)size + 2, sizeof(**lines));
	assert_non_null(text);
	assert_non_null(*lines);
	assert_int_equal(fread(text, 1, (size_t)size, fp), (size_t)size);
	fclose(fp);
	text[size] = '\0';
	*nl = 0;
	for (p = text; *p != '\0'; ) {
		char *e = strchr(p, '\n');

		(*lines)[++*nl] = p;
		if (e == NULL)
			break;
		*e = '\0';
		p = e + 1;
	}
	return text;
}

static void check_file(const struct expect *e)
{
	struct log_format f;
	struct flow_reader *r = NULL;
	struct flow_line l;
	char path[1024], err[1024], want[2200], got[16384];
	unsigned records = 0, errors = 0;
	char **lines = NULL, *text = NULL;
	size_t nl = 0;
	int rc;

	full(e, path, sizeof(path));
	if (e->fmt != NULL)
		assert_int_equal(format_parse(e->fmt, &f, err, sizeof(err)), 0);
	if (e->plain)
		text = load_lines(path, &lines, &nl);
	assert_int_equal(flow_reader_open(&r, path, e->fmt ? &f : NULL, err, sizeof(err)), 0);
	while ((rc = flow_reader_next(r, &l, err, sizeof(err))) != 0) {
		if (rc < 0) {
			if (errors++ == 0) {
				if (e->err_line > 0)
					snprintf(want, sizeof(want), "%s:%u: %s", path, e->err_line, e->err);
				else
					snprintf(want, sizeof(want), "%s: %s", path, e->err);
				assert_string_equal(err, want);
			}
			continue;
		}
		records++;
		if (e->plain) {
			size_t k = 0;
			uint8_t i;

			for (i = 0; i < l.layout->n; i++) {
				if (i > 0)
					got[k++] = ' ';
				memcpy(got + k, l.field[i], l.len[i]);
				k += l.len[i];
			}
			got[k] = '\0';
			assert_true(l.line <= nl);
			assert_string_equal(got, lines[l.line]);
		}
	}
	if (records != e->records || errors != e->errors)
		fail_msg("%s: %u records, %u errors; want %u, %u", e->path, records, errors,
			 e->records, e->errors);
	flow_reader_close(r);
	free(lines);
	free(text);
}

/* Each flow log file on its own: exact record count, exact first error. */
static void test_each_file(void **state)
{
	size_t i, read = 0, refused = 0, skipped = 0;

	(void)state;
	if (!have_corpus())
		skip();
	for (i = 0; i < NTABLE; i++) {
		const struct expect *e = &table[i];

		if (e->o == READS || e->o == REFUSED) {
			check_file(e);
			if (e->o == READS)
				read++;
			else
				refused++;
		} else {
			skipped++;
		}
	}
	print_message("corpus: %zu files read, %zu refused, %zu skipped\n", read, refused, skipped);
}

/* A JSON document named on its own is refused as not a flow log; so is the
 * Parquet file (binary). */
static void test_skipped_alone(void **state)
{
	size_t i;

	(void)state;
	if (!have_corpus())
		skip();
	for (i = 0; i < NTABLE; i++) {
		const struct expect *e = &table[i];
		struct flow_reader *r = NULL;
		struct flow_line l;
		char path[1024], err[1024], want[1200];
		const char *why;

		if (e->o == SKIP_JSON)
			why = "JSON document, not {\"message\": ...} lines";
		else if (strstr(e->path, ".parquet") != NULL)
			why = "binary data";
		else
			continue;
		full(e, path, sizeof(path));
		assert_int_equal(flow_reader_open(&r, path, NULL, err, sizeof(err)), 0);
		assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), -1);
		snprintf(want, sizeof(want), "%s: not a flow log file (%s)", path, why);
		assert_string_equal(err, want);
		assert_int_equal(flow_reader_next(r, &l, err, sizeof(err)), 0);
		flow_reader_close(r);
	}
}

/* The whole corpus as one directory: per file, the records and errors the
 * table predicts without -f (a headerless custom file then fails on every
 * line, none of them has 14 fields), and one note per skipped file. */
static void test_directory_walk(void **state)
{
	struct flow_reader *r = NULL;
	struct flow_line l;
	struct flow_reader_stats st;
	char err[1024];
	unsigned recs[NTABLE] = {0}, errs[NTABLE] = {0};
	size_t i, plen = strlen(CORPUS) + 1, skipped = 0, files = 0;
	uint64_t total_r = 0, total_e = 0;
	int rc;

	(void)state;
	if (!have_corpus())
		skip();
	assert_int_equal(flow_reader_open(&r, CORPUS, NULL, err, sizeof(err)), 0);
	while ((rc = flow_reader_next(r, &l, err, sizeof(err))) != 0) {
		const char *rel;
		char name[1024];
		const struct expect *e;

		if (rc > 0) {
			rel = l.file + plen;
			e = lookup(rel);
			assert_non_null(e);
			recs[e - table]++;
			continue;
		}
		/* "CORPUS/rel:LINE: ..." or "CORPUS/rel: ..." */
		assert_memory_equal(err, CORPUS "/", plen);
		snprintf(name, sizeof(name), "%s", err + plen);
		*strchr(name, ':') = '\0';
		e = lookup(name);
		if (e == NULL)
			fail_msg("error from an unknown file: %s", err);
		errs[e - table]++;
	}
	for (i = 0; i < NTABLE; i++) {
		const struct expect *e = &table[i];
		unsigned wr = e->records, we = e->errors;

		if (e->o == SKIP_NAME || e->o == SKIP_JSON) {
			wr = we = 0;
			skipped++;
		} else {
			files++;
		}
		if (e->fmt != NULL) {
			we = wr;
			wr = 0;
		}
		if (recs[i] != wr || errs[i] != we)
			fail_msg("%s: %u records, %u errors in the walk; want %u, %u",
				 e->path, recs[i], errs[i], wr, we);
		total_r += wr;
		total_e += we;
	}
	flow_reader_stats(r, &st);
	assert_int_equal(st.records, total_r);
	assert_int_equal(st.errors, total_e);
	assert_int_equal(st.files_skipped, skipped);
	assert_int_equal(st.files, files);
	assert_int_equal(flow_reader_note_count(r), skipped);
	for (i = 0; i < skipped; i++) {
		const char *note = flow_reader_note(r, i);
		char name[1024];
		const struct expect *e;

		assert_memory_equal(note, CORPUS "/", plen);
		snprintf(name, sizeof(name), "%s", note + plen);
		char *cut = strstr(name, ": skipped");
		if (!cut) {
			fail_msg("note without \": skipped\": %s", note);
			return;
		}
		*cut = '\0';
		e = lookup(name);
		if (!e) {
			fail_msg("%s is not in the corpus table", name);
			return;
		}
		assert_true(e->o == SKIP_NAME || e->o == SKIP_JSON);
		assert_non_null(strstr(note, e->o == SKIP_NAME ? "not a .log, .txt or .json file"
				       : "not a flow log file (JSON document"));
	}
	flow_reader_close(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_complete),
		cmocka_unit_test(test_each_file),
		cmocka_unit_test(test_skipped_alone),
		cmocka_unit_test(test_directory_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
