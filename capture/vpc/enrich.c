/* enrich.c - traffic-path from the ENI's route table (or the heuristic of
 * PRODUCT.md section 3 when there is none), aws-service names from
 * ip-ranges.json, and the --explain line. Reads the model, changes nothing. */
#include "capture/vpc/enrich.h"

#include <stdio.h>
#include <string.h>

#include "capture/vpc/routes.h"
#include "formats/errbuf.h"

static const char *const target_names[] = {
	[RT_UNKNOWN] = "an unknown target", [RT_LOCAL] = "local",
	[RT_IGW] = "internet gateway", [RT_EIGW] = "egress-only internet gateway",
	[RT_VPCE] = "gateway endpoint", [RT_VGW] = "virtual private gateway",
	[RT_NAT] = "NAT gateway", [RT_TGW] = "transit gateway", [RT_LGW] = "local gateway",
	[RT_PCX] = "peering connection", [RT_ENI] = "network interface",
	[RT_CARRIER] = "carrier gateway", [RT_CORE_NETWORK] = "core network",
};

/* Whether a lies in one of the VPC's blocks. */
static bool in_vpc(const struct vpc_model *m, const struct ip_addr *a)
{
	for (size_t i = 0; i < m->nvpc_cidrs; i++)
		if (ip_mask_contains(m->vpc_cidrs + i, a))
			return true;
	return false;
}

/* Without a route table: inside the VPC 1, public the internet gateway
 * rule, anything else "-". */
static uint8_t heuristic_path(const struct vpc_model *m, const struct eni *e,
			      const struct ip_addr *dst, char *x, size_t cap, size_t *len)
{
	if (in_vpc(m, dst)) {
		if (x)
			errbuf_append(x, cap, len, "; no route table, destination inside the VPC -> 1");
		return 1;
	}
	if (addr_is_public(dst)) {
		if (x)
			errbuf_append(x, cap, len, "; no route table, public destination: internet "
			    "gateway, %s (%s) -> %d", e->nitro ? "Nitro" : "not Nitro",
			    e->nitro_why ? e->nitro_why : "no instance type", e->nitro ? 8 : 2);
		return e->nitro ? 8 : 2;
	}
	if (x)
		errbuf_append(x, cap, len, "; no route table, private destination outside the VPC -> -");
	return 0;
}

static uint8_t path_of(const struct vpc_model *m, const struct eni *e, const struct vpc_record *r,
		       char *x, size_t cap, size_t *len)
{
	struct ip_prefix matched;
	char p[IP_ADDR_STRLEN];

	if (!e->rt)
		return heuristic_path(m, e, &r->pkt_dstaddr, x, cap, len);
	const struct topo_route *rt = routes_lookup(e->rt, &r->pkt_dstaddr, &matched);
	if (!rt) {
		errbuf_append(x, cap, len, "; no route in %s matches -> -", e->rt->t->id);
		return 0;
	}
	uint8_t path = routes_traffic_path(&m->topo, rt, e->nitro, e->meta.region);
	ip_addr_format(&matched.addr, p);
	errbuf_append(x, cap, len, "; route %s/%u%s%s -> %s %s in %s", p,
	    ip_addr_is_v4(&matched.addr) ? matched.len - 96u : matched.len,
	    rt->prefix_list ? " from " : "", rt->prefix_list ? rt->prefix_list : "",
	    (size_t)rt->kind < sizeof(target_names) / sizeof(*target_names) ?
		    target_names[rt->kind] : "?", rt->target ? rt->target : "", e->rt->t->id);
	if (rt->kind == RT_IGW || rt->kind == RT_EIGW || rt->kind == RT_VPCE)
		errbuf_append(x, cap, len, " (%s: %s)", e->instance_type ? e->instance_type : "no instance",
		    e->nitro_why);
	if (path)
		errbuf_append(x, cap, len, " -> %u", path);
	else
		errbuf_append(x, cap, len, " -> -");
	return path;
}

static const char *service_of(const struct vpc_model *m, const struct ip_addr *a,
			      const char *which, char *x, size_t cap, size_t *len)
{
	struct ip_prefix matched;
	char p[IP_ADDR_STRLEN];

	/* ip-ranges.json holds public blocks only: skip the trie for the
	 * private side that nearly every record has. */
	if (!m->have_svc || !addr_is_public(a))
		return NULL;
	const char *s = services_lookup(&m->svc, a, &matched);
	if (s) {
		ip_addr_format(&matched.addr, p);
		errbuf_append(x, cap, len, "; %s in %s/%u: %s", which, p,
		    ip_addr_is_v4(&matched.addr) ? matched.len - 96u : matched.len, s);
	}
	return s;
}

void enrich_record(const struct vpc_model *m, const struct eni *e, const struct verdict *v,
		   struct vpc_record *r, char *x, size_t cap)
{
	size_t len = 0;
	char a[IP_ADDR_STRLEN];

	if (!x || cap == 0) {
		x = NULL;
		cap = 0;
	}
	if (x) {
		bool out = r->direction == DIR_EGRESS;
		ip_addr_format(out ? &r->pkt_srcaddr : &r->pkt_dstaddr, a);
		errbuf_append(x, cap, &len, "# %s on %s: %s %s is %s", out ? "egress" : "ingress",
		    e->meta.interface_id ? e->meta.interface_id : "-",
		    out ? "source" : "destination", a,
		    ip_addr_eq(out ? &r->pkt_srcaddr : &r->pkt_dstaddr, &e->primary) ?
			    "its primary address" : "one of its addresses");
	}
	if (r->direction == DIR_EGRESS)
		r->traffic_path = path_of(m, e, r, x, cap, &len);
	else if (x)
		errbuf_append(x, cap, &len, "; traffic-path is - on ingress");
	r->pkt_src_aws_service = service_of(m, &r->pkt_srcaddr, "pkt-srcaddr", x, cap, &len);
	r->pkt_dst_aws_service = service_of(m, &r->pkt_dstaddr, "pkt-dstaddr", x, cap, &len);
	if (x)
		action_explain(m, e, r->direction, v, x, cap, &len);
}
