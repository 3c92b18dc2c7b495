/* test_ddl.c - formats/ddl.c against spec/vpc-flow-logs.md 12.1 and 12.3
 * (AWS's DDL, compared byte for byte), 12.2 (Hive partition keys), 12.4
 * (underscore names, reserved words), and a buffer of every size. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "formats/ddl.h"

#define BUF 16384

/* Spec 12.1, verbatim: the CREATE statement, then AWS's ALTER example. */
static const char spec_12_1[] =
	"CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs` (\n"
	"  version int,\n"
	"  account_id string,\n"
	"  interface_id string,\n"
	"  srcaddr string,\n"
	"  dstaddr string,\n"
	"  srcport int,\n"
	"  dstport int,\n"
	"  protocol bigint,\n"
	"  packets bigint,\n"
	"  bytes bigint,\n"
	"  start bigint,\n"
	"  `end` bigint,\n"
	"  action string,\n"
	"  log_status string,\n"
	"  vpc_id string,\n"
	"  subnet_id string,\n"
	"  instance_id string,\n"
	"  tcp_flags int,\n"
	"  type string,\n"
	"  pkt_srcaddr string,\n"
	"  pkt_dstaddr string,\n"
	"  region string,\n"
	"  az_id string,\n"
	"  sublocation_type string,\n"
	"  sublocation_id string,\n"
	"  pkt_src_aws_service string,\n"
	"  pkt_dst_aws_service string,\n"
	"  flow_direction string,\n"
	"  traffic_path int\n"
	")\n"
	"PARTITIONED BY (`date` date)\n"
	"ROW FORMAT DELIMITED\n"
	"FIELDS TERMINATED BY ' '\n"
	"LOCATION 's3://DOC-EXAMPLE-BUCKET/prefix/AWSLogs/{account_id}/vpcflowlogs/{region_code}/'\n"
	"TBLPROPERTIES (\"skip.header.line.count\"=\"1\");\n"
	"\n"
	"ALTER TABLE vpc_flow_logs\n"
	"ADD PARTITION (`date`='YYYY-MM-dd')\n"
	"LOCATION 's3://DOC-EXAMPLE-BUCKET/prefix/AWSLogs/{account_id}/vpcflowlogs/{region_code}/YYYY/MM/dd';\n";

/* The same for the AWS default format (spec 3.1): its 14 columns. */
static const char default_ddl[] =
	"CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs` (\n"
	"  version int,\n"
	"  account_id string,\n"
	"  interface_id string,\n"
	"  srcaddr string,\n"
	"  dstaddr string,\n"
	"  srcport int,\n"
	"  dstport int,\n"
	"  protocol bigint,\n"
	"  packets bigint,\n"
	"  bytes bigint,\n"
	"  start bigint,\n"
	"  `end` bigint,\n"
	"  action string,\n"
	"  log_status string\n"
	")\n"
	"PARTITIONED BY (`date` date)\n"
	"ROW FORMAT DELIMITED\n"
	"FIELDS TERMINATED BY ' '\n"
	"LOCATION 's3://DOC-EXAMPLE-BUCKET/prefix/AWSLogs/{account_id}/vpcflowlogs/{region_code}/'\n"
	"TBLPROPERTIES (\"skip.header.line.count\"=\"1\");\n"
	"\n"
	"ALTER TABLE vpc_flow_logs\n"
	"ADD PARTITION (`date`='YYYY-MM-dd')\n"
	"LOCATION 's3://DOC-EXAMPLE-BUCKET/prefix/AWSLogs/{account_id}/vpcflowlogs/{region_code}/YYYY/MM/dd';\n";

/* Spec 12.3, verbatim from PARTITIONED BY on; above it, 12.1's columns
 * minus region under AWS's header for that example (bare table name). */
static const char spec_12_3[] =
	"CREATE EXTERNAL TABLE IF NOT EXISTS test_table_vpclogs (\n"
	"  version int,\n"
	"  account_id string,\n"
	"  interface_id string,\n"
	"  srcaddr string,\n"
	"  dstaddr string,\n"
	"  srcport int,\n"
	"  dstport int,\n"
	"  protocol bigint,\n"
	"  packets bigint,\n"
	"  bytes bigint,\n"
	"  start bigint,\n"
	"  `end` bigint,\n"
	"  action string,\n"
	"  log_status string,\n"
	"  vpc_id string,\n"
	"  subnet_id string,\n"
	"  instance_id string,\n"
	"  tcp_flags int,\n"
	"  type string,\n"
	"  pkt_srcaddr string,\n"
	"  pkt_dstaddr string,\n"
	"  az_id string,\n"
	"  sublocation_type string,\n"
	"  sublocation_id string,\n"
	"  pkt_src_aws_service string,\n"
	"  pkt_dst_aws_service string,\n"
	"  flow_direction string,\n"
	"  traffic_path int\n"
	")\n"
	"PARTITIONED BY (region string, day string)\n"
	"ROW FORMAT DELIMITED\n"
	"FIELDS TERMINATED BY ' '\n"
	"LOCATION 's3://DOC-EXAMPLE-BUCKET/prefix/AWSLogs/{account_id}/vpcflowlogs/'\n"
	"TBLPROPERTIES\n"
	"(\n"
	"\"skip.header.line.count\"=\"1\",\n"
	"\"projection.enabled\" = \"true\",\n"
	"\"projection.region.type\" = \"enum\",\n"
	"\"projection.region.values\" = \"us-east-1,us-west-2,ap-south-1,eu-west-1\",\n"
	"\"projection.day.type\" = \"date\",\n"
	"\"projection.day.range\" = \"2021/01/01,NOW\",\n"
	"\"projection.day.format\" = \"yyyy/MM/dd\",\n"
	"\"storage.location.template\" = \"s3://DOC-EXAMPLE-BUCKET/prefix/AWSLogs/${account_id}/vpcflowlogs/${region}/${day}\"\n"
	")\n";

/* Hive layout with hourly partitions: 12.2's keys, 12.1's text format. */
static const char hive_hourly_ddl[] =
	"CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs` (\n"
	"  version int,\n"
	"  account_id string,\n"
	"  interface_id string,\n"
	"  srcaddr string,\n"
	"  dstaddr string,\n"
	"  srcport int,\n"
	"  dstport int,\n"
	"  protocol bigint,\n"
	"  packets bigint,\n"
	"  bytes bigint,\n"
	"  start bigint,\n"
	"  `end` bigint,\n"
	"  action string,\n"
	"  log_status string\n"
	")\n"
	"PARTITIONED BY (\n"
	"  `aws-account-id` string,\n"
	"  `aws-service` string,\n"
	"  `aws-region` string,\n"
	"  `year` string,\n"
	"  `month` string,\n"
	"  `day` string,\n"
	"  `hour` string\n"
	")\n"
	"ROW FORMAT DELIMITED\n"
	"FIELDS TERMINATED BY ' '\n"
	"LOCATION 's3://DOC-EXAMPLE-BUCKET/prefix/AWSLogs/'\n"
	"TBLPROPERTIES (\"skip.header.line.count\"=\"1\");\n"
	"\n"
	"MSCK REPAIR TABLE vpc_flow_logs;\n";

/* The fields of versions 2 to 5 in AWS order (spec 2.9), minus skip. */
static void format_v2_to_v5(struct log_format *f, int skip)
{
	int id;

	memset(f, 0, sizeof(*f));
	f->version = 5;
	for (id = 0; id < FLD_COUNT; id++)
		if (field_info((enum field_id)id)->version <= 5 && id != skip)
			f->ids[f->n++] = (uint8_t)id;
}

static void parse(const char *s, struct log_format *f)
{
	char err[128];

	assert_int_equal(format_parse(s, f, err, sizeof(err)), 0);
}

static size_t render_ok(const struct ddl_options *o, char *buf)
{
	char err[256] = "";
	size_t n = ddl_render(o, buf, BUF, err, sizeof(err));

	if (n == 0)
		fail_msg("ddl_render: %s", err);
	assert_int_equal(strlen(buf), n);
	return n;
}

/* Renders o and expects a failure whose message contains want. */
static void render_fails(const struct ddl_options *o, const char *want)
{
	char buf[BUF];
	char err[256] = "";

	assert_int_equal(ddl_render(o, buf, sizeof(buf), err, sizeof(err)), 0);
	assert_string_equal(buf, "");
	if (strstr(err, want) == NULL)
		fail_msg("error \"%s\" lacks \"%s\"", err, want);
}

static void test_spec_12_1_exact(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f };
	char buf[BUF];

	(void)state;
	format_v2_to_v5(&f, -1);
	assert_int_equal(f.n, 29);
	assert_int_equal(render_ok(&o, buf), sizeof(spec_12_1) - 1);
	assert_string_equal(buf, spec_12_1);
}

static void test_default_preset_exact(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f };
	char buf[BUF];

	(void)state;
	parse("default", &f);
	render_ok(&o, buf);
	assert_string_equal(buf, default_ddl);
	/* The same text with every default spelled out. */
	o.table = "vpc_flow_logs";
	o.location = "s3://DOC-EXAMPLE-BUCKET/prefix";
	render_ok(&o, buf);
	assert_string_equal(buf, default_ddl);
}

static void test_spec_12_3_exact(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f, .table = "test_table_vpclogs",
	                         .projection = true };
	char buf[BUF];

	(void)state;
	/* AWS's projection DDL describes a log without ${region}. */
	format_v2_to_v5(&f, FLD_REGION);
	assert_int_equal(f.n, 28);
	render_ok(&o, buf);
	assert_string_equal(buf, spec_12_3);
}

/* Text is positional: with ${region} in the log, the column stays in
 * place under another name instead of shifting az_id and the rest. */
static void test_projection_keeps_region_position(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f, .projection = true };
	char buf[BUF];

	(void)state;
	format_v2_to_v5(&f, -1);
	render_ok(&o, buf);
	assert_non_null(strstr(buf, "  pkt_dstaddr string,\n"
	                            "  log_region string,\n"
	                            "  az_id string,\n"));
	assert_null(strstr(buf, "  region string"));
	assert_non_null(strstr(buf,
		"PARTITIONED BY (region string, day string)\n"));
	/* Under the other layouts region is an ordinary column. */
	o.projection = false;
	render_ok(&o, buf);
	assert_non_null(strstr(buf, "\n  region string,\n"));
	o.hive = true;
	render_ok(&o, buf);
	assert_non_null(strstr(buf, "\n  region string,\n"));
}

static void test_projection_region_account_hour(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f, .projection = true,
	                         .per_hour = true, .table = "flows",
	                         .location = "s3://my-bucket/logs",
	                         .account_id = "123456789012",
	                         .region = "eu-west-3" };
	char buf[BUF];

	(void)state;
	parse("default", &f);
	render_ok(&o, buf);
	assert_non_null(strstr(buf,
		"CREATE EXTERNAL TABLE IF NOT EXISTS flows (\n"));
	assert_non_null(strstr(buf,
		")\n"
		"PARTITIONED BY (region string, day string, hour string)\n"
		"ROW FORMAT DELIMITED\n"
		"FIELDS TERMINATED BY ' '\n"
		"LOCATION 's3://my-bucket/logs/AWSLogs/123456789012/vpcflowlogs/'\n"
		"TBLPROPERTIES\n"
		"(\n"
		"\"skip.header.line.count\"=\"1\",\n"
		"\"projection.enabled\" = \"true\",\n"
		"\"projection.region.type\" = \"enum\",\n"
		"\"projection.region.values\" = \"eu-west-3\",\n"
		"\"projection.day.type\" = \"date\",\n"
		"\"projection.day.range\" = \"2021/01/01,NOW\",\n"
		"\"projection.day.format\" = \"yyyy/MM/dd\",\n"
		"\"projection.hour.type\" = \"integer\",\n"
		"\"projection.hour.range\" = \"00,23\",\n"
		"\"projection.hour.digits\" = \"2\",\n"
		"\"storage.location.template\" = \"s3://my-bucket/logs/AWSLogs/123456789012/vpcflowlogs/${region}/${day}/${hour}\"\n"
		")\n"));
	/* Projection needs no statement to load partitions. */
	assert_null(strstr(buf, "ALTER TABLE"));
	assert_null(strstr(buf, "MSCK"));
}

static void test_hive_per_hour_exact(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f, .hive = true, .per_hour = true };
	char buf[BUF];

	(void)state;
	parse("default", &f);
	render_ok(&o, buf);
	assert_string_equal(buf, hive_hourly_ddl);
}

static void test_hive_daily(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f, .hive = true,
	                         .location = "s3://b/p/",
	                         .account_id = "123456789012",
	                         .region = "us-east-1" };
	char buf[BUF];

	(void)state;
	parse("default", &f);
	render_ok(&o, buf);
	assert_non_null(strstr(buf,
		")\n"
		"PARTITIONED BY (\n"
		"  `aws-account-id` string,\n"
		"  `aws-service` string,\n"
		"  `aws-region` string,\n"
		"  `year` string,\n"
		"  `month` string,\n"
		"  `day` string\n"
		")\n"
		"ROW FORMAT DELIMITED\n"));
	assert_null(strstr(buf, "hour"));
	/* Account and Region are partition keys: not in the location. */
	assert_non_null(strstr(buf, "LOCATION 's3://b/p/AWSLogs/'\n"));
	assert_null(strstr(buf, "123456789012"));
}

static void test_plain_per_hour(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f, .per_hour = true,
	                         .location = "s3://b",
	                         .account_id = "123456789012",
	                         .region = "ap-south-1" };
	char buf[BUF];

	(void)state;
	parse("default", &f);
	render_ok(&o, buf);
	assert_non_null(strstr(buf,
		"  log_status string\n"
		")\n"
		"PARTITIONED BY (`date` date, `hour` string)\n"
		"ROW FORMAT DELIMITED\n"
		"FIELDS TERMINATED BY ' '\n"
		"LOCATION 's3://b/AWSLogs/123456789012/vpcflowlogs/ap-south-1/'\n"
		"TBLPROPERTIES (\"skip.header.line.count\"=\"1\");\n"
		"\n"
		"ALTER TABLE vpc_flow_logs\n"
		"ADD PARTITION (`date`='YYYY-MM-dd', `hour`='HH')\n"
		"LOCATION 's3://b/AWSLogs/123456789012/vpcflowlogs/ap-south-1/YYYY/MM/dd/HH';\n"));
}

static void test_custom_order_kept(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f };
	char buf[BUF];

	(void)state;
	parse("${end} ${srcaddr} ${log-status} ${start} ${tcp-flags} "
	      "${pkt-src-aws-service} ${version}", &f);
	render_ok(&o, buf);
	assert_non_null(strstr(buf,
		"CREATE EXTERNAL TABLE IF NOT EXISTS `vpc_flow_logs` (\n"
		"  `end` bigint,\n"
		"  srcaddr string,\n"
		"  log_status string,\n"
		"  start bigint,\n"
		"  tcp_flags int,\n"
		"  pkt_src_aws_service string,\n"
		"  version int\n"
		")\n"
		"PARTITIONED BY (`date` date)\n"));
}

/* The column lines of buf: from the line after the first "(\n" to the
 * line ")". Returns how many, each checked for shape; names[] gets them. */
static int columns(const char *buf, char names[][64], int max)
{
	const char *p = strstr(buf, "(\n");
	int n = 0;

	assert_non_null(p);
	p += 2;
	while (strncmp(p, ")\n", 2) != 0) {
		const char *eol = strchr(p, '\n');
		const char *sp;
		size_t len;

		assert_non_null(eol);
		assert_true(n < max);
		assert_memory_equal(p, "  ", 2);
		p += 2;
		sp = memchr(p, ' ', (size_t)(eol - p));
		assert_non_null(sp);
		len = (size_t)(sp - p);
		assert_true(len > 0 && len < 64);
		memcpy(names[n], p, len);
		names[n][len] = '\0';
		n++;
		p = eol + 1;
	}
	return n;
}

static void test_all_preset(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f };
	static char names[FORMAT_MAX_FIELDS][64];
	char buf[BUF];
	int i, n, ends = 0;

	(void)state;
	parse("all", &f);
	assert_int_equal(f.n, 54);
	render_ok(&o, buf);
	n = columns(buf, names, FORMAT_MAX_FIELDS);
	assert_int_equal(n, 54);
	for (i = 0; i < n; i++) {
		const struct field_info *fi =
			field_info((enum field_id)f.ids[i]);

		/* Spec 12.4: a hyphen is an Athena syntax error. */
		assert_null(strchr(names[i], '-'));
		if (strcmp(names[i], "`end`") == 0) {
			ends++;
			assert_string_equal(fi->athena_name, "end");
		} else {
			assert_string_equal(names[i], fi->athena_name);
		}
	}
	assert_int_equal(ends, 1);
	assert_non_null(strstr(buf, "\n  `end` bigint,\n"));
	assert_non_null(strstr(buf, "\n  next_hop_interface_type string\n)\n"));
	/* Under every layout. */
	o.hive = true;
	render_ok(&o, buf);
	assert_int_equal(columns(buf, names, FORMAT_MAX_FIELDS), 54);
	o.hive = false;
	o.projection = true;
	render_ok(&o, buf);
	assert_int_equal(columns(buf, names, FORMAT_MAX_FIELDS), 54);
	for (i = 0; i < 54; i++)
		assert_null(strchr(names[i], '-'));
}

static void test_reserved_table_name(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f, .table = "table" };
	char buf[BUF];

	(void)state;
	parse("default", &f);
	render_ok(&o, buf);
	assert_non_null(strstr(buf, "ALTER TABLE `table`\n"));
	o.projection = true;
	render_ok(&o, buf);
	assert_non_null(strstr(buf,
		"CREATE EXTERNAL TABLE IF NOT EXISTS `table` (\n"));
	o.projection = false;
	o.hive = true;
	render_ok(&o, buf);
	assert_non_null(strstr(buf, "MSCK REPAIR TABLE `table`;\n"));
}

static void test_errors(void **state)
{
	struct log_format f, empty;
	struct ddl_options o = { .format = &f };
	char buf[64];

	(void)state;
	parse("default", &f);
	memset(&empty, 0, sizeof(empty));

	o.hive = true;
	o.projection = true;
	render_fails(&o, "projection");
	o.hive = o.projection = false;

	o.location = "http://bucket/prefix/";
	render_fails(&o, "s3://");
	o.location = "S3://bucket/";
	render_fails(&o, "s3://");
	o.location = "s3://";
	render_fails(&o, "name a bucket");
	o.location = "s3:///prefix/";
	render_fails(&o, "name a bucket");
	o.location = "";
	render_fails(&o, "s3://");
	o.location = "s3://bucket/it's/";
	render_fails(&o, "byte 15");
	o.location = "s3://bucket/a b/";
	render_fails(&o, "blank");
	o.location = NULL;

	o.table = "";
	render_fails(&o, "table name");
	o.table = "vpc-flow-logs";
	render_fails(&o, "table name");
	o.table = "x`; DROP TABLE y";
	render_fails(&o, "table name");
	o.table = NULL;

	o.account_id = "12345678901";
	render_fails(&o, "12 digits");
	o.account_id = "12345678901a";
	render_fails(&o, "12 digits");
	o.account_id = NULL;
	o.region = "us-east-1/../x";
	render_fails(&o, "region");
	o.region = "";
	render_fails(&o, "region");
	o.region = NULL;

	o.format = &empty;
	render_fails(&o, "empty format");
	o.format = NULL;
	render_fails(&o, "empty format");

	/* No error buffer: still 0, nothing written but the NUL. */
	o.format = &f;
	o.hive = o.projection = true;
	buf[0] = 'x';
	assert_int_equal(ddl_render(&o, buf, sizeof(buf), NULL, 0), 0);
	assert_int_equal(buf[0], '\0');
	assert_int_equal(ddl_render(NULL, buf, sizeof(buf), NULL, 0), 0);
}

/* Every capacity from 0 to the full size: fails with nothing past
 * buf[cap - 1] touched, until cap holds the text and its NUL. */
static void sweep(const struct ddl_options *o)
{
	static char full[BUF], buf[BUF + 16];
	char err[128];
	size_t len = render_ok(o, full);
	size_t cap;

	for (cap = 0; cap <= len + 1; cap++) {
		size_t n;

		memset(buf, 0x5a, sizeof(buf));
		err[0] = '\0';
		n = ddl_render(o, buf, cap, err, sizeof(err));
		if (cap <= len) {
			assert_int_equal(n, 0);
			assert_non_null(strstr(err, "buffer too small"));
			if (cap > 0)
				assert_int_equal(buf[0], '\0');
		} else {
			assert_int_equal(n, len);
			assert_memory_equal(buf, full, len + 1);
		}
		for (n = cap; n < sizeof(buf); n++)
			if (buf[n] != 0x5a)
				fail_msg("cap %zu: byte %zu written", cap, n);
	}
	/* The size needed is in the message. */
	snprintf(full, sizeof(full), "needs %zu bytes", len + 1);
	ddl_render(o, buf, 1, err, sizeof(err));
	assert_non_null(strstr(err, full));
}

static void test_every_cap(void **state)
{
	struct log_format f;
	struct ddl_options o = { .format = &f };

	(void)state;
	format_v2_to_v5(&f, -1);
	sweep(&o);
	o.per_hour = true;
	sweep(&o);
	o.hive = true;
	sweep(&o);
	o.hive = false;
	o.projection = true;
	sweep(&o);
	o.per_hour = false;
	sweep(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_12_1_exact),
		cmocka_unit_test(test_default_preset_exact),
		cmocka_unit_test(test_spec_12_3_exact),
		cmocka_unit_test(test_projection_keeps_region_position),
		cmocka_unit_test(test_projection_region_account_hour),
		cmocka_unit_test(test_hive_per_hour_exact),
		cmocka_unit_test(test_hive_daily),
		cmocka_unit_test(test_plain_per_hour),
		cmocka_unit_test(test_custom_order_kept),
		cmocka_unit_test(test_all_preset),
		cmocka_unit_test(test_reserved_table_name),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_every_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
