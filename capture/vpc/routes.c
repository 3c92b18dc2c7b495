/* routes.c - route tables to tries, route lookup, and the traffic-path
 * value of the route's target (spec 6.2; PRODUCT.md section 3).
 * It owns no packet state; the emitter asks it once per egress record. */
#include "capture/vpc/routes.h"

#include <stdio.h>
#include <string.h>

#include "capture/vpc/services.h"
#include "capture/vpc/trie.h"
#include "formats/mem.h"

struct pl_ctx {
	struct trie *trie;
	uint32_t route;
	int rc;
};

static void add_prefix(void *ctx, const struct ip_prefix *p)
{
	struct pl_ctx *c = ctx;

	if (c->rc >= 0 && trie_insert(c->trie, p, c->route) < 0)
		c->rc = -1;
}

/* "com.amazonaws.us-east-1.s3" -> service "S3", region "us-east-1". */
static bool endpoint_name(const char *name, char *region, size_t len, const char **service)
{
	static const char pre[] = "com.amazonaws.";
	const char *dot;

	if (!name || strncmp(name, pre, sizeof(pre) - 1) != 0)
		return false;
	name += sizeof(pre) - 1;
	dot = strrchr(name, '.');
	if (!dot || (size_t)(dot - name) >= len)
		return false;
	if (strcmp(dot + 1, "s3") == 0)
		*service = "S3";
	else if (strcmp(dot + 1, "dynamodb") == 0)
		*service = "DYNAMODB";
	else
		return false;
	memcpy(region, name, (size_t)(dot - name));
	region[dot - name] = '\0';
	return true;
}

bool routes_prefix_list_each(const struct topology *topo, const struct services *svc,
			     const char *id, void (*fn)(void *ctx, const struct ip_prefix *p),
			     void *ctx)
{
	for (size_t i = 0; id && i < topo->nprefix_lists; i++) {
		const struct topo_prefix_list *pl = topo->prefix_lists + i;
		/* PrefixListId is optional in the loader: an entry without one
		 * cannot be the one a route names. */
		if (!pl->id || strcmp(pl->id, id) != 0)
			continue;
		for (size_t k = 0; k < pl->ncidrs; k++)
			fn(ctx, pl->cidrs + k);
		if (pl->ncidrs > 0 || !svc)
			return pl->ncidrs > 0;
		char region[64];
		const char *service;
		if (!endpoint_name(pl->name, region, sizeof(region), &service))
			return false;
		return services_region_prefixes(svc, service, region, fn, ctx) > 0;
	}
	return false;
}

/* Adds the CIDRs of prefix list id to the trie; false if unknown. */
static bool add_prefix_list(struct pl_ctx *c, const struct topology *topo,
			    const struct services *svc, const char *id)
{
	return routes_prefix_list_each(topo, svc, id, add_prefix, c);
}

static int build_one(struct vpc_route_table *rt, const struct topology *topo,
		     const struct services *svc, size_t *unresolved)
{
	const struct topo_route_table *t = rt->t;
	struct pl_ctx c = {trie_new(), 0, 0};

	rt->trie = c.trie;
	if (!c.trie)
		return -1;
	/* Three passes give the priority: local, static CIDR, prefix list;
	 * trie_insert keeps the first value of an identical prefix. */
	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < t->nroutes; i++) {
			const struct topo_route *r = t->routes + i;
			bool local = r->kind == RT_LOCAL;
			c.route = (uint32_t)i;
			if (pass == 0 && local && r->has_dst)
				add_prefix(&c, &r->dst);
			else if (pass == 1 && !local && r->has_dst)
				add_prefix(&c, &r->dst);
			else if (pass == 2 && !r->has_dst && r->prefix_list &&
				 !add_prefix_list(&c, topo, svc, r->prefix_list))
				(*unresolved)++;
		}
	}
	return c.rc;
}

int routes_build(struct route_tables *rts, const struct topology *topo,
		 const struct services *svc, size_t *unresolved, char *err, size_t errlen)
{
	memset(rts, 0, sizeof(*rts));
	*unresolved = 0;
	if (topo->nroute_tables == 0)
		return 0;
	rts->v = vfe_calloc(topo->nroute_tables, sizeof(*rts->v));
	if (!rts->v)
		goto oom;
	rts->n = topo->nroute_tables;
	for (size_t i = 0; i < rts->n; i++) {
		rts->v[i].t = topo->route_tables + i;
		if (build_one(rts->v + i, topo, svc, unresolved) != 0)
			goto oom;
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory for route tables");
	routes_free(rts);
	return -1;
}

void routes_free(struct route_tables *rts)
{
	for (size_t i = 0; i < rts->n; i++)
		trie_free(rts->v[i].trie);
	vfe_free(rts->v);
	memset(rts, 0, sizeof(*rts));
}

const struct vpc_route_table *routes_for_subnet(const struct route_tables *rts,
						const char *subnet, const char *vpc)
{
	const struct vpc_route_table *main_rt = NULL;

	for (size_t i = 0; i < rts->n; i++) {
		const struct topo_route_table *t = rts->v[i].t;
		for (size_t k = 0; subnet && k < t->nsubnets; k++)
			if (strcmp(t->subnets[k], subnet) == 0)
				return rts->v + i;
		if (t->main && !main_rt && vpc && t->vpc && strcmp(t->vpc, vpc) == 0)
			main_rt = rts->v + i;
	}
	return main_rt;
}

const struct topo_route *routes_lookup(const struct vpc_route_table *rt,
				       const struct ip_addr *dst, struct ip_prefix *matched)
{
	uint32_t i;

	if (!rt || !trie_lookup(rt->trie, dst, &i, matched))
		return NULL;
	return rt->t->routes + i;
}

/* Is the peering connection's other side in another region? Unknown
 * peerings count as same-region (4): said in --explain. */
static bool peer_in_other_region(const struct topology *topo, const char *pcx,
				 const char *region)
{
	for (size_t i = 0; pcx && region && i < topo->npeerings; i++) {
		const struct topo_peering *p = topo->peerings + i;
		if (!p->id || strcmp(p->id, pcx) != 0)   /* the id is optional in the loader */
			continue;
		const char *a = p->accepter_region, *r = p->requester_region;
		if (!a || !r)
			return false;
		return strcmp(a, r) != 0;
	}
	return false;
}

uint8_t routes_traffic_path(const struct topology *topo, const struct topo_route *r,
			    bool nitro, const char *region)
{
	if (!r || r->blackhole)
		return 0;
	switch (r->kind) {
	case RT_LOCAL:
	case RT_NAT:
	case RT_TGW:
	case RT_ENI:
		return 1;
	case RT_IGW:
	case RT_EIGW:
		return nitro ? 8 : 2;
	case RT_VPCE:
		return nitro ? 7 : 2;
	case RT_VGW:
		return 3;
	case RT_PCX:
		return peer_in_other_region(topo, r->target, region) ? 5 : 4;
	case RT_LGW:
		return 6;
	default:
		return 0;
	}
}

static bool in_v4(uint32_t a, uint32_t net, int len)
{
	return len == 0 || (a >> (32 - len)) == (net >> (32 - len));
}

bool addr_is_public(const struct ip_addr *a)
{
	if (ip_addr_is_v4(a)) {
		static const struct { uint32_t net; int len; } private4[] = {
			{0x00000000, 8}, {0x0a000000, 8}, {0x64400000, 10}, {0x7f000000, 8},
			{0xa9fe0000, 16}, {0xac100000, 12}, {0xc0000000, 24}, {0xc0a80000, 16},
			{0xc6120000, 15}, {0xe0000000, 4}, {0xf0000000, 4},
		};
		uint32_t v = ip_addr_v4(a);
		/* The first octet settles nearly every address: the list's /8s
		 * and /4s, and the octets none of its entries start with. */
		unsigned o = v >> 24;
		if (o == 0 || o == 10 || o == 127 || o >= 224)
			return false;
		if (o != 100 && o != 169 && o != 172 && o != 192 && o != 198)
			return true;
		for (size_t i = 0; i < sizeof(private4) / sizeof(private4[0]); i++)
			if (in_v4(v, private4[i].net, private4[i].len))
				return false;
		return true;
	}
	/* IPv6: only global unicast 2000::/3 is public. */
	return (a->b[0] & 0xe0) == 0x20;
}
