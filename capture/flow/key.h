/* key.h - the flow key: one unidirectional 5-tuple on one ENI in one window.
 *
 * Fixed size, no implicit padding, zeroed before it is filled, so hashing and
 * comparing all 48 bytes is exact (STYLE.md habit 7). */
#ifndef VFE_KEY_H
#define VFE_KEY_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

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

/* All 48 bytes equal: six 8-byte words, no call to memcmp (this runs for
 * every packet). */
static inline bool flow_key_eq(const struct flow_key *a, const struct flow_key *b)
{
	uint64_t x[6], y[6], d = 0;

	memcpy(x, a, sizeof(x));
	memcpy(y, b, sizeof(y));
	for (int i = 0; i < 6; i++)
		d |= x[i] ^ y[i];
	return d == 0;
}

#endif
