/* routes.h - route tables as longest-prefix-match tries, and traffic-path.
 *
 * A subnet's table is its explicit association, else its VPC's main table
 * (PRODUCT.md section 3). Prefix-list routes (gateway endpoints) are
 * expanded into their CIDRs: from PrefixLists when the topology has them,
 * else from ip-ranges.json for com.amazonaws.REGION.s3 / .dynamodb. */
#ifndef VFE_ROUTES_H
#define VFE_ROUTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/vpc/topology.h"

struct trie;
struct services;

struct vpc_route_table {
	const struct topo_route_table *t;
	struct trie *trie;            /* destination -> index in t->routes */
};

struct route_tables {
	struct vpc_route_table *v;
	size_t n;
};

/* Builds a trie per route table. Priority among equal prefixes: local
 * routes, then CIDR routes, then prefix-list routes. A prefix list that
 * cannot be resolved is skipped and counted in *unresolved. */
int routes_build(struct route_tables *rts, const struct topology *topo,
		 const struct services *svc, size_t *unresolved, char *err, size_t errlen);
void routes_free(struct route_tables *rts);

/* Calls fn with each CIDR of prefix list id: from PrefixLists when the
 * topology lists it with Cidrs, else from ip-ranges.json (svc, may be NULL)
 * for com.amazonaws.REGION.s3 / .dynamodb. false when it resolves to none. */
bool routes_prefix_list_each(const struct topology *topo, const struct services *svc,
			     const char *id, void (*fn)(void *ctx, const struct ip_prefix *p),
			     void *ctx);

/* The table of a subnet: explicit association, else the VPC's main one. */
const struct vpc_route_table *routes_for_subnet(const struct route_tables *rts,
						const char *subnet, const char *vpc);

/* The route that carries dst, or NULL. matched receives the destination
 * prefix that decided (for --explain). */
const struct topo_route *routes_lookup(const struct vpc_route_table *rt,
				       const struct ip_addr *dst, struct ip_prefix *matched);

/* traffic-path of an egress packet that leaves by route r (spec 6.2):
 * 0 for "-". region is the sending ENI's region (peering 4 vs 5). */
uint8_t routes_traffic_path(const struct topology *topo, const struct topo_route *r,
			    bool nitro, const char *region);

/* Public (globally routable) addresses: not RFC 1918, CGNAT, loopback,
 * link-local, multicast, reserved, ULA. The documentation ranges count as
 * public, as the labs use them for "the internet". */
bool addr_is_public(const struct ip_addr *a);

#endif
