/* autodetect.h - the ENI address of a capture nobody described: the
 * address seen in the most flows (PRODUCT.md section 4). */
#ifndef VFE_AUTODETECT_H
#define VFE_AUTODETECT_H

#include <stdint.h>

#include "capture/source/source.h"
#include "formats/addr.h"

/* Reads src to its end. Picks the IPv4 address seen in the most distinct
 * 5-tuples (the IPv6 one if the capture has no IPv4); ties go to the lower
 * address. Returns 1 and *out, 0 when no IP packet was seen, -1 and err on
 * a read error or out of memory. *flows = the number of 5-tuples on *out. */
int autodetect_local(struct source *src, uint32_t max_flows, struct ip_addr *out,
		     uint64_t *flows, char *err, size_t errlen);

#endif
