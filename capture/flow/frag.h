/* frag.h - ports for non-first fragments (PRODUCT.md section 3).
 *
 * A later fragment carries no TCP/UDP header; AWS's treatment is not
 * documented (spec 13.3), so it is counted into the flow of its first
 * fragment, found by addresses, protocol and IP ID, or into a flow with
 * ports 0 when the first fragment was not seen. */
#ifndef VFE_FRAG_H
#define VFE_FRAG_H

#include <stdint.h>

#include "capture/decode/decode.h"

#define FRAG_CACHE_SIZE 4096   /* datagrams in flight; older ones are evicted */
#define FRAG_TIMEOUT 30        /* seconds, as Linux's ipfrag_time */

struct frag_entry {
	struct ip_addr src, dst;
	uint32_t id;
	int64_t seen;
	uint16_t sport, dport;
	uint8_t proto;
	uint8_t used;
};

struct frag_cache {
	struct frag_entry e[FRAG_CACHE_SIZE];
	uint64_t matched;     /* later fragments given their first's ports */
	uint64_t orphans;     /* later fragments with no first fragment seen */
};

/* FRAG_FIRST: remembers the ports. FRAG_LATER: sets m's ports from the
 * first fragment, or leaves them 0. Other packets are not touched. */
void frag_resolve(struct frag_cache *c, struct pkt_meta *m, int64_t now);

#endif
