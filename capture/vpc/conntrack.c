/* conntrack.c - the connection table: a fixed pool, chained buckets keyed
 * by a seeded hash of the 5-tuple (the index doubles with the entries, so
 * a small table stays in cache), and one list per timeout class in the
 * order entries were queued, so expiry only looks at heads. A packet does
 * not move its entry: expiry queues a refreshed entry again instead.
 * Owns no rules: which packet may open a connection is action.c's call. */
#include "capture/vpc/conntrack.h"

#include <string.h>

#include "formats/mem.h"
#include "formats/record.h"

#define MIN_BUCKETS 1024u

#define CT_FIN_OPENER 1               /* FIN seen from the side that opened */
#define CT_FIN_OTHER 2                /* FIN seen from the other side */
#define CT_LAST_REPLY 4               /* UDP: the last packet was a reply */
#define CT_TURN 16                    /* UDP: changes of direction, 0..3, */
#define CT_TURNS (3 * CT_TURN)        /* in bits 4 and 5 */
#define LINE 64

static const uint32_t timeout[CTC_COUNT] = {
	[CTC_TCP] = CT_TCP_ESTABLISHED, [CTC_TCP_CLOSED] = CT_TCP_CLOSED,
	[CTC_UDP] = CT_UDP, [CTC_UDP_STREAM] = CT_UDP_STREAM, [CTC_ICMP] = CT_ICMP,
	[CTC_OTHER] = CT_OTHER,
};

static uint32_t buckets_for(uint32_t max)
{
	uint32_t n = MIN_BUCKETS;

	while (n < max && n < (1u << 30))
		n <<= 1;
	return n;
}

uint64_t conntrack_bound(uint32_t max)
{
	return ((uint64_t)max + 1) * sizeof(struct ct_entry) + (uint64_t)max * sizeof(struct ct_link) +
	       (uint64_t)buckets_for(max) * sizeof(uint32_t);
}

int conntrack_init(struct conntrack *ct, uint32_t max, uint64_t seed)
{
	memset(ct, 0, sizeof(*ct));
	if (max == 0 || max > (1u << 30))
		return -1;
	/* calloc: the pool's pages are touched only as entries are used. One
	 * entry more, so that the entries can start on a cache line. */
	ct->pool = vfe_calloc((size_t)max + 1, sizeof(*ct->e));
	ct->link = vfe_calloc(max, sizeof(*ct->link));
	ct->bucket = vfe_calloc(MIN_BUCKETS, sizeof(*ct->bucket));
	if (!ct->pool || !ct->link || !ct->bucket) {
		conntrack_free(ct);
		return -1;
	}
	ct->e = (struct ct_entry *)(((uintptr_t)ct->pool + LINE - 1) & ~(uintptr_t)(LINE - 1));
	ct->max = max;
	ct->max_buckets = buckets_for(max);
	ct->mask = MIN_BUCKETS - 1;
	ct->seed = seed;
	return 0;
}

void conntrack_key(uint8_t dir, const struct pkt_meta *m, struct ct_key *k)
{
	bool out = dir == DIR_EGRESS;

	memset(k, 0, sizeof(*k));
	k->local = out ? m->src : m->dst;
	k->remote = out ? m->dst : m->src;
	k->lport = out ? m->sport : m->dport;
	k->rport = out ? m->dport : m->sport;
	k->proto = m->proto;
}

/* The multiply-fold of flow/hash.c, unrolled for the 40 bytes of a key:
 * this runs for every packet on an ENI with security groups. */
static inline uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;

	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

uint32_t conntrack_hash(const struct conntrack *ct, const struct ct_key *k)
{
	uint64_t w[5];

	memcpy(w, k, sizeof(w));
	uint64_t h = mix(w[0] ^ 0xe7037ed1a0b428dbULL, w[1] ^ ct->seed);
	h = mix(w[2] ^ 0xe7037ed1a0b428dbULL, w[3] ^ h);
	return (uint32_t)mix(w[4] ^ 0x8ebc6af09c88c6e3ULL, h ^ 0xa0761d6478bd642fULL);
}

/* Entries keep no hash (it would not fit the line): it is worked out
 * again when the index grows or an entry leaves its bucket. */
static uint32_t entry_hash(const struct conntrack *ct, const struct ct_entry *e)
{
	struct ct_key k;

	memset(&k, 0, sizeof(k));
	k.local = e->local;
	k.remote = e->remote;
	k.lport = e->lport;
	k.rport = e->rport;
	k.proto = e->proto;
	return conntrack_hash(ct, &k);
}

static bool same_key(const struct ct_entry *e, const struct ct_key *k)
{
	return e->lport == k->lport && e->rport == k->rport && e->proto == k->proto &&
	       ip_addr_eq(&e->remote, &k->remote) && ip_addr_eq(&e->local, &k->local);
}

/* Doubles the index. Keeps the old one if memory is short: chains get
 * longer, lookups stay right. */
static void grow_index(struct conntrack *ct)
{
	uint32_t n = (ct->mask + 1) * 2;
	uint32_t *b = vfe_calloc(n, sizeof(*b));

	if (!b)
		return;
	for (uint32_t k = 0; k <= ct->mask; k++)
		for (uint32_t i = ct->bucket[k]; i;) {
			struct ct_entry *e = ct->e + i - 1;
			uint32_t next = e->chain, h = entry_hash(ct, e);
			e->chain = b[h & (n - 1)];
			b[h & (n - 1)] = i;
			i = next;
		}
	vfe_free(ct->bucket);
	ct->bucket = b;
	ct->mask = n - 1;
}

void conntrack_prefetch_bucket(const struct conntrack *ct, uint32_t h)
{
	__builtin_prefetch(ct->bucket + (h & ct->mask));
}

void conntrack_prefetch_entry(const struct conntrack *ct, uint32_t h)
{
	uint32_t i = ct->bucket[h & ct->mask];

	if (i)
		__builtin_prefetch(ct->e + i - 1);
}

void conntrack_free(struct conntrack *ct)
{
	vfe_free(ct->pool);
	vfe_free(ct->link);
	vfe_free(ct->bucket);
	memset(ct, 0, sizeof(*ct));
}

/* ---- the class lists ------------------------------------------------------ */

static void unlink_entry(struct conntrack *ct, uint32_t i)
{
	struct ct_link *l = ct->link + i;
	uint8_t cls = ct->e[i].cls;

	if (l->prev)
		ct->link[l->prev - 1].next = l->next;
	else
		ct->head[cls] = l->next;
	if (l->next)
		ct->link[l->next - 1].prev = l->prev;
	else
		ct->tail[cls] = l->prev;
	l->prev = l->next = 0;
}

static void append(struct conntrack *ct, uint32_t i, uint32_t now)
{
	struct ct_link *l = ct->link + i;
	uint8_t cls = ct->e[i].cls;

	l->queued = now;
	l->prev = ct->tail[cls];
	l->next = 0;
	if (l->prev)
		ct->link[l->prev - 1].next = i + 1;
	else
		ct->head[cls] = i + 1;
	ct->tail[cls] = i + 1;
}

static void set_class(struct conntrack *ct, struct ct_entry *e, enum ct_class c, uint32_t now)
{
	uint32_t i = (uint32_t)(e - ct->e);

	unlink_entry(ct, i);
	e->cls = (uint8_t)c;
	append(ct, i, now);
}

/* ---- entries --------------------------------------------------------------- */

void conntrack_drop(struct conntrack *ct, struct ct_entry *e)
{
	uint32_t i = (uint32_t)(e - ct->e);
	uint32_t *link = ct->bucket + (entry_hash(ct, e) & ct->mask);

	/* Ends: e is in its bucket's chain. */
	while (*link != i + 1)
		link = &ct->e[*link - 1].chain;
	*link = e->chain;
	unlink_entry(ct, i);
	e->chain = ct->free_head;
	ct->free_head = i + 1;
	ct->count--;
	ct->expired++;
}

static bool timed_out(const struct ct_entry *e, uint32_t now)
{
	return (uint64_t)e->last + timeout[e->cls] <= now;
}

void conntrack_sweep(struct conntrack *ct, uint32_t now)
{
	ct->swept = now;
	/* Each list is in queued order. An entry queued a whole timeout ago
	 * is dropped if it has been idle that long, else queued again at the
	 * tail with queued = now; so each round takes one entry off the head
	 * for good (this call never meets a requeued one again: its queued
	 * time is now), and the loop ends. find() stays exact in between. */
	for (int c = 0; c < CTC_COUNT; c++)
		while (ct->head[c]) {
			uint32_t i = ct->head[c] - 1;
			struct ct_entry *e = ct->e + i;
			if ((uint64_t)ct->link[i].queued + timeout[c] > now)
				break;
			if (timed_out(e, now)) {
				conntrack_drop(ct, e);
			} else {
				unlink_entry(ct, i);
				append(ct, i, now);
			}
		}
}

struct ct_entry *conntrack_find(struct conntrack *ct, const struct ct_key *k, uint32_t h,
				uint32_t now)
{
	for (uint32_t i = ct->bucket[h & ct->mask]; i; i = ct->e[i - 1].chain) {
		struct ct_entry *e = ct->e + i - 1;
		if (!same_key(e, k))
			continue;
		if (timed_out(e, now)) {
			conntrack_drop(ct, e);
			return NULL;
		}
		return e;
	}
	return NULL;
}

static enum ct_class first_class(uint8_t proto)
{
	switch (proto) {
	case 6:  return CTC_TCP;
	case 17: return CTC_UDP;
	case 1:
	case 58: return CTC_ICMP;
	default: return CTC_OTHER;
	}
}

struct ct_entry *conntrack_open(struct conntrack *ct, const struct ct_key *k, uint32_t h,
				uint8_t dir, uint32_t why, uint32_t now)
{
	if (ct->count >= ct->max) {
		ct->refused++;
		return NULL;
	}
	uint32_t i;
	if (ct->free_head) {
		i = ct->free_head - 1;
		ct->free_head = ct->e[i].chain;
	} else {
		i = ct->top++;
	}
	struct ct_entry *e = ct->e + i;
	memset(e, 0, sizeof(*e));
	e->local = k->local;
	e->remote = k->remote;
	e->lport = k->lport;
	e->rport = k->rport;
	e->proto = k->proto;
	e->last = now;
	e->why = why;
	e->opener = dir;
	e->cls = (uint8_t)first_class(k->proto);
	e->chain = ct->bucket[h & ct->mask];
	ct->bucket[h & ct->mask] = i + 1;
	append(ct, i, now);
	if (++ct->count > ct->peak)
		ct->peak = ct->count;
	ct->opened++;
	if (ct->count > ct->mask + 1 && ct->mask + 1 < ct->max_buckets)
		grow_index(ct);
	return e;
}

void conntrack_seen(struct conntrack *ct, struct ct_entry *e, uint8_t dir, uint8_t tcp_flags,
		    uint32_t now)
{
	bool reply = dir != e->opener;

	/* A closing connection is gone CT_TCP_CLOSED after its close,
	 * whatever still trickles in. */
	if (e->cls == CTC_TCP_CLOSED)
		return;
	if (now > e->last)
		e->last = now;
	if (e->proto == 6) {
		if (tcp_flags & TH_FIN)
			e->flags |= reply ? CT_FIN_OTHER : CT_FIN_OPENER;
		if ((tcp_flags & TH_RST) || (e->flags & (CT_FIN_OPENER | CT_FIN_OTHER)) ==
		    (CT_FIN_OPENER | CT_FIN_OTHER)) {
			e->last = now;
			set_class(ct, e, CTC_TCP_CLOSED, now);
		}
	} else if (e->proto == 17 && reply != ((e->flags & CT_LAST_REPLY) != 0)) {
		e->flags ^= CT_LAST_REPLY;
		if ((e->flags & CT_TURNS) != CT_TURNS)
			e->flags = (uint8_t)(e->flags + CT_TURN);
		/* request, response, request, response: the second transaction. */
		if ((e->flags & CT_TURNS) == CT_TURNS && e->cls == CTC_UDP)
			set_class(ct, e, CTC_UDP_STREAM, now);
	}
}
