/* test_routes.c - route selection and traffic-path on the describe-*
 * fixtures of tests/data/topology (spec 6.2, PRODUCT.md section 3). */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture/vpc/routes.h"
#include "capture/vpc/services.h"
#include "capture/vpc/topology.h"

#define DATA SOURCE_ROOT "/tests/data/topology/"

static const char *const fixtures[] = {
	"vpcs.json", "subnets.json", "route-tables.json", "prefix-lists.json", "peering.json",
};

struct world {
	struct topology topo;
	struct route_tables rts;
};

static int setup(void **state)
{
	struct world *w = test_calloc(1, sizeof(*w));
	char err[256];
	size_t unresolved;

	for (size_t i = 0; i < sizeof(fixtures) / sizeof(*fixtures); i++) {
		char path[512];
		snprintf(path, sizeof(path), DATA "%s", fixtures[i]);
		if (topology_load(&w->topo, path, err, sizeof(err)) != 0) {
			print_error("%s\n", err);
			return -1;
		}
	}
	if (routes_build(&w->rts, &w->topo, NULL, &unresolved, err, sizeof(err)) != 0)
		return -1;
	*state = w;
	return unresolved == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	struct world *w = *state;
	routes_free(&w->rts);
	topology_free(&w->topo);
	test_free(w);
	return 0;
}

static uint8_t path_to(const struct world *w, const char *subnet, const char *dst, bool nitro,
		       const char **target)
{
	struct ip_addr a;
	struct ip_prefix m;
	const struct vpc_route_table *rt =
		routes_for_subnet(&w->rts, subnet, "vpc-0e1d2c3b4a5968778");
	assert_non_null(rt);
	assert_true(ip_addr_parse(dst, &a));
	const struct topo_route *r = routes_lookup(rt, &a, &m);
	*target = r ? r->target : NULL;
	return routes_traffic_path(&w->topo, r, nitro, "us-east-1");
}

static void test_subnet_table(void **state)
{
	const struct world *w = *state;
	const char *sn = "subnet-0a9b8c7d6e5f40312", *t;

	assert_int_equal(path_to(w, sn, "10.0.9.9", true, &t), 1);         /* local */
	assert_string_equal(t, "local");
	assert_int_equal(path_to(w, sn, "10.200.1.1", true, &t), 1);       /* tgw */
	assert_string_equal(t, "tgw-0123456789abcdef0");
	/* A blackhole route (its instance is gone) carries nothing: "-". */
	assert_int_equal(path_to(w, sn, "192.168.50.9", true, &t), 0);
	assert_string_equal(t, "eni-0beefcafe12345678");
	assert_int_equal(path_to(w, sn, "8.8.8.8", true, &t), 8);          /* igw, Nitro */
	assert_int_equal(path_to(w, sn, "8.8.8.8", false, &t), 2);         /* igw, Xen */
	/* 52.216.0.0/15 from the S3 prefix list beats 0.0.0.0/0. */
	assert_int_equal(path_to(w, sn, "52.217.3.4", true, &t), 7);
	assert_string_equal(t, "vpce-0f1e2d3c4b5a69788");
	assert_int_equal(path_to(w, sn, "52.217.3.4", false, &t), 2);
	/* The peer VPC is in us-west-2, we are in us-east-1. */
	assert_int_equal(path_to(w, sn, "10.20.3.3", true, &t), 5);
	assert_int_equal(path_to(w, sn, "2600:1f18:4a3:6f01::9", true, &t), 1);
	assert_int_equal(path_to(w, sn, "2001:db8::1", true, &t), 8);      /* eigw */
	assert_string_equal(t, "eigw-0a9b8c7d6e5f40312");
}

static void test_main_table(void **state)
{
	const struct world *w = *state;
	const char *t;

	/* A subnet without its own association uses the VPC's main table. */
	assert_int_equal(path_to(w, "subnet-0fffffffffffffff0", "8.8.8.8", true, &t), 1);
	assert_string_equal(t, "nat-05a1b2c3d4e5f6789");
	assert_int_equal(path_to(w, NULL, "10.0.1.1", true, &t), 1);
	assert_null(routes_for_subnet(&w->rts, "subnet-x", "vpc-other"));
}

static void test_prefix_list_from_ip_ranges(void **state)
{
	struct topology topo = {0};
	struct route_tables rts;
	struct services svc;
	char err[256], path[] = "/tmp/vfe-rtb-XXXXXX";
	size_t unresolved;
	(void)state;
	if (services_load(&svc, SOURCE_ROOT "/pcaps/ip-ranges.json", err,
			  sizeof(err)) != 0) {
		print_message("skipped: %s\n", err);
		skip();
	}
	/* A prefix list named for S3 without Cidrs: resolved from ip-ranges.json. A
	 * static route of the same length wins over a prefix-list route. */
	static const char json[] =
		"{\"PrefixLists\": [{\"PrefixListId\": \"pl-1\", \"PrefixListName\": "
		"\"com.amazonaws.us-east-1.s3\"}],\n"
		" \"RouteTables\": [{\"RouteTableId\": \"rtb-1\", \"VpcId\": \"vpc-1\", "
		"\"Associations\": [{\"Main\": true}], \"Routes\": ["
		"{\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\"},"
		"{\"DestinationCidrBlock\": \"0.0.0.0/0\", \"GatewayId\": \"igw-1\"},"
		"{\"DestinationPrefixListId\": \"pl-1\", \"GatewayId\": \"vpce-1\"},"
		"{\"DestinationPrefixListId\": \"pl-unknown\", \"GatewayId\": \"vpce-2\"}]}]}";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *f = fdopen(fd, "w");
	fputs(json, f);
	fclose(f);
	assert_int_equal(topology_load(&topo, path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(routes_build(&rts, &topo, &svc, &unresolved, err, sizeof(err)), 0);
	assert_int_equal(unresolved, 1);
	const struct vpc_route_table *rt = routes_for_subnet(&rts, "subnet-9", "vpc-1");
	struct ip_addr s3, web;
	assert_true(ip_addr_parse("52.216.8.1", &s3));
	assert_true(ip_addr_parse("198.51.100.7", &web));
	assert_int_equal(routes_lookup(rt, &s3, NULL)->kind, RT_VPCE);
	assert_int_equal(routes_lookup(rt, &web, NULL)->kind, RT_IGW);
	routes_free(&rts);
	topology_free(&topo);
	services_free(&svc);
}

static void test_public(void **state)
{
	static const struct { const char *a; bool pub; } cases[] = {
		{"8.8.8.8", true}, {"203.0.113.80", true}, {"10.1.2.3", false},
		{"172.16.0.1", false}, {"172.32.0.1", true}, {"192.168.1.1", false},
		{"100.64.0.1", false}, {"169.254.169.254", false}, {"127.0.0.1", false},
		{"224.0.0.1", false}, {"255.255.255.255", false}, {"2001:db8::1", true},
		{"2600:1f18::1", true}, {"fd00:ec2::254", false}, {"fe80::1", false}, {"::1", false},
		/* Either side of every private block's edges. */
		{"0.1.2.3", false}, {"9.255.255.255", true}, {"11.0.0.0", true},
		{"100.63.255.255", true}, {"100.127.255.255", false}, {"100.128.0.0", true},
		{"126.255.255.255", true}, {"128.0.0.0", true}, {"169.253.255.255", true},
		{"169.255.0.0", true}, {"172.15.255.255", true}, {"172.31.255.255", false},
		{"192.0.0.7", false}, {"192.0.1.0", true}, {"192.167.255.255", true},
		{"192.169.0.0", true}, {"198.17.255.255", true}, {"198.19.255.255", false},
		{"198.20.0.0", true}, {"223.255.255.255", true}, {"240.0.0.1", false},
	};
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct ip_addr a;
		assert_true(ip_addr_parse(cases[i].a, &a));
		if (addr_is_public(&a) != cases[i].pub)
			fail_msg("%s should be %s", cases[i].a, cases[i].pub ? "public" : "private");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subnet_table),
		cmocka_unit_test(test_main_table),
		cmocka_unit_test(test_prefix_list_from_ip_ranges),
		cmocka_unit_test(test_public),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
