/* frag.c - a direct-mapped cache from (src, dst, proto, IP ID) to the ports
 * of a datagram's first fragment. Fixed size, no allocation, fixed hash
 * seed so that evictions, and therefore records, are the same every run. */
#include "capture/flow/frag.h"

#include <string.h>

#include "capture/flow/hash.h"

static struct frag_entry *slot(struct frag_cache *c, const struct pkt_meta *m)
{
	uint8_t k[37];

	memcpy(k, m->src.b, 16);
	memcpy(k + 16, m->dst.b, 16);
	memcpy(k + 32, &m->frag_id, 4);
	k[36] = m->proto;
	return c->e + (hash_bytes(k, sizeof(k), 0) & (FRAG_CACHE_SIZE - 1));
}

static int same(const struct frag_entry *e, const struct pkt_meta *m)
{
	return e->used && e->id == m->frag_id && e->proto == m->proto &&
	       ip_addr_eq(&e->src, &m->src) && ip_addr_eq(&e->dst, &m->dst);
}

void frag_resolve(struct frag_cache *c, struct pkt_meta *m, int64_t now)
{
	struct frag_entry *e;

	if (m->frag == FRAG_NONE)
		return;
	e = slot(c, m);
	if (m->frag == FRAG_FIRST) {
		e->src = m->src;
		e->dst = m->dst;
		e->id = m->frag_id;
		e->proto = m->proto;
		e->sport = m->sport;
		e->dport = m->dport;
		e->seen = now;
		e->used = 1;
		return;
	}
	if (same(e, m) && now - e->seen <= FRAG_TIMEOUT) {
		m->sport = e->sport;
		m->dport = e->dport;
		c->matched++;
	} else {
		m->sport = 0;
		m->dport = 0;
		c->orphans++;
	}
}
