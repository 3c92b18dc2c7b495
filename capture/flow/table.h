/* table.h - the flow table: flows per (ENI, 5-tuple, action, window).
 *
 * Memory is bounded by max_flows, stated up front: the flow pool is
 * allocated once (pages are touched only as flows are used) and the index
 * grows by doubling up to twice max_flows. A new flow that does not fit is
 * refused and counted; the caller turns that into SKIPDATA. Each window
 * keeps its flows' places in an array (8 bytes a flow), which is what a
 * closing window hands out: no list of flows to chase through the pool. */
#ifndef VFE_TABLE_H
#define VFE_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/flow/key.h"

struct flow {
	struct flow_key key;
	uint64_t packets;
	uint64_t bytes;         /* sum of IP total lengths */
	uint32_t first, last;   /* Unix seconds of the first and last packet */
	uint32_t at;            /* its place in its window's idx */
	uint32_t hash;
	uint8_t tcp_flags;      /* already reduced by the AWS rule */
	uint8_t family;         /* 4 or 6 */
	uint16_t acl_why;       /* why its first packet got its action (vpc/action.h: */
	uint32_t sg_why;        /* struct verdict), for --explain; fills the padding */
};

/* An aggregation window that has flows (or refused ones) in the table. */
struct flow_window {
	uint32_t wstart;
	uint32_t interval;
	uint32_t count;         /* flows, at idx[0..count) */
	uint32_t cap;
	uint64_t *idx;          /* tag << 32 | place in the pool, as they came */
};

struct flow_table {
	struct flow *flows;     /* pool of max_flows */
	uint32_t max_flows;
	uint32_t top;           /* pool entries ever used */
	uint64_t *freebits;     /* a bit per pool entry: freed, to be taken again */
	uint32_t nfree;         /* bits set in freebits */
	uint32_t free_word;     /* no bit is set in a later word */
	uint64_t *spare;        /* a closed window's array, for the next one */
	uint32_t spare_cap;
	uint32_t count;         /* live flows */
	uint64_t *slots;        /* hash << 32 | (index + 1); 0 = empty */
	uint32_t mask;          /* slots - 1 */
	uint32_t max_slots;
	uint64_t seed;
	struct flow_window *win;
	uint32_t nwin, capwin;
	uint32_t last_win;      /* cache: most packets hit the same window */
	uint64_t refused;       /* packets of flows that did not fit */
	uint64_t rebuilds;      /* windows closed by emptying the index */
};

int flow_table_init(struct flow_table *t, uint32_t max_flows, uint64_t seed);
void flow_table_free(struct flow_table *t);

/* The flow of k (created zeroed with its key when new), in the window
 * (k->wstart, interval). NULL when the table is full: counted in refused.
 * A new flow's entry in its window's array gets tag as its high half: 32
 * bits the caller keeps with each flow for whoever the window is handed to
 * (pipeline.c: what emit.c sorts by, so sorting reads no flow). */
struct flow *flow_table_get(struct flow_table *t, const struct flow_key *k,
			    uint32_t interval, uint32_t tag);

/* The same in steps, so a batch of packets can overlap its cache misses:
 * hash every key, prefetch every slot, prefetch every flow, then get. The
 * prefetches are hints only; results never depend on them. A new flow
 * from flow_table_get_hashed() has only its key (and the table's own
 * fields) set, and *fresh true: the caller sets every counter, so the
 * flow's line is written without being read first. */
uint32_t flow_table_hash(const struct flow_table *t, const struct flow_key *k);
void flow_table_prefetch_slot(const struct flow_table *t, uint32_t h);
void flow_table_prefetch_flow(const struct flow_table *t, uint32_t h);
struct flow *flow_table_get_hashed(struct flow_table *t, const struct flow_key *k,
				   uint32_t h, uint32_t interval, uint32_t tag, bool *fresh);

/* Changes the tag of flow f, of a window of this interval. */
void flow_table_retag(struct flow_table *t, const struct flow *f, uint32_t interval,
		      uint32_t tag);

/* Asks for every line of f (88 bytes span two or three): the key, then
 * the counters. A hint only. */
static inline void flow_prefetch(const struct flow *f)
{
	const char *p = (const char *)f;

	__builtin_prefetch(p);
	__builtin_prefetch(p + 64);
	__builtin_prefetch(p + sizeof(*f) - 1);
}

/* Called once per closing window, in window order, with that window's flows
 * in no particular order (the callee sorts): idx[0..n-1] are their tags
 * above their places in pool (the low 32 bits). idx is the window's own
 * array, 8 bytes per flow instead of a copy of each: the callee may
 * reorder it and overwrite the high halves (emit.c sorts in it), but must
 * leave every place, as the table takes the entries back from them when
 * the callee returns. The flows are off the index, and untouched until
 * then. */
typedef int (*flow_window_fn)(void *ctx, const struct flow_window *w, const struct flow *pool,
			      uint64_t *idx, size_t n);

/* Hands out and removes every window that ends at or before now
 * (INT64_MAX: all of them). Stops at the first callback error and returns
 * it; returns 0 otherwise. */
int flow_table_flush(struct flow_table *t, int64_t now, flow_window_fn fn, void *ctx);

/* The earliest end among open windows, INT64_MAX when none. */
int64_t flow_table_next_close(const struct flow_table *t);

/* tcp-flags by the AWS rule (spec 4.2): FIN 1, SYN 2, RST 4, and 16 only
 * with SYN in the same packet. */
static inline uint8_t flow_tcp_flags(uint8_t th)
{
	uint8_t v = th & 0x07;
	if ((th & 0x12) == 0x12)
		v |= 0x10;
	return v;
}

#endif
