/* test_format.c - formats/format.c: presets, custom "${token}" strings,
 * error messages, and the ${version} rule of spec/vpc-flow-logs.md 3.2. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "formats/format.h"

static void parse_ok(const char *s, struct log_format *f)
{
	char err[128] = "";

	assert_int_equal(format_parse(s, f, err, sizeof(err)), 0);
	assert_string_equal(err, "");
}

static void parse_err(const char *s, const char *want)
{
	struct log_format f;
	char err[128] = "";

	memset(&f, 0xa5, sizeof(f));
	assert_int_equal(format_parse(s, &f, err, sizeof(err)), -1);
	assert_string_equal(err, want);
	/* The output is untouched on error. */
	assert_int_equal(f.n, 0xa5);
	assert_int_equal(f.version, 0xa5);
}

static void test_preset_default(void **state)
{
	struct log_format f;
	int i;

	(void)state;
	parse_ok("default", &f);
	assert_int_equal(f.n, 14);
	assert_int_equal(f.version, 2);
	for (i = 0; i < 14; i++)
		assert_int_equal(f.ids[i], i);
}

static void test_preset_v5(void **state)
{
	struct log_format f;
	int i;

	(void)state;
	parse_ok("v5", &f);
	assert_int_equal(f.n, 18);
	assert_int_equal(f.version, 5);
	for (i = 0; i < 14; i++)
		assert_int_equal(f.ids[i], i);
	assert_int_equal(f.ids[14], FLD_PKT_SRC_AWS_SERVICE);
	assert_int_equal(f.ids[15], FLD_PKT_DST_AWS_SERVICE);
	assert_int_equal(f.ids[16], FLD_FLOW_DIRECTION);
	assert_int_equal(f.ids[17], FLD_TRAFFIC_PATH);
}

static void test_preset_all(void **state)
{
	struct log_format f;
	int i;

	(void)state;
	parse_ok("all", &f);
	assert_int_equal(f.n, 54);
	assert_int_equal(f.version, 11);
	for (i = 0; i < 54; i++)
		assert_int_equal(f.ids[i], i);
}

/* The PRODUCT.md spelling of v5 is the same as the preset. */
static void test_custom_equals_presets(void **state)
{
	struct log_format a, b;
	char all[2048] = "";
	int i;

	(void)state;
	parse_ok("${version} ${account-id} ${interface-id} ${srcaddr} "
		 "${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} "
		 "${bytes} ${start} ${end} ${action} ${log-status} "
		 "${pkt-src-aws-service} ${pkt-dst-aws-service} "
		 "${flow-direction} ${traffic-path}", &a);
	parse_ok("v5", &b);
	assert_memory_equal(&a, &b, sizeof(a));
	parse_ok("${version} ${account-id} ${interface-id} ${srcaddr} "
		 "${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} "
		 "${bytes} ${start} ${end} ${action} ${log-status}", &a);
	parse_ok("default", &b);
	assert_memory_equal(&a, &b, sizeof(a));
	for (i = 0; i < FLD_COUNT; i++) {
		strcat(all, "${");
		strcat(all, field_info((enum field_id)i)->token);
		strcat(all, "} ");
	}
	parse_ok(all, &a);
	parse_ok("all", &b);
	assert_memory_equal(&a, &b, sizeof(a));
}

static void test_version_rule(void **state)
{
	struct log_format f;

	(void)state;
	parse_ok("${srcaddr} ${dstaddr}", &f);
	assert_int_equal(f.version, 2);
	parse_ok("${version} ${vpc-id}", &f);
	assert_int_equal(f.version, 3);
	/* Spec 3.2: fields from 2, 3 and 4 give 4. */
	parse_ok("${vpc-id} ${region} ${srcaddr}", &f);
	assert_int_equal(f.version, 4);
	parse_ok("${version} ${reject-reason} ${srcaddr}", &f);
	assert_int_equal(f.version, 8);
	parse_ok("${ecs-task-id}", &f);
	assert_int_equal(f.version, 7);
	parse_ok("${resource-id}", &f);
	assert_int_equal(f.version, 9);
	parse_ok("${encryption-status}", &f);
	assert_int_equal(f.version, 10);
	parse_ok("${next-hop-vpc-id} ${version}", &f);
	assert_int_equal(f.version, 11);
	assert_int_equal(f.ids[0], FLD_NEXT_HOP_VPC_ID);
	assert_int_equal(f.ids[1], FLD_VERSION);
}

/* The S3 CLI example (spec 3.2) and AWS's traffic-path example format. */
static void test_aws_examples(void **state)
{
	struct log_format f;

	(void)state;
	parse_ok("${version} ${vpc-id} ${subnet-id} ${instance-id} ${srcaddr} "
		 "${dstaddr} ${srcport} ${dstport} ${protocol} ${tcp-flags} "
		 "${type} ${pkt-srcaddr} ${pkt-dstaddr}", &f);
	assert_int_equal(f.n, 13);
	assert_int_equal(f.version, 3);
	assert_int_equal(f.ids[1], FLD_VPC_ID);
	assert_int_equal(f.ids[12], FLD_PKT_DSTADDR);
	parse_ok("${version} ${srcaddr} ${dstaddr} ${srcport} ${dstport} "
		 "${protocol} ${start} ${end} ${type} ${packets} ${bytes} "
		 "${account-id} ${vpc-id} ${subnet-id} ${instance-id} "
		 "${interface-id} ${region} ${az-id} ${sublocation-type} "
		 "${sublocation-id} ${action} ${tcp-flags} ${pkt-srcaddr} "
		 "${pkt-dstaddr} ${pkt-src-aws-service} ${pkt-dst-aws-service} "
		 "${traffic-path} ${flow-direction} ${log-status}", &f);
	assert_int_equal(f.n, 29);
	assert_int_equal(f.version, 5);
	assert_int_equal(f.ids[28], FLD_LOG_STATUS);
}

static void test_blanks(void **state)
{
	struct log_format f;

	(void)state;
	parse_ok("${srcaddr}  ${dstaddr}\t${srcport}\n${dstport}\r\n", &f);
	assert_int_equal(f.n, 4);
	assert_int_equal(f.ids[3], FLD_DSTPORT);
	parse_ok("  ${srcaddr}  ", &f);
	assert_int_equal(f.n, 1);
	assert_int_equal(f.ids[0], FLD_SRCADDR);
	/* Preset names are exact; with blanks they are not tokens. */
	parse_err(" default", "expected \"${\" at column 2");
}

static void test_errors(void **state)
{
	(void)state;
	parse_err("${version} ${foo-bar}",
		  "unknown field \"${foo-bar}\" at column 12");
	parse_err("${Version}", "unknown field \"${Version}\" at column 1");
	parse_err("${log_status}",
		  "unknown field \"${log_status}\" at column 1");
	parse_err("${}", "unknown field \"${}\" at column 1");
	parse_err("${srcaddr} ${dstaddr} ${srcaddr}",
		  "field \"srcaddr\" appears twice at column 23");
	parse_err("${srcaddr} ${dstaddr", "unterminated \"${\" at column 12");
	parse_err("${srcaddr ${dstaddr}", "unterminated \"${\" at column 1");
	parse_err("${src addr}", "unterminated \"${\" at column 1");
	parse_err("${", "unterminated \"${\" at column 1");
	parse_err("${srcaddr} , ${dstaddr}", "expected \"${\" at column 12");
	parse_err("srcaddr dstaddr", "expected \"${\" at column 1");
	parse_err("${srcaddr} $dstaddr", "expected \"${\" at column 12");
	parse_err("${srcaddr} {dstaddr}", "expected \"${\" at column 12");
	parse_err("${srcaddr}${dstaddr}",
		  "expected a blank after \"${srcaddr}\" at column 11");
	parse_err("${srcaddr},${dstaddr}",
		  "expected a blank after \"${srcaddr}\" at column 11");
	parse_err("${srcaddr}}",
		  "expected a blank after \"${srcaddr}\" at column 11");
	parse_err("", "empty format");
	parse_err(" \t\n ", "empty format");
	parse_err(NULL, "empty format");
	parse_err("Default", "expected \"${\" at column 1");
}

static void test_long_unknown_is_cut(void **state)
{
	char s[300], err[200];
	struct log_format f;

	(void)state;
	memset(s, 'x', sizeof(s));
	s[0] = '$';
	s[1] = '{';
	s[sizeof(s) - 2] = '}';
	s[sizeof(s) - 1] = '\0';
	assert_int_equal(format_parse(s, &f, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown field \"${xxxxxxxxxxxxxxxxxxxxxxxx"
			    "xxxxxxxxxxxxxxxxxxxxxxxx...}\" at column 1");
}

static void test_err_buffer(void **state)
{
	struct log_format f;
	char err[8];

	(void)state;
	/* No buffer at all, or a short one: still -1, still terminated. */
	assert_int_equal(format_parse("${nope}", &f, NULL, 0), -1);
	memset(err, 'Z', sizeof(err));
	assert_int_equal(format_parse("${nope}", &f, err, 0), -1);
	assert_int_equal(err[0], 'Z');
	assert_int_equal(format_parse("${nope}", &f, err, sizeof(err)), -1);
	assert_string_equal(err, "unknown");
}

static void test_find(void **state)
{
	struct log_format f;

	(void)state;
	parse_ok("${dstaddr} ${srcaddr} ${traffic-path}", &f);
	assert_int_equal(format_find(&f, FLD_DSTADDR), 0);
	assert_int_equal(format_find(&f, FLD_SRCADDR), 1);
	assert_int_equal(format_find(&f, FLD_TRAFFIC_PATH), 2);
	assert_int_equal(format_find(&f, FLD_VERSION), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_preset_default),
		cmocka_unit_test(test_preset_v5),
		cmocka_unit_test(test_preset_all),
		cmocka_unit_test(test_custom_equals_presets),
		cmocka_unit_test(test_version_rule),
		cmocka_unit_test(test_aws_examples),
		cmocka_unit_test(test_blanks),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_long_unknown_is_cut),
		cmocka_unit_test(test_err_buffer),
		cmocka_unit_test(test_find),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
