/* attribute.c - packet to (ENI, direction) observations, and the address
 * substitution AWS applies on the ENI side (spec 8.1). It decides nothing
 * about windows or actions. */
#include "capture/vpc/attribute.h"

int attribute(struct eni_table *t, const struct pkt_meta *m, struct observation obs[2])
{
	int n = 0;
	int s = eni_lookup(t, &m->src);
	int d = eni_lookup(t, &m->dst);

	if (s >= 0)
		obs[n++] = (struct observation){(uint32_t)s, DIR_EGRESS};
	if (d >= 0)
		obs[n++] = (struct observation){(uint32_t)d, DIR_INGRESS};
	return n;
}

void attribute_record_addrs(const struct eni *e, uint8_t dir, const struct ip_addr *pkt_src,
			    const struct ip_addr *pkt_dst, struct ip_addr *src, struct ip_addr *dst)
{
	*src = *pkt_src;
	*dst = *pkt_dst;
	if (!e->has_primary || !ip_addr_is_v4(pkt_src))
		return;
	if (dir == DIR_EGRESS)
		*src = e->primary;
	else if (dir == DIR_INGRESS)
		*dst = e->primary;
}
