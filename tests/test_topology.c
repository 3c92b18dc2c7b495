/* test_topology.c - capture/vpc/topology.c, topology_items.c and jsonpos.c:
 * the AWS CLI fixtures of tests/data/topology/ loaded and merged, every
 * error with its exact position, and the position scanner on its own. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture/vpc/jsonpos.h"
#include "capture/vpc/topology.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif
#define FIXTURES SOURCE_ROOT "/tests/data/topology/"

static char tmpdir[] = "/tmp/test_topology.XXXXXX";
static char tmpfile_path[64];

static int group_setup(void **state)
{
	(void)state;
	if (mkdtemp(tmpdir) == NULL)
		return -1;
	snprintf(tmpfile_path, sizeof(tmpfile_path), "%s/t.json", tmpdir);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	unlink(tmpfile_path);
	return rmdir(tmpdir);
}

/* Writes text to the scratch file and returns its path. */
static const char *scratch(const char *text)
{
	FILE *f = fopen(tmpfile_path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, strlen(text), f), strlen(text));
	assert_int_equal(fclose(f), 0);
	return tmpfile_path;
}

static void load_ok(struct topology *t, const char *path)
{
	char err[512] = "";

	if (topology_load(t, path, err, sizeof(err)) != 0)
		fail_msg("%s", err);
}

static void load_fixture(struct topology *t, const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), FIXTURES "%s", name);
	load_ok(t, path);
}

static void assert_addr(const struct ip_addr *a, const char *want)
{
	struct ip_addr w;

	assert_true(ip_addr_parse(want, &w));
	if (!ip_addr_eq(a, &w)) {
		char buf[IP_ADDR_STRLEN];

		ip_addr_format(a, buf);
		fail_msg("address %s, want %s", buf, want);
	}
}

static void assert_prefix(const struct ip_prefix *p, const char *want)
{
	struct ip_prefix w;

	assert_true(ip_prefix_parse(want, &w));
	if (p->len != w.len || !ip_addr_eq(&p->addr, &w.addr)) {
		char buf[IP_ADDR_STRLEN];

		ip_addr_format(&p->addr, buf);
		fail_msg("prefix %s len %u, want %s", buf, p->len, want);
	}
}

/* The error of loading text, with the scratch path replaced by "t.json". */
static void assert_load_error(const char *text, const char *want)
{
	struct topology t = {0};
	char err[512], got[512];
	size_t n = strlen(tmpfile_path);

	assert_int_equal(topology_load(&t, scratch(text), err, sizeof(err)), -1);
	assert_memory_equal(err, tmpfile_path, n);
	snprintf(got, sizeof(got), "t.json%s", err + n);
	assert_string_equal(got, want);
	assert_int_equal(t.nenis, 0);
	assert_null(t.enis);
	topology_free(&t);
}

/* ---- the fixtures ------------------------------------------------------- */

static void check_enis(const struct topology *t)
{
	const struct topo_eni *e = &t->enis[0], *nat = &t->enis[1];

	assert_int_equal(t->nenis, 2);
	assert_string_equal(e->id, "eni-0f1e2d3c4b5a69788");
	assert_string_equal(e->owner, "123456789012");
	assert_string_equal(e->subnet, "subnet-0a9b8c7d6e5f40312");
	assert_string_equal(e->vpc, "vpc-0e1d2c3b4a5968778");
	assert_string_equal(e->az, "us-east-1a");
	assert_string_equal(e->instance, "i-0a1b2c3d4e5f67890");
	assert_string_equal(e->interface_type, "interface");
	assert_false(e->requester_managed);
	assert_int_equal(e->nv4, 2);
	assert_addr(&e->v4[0], "10.0.1.25");        /* Primary, listed second */
	assert_addr(&e->v4[1], "10.0.1.77");
	assert_int_equal(e->nv6, 1);
	assert_addr(&e->v6[0], "2600:1f18:4a3:6f01:8c2e:51d4:9b7a:3e10");
	assert_int_equal(e->ngroups, 2);
	assert_string_equal(e->groups[0], "sg-0c7e1d2f3a4b5c6d7");
	assert_string_equal(e->groups[1], "sg-01234abcd5678ef90");

	assert_string_equal(nat->id, "eni-0aa11bb22cc33dd44");
	assert_string_equal(nat->interface_type, "nat_gateway");
	assert_true(nat->requester_managed);
	assert_null(nat->instance);
	assert_int_equal(nat->nv4, 1);
	assert_addr(&nat->v4[0], "10.0.0.10");
	assert_int_equal(nat->nv6, 0);
	assert_null(nat->v6);
	assert_int_equal(nat->ngroups, 0);
	assert_null(nat->groups);
}

static void check_instances(const struct topology *t)
{
	const struct topo_instance *in = &t->instances[0];
	const struct topo_eni *e;

	assert_int_equal(t->ninstances, 1);
	assert_string_equal(in->id, "i-0a1b2c3d4e5f67890");
	assert_string_equal(in->type, "t3.micro");
	assert_string_equal(in->az, "us-east-1a");
	assert_string_equal(in->owner, "123456789012");
	assert_int_equal(in->nenis, 1);
	e = &in->enis[0];
	assert_string_equal(e->id, "eni-0f1e2d3c4b5a69788");
	assert_string_equal(e->owner, "123456789012");
	assert_string_equal(e->subnet, "subnet-0a9b8c7d6e5f40312");  /* inherited */
	assert_string_equal(e->vpc, "vpc-0e1d2c3b4a5968778");
	assert_string_equal(e->az, "us-east-1a");
	assert_string_equal(e->instance, "i-0a1b2c3d4e5f67890");
	assert_int_equal(e->nv4, 2);
	assert_addr(&e->v4[0], "10.0.1.25");
	assert_addr(&e->v4[1], "10.0.1.77");
	assert_int_equal(e->nv6, 1);
	assert_int_equal(e->ngroups, 1);
	assert_string_equal(e->groups[0], "sg-0c7e1d2f3a4b5c6d7");
}

static void check_vpcs_subnets(const struct topology *t)
{
	const struct topo_vpc *v = &t->vpcs[0];
	const struct topo_subnet *s = t->subnets;

	assert_int_equal(t->nvpcs, 2);
	assert_string_equal(v->id, "vpc-0e1d2c3b4a5968778");
	assert_string_equal(v->owner, "123456789012");
	/* CidrBlock once, the disassociated 10.1/16 left out, IPv6 last. */
	assert_int_equal(v->ncidrs, 3);
	assert_prefix(&v->cidrs[0], "10.0.0.0/16");
	assert_prefix(&v->cidrs[1], "100.64.0.0/20");
	assert_prefix(&v->cidrs[2], "2600:1f18:4a3:6f00::/56");
	assert_int_equal(t->vpcs[1].ncidrs, 1);
	assert_prefix(&t->vpcs[1].cidrs[0], "172.31.0.0/16");

	assert_int_equal(t->nsubnets, 3);
	assert_string_equal(s[0].id, "subnet-0a9b8c7d6e5f40312");
	assert_string_equal(s[0].vpc, "vpc-0e1d2c3b4a5968778");
	assert_string_equal(s[0].az, "us-east-1a");
	assert_string_equal(s[0].az_id, "use1-az4");
	assert_null(s[0].outpost_arn);
	assert_int_equal(s[0].ncidrs, 2);
	assert_prefix(&s[0].cidrs[0], "10.0.1.0/24");
	assert_prefix(&s[0].cidrs[1], "2600:1f18:4a3:6f01::/64");
	assert_int_equal(s[1].ncidrs, 1);
	assert_string_equal(s[2].az_id, "use1-az6");
	assert_string_equal(s[2].outpost_arn,
	                    "arn:aws:outposts:us-east-1:123456789012:outpost/op-0123456789abcdef0");
	assert_prefix(&s[2].cidrs[0], "10.0.16.0/20");
}

static void check_route(const struct topo_route *r, const char *dst,
                        const char *pl, enum route_target kind,
                        const char *target, bool blackhole)
{
	assert_int_equal(r->has_dst, dst != NULL);
	if (dst != NULL)
		assert_prefix(&r->dst, dst);
	if (pl != NULL)
		assert_string_equal(r->prefix_list, pl);
	else
		assert_null(r->prefix_list);
	assert_int_equal(r->kind, kind);
	assert_string_equal(r->target, target);
	assert_int_equal(r->blackhole, blackhole);
}

static void check_route_tables(const struct topology *t)
{
	const struct topo_route_table *m = &t->route_tables[0], *rt = &t->route_tables[1];
	const struct topo_route *r = rt->routes;

	assert_int_equal(t->nroute_tables, 2);
	assert_string_equal(m->id, "rtb-0a1b2c3d4e5f60708");
	assert_string_equal(m->vpc, "vpc-0e1d2c3b4a5968778");
	assert_true(m->main);
	assert_int_equal(m->nsubnets, 0);
	assert_int_equal(m->nroutes, 2);
	check_route(&m->routes[1], "0.0.0.0/0", NULL, RT_NAT, "nat-05a1b2c3d4e5f6789", false);

	assert_false(rt->main);
	assert_int_equal(rt->nsubnets, 2);
	assert_string_equal(rt->subnets[0], "subnet-0a9b8c7d6e5f40312");
	assert_string_equal(rt->subnets[1], "subnet-0123456789abcdef0");
	assert_int_equal(rt->nroutes, 8);
	check_route(&r[0], "10.0.0.0/16", NULL, RT_LOCAL, "local", false);
	check_route(&r[1], "10.20.0.0/16", NULL, RT_PCX, "pcx-0a1b2c3d4e5f60718", false);
	check_route(&r[2], "10.128.0.0/9", NULL, RT_TGW, "tgw-0123456789abcdef0", false);
	check_route(&r[3], "192.168.50.0/24", NULL, RT_ENI, "eni-0beefcafe12345678", true);
	check_route(&r[4], "0.0.0.0/0", NULL, RT_IGW, "igw-0c1d2e3f4a5b6c7d8", false);
	check_route(&r[5], "2600:1f18:4a3:6f00::/56", NULL, RT_LOCAL, "local", false);
	check_route(&r[6], "::/0", NULL, RT_EIGW, "eigw-0a9b8c7d6e5f40312", false);
	check_route(&r[7], NULL, "pl-63a5400a", RT_VPCE, "vpce-0f1e2d3c4b5a69788", false);
}

static void check_rest(const struct topology *t)
{
	const struct topo_prefix_list *pl = t->prefix_lists;
	const struct topo_peering *p = t->peerings;
	const struct topo_flow_log *f = t->flow_logs;

	assert_int_equal(t->nprefix_lists, 2);
	assert_string_equal(pl[0].id, "pl-63a5400a");
	assert_string_equal(pl[0].name, "com.amazonaws.us-east-1.s3");
	assert_int_equal(pl[0].ncidrs, 5);
	assert_prefix(&pl[0].cidrs[1], "52.216.0.0/15");
	assert_string_equal(pl[1].name, "com.amazonaws.us-east-1.dynamodb");
	assert_int_equal(pl[1].ncidrs, 4);

	assert_int_equal(t->npeerings, 1);
	assert_string_equal(p->id, "pcx-0a1b2c3d4e5f60718");
	assert_string_equal(p->accepter_vpc, "vpc-0bbccddeeff001122");
	assert_string_equal(p->accepter_region, "us-west-2");
	assert_string_equal(p->requester_vpc, "vpc-0e1d2c3b4a5968778");
	assert_string_equal(p->requester_region, "us-east-1");

	assert_int_equal(t->nflow_logs, 2);
	assert_string_equal(f[0].id, "fl-0a1b2c3d4e5f60718");
	assert_string_equal(f[0].resource, "vpc-0e1d2c3b4a5968778");
	assert_string_equal(f[0].traffic_type, "ALL");
	assert_int_equal(f[0].max_interval, 60);
	assert_string_equal(f[0].file_format, "parquet");
	assert_true(f[0].hive);
	assert_true(f[0].per_hour);
	assert_non_null(strstr(f[0].format, "${interface-id} ${srcaddr}"));
	assert_string_equal(f[1].traffic_type, "REJECT");
	assert_int_equal(f[1].max_interval, 600);
	assert_null(f[1].file_format);
	assert_false(f[1].hive);
	assert_false(f[1].per_hour);
}

static const char *const all_fixtures[] = {
	"eni.json", "instances.json", "vpcs.json", "subnets.json",
	"route-tables.json", "prefix-lists.json", "peering.json", "flow-logs.json",
};

static void test_load_all(void **state)
{
	struct topology t = {0};

	(void)state;
	for (size_t i = 0; i < sizeof(all_fixtures) / sizeof(all_fixtures[0]); i++)
		load_fixture(&t, all_fixtures[i]);
	check_enis(&t);
	check_instances(&t);
	check_vpcs_subnets(&t);
	check_route_tables(&t);
	check_rest(&t);
	topology_free(&t);
	assert_null(t.enis);
	assert_int_equal(t.nenis, 0);
	assert_int_equal(t.nflow_logs, 0);
}

/* The same file twice: both copies kept, in load order. */
static void test_merge_appends(void **state)
{
	struct topology t = {0};

	(void)state;
	load_fixture(&t, "eni.json");
	load_fixture(&t, "vpcs.json");
	load_fixture(&t, "eni.json");
	assert_int_equal(t.nenis, 4);
	assert_int_equal(t.nvpcs, 2);
	assert_string_equal(t.enis[2].id, t.enis[0].id);
	assert_string_equal(t.enis[3].id, "eni-0aa11bb22cc33dd44");
	assert_addr(&t.enis[2].v4[0], "10.0.1.25");
	topology_free(&t);
}

/* Several keys in one file, as a user who concatenates the outputs does. */
static void test_one_file_many_keys(void **state)
{
	struct topology t = {0};

	(void)state;
	load_ok(&t, scratch(
		"{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.9.0.0/16\"}],\n"
		" \"Subnets\": [{\"SubnetId\": \"subnet-1\", \"CidrBlock\": \"10.9.1.0/24\"}],\n"
		" \"InternetGateways\": [{\"InternetGatewayId\": 7}], \"Extra\": {\"x\": [1]}}"));
	assert_int_equal(t.nvpcs, 1);
	assert_int_equal(t.nsubnets, 1);
	assert_prefix(&t.vpcs[0].cidrs[0], "10.9.0.0/16");
	assert_null(t.vpcs[0].owner);
	assert_null(t.subnets[0].az);
	topology_free(&t);
}

static void test_nulls_are_absent(void **state)
{
	struct topology t = {0};

	(void)state;
	load_ok(&t, scratch(
		"{\"NetworkInterfaces\": [null, {\"NetworkInterfaceId\": \"eni-1\",\n"
		"  \"SubnetId\": null, \"Attachment\": null, \"RequesterManaged\": null,\n"
		"  \"PrivateIpAddresses\": null, \"PrivateIpAddress\": \"10.0.0.5\",\n"
		"  \"Groups\": [null, {\"GroupId\": null}, {\"GroupId\": \"sg-1\"}]}],\n"
		" \"Vpcs\": null, \"FlowLogs\": [{\"MaxAggregationInterval\": null,\n"
		"  \"DestinationOptions\": null}]}"));
	assert_int_equal(t.nenis, 1);
	assert_null(t.enis[0].subnet);
	assert_null(t.enis[0].instance);
	assert_int_equal(t.enis[0].nv4, 1);               /* the fallback */
	assert_addr(&t.enis[0].v4[0], "10.0.0.5");
	assert_int_equal(t.enis[0].ngroups, 1);
	assert_string_equal(t.enis[0].groups[0], "sg-1");
	assert_int_equal(t.nvpcs, 0);
	assert_int_equal(t.nflow_logs, 1);
	assert_int_equal(t.flow_logs[0].max_interval, 0);
	topology_free(&t);
}

/* Instances at the top level (flattened by a --query), with a NAT instance
 * route and an ENI that names its own subnet. */
static void test_flat_instances(void **state)
{
	struct topology t = {0};
	const struct topo_instance *in;

	(void)state;
	load_ok(&t, scratch(
		"{\"Instances\": [{\"InstanceId\": \"i-1\", \"InstanceType\": \"m5.large\",\n"
		"  \"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-a\",\n"
		"  \"NetworkInterfaces\": [\n"
		"   {\"NetworkInterfaceId\": \"eni-a\", \"PrivateIpAddress\": \"10.0.0.1\"},\n"
		"   {\"NetworkInterfaceId\": \"eni-b\", \"SubnetId\": \"subnet-b\",\n"
		"    \"Attachment\": {\"InstanceId\": \"i-other\"}}]}]}"));
	assert_int_equal(t.ninstances, 1);
	in = &t.instances[0];
	assert_null(in->owner);
	assert_null(in->az);
	assert_int_equal(in->nenis, 2);
	assert_string_equal(in->enis[0].subnet, "subnet-a");
	assert_string_equal(in->enis[0].vpc, "vpc-a");
	assert_string_equal(in->enis[0].instance, "i-1");
	assert_null(in->enis[0].owner);
	assert_null(in->enis[0].az);
	assert_string_equal(in->enis[1].subnet, "subnet-b");
	assert_string_equal(in->enis[1].instance, "i-other");
	assert_int_equal(in->enis[1].nv4, 0);
	topology_free(&t);
}

/* Primary in the middle: first, the others keep their order; without any
 * Primary the order is the file's. */
static void test_primary_first(void **state)
{
	struct topology t = {0};

	(void)state;
	load_ok(&t, scratch(
		"{\"NetworkInterfaces\": [{\"PrivateIpAddresses\": [\n"
		"  {\"PrivateIpAddress\": \"10.0.0.1\"}, {\"PrivateIpAddress\": \"10.0.0.2\"},\n"
		"  {\"PrivateIpAddress\": \"10.0.0.3\", \"Primary\": true},\n"
		"  {\"PrivateIpAddress\": \"10.0.0.4\"}, {\"PrivateIpAddress\": \"10.0.0.5\"},\n"
		"  {\"PrivateIpAddress\": \"10.0.0.6\"}]},\n"
		" {\"PrivateIpAddress\": \"10.0.0.9\", \"PrivateIpAddresses\": [\n"
		"  {\"PrivateIpAddress\": \"10.0.0.8\"}, {\"PrivateIpAddress\": \"10.0.0.7\"}]}]}"));
	assert_int_equal(t.enis[0].nv4, 6);
	assert_addr(&t.enis[0].v4[0], "10.0.0.3");
	assert_addr(&t.enis[0].v4[1], "10.0.0.1");
	assert_addr(&t.enis[0].v4[2], "10.0.0.2");
	assert_addr(&t.enis[0].v4[5], "10.0.0.6");
	assert_int_equal(t.enis[1].nv4, 2);
	assert_addr(&t.enis[1].v4[0], "10.0.0.8");
	assert_addr(&t.enis[1].v4[1], "10.0.0.7");
	topology_free(&t);
}

static void test_route_targets(void **state)
{
	struct topology t = {0};
	const struct topo_route *r;

	(void)state;
	load_ok(&t, scratch(
		"{\"RouteTables\": [{\"Routes\": [\n"
		" {\"DestinationCidrBlock\": \"10.1.0.0/16\", \"GatewayId\": \"vgw-1\"},\n"
		" {\"DestinationCidrBlock\": \"10.2.0.0/16\", \"LocalGatewayId\": \"lgw-1\"},\n"
		" {\"DestinationCidrBlock\": \"10.3.0.0/16\", \"CarrierGatewayId\": \"cagw-1\"},\n"
		" {\"DestinationCidrBlock\": \"10.4.0.0/16\",\n"
		"  \"CoreNetworkArn\": \"arn:aws:networkmanager::1:core-network/core-network-1\"},\n"
		" {\"DestinationCidrBlock\": \"10.5.0.0/16\", \"InstanceId\": \"i-1\"},\n"
		" {\"DestinationCidrBlock\": \"10.6.0.0/16\", \"GatewayId\": \"odd-1\"},\n"
		" {\"DestinationCidrBlock\": \"10.7.0.7/16\"}]}]}"));
	r = t.route_tables[0].routes;
	assert_int_equal(t.route_tables[0].nroutes, 7);
	assert_int_equal(r[0].kind, RT_VGW);
	assert_int_equal(r[1].kind, RT_LGW);
	assert_int_equal(r[2].kind, RT_CARRIER);
	assert_int_equal(r[3].kind, RT_CORE_NETWORK);
	assert_int_equal(r[4].kind, RT_ENI);
	assert_string_equal(r[4].target, "i-1");
	assert_int_equal(r[5].kind, RT_UNKNOWN);
	assert_string_equal(r[5].target, "odd-1");
	assert_int_equal(r[6].kind, RT_UNKNOWN);
	assert_null(r[6].target);
	assert_prefix(&r[6].dst, "10.7.0.0/16");           /* host bits cleared */
	assert_null(t.route_tables[0].id);
	topology_free(&t);
}

/* ---- errors -------------------------------------------------------------- */

static void test_missing_file(void **state)
{
	struct topology t = {0};
	char err[256];

	(void)state;
	assert_int_equal(topology_load(&t, "/nonexistent/topo.json", err, sizeof(err)), -1);
	assert_string_equal(err, "/nonexistent/topo.json: No such file or directory");
	assert_int_equal(topology_load(&t, tmpdir, err, sizeof(err)), -1);
	assert_non_null(strstr(err, ": Is a directory"));
	/* No room for a message is not a crash. */
	assert_int_equal(topology_load(&t, "/nonexistent/topo.json", NULL, 0), -1);
	assert_int_equal(topology_load(&t, "/nonexistent/topo.json", err, 1), -1);
	assert_string_equal(err, "");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	assert_load_error("{\n  \"NetworkInterfaces\": [\n    {\"SubnetId\": \"subnet-1\",}\n  ]\n}\n",
	                  "t.json:3:29: JSON syntax: string or '}' expected near '}'");
	assert_load_error("{\"Vpcs\": [tru]}",
	                  "t.json:1:13: JSON syntax: invalid token near 'tru'");
	assert_load_error("", "t.json:1:1: JSON syntax: unexpected token near end of file");
	assert_load_error("{\"Vpcs\": []} {}",
	                  "t.json:1:14: JSON syntax: end of file expected near '{'");
}

static void test_top_level(void **state)
{
	(void)state;
	assert_load_error("[{\"NetworkInterfaces\": []}]",
	                  "t.json:1:1: expected an object at the top level");
	assert_load_error("\"NetworkInterfaces\"",
	                  "t.json:1:1: expected an object at the top level");
	/* The position is the value's, after any leading blank lines. */
	assert_load_error("\n\n  42\n", "t.json:3:3: expected an object at the top level");
}

static void test_wrong_types(void **state)
{
	(void)state;
	assert_load_error("{\"NetworkInterfaces\": [\n  {\"NetworkInterfaceId\": \"eni-1\",\n"
	                  "   \"SubnetId\": 42}]}",
	                  "t.json:3:16: expected a string for \"SubnetId\"");
	assert_load_error("{\n  \"NetworkInterfaces\": {\"NetworkInterfaceId\": \"eni-1\"}\n}",
	                  "t.json:2:24: expected an array for \"NetworkInterfaces\"");
	assert_load_error("{\"NetworkInterfaces\": [{}, \"eni-1\"]}",
	                  "t.json:1:28: expected an object for \"NetworkInterfaces\"");
	assert_load_error("{\"NetworkInterfaces\": [{\"Attachment\": \"i-1\"}]}",
	                  "t.json:1:39: expected an object for \"Attachment\"");
	assert_load_error("{\"NetworkInterfaces\": [{\"RequesterManaged\": \"false\"}]}",
	                  "t.json:1:45: expected a boolean for \"RequesterManaged\"");
	assert_load_error("{\"FlowLogs\": [\n {\"FlowLogId\": \"fl-1\",\n"
	                  "  \"MaxAggregationInterval\": \"60\"}]}",
	                  "t.json:3:29: expected a number for \"MaxAggregationInterval\"");
	assert_load_error("{\"PrefixLists\": [{\"Cidrs\": [\"10.0.0.0/8\", 10]}]}",
	                  "t.json:1:43: expected a string for \"Cidrs\"");
	assert_load_error("{\"RouteTables\": [{\"Associations\": [{\"Main\": 1}]}]}",
	                  "t.json:1:45: expected a boolean for \"Main\"");
	assert_load_error("{\"RouteTables\": [{\"Routes\": [{\"GatewayId\": \"igw-1\",\n"
	                  "  \"InstanceId\": [\"i-1\"]}]}]}",
	                  "t.json:2:17: expected a string for \"InstanceId\"");
	assert_load_error("{\"VpcPeeringConnections\": [{\"AccepterVpcInfo\": {\"Region\": true}}]}",
	                  "t.json:1:59: expected a string for \"Region\"");
	assert_load_error("{\"FlowLogs\": [{\"DestinationOptions\": {\"PerHourPartition\": \"yes\"}}]}",
	                  "t.json:1:59: expected a boolean for \"PerHourPartition\"");
}

/* Deep in describe-instances: the position follows every index. */
static void test_wrong_type_deep(void **state)
{
	(void)state;
	assert_load_error(
		"{\"Reservations\": [\n"
		"  {\"OwnerId\": \"1\", \"Instances\": []},\n"
		"  {\"Instances\": [\n"
		"    {\"InstanceId\": \"i-1\"},\n"
		"    {\"InstanceId\": \"i-2\", \"NetworkInterfaces\": [\n"
		"      {\"PrivateIpAddresses\": [\n"
		"        {\"PrivateIpAddress\": \"10.0.0.1\"},\n"
		"        {\"PrivateIpAddress\": 167772162}]}]}]}]}",
		"t.json:8:30: expected a string for \"PrivateIpAddress\"");
	assert_load_error("{\"Reservations\": [{\"OwnerId\": 123456789012}]}",
	                  "t.json:1:31: expected a string for \"OwnerId\"");
	assert_load_error("{\"Reservations\": [{\"Instances\": [{\"Placement\":\n"
	                  "  {\"AvailabilityZone\": {}}}]}]}",
	                  "t.json:2:24: expected a string for \"AvailabilityZone\"");
}

/* jansson keeps the last of a repeated key, and decodes escaped keys: the
 * position must be that value's. */
static void test_position_duplicates_escapes(void **state)
{
	(void)state;
	assert_load_error("{\"Subnets\": [{\"SubnetId\": \"subnet-1\", \"SubnetId\": 5}]}",
	                  "t.json:1:51: expected a string for \"SubnetId\"");
	assert_load_error("{\"Subnets\": [{\"VpcId\": 1, \"Subnet\\u0049d\": \"x\", \"VpcId\": 2}]}",
	                  "t.json:1:58: expected a string for \"VpcId\"");
	assert_load_error("{\"Subnets\": [{\"Subnet\\u0049d\": 7}]}",
	                  "t.json:1:32: expected a string for \"SubnetId\"");
	assert_load_error("{\"Subnets\": [{\"AvailabilityZone\": \"caf\xc3\xa9\", \"VpcId\": 0}]}",
	                  "t.json:1:52: expected a string for \"VpcId\"");
}

static void test_bad_values(void **state)
{
	(void)state;
	assert_load_error("{\"NetworkInterfaces\": [{\"PrivateIpAddresses\": [\n"
	                  "  {\"PrivateIpAddress\": \"10.0.0.300\"}]}]}",
	                  "t.json:2:24: \"10.0.0.300\" is not an IP address for \"PrivateIpAddress\"");
	assert_load_error("{\"NetworkInterfaces\": [{\"PrivateIpAddress\": \"fe80::1\"}]}",
	                  "t.json:1:45: \"fe80::1\" is not an IPv4 address for \"PrivateIpAddress\"");
	assert_load_error("{\"NetworkInterfaces\": [{\"Ipv6Addresses\": [{\"Ipv6Address\": \"10.0.0.1\"}]}]}",
	                  "t.json:1:59: \"10.0.0.1\" is not an IPv6 address for \"Ipv6Address\"");
	assert_load_error("{\"Subnets\": [\n  {\"CidrBlock\": \"10.0.0.300/24\"}]}",
	                  "t.json:2:17: \"10.0.0.300/24\" is not a CIDR block for \"CidrBlock\"");
	assert_load_error("{\"Vpcs\": [{\"CidrBlockAssociationSet\": [{\"CidrBlock\": \"10.0.0.0\"}]}]}",
	                  "t.json:1:54: \"10.0.0.0\" is not a CIDR block for \"CidrBlock\"");
	assert_load_error("{\"Vpcs\": [{\"Ipv6CidrBlockAssociationSet\": [{\"Ipv6CidrBlock\": \"10.0.0.0/8\"}]}]}",
	                  "t.json:1:62: \"10.0.0.0/8\" is not an IPv6 CIDR block for \"Ipv6CidrBlock\"");
	assert_load_error("{\"RouteTables\": [{\"Routes\": [{\"DestinationCidrBlock\": \"10.0.0.0/33\"}]}]}",
	                  "t.json:1:55: \"10.0.0.0/33\" is not a CIDR block for \"DestinationCidrBlock\"");
	assert_load_error("{\"PrefixLists\": [{\"Cidrs\": [\"52.216.0.0/15\", \"s3\"]}]}",
	                  "t.json:1:46: \"s3\" is not a CIDR block for \"Cidrs\"");
	/* A control character or a quote in the value is escaped, not printed. */
	assert_load_error("{\"Subnets\": [{\"CidrBlock\": \"a\\nb\\\"c\"}]}",
	                  "t.json:1:28: \"a\\u000ab\\\"c\" is not a CIDR block for \"CidrBlock\"");
}

static void test_bad_interval(void **state)
{
	(void)state;
	assert_load_error("{\"FlowLogs\": [{\"MaxAggregationInterval\": 300}]}",
	                  "t.json:1:42: 300 is not 60 or 600 for \"MaxAggregationInterval\"");
	assert_load_error("{\"FlowLogs\": [{\"MaxAggregationInterval\": 60.5}]}",
	                  "t.json:1:42: 60.5 is not 60 or 600 for \"MaxAggregationInterval\"");
	assert_load_error("{\"FlowLogs\": [{\"MaxAggregationInterval\": -60}]}",
	                  "t.json:1:42: -60 is not 60 or 600 for \"MaxAggregationInterval\"");
}

/* A failing file adds nothing, frees what it built, and leaves what the
 * earlier files loaded as it was; loading goes on afterwards. */
static void test_error_keeps_earlier(void **state)
{
	struct topology t = {0};
	char err[512];

	(void)state;
	load_fixture(&t, "eni.json");
	load_fixture(&t, "route-tables.json");
	assert_int_equal(topology_load(&t, scratch(
		"{\"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-new\",\n"
		"  \"PrivateIpAddresses\": [{\"PrivateIpAddress\": \"10.0.0.1\"}],\n"
		"  \"Groups\": [{\"GroupId\": \"sg-1\"}]}],\n"
		" \"Vpcs\": [{\"VpcId\": \"vpc-new\", \"CidrBlock\": \"10.0.0.0/16\"}],\n"
		" \"RouteTables\": [{\"RouteTableId\": \"rtb-new\", \"Routes\": [\n"
		"  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"GatewayId\": \"igw-1\"},\n"
		"  {\"DestinationCidrBlock\": \"bad\"}]}]}"), err, sizeof(err)), -1);
	assert_non_null(strstr(err, ":7:28: \"bad\" is not a CIDR block"));
	assert_int_equal(topology_load(&t, scratch("{\"Vpcs\": [}"), err, sizeof(err)), -1);
	check_enis(&t);
	check_route_tables(&t);
	assert_int_equal(t.nvpcs, 0);
	assert_null(t.vpcs);
	load_fixture(&t, "vpcs.json");
	assert_int_equal(t.nvpcs, 2);
	assert_int_equal(t.nenis, 2);
	topology_free(&t);
}

/* Many elements: the doubling growth, and a merge into non-empty arrays. */
static void test_many(void **state)
{
	struct topology t = {0};
	size_t n = 300, cap = 64 + n * 80, o = 0;
	char *text = malloc(cap);

	(void)state;
	assert_non_null(text);
	o += (size_t)snprintf(text + o, cap - o, "{\"PrefixLists\": [{\"Cidrs\": [");
	for (size_t i = 0; i < n; i++)
		o += (size_t)snprintf(text + o, cap - o, "%s\"10.%zu.%zu.0/24\"",
		                      i ? ", " : "", i / 256, i % 256);
	snprintf(text + o, cap - o, "]}]}");
	load_fixture(&t, "prefix-lists.json");
	load_ok(&t, scratch(text));
	free(text);
	assert_int_equal(t.nprefix_lists, 3);
	assert_int_equal(t.prefix_lists[2].ncidrs, n);
	assert_prefix(&t.prefix_lists[2].cidrs[299], "10.1.43.0/24");
	assert_string_equal(t.prefix_lists[0].id, "pl-63a5400a");
	topology_free(&t);
}

/* ---- jsonpos --------------------------------------------------------------- */

#define K(k) {.key = (k)}
#define I(i) {.key = NULL, .index = (i)}

/* Finds path in a copy of text sized exactly, so ASan sees any over-read. */
static bool find(const char *text, size_t len, const struct jsonpos_step *path,
                 size_t n, size_t *line, size_t *col)
{
	char *copy = malloc(len ? len : 1);
	struct jsonpos pos = {0, 0};
	bool ok;

	assert_non_null(copy);
	memcpy(copy, text, len);
	ok = jsonpos_find(copy, len, path, n, &pos);
	free(copy);
	*line = pos.line;
	*col = pos.column;
	return ok;
}

#define FIND(text, ...) do { \
		static const struct jsonpos_step p_[] = {__VA_ARGS__}; \
		found = find((text), strlen(text), p_, sizeof(p_) / sizeof(p_[0]), \
		             &line, &col); \
	} while (0)

static void test_pos_nested(void **state)
{
	const char *doc = "{\"a\": [1, {\"b\": [true, \"x\"]}, [[], [null, -2.5e3]]]}";
	size_t line, col;
	bool found;

	(void)state;
	FIND(doc, K("a"), I(1), K("b"), I(1));
	assert_true(found);
	assert_int_equal(line, 1);
	assert_int_equal(col, 24);
	FIND(doc, K("a"), I(2), I(1), I(1));
	assert_true(found);
	assert_int_equal(col, 43);
	FIND(doc, K("a"), I(0));
	assert_int_equal(col, 8);
	FIND(doc, K("a"));
	assert_int_equal(col, 7);
	/* Out of range, a key on an array, an index on an object: 1:1. */
	FIND(doc, K("a"), I(3));
	assert_false(found);
	assert_int_equal(line, 1);
	assert_int_equal(col, 1);
	FIND(doc, K("a"), K("b"));
	assert_false(found);
	FIND(doc, I(0));
	assert_false(found);
	FIND(doc, K("a"), I(2), I(0), I(0));
	assert_false(found);
	FIND(doc, K("b"));
	assert_false(found);
}

static void test_pos_top_level(void **state)
{
	struct jsonpos pos;

	(void)state;
	assert_true(jsonpos_find("\n\t [1]", 6, NULL, 0, &pos));
	assert_int_equal(pos.line, 2);
	assert_int_equal(pos.column, 3);
	assert_false(jsonpos_find("   ", 3, NULL, 0, &pos));
	assert_int_equal(pos.line, 1);
	assert_int_equal(pos.column, 1);
	assert_false(jsonpos_find(NULL, 0, NULL, 0, &pos));
	assert_int_equal(pos.column, 1);
}

static void test_pos_escapes(void **state)
{
	const char *doc = "{\"k\\\"ey\": \"v\\\"}\\\\\", \"key\": 2, \"k\\u0065y2\": 3,"
	                  " \"\\ud83d\\ude00\": 4, \"\\u00e9\": 5}";
	size_t line, col;
	bool found;

	(void)state;
	FIND(doc, K("key"));
	assert_true(found);
	assert_int_equal(col, 28);
	FIND(doc, K("k\"ey"));
	assert_true(found);
	assert_int_equal(col, 11);
	FIND(doc, K("key2"));
	assert_true(found);
	assert_int_equal(col, 44);
	FIND(doc, K("\xf0\x9f\x98\x80"));
	assert_true(found);
	assert_int_equal(col, 63);
	FIND(doc, K("\xc3\xa9"));
	assert_true(found);
	assert_int_equal(col, 76);
	FIND(doc, K("ke"));
	assert_false(found);
	FIND(doc, K("keyy"));
	assert_false(found);
}

static void test_pos_depths(void **state)
{
	const char *doc = "{\"x\": {\"id\": 1, \"y\": [{\"id\": 2}]},\n \"id\": 3,\n"
	                  " \"y\": {\"id\": 4}, \"id\": 5}";
	size_t line, col;
	bool found;

	(void)state;
	FIND(doc, K("id"));              /* the last top-level one, as jansson */
	assert_true(found);
	assert_int_equal(line, 3);
	assert_int_equal(col, 24);
	FIND(doc, K("x"), K("y"), I(0), K("id"));
	assert_int_equal(line, 1);
	assert_int_equal(col, 30);
	FIND(doc, K("y"), K("id"));
	assert_int_equal(line, 3);
	assert_int_equal(col, 14);
}

static void test_pos_crlf_utf8(void **state)
{
	const char *doc = "{\r\n  \"a\": 1,\r\n  \"\xc3\xa9t\xc3\xa9\": \"\xe2\x82\xac\",\r\n"
	                  "  \"b\": [\r\n\r\n    7]\r\n}\r\n";
	size_t line, col;
	bool found;

	(void)state;
	FIND(doc, K("a"));
	assert_true(found);
	assert_int_equal(line, 2);
	assert_int_equal(col, 8);
	FIND(doc, K("\xc3\xa9t\xc3\xa9"));
	assert_int_equal(line, 3);
	assert_int_equal(col, 10);
	FIND(doc, K("b"), I(0));
	assert_true(found);
	assert_int_equal(line, 6);
	assert_int_equal(col, 5);
}

/* Every prefix of a document: never a read past the end, and the answer is
 * either not found or the full document's answer. */
static void test_pos_truncated(void **state)
{
	static const struct jsonpos_step path[] = {K("r"), I(1), K("s\"t"), I(0)};
	const char *doc = "{\"q\": [\"]\\\\\", {}], \"r\": [0, {\"s\\\"t\": [\"\\u00e9\", 1]}], \"z\": 1}";
	size_t len = strlen(doc), line, col, want_line, want_col;

	(void)state;
	assert_true(find(doc, len, path, 4, &want_line, &want_col));
	assert_int_equal(want_col, 39);
	for (size_t n = 0; n < len; n++) {
		if (find(doc, n, path, 4, &line, &col)) {
			assert_int_equal(line, want_line);
			assert_int_equal(col, want_col);
		} else {
			assert_int_equal(line, 1);
			assert_int_equal(col, 1);
		}
	}
	/* Cut inside a string, an escape and a \u sequence. */
	assert_false(find("{\"a\": \"abc", 10, path, 1, &line, &col));
	assert_false(find("{\"a\\", 4, (const struct jsonpos_step[]){K("a")}, 1, &line, &col));
	assert_false(find("{\"\\u00", 6, (const struct jsonpos_step[]){K("a")}, 1, &line, &col));
	/* Garbage is not found, and not a crash. */
	assert_false(find("{\"a\" 1}", 7, (const struct jsonpos_step[]){K("a")}, 1, &line, &col));
	assert_false(find("{\"a\": 1 \"b\": 2}", 15,
	                  (const struct jsonpos_step[]){K("b")}, 1, &line, &col));
	assert_false(find("[1 2]", 5, (const struct jsonpos_step[]){I(1)}, 1, &line, &col));
	assert_false(find("{\"a\": \"\\x\", \"b\": 1}", 19,
	                  (const struct jsonpos_step[]){K("b")}, 1, &line, &col));
}

/* Nesting past JSONPOS_MAX_DEPTH is not followed; within it, it is. */
static void test_pos_depth_limit(void **state)
{
	size_t deep = JSONPOS_MAX_DEPTH + 10, len = deep * 2 + 16, o = 0;
	char *doc = malloc(len);
	struct jsonpos_step *path = calloc(JSONPOS_MAX_DEPTH + 1, sizeof(*path));
	struct jsonpos pos;

	(void)state;
	assert_non_null(doc);
	assert_non_null(path);
	o += (size_t)snprintf(doc, len, "{\"a\": ");
	for (size_t i = 0; i < deep; i++)
		doc[o++] = '[';
	for (size_t i = 0; i < deep; i++)
		doc[o++] = ']';
	o += (size_t)snprintf(doc + o, len - o, ", \"b\": 1}");
	/* Skipping "a" would go too deep: "b" is not reached. */
	assert_false(jsonpos_find(doc, o, (const struct jsonpos_step[]){K("b")}, 1, &pos));
	/* Walking down the path itself is bounded the same way. */
	path[0] = (struct jsonpos_step)K("a");
	assert_true(jsonpos_find(doc, o, path, JSONPOS_MAX_DEPTH - 1, &pos));
	assert_int_equal(pos.column, 7 + JSONPOS_MAX_DEPTH - 2);
	assert_false(jsonpos_find(doc, o, path, JSONPOS_MAX_DEPTH + 1, &pos));
	free(path);
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_all),
		cmocka_unit_test(test_merge_appends),
		cmocka_unit_test(test_one_file_many_keys),
		cmocka_unit_test(test_nulls_are_absent),
		cmocka_unit_test(test_flat_instances),
		cmocka_unit_test(test_primary_first),
		cmocka_unit_test(test_route_targets),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_top_level),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_wrong_type_deep),
		cmocka_unit_test(test_position_duplicates_escapes),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_bad_interval),
		cmocka_unit_test(test_error_keeps_earlier),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_pos_nested),
		cmocka_unit_test(test_pos_top_level),
		cmocka_unit_test(test_pos_escapes),
		cmocka_unit_test(test_pos_depths),
		cmocka_unit_test(test_pos_crlf_utf8),
		cmocka_unit_test(test_pos_truncated),
		cmocka_unit_test(test_pos_depth_limit),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
