/* nacl.c - NetworkAcls to sorted entry lists, first match, and the entry
 * texts of --explain (VPC user guide, "Network ACL rules"; spec 5.1).
 *
 * Must not keep state between packets: network ACLs are stateless. Whether
 * a packet crosses the subnet boundary at all is action.c's question. */
#include "capture/vpc/nacl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/vpc/secgroup.h"
#include "formats/mem.h"

static int by_rule(const void *pa, const void *pb)
{
	const struct nacl_entry *a = pa, *b = pb;

	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);   /* stable: file order */
}

/* Protocol -1 and protocols without ports or types match any packet of
 * theirs; TCP and UDP range over PortRange, ICMP and ICMPv6 over
 * IcmpTypeCode (-1 all), when given. */
static void compile_entry(const struct topo_acl_entry *t, uint32_t pos, struct nacl_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->pos = pos;
	e->rule = t->rule;
	e->proto = (int16_t)t->proto;
	e->hi = 65535;
	e->chi = 255;
	ip_block_of(&t->cidr, &e->block);
	if (t->proto >= 0 && proto_has_ports((unsigned)t->proto) && t->from >= 0) {
		e->lo = (uint16_t)t->from;
		e->hi = (uint16_t)(t->to >= 0 ? t->to : t->from);
	} else if (t->proto >= 0 && proto_is_icmp((unsigned)t->proto) && t->icmp_type >= 0) {
		e->lo = e->hi = (uint16_t)t->icmp_type;
		if (t->icmp_code >= 0)
			e->clo = e->chi = (uint8_t)t->icmp_code;
	}
}

static enum nacl_class class_of(int proto)
{
	return proto == 6 ? NACL_TCP : proto == 17 ? NACL_UDP :
	       proto == 1 || proto == 58 ? NACL_ICMP : NACL_OTHER;
}

static bool in_list(const struct topo_acl_entry *te, int d, int f, int c)
{
	return te->egress == (d == RULE_OUT) && te->has_cidr &&
	       ip_prefix_family(&te->cidr) == (f ? 6 : 4) &&
	       (te->proto == TOPO_PROTO_ALL || class_of(te->proto) == (enum nacl_class)c);
}

static int build_one(struct nacl *a, const struct topo_acl *t)
{
	a->t = t;
	for (int d = 0; d < RULE_DIRS; d++)
		for (int f = 0; f < 2; f++)
			for (int c = 0; c < NACL_CLASSES && t->nentries > 0; c++) {
				struct nacl_entry *v = vfe_malloc(t->nentries * sizeof(*v));
				uint32_t n = 0;
				if (!(a->e[d][f][c] = v))
					return -1;
				for (size_t i = 0; i < t->nentries; i++)
					if (in_list(t->entries + i, d, f, c))
						compile_entry(t->entries + i, (uint32_t)i, v + n++);
				if (n > 1)
					qsort(v, n, sizeof(*v), by_rule);
				a->n[d][f][c] = n;
			}
	return 0;
}

int nacls_build(struct nacls *a, const struct topology *t)
{
	memset(a, 0, sizeof(*a));
	if (t->nacls == 0)
		return 0;
	if (!(a->v = vfe_calloc(t->nacls, sizeof(*a->v))))
		return -1;
	a->n = t->nacls;
	for (size_t i = 0; i < t->nacls; i++)
		if (build_one(a->v + i, t->acls + i) != 0) {
			nacls_free(a);
			return -1;
		}
	return 0;
}

void nacls_free(struct nacls *a)
{
	for (size_t i = 0; i < a->n; i++)
		for (int d = 0; d < RULE_DIRS; d++)
			for (int f = 0; f < 2; f++)
				for (int c = 0; c < NACL_CLASSES; c++)
					vfe_free(a->v[i].e[d][f][c]);
	vfe_free(a->v);
	memset(a, 0, sizeof(*a));
}

const struct nacl *nacls_for_subnet(const struct nacls *a, const char *subnet,
				    const char *vpc)
{
	const struct nacl *def = NULL;

	for (size_t i = 0; i < a->n; i++) {
		const struct topo_acl *t = a->v[i].t;
		for (size_t k = 0; subnet && k < t->nsubnets; k++)
			if (strcmp(t->subnets[k], subnet) == 0)
				return a->v + i;
		if (t->is_default && !def && vpc && t->vpc && strcmp(t->vpc, vpc) == 0)
			def = a->v + i;
	}
	return def;
}

uint32_t nacl_match_probe(const struct nacl *acl, enum rule_dir dir, const struct rule_probe *q)
{
	int f = q->family == 6;
	enum nacl_class c = class_of(q->proto);
	const struct nacl_entry *e = acl->e[dir][f][c];
	uint32_t n = acl->n[dir][f][c];
	/* TCP and UDP lists hold only their protocol's entries and -1 ones;
	 * ICMP ones both ICMPs, other ones every other protocol. */
	bool check_proto = c == NACL_ICMP || c == NACL_OTHER;

	for (uint32_t i = 0; i < n; i++, e++)
		if (q->p1 >= e->lo && q->p1 <= e->hi && q->p2 >= e->clo && q->p2 <= e->chi &&
		    (!check_proto || e->proto < 0 || e->proto == q->proto) &&
		    ip_block_has(&e->block, q->a))
			return e->pos;
	return NACL_NO_ENTRY;
}

uint32_t nacl_match(const struct nacl *acl, enum rule_dir dir, const struct pkt_meta *m)
{
	struct rule_probe q;

	rule_probe_of(m, dir, &q);
	return nacl_match_probe(acl, dir, &q);
}

void nacl_describe(const struct nacl *acl, uint32_t pos, char *buf, size_t cap)
{
	const struct topo_acl_entry *t = acl->t->entries + pos;
	bool icmp = t->proto >= 0 && proto_is_icmp((unsigned)t->proto);
	char pt[64], cidr[IP_ADDR_STRLEN + 8] = "no CIDR block";

	rule_proto_text(t->proto, icmp ? t->icmp_type : t->from, icmp ? t->icmp_code : t->to,
			pt, sizeof(pt));
	if (t->has_cidr) {
		char a[IP_ADDR_STRLEN];
		ip_addr_format(&t->cidr.addr, a);
		snprintf(cidr, sizeof(cidr), "%s/%u", a,
			 ip_prefix_family(&t->cidr) == 4 ? t->cidr.len - 96u : t->cidr.len);
	}
	snprintf(buf, cap, "%s %s rule %u (%s, %s) %s", acl->t->id ? acl->t->id : "(no NetworkAclId)",
		 t->egress ? "outbound" : "inbound", t->rule, pt, cidr,
		 t->allow ? "allows" : "denies");
}
