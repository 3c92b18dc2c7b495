/* topology_rules.c - SecurityGroups[] (describe-security-groups) and
 * NetworkAcls[] (describe-network-acls) into struct topology (PRODUCT.md 4).
 *
 * Same loader as topology_items.c: every bad value is reported at its
 * position; protocols, ports and rule numbers are checked here so that the
 * rule engines (secgroup.c, nacl.c) get only values EC2 itself would accept.
 * Decides nothing about packets. */
#include "capture/vpc/topology_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "formats/mem.h"

#define RULE_NUMBER_MAX 32767         /* the "*" entry AWS lists last */

static int add_str(struct topo_ld *ld, char ***arr, size_t *n, const char *s)
{
	char **slot;

	if (TOPO_APPEND(ld, *arr, *n, slot) < 0)
		return -1;
	if ((*slot = topo_strdup(s)) == NULL)
		return topo_oom(ld);
	return 0;
}

/* obj[key], an integer in lo..hi (what names the range in the message):
 * 0, leaving *out alone when absent, or -1. */
static int int_in(struct topo_ld *ld, json_t *obj, const char *key, json_int_t lo,
                  json_int_t hi, const char *what, int *out)
{
	json_t *v;
	int r = topo_member(ld, obj, key, JSON_INTEGER, &v);

	if (r <= 0)
		return r;
	if (!json_is_integer(v))
		return topo_fail(ld, "%g is not %s (%" JSON_INTEGER_FORMAT " to %"
		                 JSON_INTEGER_FORMAT ") for \"%s\"", json_number_value(v),
		                 what, lo, hi, key);
	if (json_integer_value(v) < lo || json_integer_value(v) > hi)
		return topo_fail(ld, "%" JSON_INTEGER_FORMAT " is not %s (%" JSON_INTEGER_FORMAT
		                 " to %" JSON_INTEGER_FORMAT ") for \"%s\"",
		                 json_integer_value(v), what, lo, hi, key);
	*out = (int)json_integer_value(v);
	topo_pop(ld);
	return 0;
}

/* "-1" (every protocol), a name EC2 accepts, or a decimal number 0..255. */
static bool parse_proto(const char *s, int *out)
{
	static const struct { const char *name; int num; } names[] = {
		{"tcp", 6}, {"udp", 17}, {"icmp", 1}, {"icmpv6", 58},
	};
	size_t n = strlen(s);
	int v = 0;

	if (strcmp(s, "-1") == 0) {
		*out = TOPO_PROTO_ALL;
		return true;
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].num;
			return true;
		}
	if (n == 0 || n > 3)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	if (v > 255)
		return false;
	*out = v;
	return true;
}

/* obj[key], a protocol; required: a rule without one means nothing. */
static int protocol(struct topo_ld *ld, json_t *obj, const char *key, int *out)
{
	const char *s = NULL;
	char q[80];

	if (topo_cstr(ld, obj, key, &s) < 0)
		return -1;
	if (s == NULL)
		return topo_fail(ld, "missing \"%s\"", key);
	if (parse_proto(s, out))
		return 0;
	topo_push(ld, key);
	return topo_fail(ld, "%s is not an IP protocol for \"%s\"",
	                 topo_quote(s, q, sizeof(q)), key);
}

/* ---- SecurityGroups[] ---------------------------------------------------- */

static int add_cidr(struct topo_ld *ld, struct topo_sg_rule *r, const struct ip_prefix *p)
{
	struct ip_prefix *slot;

	if (TOPO_APPEND(ld, r->cidrs, r->ncidrs, slot) < 0)
		return -1;
	*slot = *p;
	return 0;
}

static int sg_range4(struct topo_ld *ld, json_t *item, void *arg)
{
	struct ip_prefix p;
	bool have;

	if (topo_member_prefix(ld, item, "CidrIp", FAM_V4, &p, &have) < 0)
		return -1;
	return have ? add_cidr(ld, arg, &p) : 0;
}

static int sg_range6(struct topo_ld *ld, json_t *item, void *arg)
{
	struct ip_prefix p;
	bool have;

	if (topo_member_prefix(ld, item, "CidrIpv6", FAM_V6, &p, &have) < 0)
		return -1;
	return have ? add_cidr(ld, arg, &p) : 0;
}

static int sg_prefix_list(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topo_sg_rule *r = arg;
	const char *id = NULL;

	if (topo_cstr(ld, item, "PrefixListId", &id) < 0)
		return -1;
	return id ? add_str(ld, &r->prefix_lists, &r->nprefix_lists, id) : 0;
}

static int sg_group_pair(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topo_sg_rule *r = arg;
	const char *id = NULL;

	if (topo_cstr(ld, item, "GroupId", &id) < 0)
		return -1;
	return id ? add_str(ld, &r->groups, &r->ngroups, id) : 0;
}

struct rules_ctx {
	struct topo_sg_rule **arr;
	size_t *n;
};

/* FromPort/ToPort are ports for TCP and UDP and ICMP type and code for
 * ICMP and ICMPv6; -1 means all (EC2 also lists them for other protocols,
 * where they mean nothing). */
static int sg_rule(struct topo_ld *ld, json_t *item, void *arg)
{
	struct rules_ctx *c = arg;
	struct topo_sg_rule *r;
	bool icmp;

	if (TOPO_APPEND(ld, *c->arr, *c->n, r) < 0)
		return -1;
	r->from = r->to = -1;
	if (protocol(ld, item, "IpProtocol", &r->proto) < 0)
		return -1;
	icmp = r->proto == 1 || r->proto == 58;
	if (int_in(ld, item, "FromPort", -1, icmp ? 255 : 65535,
	           icmp ? "an ICMP type" : "a port", &r->from) < 0 ||
	    int_in(ld, item, "ToPort", -1, icmp ? 255 : 65535,
	           icmp ? "an ICMP code" : "a port", &r->to) < 0 ||
	    topo_each(ld, item, "IpRanges", JSON_OBJECT, sg_range4, r) < 0 ||
	    topo_each(ld, item, "Ipv6Ranges", JSON_OBJECT, sg_range6, r) < 0 ||
	    topo_each(ld, item, "PrefixListIds", JSON_OBJECT, sg_prefix_list, r) < 0 ||
	    topo_each(ld, item, "UserIdGroupPairs", JSON_OBJECT, sg_group_pair, r) < 0)
		return -1;
	return 0;
}

int topo_sg_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topology *t = arg;
	struct topo_sg *g;
	struct rules_ctx in, out;

	if (TOPO_APPEND(ld, t->sgs, t->nsgs, g) < 0 ||
	    topo_str(ld, item, "GroupId", &g->id) < 0 ||
	    topo_str(ld, item, "VpcId", &g->vpc) < 0)
		return -1;
	in = (struct rules_ctx){&g->in, &g->nin};
	out = (struct rules_ctx){&g->out, &g->nout};
	if (topo_each(ld, item, "IpPermissions", JSON_OBJECT, sg_rule, &in) < 0 ||
	    topo_each(ld, item, "IpPermissionsEgress", JSON_OBJECT, sg_rule, &out) < 0)
		return -1;
	return 0;
}

/* ---- NetworkAcls[] ------------------------------------------------------- */

static int acl_association(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topo_acl *a = arg;
	const char *subnet = NULL;

	if (topo_cstr(ld, item, "SubnetId", &subnet) < 0)
		return -1;
	return subnet ? add_str(ld, &a->subnets, &a->nsubnets, subnet) : 0;
}

/* obj[key] = {lokey: .., hikey: ..}, an optional object of two integers. */
static int int_pair(struct topo_ld *ld, json_t *obj, const char *key, const char *lokey,
                    const char *hikey, json_int_t hi, const char *what, int out[2])
{
	json_t *o;
	int r = topo_member(ld, obj, key, JSON_OBJECT, &o);

	if (r <= 0)
		return r;
	if (int_in(ld, o, lokey, -1, hi, what, &out[0]) < 0 ||
	    int_in(ld, o, hikey, -1, hi, what, &out[1]) < 0)
		return -1;
	topo_pop(ld);
	return 0;
}

static int acl_action(struct topo_ld *ld, json_t *item, bool *allow)
{
	const char *s = NULL;
	char q[80];

	if (topo_cstr(ld, item, "RuleAction", &s) < 0)
		return -1;
	if (s == NULL)
		return topo_fail(ld, "missing \"RuleAction\"");
	if (strcmp(s, "allow") == 0 || strcmp(s, "deny") == 0) {
		*allow = s[0] == 'a';
		return 0;
	}
	topo_push(ld, "RuleAction");
	return topo_fail(ld, "%s is not \"allow\" or \"deny\" for \"RuleAction\"",
	                 topo_quote(s, q, sizeof(q)));
}

static int acl_entry(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topo_acl *a = arg;
	struct topo_acl_entry *e;
	struct ip_prefix p6;
	int rule = -1, ports[2] = {-1, -1}, icmp[2] = {-1, -1};
	bool have6;

	if (TOPO_APPEND(ld, a->entries, a->nentries, e) < 0 ||
	    int_in(ld, item, "RuleNumber", 1, RULE_NUMBER_MAX, "a rule number", &rule) < 0)
		return -1;
	if (rule < 0)
		return topo_fail(ld, "missing \"RuleNumber\"");
	if (protocol(ld, item, "Protocol", &e->proto) < 0 ||
	    acl_action(ld, item, &e->allow) < 0 ||
	    topo_bool(ld, item, "Egress", &e->egress) < 0 ||
	    topo_member_prefix(ld, item, "CidrBlock", FAM_V4, &e->cidr, &e->has_cidr) < 0 ||
	    topo_member_prefix(ld, item, "Ipv6CidrBlock", FAM_V6, &p6, &have6) < 0 ||
	    int_pair(ld, item, "PortRange", "From", "To", 65535, "a port", ports) < 0 ||
	    int_pair(ld, item, "IcmpTypeCode", "Type", "Code", 255, "an ICMP type or code",
	             icmp) < 0)
		return -1;
	if (have6 && !e->has_cidr) {
		e->cidr = p6;
		e->has_cidr = true;
	}
	e->rule = (uint16_t)rule;
	e->from = ports[0];
	e->to = ports[1];
	e->icmp_type = icmp[0];
	e->icmp_code = icmp[1];
	return 0;
}

int topo_acl_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topology *t = arg;
	struct topo_acl *a;

	if (TOPO_APPEND(ld, t->acls, t->nacls, a) < 0 ||
	    topo_str(ld, item, "NetworkAclId", &a->id) < 0 ||
	    topo_str(ld, item, "VpcId", &a->vpc) < 0 ||
	    topo_bool(ld, item, "IsDefault", &a->is_default) < 0 ||
	    topo_each(ld, item, "Associations", JSON_OBJECT, acl_association, a) < 0)
		return -1;
	return topo_each(ld, item, "Entries", JSON_OBJECT, acl_entry, a);
}

/* ---- freeing ------------------------------------------------------------- */

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vfe_free(v[i]);
	vfe_free(v);
}

static void free_rules(struct topo_sg_rule *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		vfe_free(r[i].cidrs);
		free_strv(r[i].prefix_lists, r[i].nprefix_lists);
		free_strv(r[i].groups, r[i].ngroups);
	}
	vfe_free(r);
}

void topo_rules_free(struct topology *t)
{
	for (size_t i = 0; i < t->nsgs; i++) {
		vfe_free(t->sgs[i].id);
		vfe_free(t->sgs[i].vpc);
		free_rules(t->sgs[i].in, t->sgs[i].nin);
		free_rules(t->sgs[i].out, t->sgs[i].nout);
	}
	vfe_free(t->sgs);
	for (size_t i = 0; i < t->nacls; i++) {
		vfe_free(t->acls[i].id);
		vfe_free(t->acls[i].vpc);
		free_strv(t->acls[i].subnets, t->acls[i].nsubnets);
		vfe_free(t->acls[i].entries);
	}
	vfe_free(t->acls);
	t->sgs = NULL;
	t->acls = NULL;
	t->nsgs = t->nacls = 0;
}
