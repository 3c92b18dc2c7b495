/* test_secgroup.c - capture/vpc/secgroup.c and the SecurityGroups part of
 * topology_rules.c: describe-security-groups output loaded (and its errors
 * at their positions), sets per ENI, and the stateless rule match: port
 * bounds, -1, ICMP type and code, ICMPv6, protocol numbers, IPv4 against
 * IPv6, prefix lists, UserIdGroupPairs, and which rule is named. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "capture/vpc/secgroup.h"
#include "capture/vpc/topology.h"
#include "testpkt.h"
#include "tmpdir.h"

static const char topo_text[] =
	"{\n"
	" \"NetworkInterfaces\": [\n"
	"  {\"NetworkInterfaceId\": \"eni-web\", \"PrivateIpAddress\": \"10.0.1.10\",\n"
	"   \"Ipv6Addresses\": [{\"Ipv6Address\": \"2001:db8:1::10\"}],\n"
	"   \"Groups\": [{\"GroupId\": \"sg-web\"}, {\"GroupId\": \"sg-missing\"},\n"
	"              {\"GroupId\": \"sg-ops\"}, {\"GroupId\": \"sg-web\"}]},\n"
	"  {\"NetworkInterfaceId\": \"eni-app\", \"PrivateIpAddress\": \"10.0.2.20\",\n"
	"   \"Ipv6Addresses\": [{\"Ipv6Address\": \"2001:db8:2::20\"}],\n"
	"   \"Groups\": [{\"GroupId\": \"sg-app\"}]},\n"
	"  {\"NetworkInterfaceId\": \"eni-ghost\", \"PrivateIpAddress\": \"10.0.3.30\",\n"
	"   \"Groups\": [{\"GroupId\": \"sg-missing\"}]},\n"
	"  {\"NetworkInterfaceId\": \"eni-web2\", \"PrivateIpAddress\": \"10.0.1.12\",\n"
	"   \"Groups\": [{\"GroupId\": \"sg-web\"}, {\"GroupId\": \"sg-ops\"}]},\n"
	"  {\"NetworkInterfaceId\": \"eni-opsfirst\", \"PrivateIpAddress\": \"10.0.1.13\",\n"
	"   \"Groups\": [{\"GroupId\": \"sg-ops\"}, {\"GroupId\": \"sg-web\"}]}\n"
	" ],\n"
	" \"Reservations\": [{\"Instances\": [{\"InstanceId\": \"i-1\", \"NetworkInterfaces\": [\n"
	"  {\"NetworkInterfaceId\": \"eni-app2\", \"PrivateIpAddress\": \"10.0.2.21\",\n"
	"   \"Groups\": [{\"GroupId\": \"sg-app\"}]}]}]}],\n"
	" \"PrefixLists\": [{\"PrefixListId\": \"pl-corp\", \"PrefixListName\": \"corp\",\n"
	"   \"Cidrs\": [\"192.0.2.0/24\", \"2001:db8:ff::/48\"]}],\n"
	" \"SecurityGroups\": [\n"
	"  {\"GroupId\": \"sg-web\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [\n"
	"   {\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,\n"
	"    \"IpRanges\": [{\"CidrIp\": \"203.0.113.0/24\", \"Description\": \"office\"}]},\n"
	"   {\"IpProtocol\": \"tcp\", \"FromPort\": 1000, \"ToPort\": 2000,\n"
	"    \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]},\n"
	"   {\"IpProtocol\": \"icmp\", \"FromPort\": 8, \"ToPort\": -1,\n"
	"    \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]},\n"
	"   {\"IpProtocol\": \"icmp\", \"FromPort\": 3, \"ToPort\": 4,\n"
	"    \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]},\n"
	"   {\"IpProtocol\": \"icmpv6\", \"FromPort\": -1, \"ToPort\": -1,\n"
	"    \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]},\n"
	"   {\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443,\n"
	"    \"Ipv6Ranges\": [{\"CidrIpv6\": \"2001:db8:aa::/48\"}]},\n"
	"   {\"IpProtocol\": \"50\", \"IpRanges\": [{\"CidrIp\": \"198.51.100.0/24\"}]},\n"
	"   {\"IpProtocol\": \"17\", \"FromPort\": 53, \"ToPort\": 53,\n"
	"    \"PrefixListIds\": [{\"PrefixListId\": \"pl-corp\"}]},\n"
	"   {\"IpProtocol\": \"tcp\", \"FromPort\": 5432, \"ToPort\": 5432,\n"
	"    \"UserIdGroupPairs\": [{\"GroupId\": \"sg-app\", \"UserId\": \"111122223333\"}]},\n"
	"   {\"IpProtocol\": \"udp\", \"FromPort\": 9000, \"ToPort\": 9000,\n"
	"    \"PrefixListIds\": [{\"PrefixListId\": \"pl-unknown\"}]},\n"
	"   {\"IpProtocol\": \"6\", \"FromPort\": 7000, \"ToPort\": 7001,\n"
	"    \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}\n"
	"  ], \"IpPermissionsEgress\": [\n"
	"   {\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}]},\n"
	"  {\"GroupId\": \"sg-ops\", \"IpPermissions\": [\n"
	"   {\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"10.99.0.0/16\"}]},\n"
	"   {\"IpProtocol\": \"tcp\", \"FromPort\": 8080, \"ToPort\": 8080,\n"
	"    \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}]}],\n"
	"   \"IpPermissionsEgress\": []},\n"
	"  {\"GroupId\": \"sg-app\", \"IpPermissions\": [], \"IpPermissionsEgress\": [\n"
	"   {\"IpProtocol\": \"tcp\", \"FromPort\": 5432, \"ToPort\": 5432,\n"
	"    \"UserIdGroupPairs\": [{\"GroupId\": \"sg-web\"}]}]}\n"
	" ]\n"
	"}\n";

struct fixture {
	struct topology t;
	struct secgroups s;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char err[256];

	if (!f || setup_tmp(state) != 0)
		return -1;
	write_text(tpath("t.json"), topo_text);
	if (topology_load(&f->t, tpath("t.json"), err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	secgroups_init(&f->s, &f->t, NULL);
	/* Every set now, so that the tests allocate nothing (cmocka checks
	 * each test's blocks before the teardown frees them). */
	const char *ids[] = {"eni-web", "eni-app", "eni-ghost", "eni-web2", "eni-opsfirst",
			     "eni-app2"};
	for (size_t i = 0; i < sizeof(ids) / sizeof(*ids); i++)
		for (size_t k = 0; k < f->t.nenis; k++) {
			const struct sg_set *set;
			if (strcmp(f->t.enis[k].id, ids[i]) == 0 &&
			    secgroups_for_eni(&f->s, f->t.enis + k, &set) != 0)
				return -1;
		}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	secgroups_free(&f->s);
	topology_free(&f->t);
	free(f);
	return teardown_tmp(state);
}

static const struct topo_eni *eni(const struct topology *t, const char *id)
{
	for (size_t i = 0; i < t->nenis; i++)
		if (strcmp(t->enis[i].id, id) == 0)
			return t->enis + i;
	for (size_t i = 0; i < t->ninstances; i++)
		for (size_t k = 0; k < t->instances[i].nenis; k++)
			if (strcmp(t->instances[i].enis[k].id, id) == 0)
				return t->instances[i].enis + k;
	fail_msg("no %s", id);
	return t->enis;   /* not reached: fail_msg jumps out */
}

static const struct sg_set *set_of(struct fixture *f, const char *id)
{
	const struct sg_set *set = NULL;

	assert_int_equal(secgroups_for_eni(&f->s, eni(&f->t, id), &set), 0);
	return set;
}

/* The text of the rule that allows m inbound on set, or "" when none does. */
static const char *why(struct fixture *f, const struct sg_set *set, enum rule_dir d,
		       struct pkt_meta m)
{
	static char buf[256];
	uint32_t ref = sg_match(&f->s, set, d, &m);

	buf[0] = '\0';
	if (ref)
		sg_describe(&f->s, ref - 1, buf, sizeof(buf));
	return buf;
}

#define IN(m) why(f, web, RULE_IN, (m))
#define ME "10.0.1.10"

/* ---- loading ------------------------------------------------------------- */

static void test_load(void **state)
{
	struct fixture *f = *state;
	const struct topology *t = &f->t;
	(void)state;

	assert_int_equal(t->nsgs, 3);
	const struct topo_sg *web = t->sgs;
	assert_string_equal(web->id, "sg-web");
	assert_string_equal(web->vpc, "vpc-1");
	assert_int_equal(web->nin, 11);
	assert_int_equal(web->nout, 1);
	assert_int_equal(web->in[0].proto, 6);
	assert_int_equal(web->in[0].from, 22);
	assert_int_equal(web->in[0].to, 22);
	assert_int_equal(web->in[0].ncidrs, 1);
	assert_int_equal(web->in[2].proto, 1);
	assert_int_equal(web->in[2].from, 8);
	assert_int_equal(web->in[2].to, -1);
	assert_int_equal(web->in[4].proto, 58);
	assert_int_equal(web->in[6].proto, 50);
	assert_int_equal(web->in[6].from, -1);      /* absent */
	assert_int_equal(web->in[7].proto, 17);
	assert_int_equal(web->in[7].nprefix_lists, 1);
	assert_string_equal(web->in[7].prefix_lists[0], "pl-corp");
	assert_int_equal(web->in[8].ngroups, 1);
	assert_string_equal(web->in[8].groups[0], "sg-app");
	assert_int_equal(web->in[10].proto, 6);
	assert_int_equal(web->out[0].proto, TOPO_PROTO_ALL);
	assert_int_equal(t->sgs[1].nout, 0);
	assert_int_equal(t->sgs[2].nin, 0);
}

static void assert_error(const char *text, const char *want)
{
	struct topology t = {0};
	char err[512], got[512];
	const char *path = tpath("bad.json");
	size_t n = strlen(path);

	write_text(path, text);
	assert_int_equal(topology_load(&t, path, err, sizeof(err)), -1);
	assert_memory_equal(err, path, n);
	snprintf(got, sizeof(got), "t.json%s", err + n);
	assert_string_equal(got, want);
	assert_int_equal(t.nsgs, 0);
	topology_free(&t);
}

#define SG(rule) "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [" rule "]}]}"

static void test_load_errors(void **state)
{
	(void)state;
	assert_error(SG("{\"IpProtocol\": \"tcp\", \"FromPort\": \"22\"}"),
		     "t.json:1:93: expected a number for \"FromPort\"");
	assert_error(SG("{\"IpProtocol\": 6}"),
		     "t.json:1:74: expected a string for \"IpProtocol\"");
	assert_error(SG("{\"IpProtocol\": \"tcpp\"}"),
		     "t.json:1:74: \"tcpp\" is not an IP protocol for \"IpProtocol\"");
	assert_error(SG("{\"IpProtocol\": \"256\"}"),
		     "t.json:1:74: \"256\" is not an IP protocol for \"IpProtocol\"");
	assert_error(SG("{\"FromPort\": 22}"),
		     "t.json:1:59: missing \"IpProtocol\"");
	assert_error(SG("{\"IpProtocol\": \"udp\", \"ToPort\": 65536}"),
		     "t.json:1:91: 65536 is not a port (-1 to 65535) for \"ToPort\"");
	assert_error(SG("{\"IpProtocol\": \"udp\", \"FromPort\": 22.5}"),
		     "t.json:1:93: 22.5 is not a port (-1 to 65535) for \"FromPort\"");
	assert_error(SG("{\"IpProtocol\": \"icmp\", \"FromPort\": 256}"),
		     "t.json:1:94: 256 is not an ICMP type (-1 to 255) for \"FromPort\"");
	assert_error(SG("{\"IpProtocol\": \"-1\", \"IpRanges\": {}}"),
		     "t.json:1:92: expected an array for \"IpRanges\"");
	assert_error(SG("{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/33\"}]}"),
		     "t.json:1:104: \"10.0.0.0/33\" is not a CIDR block for \"CidrIp\"");
	assert_error(SG("{\"IpProtocol\": \"-1\", \"IpRanges\": [{\"CidrIp\": \"::/0\"}]}"),
		     "t.json:1:104: \"::/0\" is not an IPv4 CIDR block for \"CidrIp\"");
	assert_error(SG("{\"IpProtocol\": \"-1\", \"Ipv6Ranges\": [{\"CidrIpv6\": \"0.0.0.0/0\"}]}"),
		     "t.json:1:108: \"0.0.0.0/0\" is not an IPv6 CIDR block for \"CidrIpv6\"");
	assert_error(SG("{\"IpProtocol\": \"-1\", \"UserIdGroupPairs\": [{\"GroupId\": 5}]}"),
		     "t.json:1:113: expected a string for \"GroupId\"");
	assert_error("{\"SecurityGroups\": {}}", "t.json:1:20: expected an array for \"SecurityGroups\"");
}

/* ---- sets ---------------------------------------------------------------- */

static void test_sets(void **state)
{
	struct fixture *f = *state;

	/* No group it names is described: no security group evaluation. */
	assert_null(set_of(f, "eni-ghost"));
	/* sg-missing is left out, sg-web named twice counts once. */
	const struct sg_set *web = set_of(f, "eni-web");
	assert_non_null(web);
	assert_int_equal(web->ngroups, 2);
	assert_string_equal(f->t.sgs[web->groups[0]].id, "sg-web");
	assert_string_equal(f->t.sgs[web->groups[1]].id, "sg-ops");
	/* Same groups in the same order: the same compiled set. */
	assert_ptr_equal(set_of(f, "eni-web2"), web);
	assert_ptr_not_equal(set_of(f, "eni-opsfirst"), web);
	assert_int_equal(f->s.nsets, 3);          /* and eni-app's */
}

/* ---- matching ------------------------------------------------------------ */

static void test_ports(void **state)
{
	struct fixture *f = *state;
	const struct sg_set *web = set_of(f, "eni-web");

	assert_string_equal(IN(mkpkt("203.0.113.5", ME, 6, 22)),
			    "sg-web inbound rule 1 (tcp 22 from 203.0.113.0/24)");
	assert_string_equal(IN(mkpkt("203.0.113.5", ME, 6, 21)), "");
	assert_string_equal(IN(mkpkt("203.0.113.5", ME, 6, 23)), "");
	assert_string_equal(IN(mkpkt("203.0.114.5", ME, 6, 22)), "");    /* outside the block */
	assert_string_equal(IN(mkpkt("203.0.113.5", ME, 17, 22)), "");   /* a TCP rule */
	/* Range bounds are inclusive. */
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 999)), "");
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 1000)),
			    "sg-web inbound rule 2 (tcp 1000-2000 from 0.0.0.0/0)");
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 2000)),
			    "sg-web inbound rule 2 (tcp 1000-2000 from 0.0.0.0/0)");
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 2001)), "");
	/* "6" is TCP, ports and all. */
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 7001)),
			    "sg-web inbound rule 11 (tcp 7000-7001 from 0.0.0.0/0)");
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 7002)), "");
	/* Outbound: -1 to 0.0.0.0/0 allows every IPv4 packet, no IPv6 one. */
	assert_string_equal(why(f, web, RULE_OUT, mkpkt(ME, "8.8.8.8", 17, 53)),
			    "sg-web outbound rule 1 (all traffic to 0.0.0.0/0)");
	assert_string_equal(why(f, web, RULE_OUT, mkpkt("2001:db8:1::10", "2001:db8::1", 6, 80)), "");
}

static void test_icmp(void **state)
{
	struct fixture *f = *state;
	const struct sg_set *web = set_of(f, "eni-web");

	/* FromPort is the type, ToPort the code; -1 all. */
	assert_string_equal(IN(mkicmp("8.8.8.8", ME, 8, 0)),
			    "sg-web inbound rule 3 (icmp type 8 from 0.0.0.0/0)");
	assert_string_equal(IN(mkicmp("8.8.8.8", ME, 8, 7)),
			    "sg-web inbound rule 3 (icmp type 8 from 0.0.0.0/0)");
	assert_string_equal(IN(mkicmp("8.8.8.8", ME, 0, 0)), "");        /* echo reply */
	assert_string_equal(IN(mkicmp("8.8.8.8", ME, 3, 4)),
			    "sg-web inbound rule 4 (icmp type 3 code 4 from 0.0.0.0/0)");
	assert_string_equal(IN(mkicmp("8.8.8.8", ME, 3, 3)), "");
	assert_string_equal(IN(mkicmp("8.8.8.8", ME, 4, 4)), "");
	/* icmpv6 -1 -1 from ::/0: every ICMPv6 packet, no ICMP one. */
	assert_string_equal(IN(mkicmp("2001:db8::1", "2001:db8:1::10", 128, 0)),
			    "sg-web inbound rule 5 (icmpv6 all types from ::/0)");
	assert_string_equal(IN(mkicmp("2001:db8::1", "2001:db8:1::10", 1, 4)),
			    "sg-web inbound rule 5 (icmpv6 all types from ::/0)");
	struct pkt_meta v4as58 = mkicmp("8.8.8.8", ME, 128, 0);
	v4as58.proto = 58;    /* an ICMPv6 header in an IPv4 packet */
	assert_string_equal(IN(v4as58), "");
}

static void test_families(void **state)
{
	struct fixture *f = *state;
	const struct sg_set *web = set_of(f, "eni-web");
	const char *me6 = "2001:db8:1::10";

	assert_string_equal(IN(mkpkt("2001:db8:aa::5", me6, 6, 443)),
			    "sg-web inbound rule 6 (tcp 443 from 2001:db8:aa::/48)");
	assert_string_equal(IN(mkpkt("2001:db8:bb::5", me6, 6, 443)), "");
	/* 0.0.0.0/0 never matches IPv6, ::/0 never IPv4. */
	assert_string_equal(IN(mkpkt("2001:db8:bb::5", me6, 6, 1500)), "");
	assert_string_equal(IN(mkpkt("2001:db8:bb::5", me6, 6, 8080)),
			    "sg-ops inbound rule 2 (tcp 8080 from ::/0)");
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 8080)), "");
	/* An IPv6 packet from an IPv4-mapped address is still IPv6. */
	struct pkt_meta mapped = mkpkt("::ffff:8.8.8.8", me6, 6, 1500);
	mapped.family = 6;
	assert_string_equal(IN(mapped), "");
}

static void test_protocols(void **state)
{
	struct fixture *f = *state;
	const struct sg_set *web = set_of(f, "eni-web");

	/* A numbered protocol matches whatever the packet carries. */
	assert_string_equal(IN(mkpkt("198.51.100.7", ME, 50, 0)),
			    "sg-web inbound rule 7 (protocol 50 from 198.51.100.0/24)");
	assert_string_equal(IN(mkpkt("198.51.100.7", ME, 51, 0)), "");
	assert_string_equal(IN(mkpkt("198.51.101.7", ME, 50, 0)), "");
	/* -1: every protocol, ports ignored. */
	assert_string_equal(IN(mkpkt("10.99.3.4", ME, 6, 12345)),
			    "sg-ops inbound rule 1 (all traffic from 10.99.0.0/16)");
	assert_string_equal(IN(mkpkt("10.99.3.4", ME, 132, 0)),
			    "sg-ops inbound rule 1 (all traffic from 10.99.0.0/16)");
	assert_string_equal(IN(mkicmp("10.99.3.4", ME, 13, 0)),
			    "sg-ops inbound rule 1 (all traffic from 10.99.0.0/16)");
}

static void test_sources(void **state)
{
	struct fixture *f = *state;
	const struct sg_set *web = set_of(f, "eni-web");

	/* Prefix list: both of its CIDRs. */
	assert_string_equal(IN(mkpkt("192.0.2.9", ME, 17, 53)),
			    "sg-web inbound rule 8 (udp 53 from pl-corp)");
	assert_string_equal(IN(mkpkt("2001:db8:ff:1::9", "2001:db8:1::10", 17, 53)),
			    "sg-web inbound rule 8 (udp 53 from pl-corp)");
	assert_string_equal(IN(mkpkt("192.0.3.9", ME, 17, 53)), "");
	/* An unknown prefix list allows nothing, and is counted. */
	assert_string_equal(IN(mkpkt("192.0.2.9", ME, 17, 9000)), "");
	assert_int_equal(f->s.unresolved, 1);
	/* UserIdGroupPairs: the addresses of the ENIs carrying sg-app, from
	 * describe-network-interfaces and describe-instances alike. */
	assert_string_equal(IN(mkpkt("10.0.2.20", ME, 6, 5432)),
			    "sg-web inbound rule 9 (tcp 5432 from sg-app)");
	assert_string_equal(IN(mkpkt("2001:db8:2::20", "2001:db8:1::10", 6, 5432)),
			    "sg-web inbound rule 9 (tcp 5432 from sg-app)");
	assert_string_equal(IN(mkpkt("10.0.2.21", ME, 6, 5432)),
			    "sg-web inbound rule 9 (tcp 5432 from sg-app)");
	assert_string_equal(IN(mkpkt("10.0.1.12", ME, 6, 5432)), "");     /* sg-web, not sg-app */
	assert_string_equal(IN(mkpkt("10.0.2.22", ME, 6, 5432)), "");
	/* ...and the other way: sg-app's egress to members of sg-web. */
	const struct sg_set *app = set_of(f, "eni-app");
	assert_string_equal(why(f, app, RULE_OUT, mkpkt("10.0.2.20", "10.0.1.12", 6, 5432)),
			    "sg-app outbound rule 1 (tcp 5432 to sg-web)");
	assert_string_equal(why(f, app, RULE_OUT, mkpkt("10.0.2.20", "10.0.3.30", 6, 5432)), "");
	/* No inbound rule at all. */
	assert_string_equal(why(f, app, RULE_IN, mkpkt("10.0.1.10", "10.0.2.20", 6, 5432)), "");
}

/* The rule named is the first in the ENI's group order, whether it is a
 * protocol's rule or a -1 one. */
static void test_first_rule_named(void **state)
{
	struct fixture *f = *state;
	const struct sg_set *web = set_of(f, "eni-web"), *ops = set_of(f, "eni-opsfirst");
	struct pkt_meta m = mkpkt("10.99.0.5", ME, 6, 1500);

	assert_string_equal(why(f, web, RULE_IN, m),
			    "sg-web inbound rule 2 (tcp 1000-2000 from 0.0.0.0/0)");
	assert_string_equal(why(f, ops, RULE_IN, m),
			    "sg-ops inbound rule 1 (all traffic from 10.99.0.0/16)");
}

/* Overlapping port ranges, through the port index, and a list so full
 * of wide nested ranges that the index is not built (SG_INDEX_MAX): the
 * plain scan must give the same answers. */
static void check_overlaps(size_t nested)
{
	char *text = malloc(65536), err[256];
	struct topology t = {0};
	struct secgroups s;
	const struct sg_set *set = NULL;
	size_t n = 0;

	assert_non_null(text);
	n += (size_t)snprintf(text + n, 65536 - n,
		"{\"NetworkInterfaces\": [{\"NetworkInterfaceId\": \"eni-1\",\n"
		"  \"PrivateIpAddress\": \"10.0.1.10\", \"Groups\": [{\"GroupId\": \"sg-1\"}]}],\n"
		" \"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [\n"
		"  {\"IpProtocol\": \"tcp\", \"FromPort\": 1000, \"ToPort\": 2000,\n"
		"   \"IpRanges\": [{\"CidrIp\": \"10.1.0.0/16\"}]},\n"
		"  {\"IpProtocol\": \"tcp\", \"FromPort\": 1500, \"ToPort\": 1600,\n"
		"   \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]},\n"
		"  {\"IpProtocol\": \"tcp\", \"FromPort\": 1550, \"ToPort\": 1550,\n"
		"   \"IpRanges\": [{\"CidrIp\": \"10.1.2.0/24\"}]}");
	/* Nested [i, 65535 - i] ranges from 172.16.i.0/24: about n^2 / 2
	 * index entries. */
	for (size_t i = 0; i < nested; i++)
		n += (size_t)snprintf(text + n, 65536 - n, ",\n  {\"IpProtocol\": \"tcp\", "
				      "\"FromPort\": %zu, \"ToPort\": %zu, \"IpRanges\": "
				      "[{\"CidrIp\": \"172.16.%zu.0/24\"}]}", i, 65535 - i, i);
	snprintf(text + n, 65536 - n, "]}]}\n");
	write_text(tpath("o.json"), text);
	free(text);
	if (topology_load(&t, tpath("o.json"), err, sizeof(err)) != 0)
		fail_msg("%s", err);
	secgroups_init(&s, &t, NULL);
	assert_int_equal(secgroups_for_eni(&s, t.enis, &set), 0);
	assert_non_null(set);
	if (nested > 150)
		assert_null(set->l[RULE_IN][SGC_TCP].cut);
	else
		assert_non_null(set->l[RULE_IN][SGC_TCP].cut);
	static const struct {
		const char *src;
		uint16_t port;
		uint32_t rule;        /* 1-based; 0 none */
	} cases[] = {
		{"10.1.2.3", 1550, 1}, {"10.2.0.1", 1550, 2}, {"10.2.0.1", 1999, 0},
		{"10.1.9.9", 1600, 1}, {"10.2.0.1", 1601, 0}, {"10.2.0.1", 1500, 2},
		{"10.1.0.1", 999, 0}, {"10.1.0.1", 2000, 1}, {"10.1.0.1", 2001, 0},
		{"172.16.5.1", 5, 9}, {"172.16.5.1", 4, 0}, {"172.16.5.1", 65530, 9},
		{"172.16.5.1", 65531, 0}, {"172.16.0.9", 0, 4}, {"172.16.0.9", 65535, 4},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct pkt_meta m = mkpkt(cases[i].src, "10.0.1.10", 6, cases[i].port);
		uint32_t ref = sg_match(&s, set, RULE_IN, &m);
		uint32_t rule = ref ? s.refs[ref - 1].rule + 1 : 0;
		if (rule != cases[i].rule)
			fail_msg("%s port %u: rule %u, want %u (nested %zu)", cases[i].src,
				 cases[i].port, rule, cases[i].rule, nested);
	}
	secgroups_free(&s);
	topology_free(&t);
}

static void test_overlapping_ranges(void **state)
{
	(void)state;
	check_overlaps(10);
	check_overlaps(200);
}

static void test_proto_text(void **state)
{
	char b[64];
	(void)state;
	rule_proto_text(6, -1, -1, b, sizeof(b));
	assert_string_equal(b, "tcp all ports");
	rule_proto_text(17, 53, -1, b, sizeof(b));
	assert_string_equal(b, "udp 53");
	rule_proto_text(1, -1, -1, b, sizeof(b));
	assert_string_equal(b, "icmp all types");
	rule_proto_text(58, 128, 0, b, sizeof(b));
	assert_string_equal(b, "icmpv6 type 128 code 0");
	rule_proto_text(TOPO_PROTO_ALL, 0, 0, b, sizeof(b));
	assert_string_equal(b, "all traffic");
	rule_proto_text(47, -1, -1, b, sizeof(b));
	assert_string_equal(b, "protocol 47");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_sets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ports, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_families, setup, teardown),
		cmocka_unit_test_setup_teardown(test_protocols, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sources, setup, teardown),
		cmocka_unit_test_setup_teardown(test_first_rule_named, setup, teardown),
		cmocka_unit_test_setup_teardown(test_overlapping_ranges, setup_tmp, teardown_tmp),
		cmocka_unit_test(test_proto_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
