/* key.h - the flow key: one unidirectional 5-tuple on one ENI in one window.
 *
 * Fixed size, no implicit padding, zeroed before it is filled, so hashing and
 * comparing all 48 bytes is exact (STYLE.md habit 7). */
#ifndef VFE_KEY_H
#define VFE_KEY_H

#include <stdint.h>

#include "formats/addr.h"

struct flow_key {
	struct ip_addr src, dst;  /* as in the IP header (pkt-srcaddr/dstaddr) */
	uint32_t eni;             /* index in the ENI table */
	uint32_t wstart;          /* window start, Unix seconds */
	uint16_t sport, dport;
	uint8_t proto;
	uint8_t action;           /* enum flow_action: part of the key (spec 1) */
	uint8_t dir;              /* enum flow_dir */
	uint8_t pad;              /* always 0 */
};

_Static_assert(sizeof(struct flow_key) == 48, "flow_key has hidden padding");

#endif
