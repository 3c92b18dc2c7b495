/* secgroup.c - SecurityGroups to atom lists, and the stateless match
 * (EC2 user guide, "Security group rules"; spec 5.1).
 *
 * Owns the compiled sets, the member lists of referenced groups and the
 * rule texts of --explain. Must not keep packet state: replies to allowed
 * traffic are conntrack.c's business, and which ENI is asked action.c's. */
#include "capture/vpc/secgroup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/vpc/routes.h"
#include "formats/mem.h"

static void no_block(void *ctx, const struct ip_prefix *p)
{
	(void)ctx;
	(void)p;
}

void secgroups_init(struct secgroups *s, const struct topology *t, const struct services *svc)
{
	memset(s, 0, sizeof(*s));
	s->topo = t;
	s->svc = svc;
	/* Counted once per source here, however many sets use the group. */
	for (size_t g = 0; g < t->nsgs; g++)
		for (int d = 0; d < RULE_DIRS; d++) {
			const struct topo_sg_rule *r = d == RULE_IN ? t->sgs[g].in : t->sgs[g].out;
			size_t nr = d == RULE_IN ? t->sgs[g].nin : t->sgs[g].nout;
			for (size_t i = 0; i < nr; i++)
				for (size_t k = 0; k < r[i].nprefix_lists; k++)
					s->unresolved += !routes_prefix_list_each(t, svc,
							r[i].prefix_lists[k], no_block, NULL);
		}
}

void secgroups_free(struct secgroups *s)
{
	for (size_t i = 0; i < s->nsets; i++) {
		struct sg_set *set = s->sets[i];
		for (int d = 0; d < RULE_DIRS; d++)
			for (int c = 0; c < SGC_COUNT; c++) {
				vfe_free(set->l[d][c].v);
				vfe_free(set->l[d][c].cut);
				vfe_free(set->l[d][c].first);
				vfe_free(set->l[d][c].at);
			}
		vfe_free(set->groups);
		vfe_free(set);
	}
	for (size_t i = 0; i < s->nmembers; i++)
		vfe_free(s->members[i].v);
	vfe_free(s->members);
	vfe_free(s->sets);
	vfe_free(s->refs);
	memset(s, 0, sizeof(*s));
}

/* ---- members of a referenced group --------------------------------------- */

static bool carries(const struct topo_eni *e, const char *group)
{
	for (size_t i = 0; i < e->ngroups; i++)
		if (strcmp(e->groups[i], group) == 0)
			return true;
	return false;
}

static int add_addrs(struct sg_members *mb, const struct topo_eni *e)
{
	size_t n = mb->n + e->nv4 + e->nv6;
	struct ip_addr *v;

	if (n == mb->n)
		return 0;
	if (!(v = vfe_realloc(mb->v, n * sizeof(*v))))
		return -1;
	if (e->nv4)
		memcpy(v + mb->n, e->v4, e->nv4 * sizeof(*v));
	if (e->nv6)
		memcpy(v + mb->n + e->nv4, e->v6, e->nv6 * sizeof(*v));
	mb->v = v;
	mb->n = n;
	return 0;
}

static int cmp_addr(const void *a, const void *b)
{
	return ip_addr_cmp(a, b);
}

/* Every described ENI, from describe-network-interfaces and from the
 * instances; one described twice gives its addresses twice, which the
 * sort then folds. */
static int collect(struct sg_members *mb, const struct topology *t)
{
	for (size_t i = 0; i < t->nenis; i++)
		if (carries(t->enis + i, mb->group) && add_addrs(mb, t->enis + i) != 0)
			return -1;
	for (size_t i = 0; i < t->ninstances; i++)
		for (size_t k = 0; k < t->instances[i].nenis; k++) {
			const struct topo_eni *e = t->instances[i].enis + k;
			if (carries(e, mb->group) && add_addrs(mb, e) != 0)
				return -1;
		}
	if (mb->n > 1)
		qsort(mb->v, mb->n, sizeof(*mb->v), cmp_addr);
	size_t keep = 0;
	for (size_t i = 0; i < mb->n; i++)
		if (keep == 0 || !ip_addr_eq(mb->v + keep - 1, mb->v + i))
			mb->v[keep++] = mb->v[i];
	mb->n = keep;
	return 0;
}

static int members_of(struct secgroups *s, const char *group, uint32_t *out)
{
	for (size_t i = 0; i < s->nmembers; i++)
		if (strcmp(s->members[i].group, group) == 0) {
			*out = (uint32_t)i;
			return 0;
		}
	struct sg_members *v = vfe_realloc(s->members, (s->nmembers + 1) * sizeof(*v));
	if (!v)
		return -1;
	s->members = v;
	v[s->nmembers] = (struct sg_members){group, NULL, 0};
	*out = (uint32_t)s->nmembers++;
	return collect(v + *out, s->topo);
}

static bool is_member(const struct sg_members *mb, const struct ip_addr *a)
{
	return mb->n > 0 && bsearch(a, mb->v, mb->n, sizeof(*mb->v), cmp_addr) != NULL;
}

/* ---- compiling ----------------------------------------------------------- */

struct compile {
	struct secgroups *s;
	struct sg_list *list;
	struct sg_atom tmpl;          /* ranges, protocol and ref of the source */
	int rc;
};

static int push(struct secgroups *s, struct sg_list *l, const struct sg_atom *a)
{
	if (l->n == l->cap) {
		uint32_t cap = l->cap ? l->cap * 2 : 8;
		struct sg_atom *v = vfe_realloc(l->v, cap * sizeof(*v));
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *a;
	s->atoms++;
	return 0;
}

static void add_block(void *ctx, const struct ip_prefix *p)
{
	struct compile *c = ctx;
	struct sg_atom a = c->tmpl;

	if (c->rc != 0)
		return;
	ip_block_of(p, &a.block);
	a.family = ip_prefix_family(p);
	a.members = SG_NO_MEMBERS;
	if (push(c->s, c->list, &a) != 0)
		c->rc = -1;
}

static int new_ref(struct secgroups *s, const struct sg_ref *r, uint32_t *out)
{
	if (s->nrefs == s->caprefs) {
		size_t cap = s->caprefs ? s->caprefs * 2 : 64;
		struct sg_ref *v = vfe_realloc(s->refs, cap * sizeof(*v));
		if (!v)
			return -1;
		s->refs = v;
		s->caprefs = cap;
	}
	s->refs[s->nrefs] = *r;
	*out = (uint32_t)s->nrefs++;
	return 0;
}

static enum sg_class class_of(int proto)
{
	switch (proto) {
	case TOPO_PROTO_ALL: return SGC_ALL;
	case 6:              return SGC_TCP;
	case 17:             return SGC_UDP;
	case 1:              return SGC_ICMP;
	case 58:             return SGC_ICMPV6;
	default:             return SGC_OTHER;
	}
}

/* TCP and UDP: FromPort..ToPort (-1: every port; no ToPort: one port).
 * ICMP, ICMPv6: FromPort is the type, ToPort the code, -1 all of them.
 * Other protocols and -1: every packet of the protocol. */
static void ranges(const struct topo_sg_rule *r, enum sg_class c, struct sg_atom *a)
{
	a->lo = 0;
	a->hi = 65535;
	a->clo = 0;
	a->chi = 255;
	a->proto = c == SGC_OTHER ? (uint8_t)r->proto : 0;
	if ((c == SGC_TCP || c == SGC_UDP) && r->from >= 0) {
		a->lo = (uint16_t)r->from;
		a->hi = (uint16_t)(r->to >= 0 ? r->to : r->from);
	} else if ((c == SGC_ICMP || c == SGC_ICMPV6) && r->from >= 0) {
		a->lo = a->hi = (uint16_t)r->from;
		if (r->to >= 0)
			a->clo = a->chi = (uint8_t)r->to;
	}
}

static int compile_rule(struct secgroups *s, struct sg_set *set, uint32_t group,
			enum rule_dir dir, uint32_t ri, const struct topo_sg_rule *r)
{
	enum sg_class cls = class_of(r->proto);
	struct compile c;
	struct sg_ref ref = {group, ri, 0, (uint8_t)dir, SGS_CIDR};

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.list = &set->l[dir][cls];
	ranges(r, cls, &c.tmpl);
	for (size_t i = 0; i < r->ncidrs && c.rc == 0; i++) {
		ref.src = (uint32_t)i;
		if (new_ref(s, &ref, &c.tmpl.ref) != 0)
			return -1;
		add_block(&c, r->cidrs + i);
	}
	ref.kind = SGS_PREFIX_LIST;
	for (size_t i = 0; i < r->nprefix_lists && c.rc == 0; i++) {
		ref.src = (uint32_t)i;
		if (new_ref(s, &ref, &c.tmpl.ref) != 0)
			return -1;
		/* An unknown list allows nothing (counted by secgroups_init). */
		routes_prefix_list_each(s->topo, s->svc, r->prefix_lists[i], add_block, &c);
	}
	ref.kind = SGS_GROUP;
	for (size_t i = 0; i < r->ngroups && c.rc == 0; i++) {
		struct sg_atom a = c.tmpl;
		ref.src = (uint32_t)i;
		if (new_ref(s, &ref, &a.ref) != 0 || members_of(s, r->groups[i], &a.members) != 0 ||
		    push(s, c.list, &a) != 0)
			return -1;
	}
	return c.rc;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return (x > y) - (x < y);
}

/* Index of value v in the sorted cut points (it is one of them). */
static uint32_t cut_of(const uint32_t *cut, uint32_t ncut, uint32_t v)
{
	const uint32_t *p = bsearch(&v, cut, ncut + 1, sizeof(*cut), cmp_u32);

	return (uint32_t)(p - cut);
}

/* The port index of l (see sg_list). The cut points are 0, 65536 and
 * every atom's lo and hi + 1, so each atom's range is a run of whole
 * segments, [cut_of(lo), cut_of(hi + 1)). */
static int index_list(struct sg_list *l)
{
	uint32_t *cut = vfe_malloc((2 * (size_t)l->n + 2) * sizeof(*cut)), n = 0, m = 0;
	size_t total = 0;

	if (!cut)
		return -1;
	cut[n++] = 0;
	cut[n++] = 65536;
	for (uint32_t i = 0; i < l->n; i++) {
		cut[n++] = l->v[i].lo;
		cut[n++] = l->v[i].hi + 1u;
	}
	qsort(cut, n, sizeof(*cut), cmp_u32);
	for (uint32_t i = 0; i < n; i++)
		if (m == 0 || cut[m - 1] != cut[i])
			cut[m++] = cut[i];
	l->cut = cut;
	l->ncut = m - 1;
	for (uint32_t i = 0; i < l->n; i++)
		total += cut_of(cut, l->ncut, l->v[i].hi + 1u) - cut_of(cut, l->ncut, l->v[i].lo);
	if (total > SG_INDEX_MAX(l->n)) {
		vfe_free(l->cut);
		l->cut = NULL;
		return 0;
	}
	if (!(l->first = vfe_calloc(l->ncut + 1, sizeof(*l->first))) ||
	    !(l->at = vfe_malloc((total ? total : 1) * sizeof(*l->at))))
		return -1;
	/* Count per segment, turn counts into offsets, then fill in atom
	 * order, so each segment's atoms stay in ref order. */
	for (uint32_t i = 0; i < l->n; i++) {
		uint32_t k1 = cut_of(cut, l->ncut, l->v[i].hi + 1u);
		for (uint32_t k = cut_of(cut, l->ncut, l->v[i].lo); k < k1; k++)
			l->first[k + 1]++;
	}
	for (uint32_t k = 0; k < l->ncut; k++)
		l->first[k + 1] += l->first[k];
	for (uint32_t i = 0; i < l->n; i++) {
		uint32_t k1 = cut_of(cut, l->ncut, l->v[i].hi + 1u);
		for (uint32_t k = cut_of(cut, l->ncut, l->v[i].lo); k < k1; k++)
			l->at[l->first[k]++] = i;
	}
	/* Each first[k] now points at the end of segment k: shift back. */
	for (uint32_t k = l->ncut; k > 0; k--)
		l->first[k] = l->first[k - 1];
	l->first[0] = 0;
	return 0;
}

static int index_set(struct sg_set *set)
{
	for (int d = 0; d < RULE_DIRS; d++)
		for (int c = 0; c < SGC_COUNT; c++)
			if (set->l[d][c].n > 0 && index_list(&set->l[d][c]) != 0)
				return -1;
	return 0;
}

/* Takes groups (allocated) whatever the outcome. */
static int compile_set(struct secgroups *s, uint32_t *groups, uint32_t n, struct sg_set **out)
{
	struct sg_set **v = vfe_realloc(s->sets, (s->nsets + 1) * sizeof(*v));
	struct sg_set *set = v ? vfe_calloc(1, sizeof(*set)) : NULL;

	if (v)
		s->sets = v;
	if (!set) {
		vfe_free(groups);
		return -1;
	}
	set->groups = groups;
	set->ngroups = n;
	s->sets[s->nsets++] = set;
	for (int dir = 0; dir < RULE_DIRS; dir++)
		for (uint32_t g = 0; g < n; g++) {
			const struct topo_sg *sg = s->topo->sgs + groups[g];
			const struct topo_sg_rule *r = dir == RULE_IN ? sg->in : sg->out;
			size_t nr = dir == RULE_IN ? sg->nin : sg->nout;
			for (size_t i = 0; i < nr; i++)
				if (compile_rule(s, set, groups[g], (enum rule_dir)dir, (uint32_t)i,
						 r + i) != 0)
					return -1;
		}
	if (index_set(set) != 0)
		return -1;
	*out = set;
	return 0;
}

static long find_group(const struct topology *t, const char *id)
{
	for (size_t i = 0; i < t->nsgs; i++)
		if (t->sgs[i].id && strcmp(t->sgs[i].id, id) == 0)
			return (long)i;
	return -1;
}

int secgroups_for_eni(struct secgroups *s, const struct topo_eni *te,
		      const struct sg_set **out)
{
	uint32_t *idx, n = 0;

	*out = NULL;
	if (te->ngroups == 0 || s->topo->nsgs == 0)
		return 0;
	if (!(idx = vfe_malloc(te->ngroups * sizeof(*idx))))
		return -1;
	for (size_t i = 0; i < te->ngroups; i++) {
		long k = find_group(s->topo, te->groups[i]);
		bool twice = false;
		for (uint32_t j = 0; j < n && k >= 0; j++)
			twice = twice || idx[j] == (uint32_t)k;
		if (k >= 0 && !twice)
			idx[n++] = (uint32_t)k;
	}
	for (size_t i = 0; i < s->nsets && n > 0; i++) {
		const struct sg_set *set = s->sets[i];
		if (set->ngroups == n && memcmp(set->groups, idx, n * sizeof(*idx)) == 0) {
			vfe_free(idx);
			*out = set;
			return 0;
		}
	}
	if (n == 0) {
		vfe_free(idx);
		return 0;
	}
	struct sg_set *set = NULL;
	if (compile_set(s, idx, n, &set) != 0)
		return -1;
	*out = set;
	return 0;
}

/* ---- matching ------------------------------------------------------------ */

static bool atom_allows(const struct secgroups *s, const struct sg_atom *a,
			const struct rule_probe *q, bool check_proto)
{
	if (q->p2 < a->clo || q->p2 > a->chi || (check_proto && a->proto != q->proto))
		return false;
	return a->members == SG_NO_MEMBERS ?
	       a->family == q->family && ip_block_has(&a->block, q->a) :
	       is_member(s->members + a->members, q->peer);
}

/* First atom of l that allows q: ref + 1, or 0. Through the port index,
 * only the atoms whose range holds the port (or ICMP type) are looked at;
 * they are in ref order, so the first that allows is the earliest. */
static uint32_t scan(const struct secgroups *s, const struct sg_list *l,
		     const struct rule_probe *q, bool check_proto)
{
	if (!l->cut) {
		for (uint32_t i = 0; i < l->n; i++)
			if (q->p1 >= l->v[i].lo && q->p1 <= l->v[i].hi &&
			    atom_allows(s, l->v + i, q, check_proto))
				return l->v[i].ref + 1;
		return 0;
	}
	/* The segment that holds p1: cut[lo] <= p1 < cut[hi] throughout;
	 * ends as the gap halves. */
	uint32_t lo = 0, hi = l->ncut;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (l->cut[mid] <= q->p1)
			lo = mid;
		else
			hi = mid;
	}
	for (uint32_t j = l->first[lo]; j < l->first[lo + 1]; j++)
		if (atom_allows(s, l->v + l->at[j], q, check_proto))
			return l->v[l->at[j]].ref + 1;
	return 0;
}

uint32_t sg_match_probe(const struct secgroups *s, const struct sg_set *set, enum rule_dir dir,
			const struct rule_probe *q)
{
	enum sg_class c = class_of(q->proto);

	/* The packet's own class and the all-protocols rules; the earlier
	 * of the two first matches is the one named. */
	uint32_t a = scan(s, &set->l[dir][c], q, c == SGC_OTHER);
	uint32_t b = scan(s, &set->l[dir][SGC_ALL], q, false);
	if (a == 0 || b == 0)
		return a | b;
	return a < b ? a : b;
}

uint32_t sg_match(const struct secgroups *s, const struct sg_set *set, enum rule_dir dir,
		  const struct pkt_meta *m)
{
	struct rule_probe q;

	rule_probe_of(m, dir, &q);
	return sg_match_probe(s, set, dir, &q);
}

/* ---- texts --------------------------------------------------------------- */

void rule_proto_text(int proto, int from, int to, char *buf, size_t cap)
{
	static const char *const names[] = {[1] = "icmp", [6] = "tcp", [17] = "udp",
					    [58] = "icmpv6"};
	const char *name = proto >= 0 && proto <= 58 ? names[proto] : NULL;

	if (proto == TOPO_PROTO_ALL)
		snprintf(buf, cap, "all traffic");
	else if (!name)
		snprintf(buf, cap, "protocol %d", proto);
	else if (from < 0)
		snprintf(buf, cap, "%s %s", name, proto_has_ports((unsigned)proto) ?
			 "all ports" : "all types");
	else if (proto_has_ports((unsigned)proto) && (to < 0 || to == from))
		snprintf(buf, cap, "%s %d", name, from);
	else if (proto_has_ports((unsigned)proto))
		snprintf(buf, cap, "%s %d-%d", name, from, to);
	else if (to < 0)
		snprintf(buf, cap, "%s type %d", name, from);
	else
		snprintf(buf, cap, "%s type %d code %d", name, from, to);
}

static void prefix_text(const struct ip_prefix *p, char *buf, size_t cap)
{
	char a[IP_ADDR_STRLEN];

	ip_addr_format(&p->addr, a);
	snprintf(buf, cap, "%s/%u", a, ip_prefix_family(p) == 4 ? p->len - 96u : p->len);
}

void sg_describe(const struct secgroups *s, uint32_t ref, char *buf, size_t cap)
{
	const struct sg_ref *r = s->refs + ref;
	const struct topo_sg *g = s->topo->sgs + r->group;
	const struct topo_sg_rule *rule = (r->dir == RULE_IN ? g->in : g->out) + r->rule;
	char pt[64], src[80];

	rule_proto_text(rule->proto, rule->from, rule->to, pt, sizeof(pt));
	if (r->kind == SGS_CIDR)
		prefix_text(rule->cidrs + r->src, src, sizeof(src));
	else
		snprintf(src, sizeof(src), "%s", r->kind == SGS_PREFIX_LIST ?
			 rule->prefix_lists[r->src] : rule->groups[r->src]);
	snprintf(buf, cap, "%s %s rule %u (%s %s %s)", g->id ? g->id : "(no GroupId)",
		 r->dir == RULE_IN ? "inbound" : "outbound", r->rule + 1, pt,
		 r->dir == RULE_IN ? "from" : "to", src);
}
