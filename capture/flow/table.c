/* table.c - open-addressing flow index over a fixed pool, window arrays.
 *
 * Linear probing with backward-shift deletion (no tombstones), so a table
 * that has flushed a million flows probes as fast as a new one. The index
 * never decides output order: windows are handed out whole and sorted by the
 * caller (STYLE.md habit 8). */
#include "capture/flow/table.h"

#include <stdbool.h>
#include <string.h>

#include "capture/flow/hash.h"
#include "formats/mem.h"

#define MIN_SLOTS 1024u
/* The index starts this large (2 MiB, touched as flows arrive) unless
 * max_flows needs less: growing it from 1024 slots rehashes every flow of
 * a busy first window nine times, a cache miss each. */
#define START_SLOTS (1u << 18)

static uint32_t pow2_at_least(uint64_t n)
{
	uint64_t p = MIN_SLOTS;

	while (p < n && p < (1ull << 31))
		p <<= 1;
	return (uint32_t)p;
}

int flow_table_init(struct flow_table *t, uint32_t max_flows, uint64_t seed)
{
	memset(t, 0, sizeof(*t));
	if (max_flows == 0 || max_flows > (1u << 30))
		return -1;
	t->max_flows = max_flows;
	t->max_slots = pow2_at_least(2ull * max_flows);
	t->seed = seed;
	t->flows = vfe_calloc(max_flows, sizeof(*t->flows));
	t->freebits = vfe_calloc((size_t)max_flows / 64 + 1, sizeof(*t->freebits));
	uint32_t start = t->max_slots < START_SLOTS ? t->max_slots : START_SLOTS;
	t->slots = vfe_calloc(start, sizeof(*t->slots));
	if (!t->flows || !t->slots || !t->freebits) {
		flow_table_free(t);
		return -1;
	}
	/* The pool is touched from its start as flows are taken (RSS grows
	 * with the flows alive), and read at random: huge pages spare the
	 * TLB. */
	vfe_hugepages(t->flows, (size_t)max_flows * sizeof(*t->flows));
	vfe_hugepages(t->slots, (size_t)start * sizeof(*t->slots));
	t->mask = start - 1;
	return 0;
}

void flow_table_free(struct flow_table *t)
{
	for (uint32_t i = 0; i < t->nwin; i++)
		vfe_free(t->win[i].idx);
	vfe_free(t->spare);
	vfe_free(t->freebits);
	vfe_free(t->flows);
	vfe_free(t->slots);
	vfe_free(t->win);
	memset(t, 0, sizeof(*t));
}

/* Doubles the index. Keeps the old one if memory is short: the table still
 * works, only with longer probes, until max_flows refuses new flows. */
static void grow_index(struct flow_table *t)
{
	uint32_t n = (t->mask + 1) * 2;
	uint64_t *s = vfe_calloc(n, sizeof(*s));

	if (!s)
		return;
	vfe_hugepages(s, n * sizeof(*s));
	for (uint32_t i = 0; i <= t->mask; i++) {
		uint64_t v = t->slots[i];
		if (v == 0)
			continue;
		uint32_t j = (uint32_t)(v >> 32) & (n - 1);
		while (s[j] != 0)
			j = (j + 1) & (n - 1);
		s[j] = v;
	}
	vfe_free(t->slots);
	t->slots = s;
	t->mask = n - 1;
}

static struct flow_window *window_find(struct flow_table *t, uint32_t wstart, uint32_t interval)
{
	/* t->win is NULL until the first window: index it only after the
	 * bound check (NULL + 0 is undefined behaviour in C). */
	if (t->last_win < t->nwin && t->win[t->last_win].wstart == wstart &&
	    t->win[t->last_win].interval == interval)
		return t->win + t->last_win;
	for (uint32_t i = 0; i < t->nwin; i++) {
		if (t->win[i].wstart == wstart && t->win[i].interval == interval) {
			t->last_win = i;
			return t->win + i;
		}
	}
	return NULL;
}

static struct flow_window *window_get(struct flow_table *t, uint32_t wstart, uint32_t interval)
{
	struct flow_window *w = window_find(t, wstart, interval);

	if (w)
		return w;
	if (t->nwin == t->capwin) {
		uint32_t cap = t->capwin ? t->capwin * 2 : 8;
		w = vfe_realloc(t->win, cap * sizeof(*w));
		if (!w)
			return NULL;
		t->win = w;
		t->capwin = cap;
	}
	w = t->win + t->nwin;
	memset(w, 0, sizeof(*w));
	w->wstart = wstart;
	w->interval = interval;
	t->last_win = t->nwin++;
	return w;
}

/* Room for one more flow in w's array; false when memory is short (the
 * flow is then refused like one past max_flows). The array a closed
 * window left is taken over when it is bigger: its pages are resident
 * already, where growing by realloc would fault new ones in, one by one,
 * on the counting thread (a third of a flood's page faults). */
static bool window_room(struct flow_table *t, struct flow_window *w)
{
	if (w->count < w->cap)
		return true;
	if (t->spare && t->spare_cap > w->cap) {
		if (w->count > 0)
			memcpy(t->spare, w->idx, (size_t)w->count * sizeof(*w->idx));
		vfe_free(w->idx);
		w->idx = t->spare;
		w->cap = t->spare_cap;
		t->spare = NULL;
		t->spare_cap = 0;
		return true;
	}
	if (w->cap > UINT32_MAX / 2)
		return false;
	uint32_t cap = w->cap ? w->cap * 2 : 16;
	uint64_t *v = vfe_realloc(w->idx, (size_t)cap * sizeof(*v));
	if (!v)
		return false;
	w->idx = v;
	w->cap = cap;
	return true;
}

#define TAKE_AHEAD 8    /* entries below the one taken, asked for now */
#define NO_ENTRY UINT32_MAX

/* A pool entry for a new flow: the highest freed one, else one never
 * used; NO_ENTRY when the pool is used up. Freed entries are taken in
 * pool order, so new flows fill the pool from one end: taken in the
 * order their windows were written, they would land all over it, a cache
 * and TLB miss each (counting a flood was a third slower). */
static uint32_t pool_take(struct flow_table *t)
{
	if (t->nfree == 0)
		return t->top < t->max_flows ? t->top++ : NO_ENTRY;
	uint64_t bits;
	/* Ends: a bit is set at or below free_word. */
	while ((bits = t->freebits[t->free_word]) == 0)
		t->free_word--;
	unsigned bit = 63 - (unsigned)__builtin_clzll(bits);
	t->freebits[t->free_word] = bits & ~(1ull << bit);
	t->nfree--;
	uint32_t i = t->free_word * 64 + bit;
	/* The next new flows go just below, mostly: their lines arrive
	 * meanwhile. */
	if (i >= TAKE_AHEAD)
		__builtin_prefetch(t->flows + i - TAKE_AHEAD, 1);
	return i;
}

/* The closed window's entries become free (its array holds their places
 * in the low halves; emit.c has left them there, in its own order), and
 * its array is kept for a window to grow into, unless a bigger one is
 * kept: memory stays one array per open window, one spare and a bit per
 * pool entry. */
static void free_window_flows(struct flow_table *t, const struct flow_window *w)
{
	const uint64_t *idx = w->idx;
	uint32_t n = w->count, hi = 0;

	for (uint32_t i = 0; i < n; i++) {
		uint32_t place = (uint32_t)idx[i];
		t->freebits[place / 64] |= 1ull << (place % 64);
		hi = place > hi ? place : hi;
	}
	if (n > 0 && hi / 64 > t->free_word)
		t->free_word = hi / 64;
	t->nfree += n;
	if (t->spare && t->spare_cap >= w->cap) {
		vfe_free(w->idx);
		return;
	}
	vfe_free(t->spare);
	t->spare = w->idx;
	t->spare_cap = w->cap;
}

uint32_t flow_table_hash(const struct flow_table *t, const struct flow_key *k)
{
	return (uint32_t)hash_key(k, t->seed);
}

void flow_table_prefetch_slot(const struct flow_table *t, uint32_t h)
{
	__builtin_prefetch(t->slots + (h & t->mask));
}

void flow_table_prefetch_flow(const struct flow_table *t, uint32_t h)
{
	uint64_t v = t->slots[h & t->mask];

	if (v != 0 && (uint32_t)(v >> 32) == h)
		flow_prefetch(t->flows + ((uint32_t)v - 1));
}

struct flow *flow_table_get(struct flow_table *t, const struct flow_key *k, uint32_t interval,
			    uint32_t tag)
{
	bool fresh;
	struct flow *f = flow_table_get_hashed(t, k, flow_table_hash(t, k), interval, tag, &fresh);

	if (f && fresh) {
		f->packets = f->bytes = 0;
		f->first = f->last = 0;
		f->tcp_flags = f->family = 0;
		f->acl_why = 0;
		f->sg_why = 0;
	}
	return f;
}

struct flow *flow_table_get_hashed(struct flow_table *t, const struct flow_key *k,
				   uint32_t h, uint32_t interval, uint32_t tag, bool *fresh)
{
	uint32_t i = h & t->mask;

	*fresh = false;
	/* Ends: the index is at most half full, so an empty slot exists. */
	for (uint64_t v; (v = t->slots[i]) != 0; i = (i + 1) & t->mask) {
		if ((uint32_t)(v >> 32) != h)
			continue;
		struct flow *f = t->flows + ((uint32_t)v - 1);
		if (flow_key_eq(&f->key, k))
			return f;
	}
	struct flow_window *w = window_get(t, k->wstart, interval);
	/* Refuse at the bound, and also when the index could not grow: probing
	 * needs at least one empty slot to end. */
	uint32_t idx;
	if (!w || t->count >= t->max_flows || (t->count + 1) * 2 > t->mask + 1 + t->mask / 2 ||
	    !window_room(t, w) || (idx = pool_take(t)) == NO_ENTRY) {
		t->refused++;
		return NULL;
	}
	struct flow *f = t->flows + idx;
	*fresh = true;
	f->key = *k;
	f->hash = h;
	f->at = w->count;
	w->idx[w->count++] = (uint64_t)tag << 32 | idx;
	t->slots[i] = (uint64_t)h << 32 | (idx + 1);
	t->count++;
	if (t->count * 2 > t->mask + 1 && t->mask + 1 < t->max_slots)
		grow_index(t);
	return f;
}

void flow_table_retag(struct flow_table *t, const struct flow *f, uint32_t interval,
		      uint32_t tag)
{
	struct flow_window *w = window_find(t, f->key.wstart, interval);

	if (w && f->at < w->count && (uint32_t)w->idx[f->at] == (uint32_t)(f - t->flows))
		w->idx[f->at] = (uint64_t)tag << 32 | (uint32_t)(f - t->flows);
}

/* Backward-shift deletion: after emptying slot i, walk the run that follows
 * and move back every entry whose home slot is not in (i, j], so no lookup
 * ever meets a gap before its entry. Ends at the first empty slot. */
static void index_remove(struct flow_table *t, uint32_t idx)
{
	const struct flow *f = t->flows + idx;
	uint32_t i = f->hash & t->mask;

	while ((uint32_t)t->slots[i] != idx + 1)
		i = (i + 1) & t->mask;
	for (uint32_t j = i;;) {
		j = (j + 1) & t->mask;
		uint64_t v = t->slots[j];
		if (v == 0)
			break;
		uint32_t home = (uint32_t)(v >> 32) & t->mask;
		bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
		if (stays)
			continue;
		t->slots[i] = v;
		i = j;
	}
	t->slots[i] = 0;
}

/* Takes the flows of every window but skip back into an emptied index.
 * When a closing window holds nearly every flow, that is cheaper than
 * removing its flows one by one (a cache miss each): the index is cleared
 * in one sequential pass and only the few flows of the next window go
 * back in. */
static bool rebuild_is_cheaper(const struct flow_table *t, const struct flow_window *w)
{
	uint32_t rest = t->count - w->count;

	return rest < w->count / 4 && (uint64_t)t->mask + 1 <= 16ull * w->count;
}

static void index_rebuild(struct flow_table *t, uint32_t skip)
{
	t->rebuilds++;
	memset(t->slots, 0, ((size_t)t->mask + 1) * sizeof(*t->slots));
	for (uint32_t wi = 0; wi < t->nwin; wi++) {
		if (wi == skip)
			continue;
		const struct flow_window *w = t->win + wi;
		for (uint32_t i = 0; i < w->count; i++) {
			uint32_t idx = (uint32_t)w->idx[i];
			uint32_t h = t->flows[idx].hash, j = h & t->mask;
			while (t->slots[j] != 0)
				j = (j + 1) & t->mask;
			t->slots[j] = (uint64_t)h << 32 | (idx + 1);
		}
	}
}

/* Takes window w's flows out of the index and drops the window, hands
 * the flows out, then makes their entries free: the flows are untouched
 * until fn returns. Removing flows one by one reads each flow's hash, in
 * the array's order, so those lines are asked for ahead. */
#define REMOVE_AHEAD 8

static int close_window(struct flow_table *t, uint32_t wi, flow_window_fn fn, void *ctx)
{
	struct flow_window w = t->win[wi];

	if (rebuild_is_cheaper(t, &w)) {
		index_rebuild(t, wi);
	} else {
		for (uint32_t i = 0; i < w.count; i++) {
			if (i + REMOVE_AHEAD < w.count)
				__builtin_prefetch(&t->flows[(uint32_t)w.idx[i + REMOVE_AHEAD]].hash);
			index_remove(t, (uint32_t)w.idx[i]);
		}
	}
	t->count -= w.count;
	t->win[wi] = t->win[--t->nwin];
	t->last_win = 0;
	int rc = fn(ctx, &w, t->flows, w.idx, w.count);
	free_window_flows(t, &w);
	return rc;
}

int64_t flow_table_next_close(const struct flow_table *t)
{
	int64_t m = INT64_MAX;

	for (uint32_t i = 0; i < t->nwin; i++) {
		int64_t e = (int64_t)t->win[i].wstart + t->win[i].interval;
		if (e < m)
			m = e;
	}
	return m;
}

int flow_table_flush(struct flow_table *t, int64_t now, flow_window_fn fn, void *ctx)
{
	/* Each round closes the earliest-starting window that has ended, so
	 * windows come out in start order; each round removes one window. */
	for (;;) {
		uint32_t best = UINT32_MAX;
		for (uint32_t i = 0; i < t->nwin; i++) {
			const struct flow_window *w = t->win + i;
			if ((int64_t)w->wstart + w->interval > now)
				continue;
			if (best == UINT32_MAX || w->wstart < t->win[best].wstart ||
			    (w->wstart == t->win[best].wstart && w->interval < t->win[best].interval))
				best = i;
		}
		if (best == UINT32_MAX)
			return 0;
		int rc = close_window(t, best, fn, ctx);
		if (rc != 0)
			return rc;
	}
}
