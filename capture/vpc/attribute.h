/* attribute.h - which monitored ENIs see a packet, and in which direction.
 *
 * A packet leaves the ENI that owns its source (egress) and reaches the ENI
 * that owns its destination (ingress); between two monitored ENIs it is
 * seen on both (spec section 1, PRODUCT.md section 3). */
#ifndef VFE_ATTRIBUTE_H
#define VFE_ATTRIBUTE_H

#include "capture/decode/decode.h"
#include "capture/vpc/eni.h"

struct observation {
	uint32_t eni;
	uint32_t interval;  /* the ENI's aggregation interval */
	uint8_t dir;        /* enum flow_dir */
};

/* Fills obs with 0, 1 or 2 observations and returns how many. */
int attribute(struct eni_table *t, const struct pkt_meta *m, struct observation obs[2]);
/* The same with eni_hash() of the source and destination already made. */
int attribute_hashed(struct eni_table *t, const struct pkt_meta *m, const uint32_t h[2],
		     struct observation obs[2]);
/* The same with their ENIs already looked up where known[] is not
 * ENI_ASK (from a copy of the map: eni_snapshot.h). */
int attribute_known(struct eni_table *t, const struct pkt_meta *m, const uint32_t h[2],
		    const int32_t known[2], struct observation obs[2]);

/* The ENI-side substitution of spec 8.1: for IPv4 the ENI side of
 * srcaddr/dstaddr is the ENI's primary private address; IPv6 is never
 * substituted. */
void attribute_record_addrs(const struct eni *e, uint8_t dir, const struct ip_addr *pkt_src,
			    const struct ip_addr *pkt_dst, struct ip_addr *src, struct ip_addr *dst);

#endif
