/* test_nacl.c - capture/vpc/nacl.c, the NetworkAcls part of
 * topology_rules.c and the network ACL stage of action.c: entries loaded
 * (and their errors at their positions), RuleNumber order, first match,
 * the default deny, port ranges, ICMP type and code, IPv6, which ACL a
 * subnet uses, and the subnet edge the ACL only sees traffic cross. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "capture/vpc/action.h"
#include "capture/vpc/model.h"
#include "capture/vpc/nacl.h"
#include "testpkt.h"
#include "tmpdir.h"

#define ENTRY(n, proto, act, eg, more) \
	"{\"RuleNumber\": " #n ", \"Protocol\": \"" proto "\", \"RuleAction\": \"" act \
	"\", \"Egress\": " eg ", " more "}"

static const char topo_text[] =
	"{\n"
	" \"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0.0/16\"}],\n"
	" \"Subnets\": [\n"
	"  {\"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.1.0/24\",\n"
	"   \"Ipv6CidrBlockAssociationSet\": [{\"Ipv6CidrBlock\": \"2001:db8:1::/64\"}]},\n"
	"  {\"SubnetId\": \"subnet-b\", \"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.2.0/24\"}],\n"
	" \"NetworkInterfaces\": [\n"
	"  {\"NetworkInterfaceId\": \"eni-a\", \"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\",\n"
	"   \"PrivateIpAddress\": \"10.0.1.10\", \"Ipv6Addresses\": [{\"Ipv6Address\": \"2001:db8:1::10\"}]},\n"
	"  {\"NetworkInterfaceId\": \"eni-a2\", \"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\",\n"
	"   \"PrivateIpAddress\": \"10.0.1.11\"},\n"
	"  {\"NetworkInterfaceId\": \"eni-b\", \"SubnetId\": \"subnet-b\", \"VpcId\": \"vpc-1\",\n"
	"   \"PrivateIpAddress\": \"10.0.2.20\"},\n"
	"  {\"NetworkInterfaceId\": \"eni-d1\", \"SubnetId\": \"subnet-d\", \"VpcId\": \"vpc-1\",\n"
	"   \"PrivateIpAddress\": \"10.0.4.10\"},\n"
	"  {\"NetworkInterfaceId\": \"eni-d2\", \"SubnetId\": \"subnet-d\", \"VpcId\": \"vpc-1\",\n"
	"   \"PrivateIpAddress\": \"10.0.4.11\"},\n"
	"  {\"NetworkInterfaceId\": \"eni-x\", \"SubnetId\": \"subnet-x\", \"VpcId\": \"vpc-2\",\n"
	"   \"PrivateIpAddress\": \"10.9.0.10\"}],\n"
	" \"NetworkAcls\": [\n"
	"  {\"NetworkAclId\": \"acl-custom\", \"VpcId\": \"vpc-1\", \"IsDefault\": false,\n"
	"   \"Associations\": [{\"NetworkAclAssociationId\": \"aclassoc-1\", \"SubnetId\": \"subnet-a\"},\n"
	"                    {\"SubnetId\": \"subnet-d\"}],\n"
	"   \"Entries\": [\n"
	"    " ENTRY(200, "-1", "allow", "false", "\"CidrBlock\": \"0.0.0.0/0\"") ",\n"
	"    " ENTRY(100, "6", "deny", "false", "\"CidrBlock\": \"0.0.0.0/0\", "
			"\"PortRange\": {\"From\": 3389, \"To\": 3389}") ",\n"
	"    " ENTRY(110, "6", "allow", "false", "\"CidrBlock\": \"203.0.113.0/24\", "
			"\"PortRange\": {\"From\": 22, \"To\": 23}") ",\n"
	"    " ENTRY(120, "6", "deny", "false", "\"CidrBlock\": \"0.0.0.0/0\", "
			"\"PortRange\": {\"From\": 22, \"To\": 22}") ",\n"
	"    " ENTRY(130, "1", "deny", "false", "\"CidrBlock\": \"0.0.0.0/0\", "
			"\"IcmpTypeCode\": {\"Type\": 8, \"Code\": -1}") ",\n"
	"    " ENTRY(140, "58", "allow", "false", "\"Ipv6CidrBlock\": \"::/0\", "
			"\"IcmpTypeCode\": {\"Type\": 128, \"Code\": 0}") ",\n"
	"    " ENTRY(32767, "-1", "deny", "false", "\"CidrBlock\": \"0.0.0.0/0\"") ",\n"
	"    " ENTRY(32767, "-1", "deny", "false", "\"Ipv6CidrBlock\": \"::/0\"") ",\n"
	"    " ENTRY(100, "17", "allow", "true", "\"CidrBlock\": \"0.0.0.0/0\", "
			"\"PortRange\": {\"From\": 53, \"To\": 53}") ",\n"
	"    " ENTRY(32767, "-1", "deny", "true", "\"CidrBlock\": \"0.0.0.0/0\"") ",\n"
	"    " ENTRY(150, "47", "deny", "false", "\"CidrBlock\": \"0.0.0.0/0\"") "]},\n"
	"  {\"NetworkAclId\": \"acl-default\", \"VpcId\": \"vpc-1\", \"IsDefault\": true,\n"
	"   \"Associations\": [], \"Entries\": [\n"
	"    " ENTRY(100, "-1", "allow", "false", "\"CidrBlock\": \"0.0.0.0/0\"") ",\n"
	"    " ENTRY(100, "-1", "allow", "true", "\"CidrBlock\": \"0.0.0.0/0\"") "]},\n"
	"  {\"NetworkAclId\": \"acl-empty\", \"VpcId\": \"vpc-9\",\n"
	"   \"Associations\": [{\"SubnetId\": \"subnet-z\"}], \"Entries\": []}\n"
	" ]\n"
	"}\n";

struct fixture {
	struct vpc_model m;
	struct eni_table enis;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	static const char *files[1];
	char err[256];

	if (!f || setup_tmp(state) != 0)
		return -1;
	write_text(tpath("t.json"), topo_text);
	files[0] = tpath("t.json");
	struct model_options o = {files, 1, NULL, 0, NULL, 0};
	if (eni_table_init(&f->enis, 600) != 0 || model_build(&f->m, &f->enis, &o, err, sizeof(err))) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	model_free(&f->m);
	eni_table_free(&f->enis);
	free(f);
	return teardown_tmp(state);
}

static const struct nacl *acl_named(const struct fixture *f, const char *id)
{
	static const struct nacl none;

	for (size_t i = 0; i < f->m.acls.n; i++)
		if (strcmp(f->m.acls.v[i].t->id, id) == 0)
			return f->m.acls.v + i;
	fail_msg("no %s", id);
	return &none;   /* not reached: fail_msg jumps out */
}

/* The entry that decides m, described, or "none". */
static const char *decides(const struct nacl *a, enum rule_dir d, struct pkt_meta m)
{
	static char buf[256];
	uint32_t i = nacl_match(a, d, &m);

	if (i == NACL_NO_ENTRY)
		return "none";
	nacl_describe(a, i, buf, sizeof(buf));
	return buf;
}

#define IN(m) decides(a, RULE_IN, (m))
#define OUT(m) decides(a, RULE_OUT, (m))
#define ME "10.0.1.10"

static void test_load(void **state)
{
	struct fixture *f = *state;
	const struct topology *t = &f->m.topo;

	assert_int_equal(t->nacls, 3);
	const struct topo_acl *c = t->acls;
	assert_string_equal(c->id, "acl-custom");
	assert_string_equal(c->vpc, "vpc-1");
	assert_false(c->is_default);
	assert_true(t->acls[1].is_default);
	assert_int_equal(c->nsubnets, 2);
	assert_string_equal(c->subnets[1], "subnet-d");
	assert_int_equal(c->nentries, 11);
	assert_int_equal(c->entries[0].rule, 200);
	assert_int_equal(c->entries[0].proto, TOPO_PROTO_ALL);
	assert_true(c->entries[0].allow);
	assert_false(c->entries[0].egress);
	assert_int_equal(c->entries[1].from, 3389);
	assert_int_equal(c->entries[1].to, 3389);
	assert_int_equal(c->entries[1].icmp_type, -1);
	assert_false(c->entries[1].allow);
	assert_int_equal(c->entries[4].icmp_type, 8);
	assert_int_equal(c->entries[4].icmp_code, -1);
	assert_int_equal(c->entries[4].from, -1);
	assert_true(c->entries[5].has_cidr);
	assert_int_equal(c->entries[5].cidr.len, 0);                 /* ::/0 */
	assert_true(c->entries[8].egress);
	/* Compiled: per direction, family and class, by RuleNumber. */
	const struct nacl *a = acl_named(f, "acl-custom");
	static const uint16_t tcp4[] = {100, 110, 120, 200, 32767}, icmp4[] = {130, 200, 32767},
			      icmp6[] = {140, 32767};
	assert_int_equal(a->n[RULE_IN][0][NACL_TCP], 5);
	assert_int_equal(a->n[RULE_IN][0][NACL_UDP], 2);           /* 200, 32767 */
	assert_int_equal(a->n[RULE_IN][0][NACL_ICMP], 3);
	assert_int_equal(a->n[RULE_IN][1][NACL_TCP], 1);           /* the v6 32767 */
	assert_int_equal(a->n[RULE_IN][1][NACL_ICMP], 2);
	assert_int_equal(a->n[RULE_IN][0][NACL_OTHER], 3);          /* 150, 200, 32767 */
	assert_int_equal(a->n[RULE_OUT][0][NACL_UDP], 2);
	assert_int_equal(a->n[RULE_OUT][0][NACL_TCP], 1);
	assert_int_equal(a->n[RULE_OUT][1][NACL_TCP], 0);
	for (size_t i = 0; i < 5; i++)
		assert_int_equal(a->e[RULE_IN][0][NACL_TCP][i].rule, tcp4[i]);
	for (size_t i = 0; i < 3; i++)
		assert_int_equal(a->e[RULE_IN][0][NACL_ICMP][i].rule, icmp4[i]);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(a->e[RULE_IN][1][NACL_ICMP][i].rule, icmp6[i]);
	assert_int_equal(a->e[RULE_IN][0][NACL_TCP][0].pos, 1);   /* 100 is listed second */
	assert_int_equal(acl_named(f, "acl-empty")->n[RULE_IN][0][NACL_TCP], 0);
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
	assert_int_equal(t.nacls, 0);
	topology_free(&t);
}

#define ACL(e) "{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"Entries\": [" e "]}]}"

static void test_load_errors(void **state)
{
	(void)state;
	assert_error(ACL("{\"RuleNumber\": 0}"),
		     "t.json:1:71: 0 is not a rule number (1 to 32767) for \"RuleNumber\"");
	assert_error(ACL("{\"RuleNumber\": 40000}"),
		     "t.json:1:71: 40000 is not a rule number (1 to 32767) for \"RuleNumber\"");
	assert_error(ACL("{\"RuleNumber\": \"100\"}"),
		     "t.json:1:71: expected a number for \"RuleNumber\"");
	assert_error(ACL("{\"Protocol\": \"-1\"}"), "t.json:1:56: missing \"RuleNumber\"");
	assert_error(ACL("{\"RuleNumber\": 1, \"RuleAction\": \"deny\"}"),
		     "t.json:1:56: missing \"Protocol\"");
	assert_error(ACL("{\"RuleNumber\": 1, \"Protocol\": \"x\"}"),
		     "t.json:1:86: \"x\" is not an IP protocol for \"Protocol\"");
	assert_error(ACL("{\"RuleNumber\": 1, \"Protocol\": \"6\"}"),
		     "t.json:1:56: missing \"RuleAction\"");
	assert_error(ACL("{\"RuleNumber\": 1, \"Protocol\": \"6\", \"RuleAction\": \"maybe\"}"),
		     "t.json:1:105: \"maybe\" is not \"allow\" or \"deny\" for \"RuleAction\"");
	assert_error(ACL("{\"RuleNumber\": 1, \"Protocol\": \"6\", \"RuleAction\": \"deny\", "
			 "\"Egress\": \"yes\"}"),
		     "t.json:1:123: expected a boolean for \"Egress\"");
	assert_error(ACL("{\"RuleNumber\": 1, \"Protocol\": \"6\", \"RuleAction\": \"deny\", "
			 "\"PortRange\": \"22\"}"),
		     "t.json:1:126: expected an object for \"PortRange\"");
	assert_error(ACL("{\"RuleNumber\": 1, \"Protocol\": \"6\", \"RuleAction\": \"deny\", "
			 "\"PortRange\": {\"From\": \"22\"}}"),
		     "t.json:1:135: expected a number for \"From\"");
	assert_error(ACL("{\"RuleNumber\": 1, \"Protocol\": \"1\", \"RuleAction\": \"deny\", "
			 "\"IcmpTypeCode\": {\"Code\": 300}}"),
		     "t.json:1:138: 300 is not an ICMP type or code (-1 to 255) for \"Code\"");
	assert_error(ACL("{\"RuleNumber\": 1, \"Protocol\": \"6\", \"RuleAction\": \"deny\", "
			 "\"CidrBlock\": \"10.0.0.0/8x\"}"),
		     "t.json:1:126: \"10.0.0.0/8x\" is not a CIDR block for \"CidrBlock\"");
	assert_error("{\"NetworkAcls\": [{\"IsDefault\": 1}]}",
		     "t.json:1:32: expected a boolean for \"IsDefault\"");
}

static void test_order_and_first_match(void **state)
{
	struct fixture *f = *state;
	const struct nacl *a = acl_named(f, "acl-custom");

	/* Listed first in the file, 200 still comes after 100..140. */
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 3389)),
			    "acl-custom inbound rule 100 (tcp 3389, 0.0.0.0/0) denies");
	/* 110 allows before 120 denies. */
	assert_string_equal(IN(mkpkt("203.0.113.9", ME, 6, 22)),
			    "acl-custom inbound rule 110 (tcp 22-23, 203.0.113.0/24) allows");
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 22)),
			    "acl-custom inbound rule 120 (tcp 22, 0.0.0.0/0) denies");
	/* Port range bounds. */
	assert_string_equal(IN(mkpkt("203.0.113.9", ME, 6, 23)),
			    "acl-custom inbound rule 110 (tcp 22-23, 203.0.113.0/24) allows");
	assert_string_equal(IN(mkpkt("203.0.113.9", ME, 6, 21)),
			    "acl-custom inbound rule 200 (all traffic, 0.0.0.0/0) allows");
	assert_string_equal(IN(mkpkt("203.0.113.9", ME, 6, 24)),
			    "acl-custom inbound rule 200 (all traffic, 0.0.0.0/0) allows");
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 17, 3389)),
			    "acl-custom inbound rule 200 (all traffic, 0.0.0.0/0) allows");
	/* A numbered protocol: GRE only. */
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 47, 0)),
			    "acl-custom inbound rule 150 (protocol 47, 0.0.0.0/0) denies");
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 50, 0)),
			    "acl-custom inbound rule 200 (all traffic, 0.0.0.0/0) allows");
}

static void test_icmp_and_ipv6(void **state)
{
	struct fixture *f = *state;
	const struct nacl *a = acl_named(f, "acl-custom");
	const char *me6 = "2001:db8:1::10";

	assert_string_equal(IN(mkicmp("8.8.8.8", ME, 8, 0)),
			    "acl-custom inbound rule 130 (icmp type 8, 0.0.0.0/0) denies");
	assert_string_equal(IN(mkicmp("8.8.8.8", ME, 8, 9)),
			    "acl-custom inbound rule 130 (icmp type 8, 0.0.0.0/0) denies");
	assert_string_equal(IN(mkicmp("8.8.8.8", ME, 0, 0)),
			    "acl-custom inbound rule 200 (all traffic, 0.0.0.0/0) allows");
	assert_string_equal(IN(mkicmp("2001:db8::1", me6, 128, 0)),
			    "acl-custom inbound rule 140 (icmpv6 type 128 code 0, ::/0) allows");
	assert_string_equal(IN(mkicmp("2001:db8::1", me6, 128, 1)),
			    "acl-custom inbound rule 32767 (all traffic, ::/0) denies");
	/* 0.0.0.0/0 entries never match IPv6: the v6 "*" entry does. */
	assert_string_equal(IN(mkpkt("2001:db8::1", me6, 6, 80)),
			    "acl-custom inbound rule 32767 (all traffic, ::/0) denies");
}

static void test_default_deny(void **state)
{
	struct fixture *f = *state;
	const struct nacl *a = acl_named(f, "acl-custom");

	assert_string_equal(OUT(mkpkt(ME, "8.8.8.8", 17, 53)),
			    "acl-custom outbound rule 100 (udp 53, 0.0.0.0/0) allows");
	assert_string_equal(OUT(mkpkt(ME, "8.8.8.8", 6, 443)),
			    "acl-custom outbound rule 32767 (all traffic, 0.0.0.0/0) denies");
	/* No outbound IPv6 entry at all: nothing matches, which denies. */
	assert_string_equal(OUT(mkpkt("2001:db8:1::10", "2001:db8::1", 6, 443)), "none");
	a = acl_named(f, "acl-empty");
	assert_string_equal(IN(mkpkt("8.8.8.8", ME, 6, 80)), "none");
}

static void test_which_acl(void **state)
{
	struct fixture *f = *state;
	const struct nacls *v = &f->m.acls;

	assert_ptr_equal(nacls_for_subnet(v, "subnet-a", "vpc-1"), acl_named(f, "acl-custom"));
	/* No association: the VPC's default. */
	assert_ptr_equal(nacls_for_subnet(v, "subnet-b", "vpc-1"), acl_named(f, "acl-default"));
	assert_ptr_equal(nacls_for_subnet(v, "subnet-z", "vpc-9"), acl_named(f, "acl-empty"));
	/* Neither: no ACL evaluation. */
	assert_null(nacls_for_subnet(v, "subnet-q", "vpc-2"));
	assert_null(nacls_for_subnet(v, NULL, NULL));
}

/* action.c: the ACL stage, with the same-subnet bypass. */
static struct verdict judge(struct fixture *f, const char *eni_addr, uint8_t dir,
			    const char *peer_addr, struct pkt_meta m)
{
	struct ip_addr a;
	struct verdict v;

	assert_true(ip_addr_parse(eni_addr, &a));
	int e = eni_lookup(&f->enis, &a);
	assert_true(e >= 0);
	const struct eni *peer = NULL;
	if (peer_addr) {
		assert_true(ip_addr_parse(peer_addr, &a));
		int p = eni_lookup(&f->enis, &a);
		assert_true(p >= 0);
		peer = f->enis.v[p];
	}
	action_decide(NULL, &f->m, f->enis.v[e], dir, peer, &m, 1000, NULL, 0, &v);
	return v;
}

static const char *explain(struct fixture *f, const char *eni_addr, uint8_t dir,
			   const struct verdict *v)
{
	static char buf[512];
	struct ip_addr a;
	size_t len = 0;

	assert_true(ip_addr_parse(eni_addr, &a));
	action_explain(&f->m, f->enis.v[eni_lookup(&f->enis, &a)], dir, v, buf, sizeof(buf), &len);
	return buf;
}

static void test_subnet_edge(void **state)
{
	struct fixture *f = *state;
	struct verdict v;

	/* From the same subnet the ACL is not crossed. */
	v = judge(f, ME, DIR_INGRESS, "10.0.1.11", mkpkt("10.0.1.11", ME, 6, 3389));
	assert_int_equal(v.action, ACTION_ACCEPT);
	assert_int_equal(v.acl, VERDICT_ACL_SAME_SUBNET);
	/* Also from an address of it that is no monitored ENI, IPv6 too. */
	v = judge(f, ME, DIR_INGRESS, NULL, mkpkt("10.0.1.99", ME, 6, 3389));
	assert_int_equal(v.action, ACTION_ACCEPT);
	v = judge(f, "2001:db8:1::10", DIR_INGRESS, NULL,
		  mkpkt("2001:db8:1::99", "2001:db8:1::10", 6, 80));
	assert_int_equal(v.action, ACTION_ACCEPT);
	v = judge(f, "2001:db8:1::10", DIR_INGRESS, NULL,
		  mkpkt("2001:db8:2::99", "2001:db8:1::10", 6, 80));
	assert_int_equal(v.action, ACTION_REJECT);
	/* From another subnet it is. */
	v = judge(f, ME, DIR_INGRESS, "10.0.2.20", mkpkt("10.0.2.20", ME, 6, 3389));
	assert_int_equal(v.action, ACTION_REJECT);
	assert_int_equal(v.acl, VERDICT_ACL_ENTRY + 1);      /* Entries[1] */
	assert_string_equal(explain(f, ME, DIR_INGRESS, &v),
			    "; REJECT: network ACL acl-custom inbound rule 100 (tcp 3389, 0.0.0.0/0) "
			    "denies; security groups not evaluated (no group of the interface is "
			    "in SecurityGroups)");
	/* Outbound, the destination decides. */
	v = judge(f, ME, DIR_EGRESS, NULL, mkpkt(ME, "10.0.1.50", 6, 443));
	assert_int_equal(v.action, ACTION_ACCEPT);
	assert_string_equal(explain(f, ME, DIR_EGRESS, &v),
			    "; ACCEPT: security groups not evaluated (no group of the interface is "
			    "in SecurityGroups); network ACL acl-custom not crossed (destination "
			    "in the same subnet)");
	v = judge(f, ME, DIR_EGRESS, NULL, mkpkt(ME, "10.0.2.50", 6, 443));
	assert_int_equal(v.action, ACTION_REJECT);
	/* subnet-d is not in Subnets: two monitored ENIs with its SubnetId are
	 * in it; an unknown address is not. */
	v = judge(f, "10.0.4.10", DIR_INGRESS, "10.0.4.11", mkpkt("10.0.4.11", "10.0.4.10", 6, 3389));
	assert_int_equal(v.action, ACTION_ACCEPT);
	v = judge(f, "10.0.4.10", DIR_INGRESS, NULL, mkpkt("10.0.4.12", "10.0.4.10", 6, 3389));
	assert_int_equal(v.action, ACTION_REJECT);
	/* The default ACL of subnet-b allows; vpc-2 has none: not evaluated. */
	v = judge(f, "10.0.2.20", DIR_INGRESS, NULL, mkpkt("8.8.8.8", "10.0.2.20", 6, 3389));
	assert_int_equal(v.action, ACTION_ACCEPT);
	v = judge(f, "10.9.0.10", DIR_INGRESS, NULL, mkpkt("8.8.8.8", "10.9.0.10", 6, 3389));
	assert_int_equal(v.action, ACTION_ACCEPT);
	assert_int_equal(v.acl, VERDICT_ACL_NONE);
	assert_string_equal(explain(f, "10.9.0.10", DIR_INGRESS, &v),
			    "; ACCEPT: security groups and network ACLs are not evaluated");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_load, setup, teardown),
		cmocka_unit_test_setup_teardown(test_load_errors, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_order_and_first_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_icmp_and_ipv6, setup, teardown),
		cmocka_unit_test_setup_teardown(test_default_deny, setup, teardown),
		cmocka_unit_test_setup_teardown(test_which_acl, setup, teardown),
		cmocka_unit_test_setup_teardown(test_subnet_edge, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
