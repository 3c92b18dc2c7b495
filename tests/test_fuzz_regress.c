/* test_fuzz_regress.c - every input the fuzz targets (fuzz/) found, fed
 * again to the API that failed on it. Each test is named after what it
 * found; the inputs that are files are in tests/data/fuzz/. Most of these
 * fail only under ASan/UBSan (-Db_sanitize=address,undefined), which is how
 * CI runs the suite. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "capture/flow/table.h"
#include "capture/vpc/eni.h"
#include "capture/vpc/model.h"
#include "capture/vpc/routes.h"
#include "capture/vpc/topology.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif
#define FUZZ_DATA SOURCE_ROOT "/tests/data/fuzz/"

/* fuzz_pcap, first packet of any capture: window_get() formed
 * t->win + t->last_win while t->win was still NULL (UBSan: "applying zero
 * offset to null pointer", capture/flow/table.c). */
static void test_table_first_window_null_offset(void **state)
{
	struct flow_table t;
	struct flow_key k;
	uint8_t a[4] = {10, 0, 1, 10}, b[4] = {192, 0, 2, 123};

	(void)state;
	assert_int_equal(flow_table_init(&t, 8, 1), 0);
	memset(&k, 0, sizeof(k));
	ip_addr_from_v4(&k.src, a);
	ip_addr_from_v4(&k.dst, b);
	k.proto = 17;
	k.wstart = 1768471200;
	assert_non_null(flow_table_get(&t, &k, 60, 0));
	assert_int_equal(t.nwin, 1);
	flow_table_free(&t);
}

/* Loads a topology file from tests/data/fuzz/ and builds its routes. */
static void load_routes(const char *name, struct topology *t, struct route_tables *rts)
{
	char err[512];
	size_t unresolved = 0;

	memset(t, 0, sizeof(*t));
	memset(rts, 0, sizeof(*rts));
	assert_int_equal(topology_load(t, name, err, sizeof(err)), 0);
	assert_int_equal(routes_build(rts, t, NULL, &unresolved, err, sizeof(err)), 0);
}

/* fuzz_topology: a PrefixLists[] entry without PrefixListId, and a route
 * naming a prefix list: add_prefix_list() did strcmp(NULL, id)
 * (capture/vpc/routes.c). The route stays unresolved. */
static void test_topology_prefix_list_without_id(void **state)
{
	struct topology t;
	struct route_tables rts;
	char err[512];
	size_t unresolved = 0;

	(void)state;
	memset(&t, 0, sizeof(t));
	memset(&rts, 0, sizeof(rts));
	assert_int_equal(topology_load(&t, FUZZ_DATA "topology-prefix-list-without-id.json",
				       err, sizeof(err)), 0);
	assert_int_equal(t.nprefix_lists, 1);
	assert_null(t.prefix_lists[0].id);
	assert_int_equal(routes_build(&rts, &t, NULL, &unresolved, err, sizeof(err)), 0);
	assert_int_equal(unresolved, 1);
	routes_free(&rts);
	topology_free(&t);
}

/* fuzz_topology: a VpcPeeringConnections[] entry without its id, and a
 * pcx route: routes_traffic_path() -> peer_in_other_region() did
 * strcmp(NULL, pcx) (capture/vpc/routes.c). An unknown peering is
 * same-region: traffic-path 4. */
static void test_topology_peering_without_id(void **state)
{
	struct topology t;
	struct route_tables rts;

	(void)state;
	load_routes(FUZZ_DATA "topology-peering-without-id.json", &t, &rts);
	assert_int_equal(t.npeerings, 1);
	assert_null(t.peerings[0].id);
	assert_int_equal(t.nroute_tables, 1);
	assert_int_equal(t.route_tables[0].nroutes, 1);
	assert_int_equal(routes_traffic_path(&t, t.route_tables[0].routes, false, "us-east-1"), 4);
	routes_free(&rts);
	topology_free(&t);
}

/* fuzz_topology: a Subnets[] entry without SubnetId, and an ENI naming a
 * subnet: model_build() -> find_subnet() did strcmp(NULL, id)
 * (capture/vpc/model.c). */
static void test_topology_subnet_without_id(void **state)
{
	const char *files[1] = {FUZZ_DATA "topology-subnet-without-id.json"};
	struct model_options o = {.topology_files = files, .ntopology_files = 1};
	struct vpc_model m;
	struct eni_table enis;
	char err[512];

	(void)state;
	memset(&m, 0, sizeof(m));
	assert_int_equal(eni_table_init(&enis, 600), 0);
	assert_int_equal(model_build(&m, &enis, &o, err, sizeof(err)), 0);
	assert_int_equal(enis.n, 1);
	model_free(&m);
	eni_table_free(&enis);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_first_window_null_offset),
		cmocka_unit_test(test_topology_prefix_list_without_id),
		cmocka_unit_test(test_topology_peering_without_id),
		cmocka_unit_test(test_topology_subnet_without_id),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
