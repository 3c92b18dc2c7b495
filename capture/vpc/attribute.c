/* attribute.c - packet to (ENI, direction) observations, and the address
 * substitution AWS applies on the ENI side (spec 8.1). It decides nothing
 * about windows or actions. */
#include "capture/vpc/attribute.h"

#include "capture/vpc/eni_snapshot.h"

int attribute(struct eni_table *t, const struct pkt_meta *m, struct observation obs[2])
{
	const uint32_t h[2] = {eni_hash(&m->src), eni_hash(&m->dst)};

	return attribute_hashed(t, m, h, obs);
}

int attribute_hashed(struct eni_table *t, const struct pkt_meta *m, const uint32_t h[2],
		     struct observation obs[2])
{
	static const int32_t ask[2] = {ENI_ASK, ENI_ASK};

	return attribute_known(t, m, h, ask, obs);
}

int attribute_known(struct eni_table *t, const struct pkt_meta *m, const uint32_t h[2],
		    const int32_t known[2], struct observation obs[2])
{
	int n = 0;
	/* The source first: a new ENI of each gets its index in that order. */
	int s = known[0] != ENI_ASK ? known[0] : eni_lookup_hashed(t, &m->src, h[0]);
	int d = known[1] != ENI_ASK ? known[1] : eni_lookup_hashed(t, &m->dst, h[1]);

	if (s >= 0)
		obs[n++] = (struct observation){(uint32_t)s, t->interval_of[s], DIR_EGRESS};
	if (d >= 0)
		obs[n++] = (struct observation){(uint32_t)d, t->interval_of[d], DIR_INGRESS};
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
