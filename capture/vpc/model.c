/* model.c - builds the VPC model: topology files and ip-ranges.json in,
 * monitored ENIs with their metadata, route tables, security groups and
 * network ACLs (compiled by secgroup.c and nacl.c) and the VPC blocks out;
 * and says which packets AWS never logs (spec section 10).
 * It reads no packets and renders nothing. */
#include "capture/vpc/model.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "capture/vpc/nitro.h"
#include "formats/render.h"
#include "formats/mem.h"

bool region_of_az(const char *az, char *region, size_t len)
{
	size_t i = 0;

	/* Tokens up to the first one that starts with a digit, whose digits
	 * end the region: us-east-1a, us-gov-west-1b, us-west-2-lax-1a. */
	while (az && az[i]) {
		size_t tok = i;
		while (az[i] && az[i] != '-')
			i++;
		if (isdigit((unsigned char)az[tok])) {
			size_t end = tok;
			while (isdigit((unsigned char)az[end]))
				end++;
			if (end >= len || tok == 0)
				return false;
			memcpy(region, az, end);
			region[end] = '\0';
			return true;
		}
		if (az[i] == '-')
			i++;
	}
	return false;
}

uint32_t model_interval(const struct vpc_model *m, uint32_t flag, bool nitro)
{
	if (flag)
		return flag;
	if (nitro)
		return 60;
	if (m->flow_log && m->flow_log->max_interval)
		return m->flow_log->max_interval;
	return 600;
}

/* Adds a router or DNS address to list v, and its last byte to the
 * quick test of model_unlogged(). */
static int push_addr(struct vpc_model *m, struct ip_addr **v, size_t *n, const struct ip_addr *a)
{
	struct ip_addr *p = vfe_realloc(*v, (*n + 1) * sizeof(*p));

	if (!p)
		return -1;
	p[(*n)++] = *a;
	*v = p;
	m->unlogged_last[a->b[15] >> 6] |= 1ull << (a->b[15] & 63);
	return 0;
}

/* base + k of an IPv4 block. */
static struct ip_addr offset_v4(const struct ip_prefix *p, uint32_t k)
{
	struct ip_addr a = p->addr;
	uint32_t v = ip_addr_v4(&a) + k;

	a.b[12] = (uint8_t)(v >> 24);
	a.b[13] = (uint8_t)(v >> 16);
	a.b[14] = (uint8_t)(v >> 8);
	a.b[15] = (uint8_t)v;
	return a;
}

static int add_vpc_block(struct vpc_model *m, const struct ip_prefix *p)
{
	struct ip_mask *v = vfe_realloc(m->vpc_cidrs, (m->nvpc_cidrs + 1) * sizeof(*v));

	if (!v)
		return -1;
	ip_mask_of(v + m->nvpc_cidrs++, p);
	m->vpc_cidrs = v;
	if (!ip_addr_is_v4(&p->addr) || p->len > 126)
		return 0;
	struct ip_addr router = offset_v4(p, 1), dns = offset_v4(p, 2);
	return push_addr(m, &m->router, &m->nrouter, &router) |
	       push_addr(m, &m->dns, &m->ndns, &dns);
}

static int collect_blocks(struct vpc_model *m, const struct model_options *o)
{
	for (size_t i = 0; i < o->ncidrs; i++)
		if (add_vpc_block(m, o->cidrs + i) != 0)
			return -1;
	for (size_t i = 0; i < m->topo.nvpcs; i++)
		for (size_t k = 0; k < m->topo.vpcs[i].ncidrs; k++)
			if (add_vpc_block(m, m->topo.vpcs[i].cidrs + k) != 0)
				return -1;
	for (size_t i = 0; i < m->topo.nsubnets; i++) {
		for (size_t k = 0; k < m->topo.subnets[i].ncidrs; k++) {
			const struct ip_prefix *p = m->topo.subnets[i].cidrs + k;
			if (!ip_addr_is_v4(&p->addr) || p->len > 126)
				continue;
			struct ip_addr router = offset_v4(p, 1);
			if (push_addr(m, &m->router, &m->nrouter, &router) != 0)
				return -1;
		}
	}
	return 0;
}

/* The blocks of each described subnet as masks, for the network ACL's
 * subnet edge (vpc/action.c); only when there are ACLs. */
static int build_edges(struct vpc_model *m)
{
	const struct topology *t = &m->topo;
	size_t n = 0;

	if (t->nacls == 0 || t->nsubnets == 0)
		return 0;
	for (size_t i = 0; i < t->nsubnets; i++)
		n += t->subnets[i].ncidrs;
	m->edges = vfe_calloc(n ? n : 1, sizeof(*m->edges));
	m->edge_of = vfe_calloc(t->nsubnets, sizeof(*m->edge_of));
	if (!m->edges || !m->edge_of)
		return -1;
	n = 0;
	for (size_t i = 0; i < t->nsubnets; i++) {
		m->edge_of[i] = n;
		for (size_t k = 0; k < t->subnets[i].ncidrs; k++)
			ip_block_of(t->subnets[i].cidrs + k, m->edges + n++);
	}
	return 0;
}

static const struct topo_subnet *find_subnet(const struct topology *t, const char *id)
{
	for (size_t i = 0; id && i < t->nsubnets; i++)
		if (t->subnets[i].id && strcmp(t->subnets[i].id, id) == 0)   /* SubnetId is optional */
			return t->subnets + i;
	return NULL;
}

static const struct topo_instance *find_instance(const struct topology *t, const char *id)
{
	for (size_t i = 0; id && i < t->ninstances; i++)
		if (t->instances[i].id && strcmp(t->instances[i].id, id) == 0)
			return t->instances + i;
	return NULL;
}

/* Where the ENI is: region, az-id, or a sublocation (spec 2.3). */
static void place(struct eni *e, const struct topo_eni *te, const struct topo_subnet *sn)
{
	const char *az = te->az ? te->az : sn ? sn->az : NULL;

	if (region_of_az(az, e->region, sizeof(e->region)))
		e->meta.region = e->region;
	if (sn && sn->outpost_arn) {
		const char *slash = strrchr(sn->outpost_arn, '/');
		snprintf(e->sublocation_id, sizeof(e->sublocation_id), "%s",
			 slash ? slash + 1 : sn->outpost_arn);
		e->meta.sublocation_type = "outpost";
		e->meta.sublocation_id = e->sublocation_id;
		return;
	}
	/* An AZ name longer than region + one letter is a Local Zone or a
	 * Wavelength Zone; its AZ id is then the sublocation id. */
	if (az && e->meta.region && strlen(az) > strlen(e->region) + 1) {
		e->meta.sublocation_type = strstr(az, "-wl") ? "wavelength" : "localzone";
		e->meta.sublocation_id = sn ? sn->az_id : NULL;
		return;
	}
	e->meta.az_id = sn ? sn->az_id : NULL;
}

static int add_topo_eni(struct vpc_model *m, struct eni_table *enis, const struct topo_eni *te,
			const struct model_options *o, char *err, size_t errlen)
{
	struct ip_addr addrs[64];
	size_t n = 0;

	for (size_t i = 0; i < te->nv4 && n < 64; i++)
		addrs[n++] = te->v4[i];
	for (size_t i = 0; i < te->nv6 && n < 64; i++)
		addrs[n++] = te->v6[i];
	if (n == 0)
		return 0;  /* no address: nothing of its traffic can be told apart */
	if (enis->n >= ENI_LIMIT) {
		snprintf(err, errlen, "topology: more than %u interfaces", ENI_LIMIT);
		return -1;
	}
	int idx = eni_add(enis, addrs, n);
	if (idx < 0) {
		snprintf(err, errlen, "topology: %s shares an address with another interface",
			 te->id ? te->id : "an interface");
		return -1;
	}
	struct eni *e = enis->v[idx];
	const struct topo_subnet *sn = find_subnet(&m->topo, te->subnet);
	const struct topo_instance *in = find_instance(&m->topo, te->instance);
	memset(&e->meta, 0, sizeof(e->meta));
	e->meta.interface_id = te->id;
	e->meta.account_id = te->owner;
	e->meta.vpc_id = te->vpc;
	e->meta.subnet_id = te->subnet;
	e->meta.instance_id = te->requester_managed ? NULL : te->instance;
	if (te->interface_type && strcmp(te->interface_type, "interface") != 0)
		e->meta.interface_type = te->interface_type;
	place(e, te, sn);
	render_seal_meta(&e->meta);
	e->instance_type = in ? in->type : NULL;
	e->nitro = nitro_instance_type(e->instance_type, &e->nitro_why);
	e->rt = routes_for_subnet(&m->rts, te->subnet, te->vpc);
	eni_set_interval(enis, (uint32_t)idx, model_interval(m, o->interval, e->nitro));
	e->subnet = sn;
	if (sn && m->edges) {
		e->edge = m->edges + m->edge_of[sn - m->topo.subnets];
		e->nedge = (uint32_t)sn->ncidrs;
	}
	e->acl = nacls_for_subnet(&m->acls, te->subnet, te->vpc);
	if (secgroups_for_eni(&m->sgs, te, &e->sg) != 0) {
		snprintf(err, errlen, "out of memory for security groups");
		return -1;
	}
	m->nsg_enis += e->sg != NULL;
	m->nacl_enis += e->acl != NULL;
	return 0;
}

static bool already_added(const struct topology *t, const struct topo_eni *te, size_t upto)
{
	for (size_t i = 0; te->id && i < upto; i++)
		if (t->enis[i].id && strcmp(t->enis[i].id, te->id) == 0)
			return true;
	return false;
}

static int add_topo_enis(struct vpc_model *m, struct eni_table *enis,
			 const struct model_options *o, char *err, size_t errlen)
{
	const struct topology *t = &m->topo;

	for (size_t i = 0; i < t->nenis; i++)
		if (!already_added(t, t->enis + i, i) &&
		    add_topo_eni(m, enis, t->enis + i, o, err, errlen) != 0)
			return -1;
	/* describe-instances repeats ENIs that describe-network-interfaces
	 * may already have given: the first description wins. */
	for (size_t i = 0; i < t->ninstances; i++) {
		for (size_t k = 0; k < t->instances[i].nenis; k++) {
			const struct topo_eni *te = t->instances[i].enis + k;
			if (already_added(t, te, t->nenis))
				continue;
			struct ip_addr a = te->nv4 ? te->v4[0] : te->nv6 ? te->v6[0] : (struct ip_addr){{0}};
			if ((te->nv4 || te->nv6) && eni_lookup(enis, &a) >= 0)
				continue;
			if (add_topo_eni(m, enis, te, o, err, errlen) != 0)
				return -1;
		}
	}
	return 0;
}

/* How closely a flow log's resource names an ENI: 3 the ENI itself, 2 its
 * subnet, 1 its VPC, 0 not at all. */
static int closeness(const struct topo_eni *e, const char *resource)
{
	if (e->id && strcmp(e->id, resource) == 0)
		return 3;
	if (e->subnet && strcmp(e->subnet, resource) == 0)
		return 2;
	return e->vpc && strcmp(e->vpc, resource) == 0 ? 1 : 0;
}

static int best_closeness(const struct topology *t, const char *resource)
{
	int best = 0;

	for (size_t k = 0; resource && k < t->nenis; k++)
		if (closeness(t->enis + k, resource) > best)
			best = closeness(t->enis + k, resource);
	for (size_t k = 0; resource && k < t->ninstances; k++)
		for (size_t j = 0; j < t->instances[k].nenis; j++)
			if (closeness(t->instances[k].enis + j, resource) > best)
				best = closeness(t->instances[k].enis + j, resource);
	return best;
}

/* The flow log that most closely names a described ENI (its own, then its
 * subnet's, then its VPC's); the first one when none does. */
static const struct topo_flow_log *pick_flow_log(const struct topology *t)
{
	const struct topo_flow_log *pick = t->nflow_logs ? t->flow_logs : NULL;
	int best = 0;

	for (size_t i = 0; i < t->nflow_logs; i++) {
		int c = best_closeness(t, t->flow_logs[i].resource);
		if (c > best) {
			best = c;
			pick = t->flow_logs + i;
		}
	}
	return pick;
}

int model_build(struct vpc_model *m, struct eni_table *enis, const struct model_options *o,
		char *err, size_t errlen)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < o->ntopology_files; i++) {
		if (topology_load(&m->topo, o->topology_files[i], err, errlen) != 0)
			return -1;
		m->have_topo = true;
	}
	if (o->ip_ranges) {
		if (services_load(&m->svc, o->ip_ranges, err, errlen) != 0)
			return -1;
		m->have_svc = true;
	}
	if (routes_build(&m->rts, &m->topo, m->have_svc ? &m->svc : NULL,
			 &m->unresolved_prefix_lists, err, errlen) != 0)
		return -1;
	secgroups_init(&m->sgs, &m->topo, m->have_svc ? &m->svc : NULL);
	if (nacls_build(&m->acls, &m->topo) != 0 || build_edges(m) != 0 ||
	    collect_blocks(m, o) != 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	/* Its interval decides the ENIs' windows. */
	m->flow_log = pick_flow_log(&m->topo);
	return add_topo_enis(m, enis, o, err, errlen);
}

void model_free(struct vpc_model *m)
{
	routes_free(&m->rts);
	secgroups_free(&m->sgs);
	nacls_free(&m->acls);
	vfe_free(m->edges);
	vfe_free(m->edge_of);
	if (m->have_svc)
		services_free(&m->svc);
	topology_free(&m->topo);
	vfe_free(m->vpc_cidrs);
	vfe_free(m->router);
	vfe_free(m->dns);
	memset(m, 0, sizeof(*m));
}

static bool any_of(const struct ip_addr *list, size_t n, const struct pkt_meta *p)
{
	for (size_t i = 0; i < n; i++)
		if (ip_addr_eq(list + i, &p->src) || ip_addr_eq(list + i, &p->dst))
			return true;
	return false;
}

/* Link-local service addresses, IPv4 and the IPv6 forms of Nitro. */
static enum unlogged link_local_service(const struct ip_addr *a)
{
	static const uint8_t v6pre[14] = {0xfd, 0x00, 0x0e, 0xc2};
	if (ip_addr_is_v4(a)) {
		uint32_t v = ip_addr_v4(a);
		if (v == 0xa9fea9fe)
			return UNLOGGED_METADATA;
		if (v == 0xa9fea97b)
			return UNLOGGED_TIME_SYNC;
		if (v == 0xa9fea9fd)
			return UNLOGGED_DNS;
		return UNLOGGED_NO;
	}
	if (memcmp(a->b, v6pre, 14) != 0)
		return UNLOGGED_NO;
	uint16_t last = (uint16_t)(a->b[14] << 8 | a->b[15]);
	return last == 0x254 ? UNLOGGED_METADATA :           /* fd00:ec2::254 */
	       last == 0x123 ? UNLOGGED_TIME_SYNC :          /* fd00:ec2::123 */
	       last == 0x253 ? UNLOGGED_DNS : UNLOGGED_NO;   /* fd00:ec2::253 */
}

/* Last bytes of the link-local services, a bit each: 169.254.169.254,
 * .123, .253 and fd00:ec2::254, ::123, ::253. */
static const uint64_t link_local_last[4] = {
	1ull << (0x23 & 63),
	1ull << (0x53 & 63) | 1ull << (0x54 & 63) | 1ull << (0x7b & 63),
	0,
	1ull << (0xfd & 63) | 1ull << (0xfe & 63),
};

/* Whether a can be one of the addresses above: its last byte is that of
 * a link-local service or of a router or DNS address. Decides nearly
 * every packet with two bit tests, no branch on the byte. */
static bool may_be_unlogged(const struct vpc_model *m, const struct ip_addr *a)
{
	uint8_t last = a->b[15];

	return (m->unlogged_last[last >> 6] | link_local_last[last >> 6]) >> (last & 63) & 1;
}

enum unlogged model_unlogged(const struct vpc_model *m, const struct pkt_meta *p)
{
	bool src = may_be_unlogged(m, &p->src), dst = may_be_unlogged(m, &p->dst);
	enum unlogged u;

	if ((src && (u = link_local_service(&p->src)) != UNLOGGED_NO) ||
	    (dst && (u = link_local_service(&p->dst)) != UNLOGGED_NO))
		return u;
	/* DHCP (67/68) and DHCPv6 (546/547) over UDP, tested with & rather
	 * than branches: TCP and UDP packets come mixed, unpredictably. */
	uint16_t s = p->sport, d = p->dport;
	bool v4 = ((uint16_t)(s - 67) < 2) & ((uint16_t)(d - 67) < 2);
	bool v6 = ((uint16_t)(s - 546) < 2) & ((uint16_t)(d - 546) < 2);
	if ((v4 | v6) & (p->proto == 17))
		return UNLOGGED_DHCP;
	if (!src && !dst)
		return UNLOGGED_NO;
	if (any_of(m->dns, m->ndns, p))
		return UNLOGGED_DNS;
	if (any_of(m->router, m->nrouter, p))
		return UNLOGGED_ROUTER;
	return UNLOGGED_NO;
}

const char *unlogged_name(enum unlogged u)
{
	static const char *const names[UNLOGGED_COUNT] = {
		"logged", "Amazon DNS", "instance metadata", "Amazon Time Sync", "DHCP",
		"VPC router",
	};
	return u < UNLOGGED_COUNT ? names[u] : "unknown";
}
