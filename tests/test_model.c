/* test_model.c - the VPC model: ENIs and their metadata from describe-*
 * output, regions from AZ names, intervals, and never-logged traffic. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "capture/vpc/model.h"

#define DATA SOURCE_ROOT "/tests/data/topology/"

static void test_region_of_az(void **state)
{
	char r[32];
	(void)state;
	assert_true(region_of_az("us-east-1a", r, sizeof(r)));
	assert_string_equal(r, "us-east-1");
	assert_true(region_of_az("ap-southeast-2c", r, sizeof(r)));
	assert_string_equal(r, "ap-southeast-2");
	assert_true(region_of_az("us-gov-west-1b", r, sizeof(r)));
	assert_string_equal(r, "us-gov-west-1");
	assert_true(region_of_az("us-west-2-lax-1a", r, sizeof(r)));
	assert_string_equal(r, "us-west-2");
	assert_false(region_of_az("nowhere", r, sizeof(r)));
	assert_false(region_of_az(NULL, r, sizeof(r)));
	assert_false(region_of_az("us-east-1a", r, 4));
}

static void test_build_from_fixtures(void **state)
{
	static const char *const files[] = {
		DATA "eni.json", DATA "instances.json", DATA "vpcs.json", DATA "subnets.json",
		DATA "route-tables.json", DATA "flow-logs.json",
	};
	struct model_options o = {files, 6, NULL, 0, NULL, 0};
	struct vpc_model m;
	struct eni_table enis;
	char err[256];
	(void)state;
	assert_int_equal(eni_table_init(&enis, 600), 0);
	if (model_build(&m, &enis, &o, err, sizeof(err)) != 0)
		fail_msg("%s", err);
	/* eni.json's two ENIs; instances.json repeats the first. */
	assert_int_equal(enis.n, 2);
	const struct eni *e = enis.v[0];
	assert_string_equal(e->meta.interface_id, "eni-0f1e2d3c4b5a69788");
	assert_string_equal(e->meta.instance_id, "i-0a1b2c3d4e5f67890");
	assert_string_equal(e->meta.region, "us-east-1");
	assert_string_equal(e->meta.az_id, "use1-az4");
	assert_string_equal(e->meta.subnet_id, "subnet-0a9b8c7d6e5f40312");
	assert_string_equal(e->instance_type, "t3.micro");
	assert_true(e->nitro);
	assert_int_equal(e->interval, 60);         /* Nitro: 60 whatever the flow log says */
	assert_int_equal(enis.interval_of[0], 60); /* what the read loop reads */
	assert_non_null(e->rt);
	struct ip_addr primary;
	assert_true(ip_addr_parse("10.0.1.25", &primary));  /* "Primary": true, listed second */
	assert_true(ip_addr_eq(&e->primary, &primary));
	/* The NAT gateway's ENI is requester-managed: instance-id "-". */
	const struct eni *nat = enis.v[1];
	assert_null(nat->meta.instance_id);
	assert_string_equal(nat->meta.interface_type, "nat_gateway");
	assert_false(nat->nitro);
	assert_int_equal(nat->interval, m.flow_log && m.flow_log->max_interval ?
					m.flow_log->max_interval : 600);
	/* The ENI's own flow log wins over its VPC's, listed first. */
	assert_non_null(m.flow_log);
	assert_string_equal(m.flow_log->id, "fl-0f9e8d7c6b5a43210");
	assert_int_equal(nat->interval, 600);
	/* A flag overrides everything. */
	assert_int_equal(model_interval(&m, 600, true), 600);
	model_free(&m);
	eni_table_free(&enis);
}

static struct pkt_meta pkt(const char *src, const char *dst, uint8_t proto, uint16_t sp,
			   uint16_t dp)
{
	struct pkt_meta p;
	memset(&p, 0, sizeof(p));
	assert_true(ip_addr_parse(src, &p.src));
	assert_true(ip_addr_parse(dst, &p.dst));
	p.proto = proto;
	p.sport = sp;
	p.dport = dp;
	return p;
}

static void test_unlogged(void **state)
{
	struct ip_prefix vpc[2];
	struct model_options o = {NULL, 0, NULL, 0, vpc, 2};
	struct vpc_model m;
	struct eni_table enis;
	char err[64];
	(void)state;
	assert_true(ip_prefix_parse("10.0.0.0/16", &vpc[0]));
	/* Router and DNS end in .65 and .66, which no fixed address does. */
	assert_true(ip_prefix_parse("172.16.0.64/26", &vpc[1]));
	eni_table_init(&enis, 600);
	assert_int_equal(model_build(&m, &enis, &o, err, sizeof(err)), 0);
	struct { struct pkt_meta p; enum unlogged u; } cases[] = {
		{pkt("10.0.1.10", "10.0.0.2", 17, 40000, 53), UNLOGGED_DNS},
		{pkt("10.0.0.2", "10.0.1.10", 17, 53, 40000), UNLOGGED_DNS},
		{pkt("10.0.1.10", "169.254.169.253", 17, 40000, 53), UNLOGGED_DNS},
		{pkt("10.0.1.10", "169.254.169.254", 6, 40000, 80), UNLOGGED_METADATA},
		{pkt("2001:db8::10", "fd00:ec2::254", 6, 40000, 80), UNLOGGED_METADATA},
		{pkt("10.0.1.10", "169.254.169.123", 17, 123, 123), UNLOGGED_TIME_SYNC},
		{pkt("2001:db8::10", "fd00:ec2::123", 17, 123, 123), UNLOGGED_TIME_SYNC},
		{pkt("0.0.0.0", "255.255.255.255", 17, 68, 67), UNLOGGED_DHCP},
		{pkt("fe80::1", "ff02::1:2", 17, 546, 547), UNLOGGED_DHCP},
		{pkt("10.0.1.10", "10.0.0.1", 1, 0, 0), UNLOGGED_ROUTER},
		{pkt("10.0.1.10", "10.0.0.3", 17, 40000, 53), UNLOGGED_NO},
		{pkt("10.0.1.10", "192.0.2.123", 17, 123, 123), UNLOGGED_NO},
		{pkt("10.0.1.10", "198.51.100.7", 17, 68, 53), UNLOGGED_NO},
		{pkt("10.0.1.10", "198.51.100.7", 6, 68, 67), UNLOGGED_NO},
		{pkt("10.0.1.10", "198.51.100.7", 17, 67, 546), UNLOGGED_NO},
		{pkt("10.0.1.10", "198.51.100.7", 17, 66, 67), UNLOGGED_NO},
		{pkt("10.0.1.10", "198.51.100.7", 17, 548, 547), UNLOGGED_NO},
		{pkt("10.0.1.10", "198.51.100.7", 17, 547, 547), UNLOGGED_DHCP},
		{pkt("172.16.0.70", "172.16.0.65", 1, 0, 0), UNLOGGED_ROUTER},
		{pkt("172.16.0.65", "172.16.0.70", 1, 0, 0), UNLOGGED_ROUTER},
		{pkt("172.16.0.70", "172.16.0.66", 17, 40000, 53), UNLOGGED_DNS},
		{pkt("10.0.1.10", "10.0.0.65", 17, 40000, 53), UNLOGGED_NO},
		{pkt("10.0.0.66", "10.0.1.65", 17, 40000, 53), UNLOGGED_NO},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++)
		if (model_unlogged(&m, &cases[i].p) != cases[i].u)
			fail_msg("case %zu: %s, want %s", i,
				 unlogged_name(model_unlogged(&m, &cases[i].p)),
				 unlogged_name(cases[i].u));
	model_free(&m);
	eni_table_free(&enis);
}

static void test_bad_topology_is_an_error(void **state)
{
	static const char *const files[] = {DATA "no-such-file.json"};
	struct model_options o = {files, 1, NULL, 0, NULL, 0};
	struct vpc_model m;
	struct eni_table enis;
	char err[256];
	(void)state;
	eni_table_init(&enis, 600);
	assert_int_equal(model_build(&m, &enis, &o, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "no-such-file.json: No such file or directory"));
	model_free(&m);
	eni_table_free(&enis);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_region_of_az),
		cmocka_unit_test(test_build_from_fixtures),
		cmocka_unit_test(test_unlogged),
		cmocka_unit_test(test_bad_topology_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
