/* test_fields.c - formats/fields.c against spec/vpc-flow-logs.md 2.9
 * (tokens, order, versions) and 12.1 (Athena DDL types). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "formats/fields.h"

/* Spec 2.9, copied line by line. */
static const char spec_order[] =
	"version account-id interface-id srcaddr dstaddr srcport dstport "
	"protocol packets bytes start end action log-status "
	"vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr "
	"region az-id sublocation-type sublocation-id "
	"pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path "
	"ecs-cluster-arn ecs-cluster-name ecs-container-instance-arn "
	"ecs-container-instance-id ecs-container-id ecs-second-container-id "
	"ecs-service-name ecs-task-definition-arn ecs-task-arn ecs-task-id "
	"reject-reason "
	"resource-id "
	"encryption-status "
	"instance-tag instance-tag-2 interface-tag interface-tag-2 asg-tag "
	"asg-tag-2 interface-type next-hop-interface-id next-hop-subnet-id "
	"next-hop-az-id next-hop-vpc-id next-hop-interface-type";

/* Spec 12.1, the AWS text-table DDL: column and type. */
static const char *const ddl[29][2] = {
	{ "version", "int" }, { "account_id", "string" },
	{ "interface_id", "string" }, { "srcaddr", "string" },
	{ "dstaddr", "string" }, { "srcport", "int" }, { "dstport", "int" },
	{ "protocol", "bigint" }, { "packets", "bigint" },
	{ "bytes", "bigint" }, { "start", "bigint" }, { "end", "bigint" },
	{ "action", "string" }, { "log_status", "string" },
	{ "vpc_id", "string" }, { "subnet_id", "string" },
	{ "instance_id", "string" }, { "tcp_flags", "int" },
	{ "type", "string" }, { "pkt_srcaddr", "string" },
	{ "pkt_dstaddr", "string" }, { "region", "string" },
	{ "az_id", "string" }, { "sublocation_type", "string" },
	{ "sublocation_id", "string" }, { "pkt_src_aws_service", "string" },
	{ "pkt_dst_aws_service", "string" }, { "flow_direction", "string" },
	{ "traffic_path", "int" },
};

static void test_count_and_order(void **state)
{
	const char *p = spec_order;
	int i = 0;

	(void)state;
	assert_int_equal(FLD_COUNT, 54);
	while (*p != '\0') {
		size_t len = strcspn(p, " ");
		const struct field_info *fi = field_info((enum field_id)i);

		assert_non_null(fi);
		assert_int_equal(strlen(fi->token), len);
		assert_memory_equal(fi->token, p, len);
		p += len;
		if (*p == ' ')
			p++;
		i++;
	}
	assert_int_equal(i, FLD_COUNT);
	assert_null(field_info(FLD_COUNT));
	assert_null(field_info((enum field_id)-1));
}

static void test_enum_positions(void **state)
{
	(void)state;
	assert_int_equal(FLD_LOG_STATUS, 13);
	assert_int_equal(FIELD_DEFAULT_COUNT, 14);
	assert_int_equal(FLD_PKT_DSTADDR, 20);
	assert_int_equal(FLD_SUBLOCATION_ID, 24);
	assert_int_equal(FLD_TRAFFIC_PATH, 28);
	assert_int_equal(FLD_ECS_TASK_ID, 38);
	assert_int_equal(FLD_REJECT_REASON, 39);
	assert_int_equal(FLD_RESOURCE_ID, 40);
	assert_int_equal(FLD_ENCRYPTION_STATUS, 41);
	assert_int_equal(FLD_NEXT_HOP_INTERFACE_TYPE, 53);
	assert_string_equal(field_info(FLD_ECS_SECOND_CONTAINER_ID)->token,
			    "ecs-second-container-id");
	assert_string_equal(field_info(FLD_ASG_TAG_2)->token, "asg-tag-2");
}

/* Spec 2.9: v2 14, <=v3 21, <=v4 25, <=v5 29, <=v7 39, <=v8 40, <=v9 41,
 * <=v10 42, <=v11 54; versions never go down along the list. */
static void test_versions(void **state)
{
	static const struct { uint8_t v; int n; } cum[] = {
		{ 2, 14 }, { 3, 21 }, { 4, 25 }, { 5, 29 }, { 6, 29 },
		{ 7, 39 }, { 8, 40 }, { 9, 41 }, { 10, 42 }, { 11, 54 },
	};
	size_t k;
	int i, n;

	(void)state;
	for (k = 0; k < sizeof(cum) / sizeof(cum[0]); k++) {
		for (n = 0, i = 0; i < FLD_COUNT; i++)
			if (field_info((enum field_id)i)->version <= cum[k].v)
				n++;
		assert_int_equal(n, cum[k].n);
	}
	for (i = 1; i < FLD_COUNT; i++)
		assert_true(field_info((enum field_id)(i - 1))->version <=
			    field_info((enum field_id)i)->version);
	assert_int_equal(field_info(FLD_REJECT_REASON)->version, 8);
	assert_int_equal(field_info(FLD_RESOURCE_ID)->version, 9);
	assert_int_equal(field_info(FLD_ENCRYPTION_STATUS)->version, 10);
}

static void test_athena_names(void **state)
{
	char want[64];
	size_t j;
	int i;

	(void)state;
	for (i = 0; i < FLD_COUNT; i++) {
		const struct field_info *fi = field_info((enum field_id)i);

		assert_true(strlen(fi->token) < sizeof(want));
		strcpy(want, fi->token);
		for (j = 0; want[j] != '\0'; j++)
			if (want[j] == '-')
				want[j] = '_';
		assert_string_equal(fi->athena_name, want);
		assert_null(strchr(fi->athena_name, '-'));
	}
}

static void test_ddl_types(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < 29; i++) {
		const struct field_info *fi = field_info((enum field_id)i);

		assert_string_equal(fi->athena_name, ddl[i][0]);
		assert_string_equal(fi->athena_type, ddl[i][1]);
	}
	assert_string_equal(field_info(FLD_ENCRYPTION_STATUS)->athena_type,
			    "int");
	for (i = 29; i < FLD_COUNT; i++)
		if (i != FLD_ENCRYPTION_STATUS)
			assert_string_equal(
				field_info((enum field_id)i)->athena_type,
				"string");
}

static void test_parquet_types(void **state)
{
	static const enum field_id i32[] = {
		FLD_VERSION, FLD_SRCPORT, FLD_DSTPORT, FLD_PROTOCOL,
		FLD_TCP_FLAGS, FLD_TRAFFIC_PATH, FLD_ENCRYPTION_STATUS,
	};
	static const enum field_id i64[] = {
		FLD_PACKETS, FLD_BYTES, FLD_START, FLD_END,
	};
	size_t k;
	int i, n_str = 0;

	(void)state;
	for (k = 0; k < sizeof(i32) / sizeof(i32[0]); k++)
		assert_int_equal(field_info(i32[k])->type, FT_INT32);
	for (k = 0; k < sizeof(i64) / sizeof(i64[0]); k++)
		assert_int_equal(field_info(i64[k])->type, FT_INT64);
	for (i = 0; i < FLD_COUNT; i++)
		if (field_info((enum field_id)i)->type == FT_STRING)
			n_str++;
	assert_int_equal(n_str, FLD_COUNT - 7 - 4);
	assert_int_equal(field_info(FLD_ACCOUNT_ID)->type, FT_STRING);
}

static void test_lookup(void **state)
{
	int i;

	(void)state;
	for (i = 0; i < FLD_COUNT; i++) {
		const char *t = field_info((enum field_id)i)->token;

		assert_int_equal(field_lookup(t, strlen(t)), i);
	}
	/* Only the first len bytes count. */
	assert_int_equal(field_lookup("srcaddr}", 7), FLD_SRCADDR);
	assert_int_equal(field_lookup("log-status ${x}", 10), FLD_LOG_STATUS);
	assert_int_equal(field_lookup("version", 3), -1);
	assert_int_equal(field_lookup("instance-tag-2", 12), FLD_INSTANCE_TAG);
	assert_int_equal(field_lookup("", 0), -1);
	assert_int_equal(field_lookup("Version", 7), -1);
	assert_int_equal(field_lookup("log_status", 10), -1);
	assert_int_equal(field_lookup("tgw-id", 6), -1);
	assert_int_equal(field_lookup("instance-tag-3", 14), -1);
	assert_int_equal(field_lookup(NULL, 0), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_and_order),
		cmocka_unit_test(test_enum_positions),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_athena_names),
		cmocka_unit_test(test_ddl_types),
		cmocka_unit_test(test_parquet_types),
		cmocka_unit_test(test_lookup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
