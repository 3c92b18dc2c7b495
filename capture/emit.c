/* emit.c - one closing window to sorted, rendered lines.
 *
 * Flows arrive in hash order; they leave in the documented order so that
 * output never depends on the hash seed. Must not decide anything about
 * packets: the flow table has already counted them. */
#include "capture/emit.h"

#include <stdlib.h>
#include <string.h>

#include "capture/vpc/attribute.h"
#include "formats/mem.h"
#include "formats/render.h"

struct emit_item {
	const struct flow *f;       /* NULL for a SKIPDATA line */
	const struct eni *eni;
	struct ip_addr src, dst;    /* after substitution */
	uint32_t start;
	uint32_t rank;              /* the ENI's place in interface-id order */
};

struct eni_name {
	const char *id;
	uint32_t index;
};

static int cmp_name(const void *pa, const void *pb)
{
	const struct eni_name *a = pa, *b = pb;
	int c = strcmp(a->id, b->id);

	return c ? c : (a->index > b->index) - (a->index < b->index);
}

/* Ranks ENIs by interface-id once per change in their number, so sorting
 * records compares integers instead of strings. */
static int update_ranks(struct emitter *e)
{
	uint32_t n = e->enis->n;

	if (n == e->nranked)
		return 0;
	struct eni_name *names = vfe_malloc((size_t)n * sizeof(*names));
	uint32_t *rank = vfe_realloc(e->rank, (size_t)n * sizeof(*rank));
	if (!names || !rank) {
		vfe_free(names);
		if (rank)
			e->rank = rank;
		return -1;
	}
	for (uint32_t i = 0; i < n; i++)
		names[i] = (struct eni_name){e->enis->v[i]->meta.interface_id, i};
	qsort(names, n, sizeof(*names), cmp_name);
	for (uint32_t i = 0; i < n; i++)
		rank[names[i].index] = i;
	vfe_free(names);
	e->rank = rank;
	e->nranked = n;
	return 0;
}

void emit_init(struct emitter *e, const struct log_format *fmt, struct sink *out,
	       const struct eni_table *enis)
{
	memset(e, 0, sizeof(*e));
	e->fmt = fmt;
	e->out = out;
	e->enis = enis;
}

void emit_free(struct emitter *e)
{
	vfe_free(e->skips);
	vfe_free(e->items);
	vfe_free(e->rank);
	e->skips = NULL;
	e->items = NULL;
	e->rank = NULL;
}

int emit_header(struct emitter *e)
{
	char *p = sink_space(e->out, RENDER_MAX_LINE);

	if (!p)
		return -1;
	sink_commit(e->out, render_header(e->fmt, p, RENDER_MAX_LINE));
	return 0;
}

int emit_note_skip(struct emitter *e, uint32_t eni, uint32_t wstart, uint32_t interval)
{
	/* Refusals come in bursts for the same ENI and window. */
	for (size_t i = e->nskips; i > 0; i--) {
		const struct skip_note *s = e->skips + i - 1;
		if (s->eni == eni && s->wstart == wstart && s->interval == interval)
			return 0;
	}
	if (e->nskips == e->capskips) {
		size_t cap = e->capskips ? e->capskips * 2 : 16;
		struct skip_note *v = vfe_realloc(e->skips, cap * sizeof(*v));
		if (!v)
			return -1;
		e->skips = v;
		e->capskips = cap;
	}
	e->skips[e->nskips++] = (struct skip_note){eni, wstart, interval};
	return 0;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

static int cmp_item(const void *pa, const void *pb)
{
	const struct emit_item *a = pa, *b = pb;
	int c;

	if ((c = cmp_u32(a->start, b->start)) != 0)
		return c;
	if ((c = cmp_u32(a->rank, b->rank)) != 0)
		return c;
	if (!a->f || !b->f)
		return (a->f != NULL) - (b->f != NULL);   /* SKIPDATA first */
	if ((c = ip_addr_cmp(&a->src, &b->src)) != 0 || (c = ip_addr_cmp(&a->dst, &b->dst)) != 0)
		return c;
	const struct flow_key *ka = &a->f->key, *kb = &b->f->key;
	if ((c = cmp_u32(ka->sport, kb->sport)) != 0 || (c = cmp_u32(ka->dport, kb->dport)) != 0 ||
	    (c = cmp_u32(ka->proto, kb->proto)) != 0 || (c = cmp_u32(ka->dir, kb->dir)) != 0 ||
	    (c = cmp_u32(ka->action, kb->action)) != 0)
		return c;
	/* Same visible tuple, different packet addresses (secondary IPs). */
	if ((c = ip_addr_cmp(&ka->src, &kb->src)) != 0)
		return c;
	return ip_addr_cmp(&ka->dst, &kb->dst);
}

static void flow_record(const struct emit_item *it, struct vpc_record *r)
{
	const struct flow *f = it->f;

	memset(r, 0, sizeof(*r));
	r->meta = &it->eni->meta;
	r->status = LOG_OK;
	r->action = f->key.action;
	r->direction = f->key.dir;
	r->traffic_path = TRAFFIC_PATH_NONE;
	r->tcp_flags = f->key.proto == 6 ? f->tcp_flags : 0;
	r->family = f->family;
	r->protocol = f->key.proto;
	r->srcport = f->key.sport;
	r->dstport = f->key.dport;
	r->srcaddr = it->src;
	r->dstaddr = it->dst;
	r->pkt_srcaddr = f->key.src;
	r->pkt_dstaddr = f->key.dst;
	r->packets = f->packets;
	r->bytes = f->bytes;
	r->start = f->first;
	r->end = f->last;
	r->encryption_status = -1;
}

static void status_record(const struct emit_item *it, const struct flow_window *w,
			  uint8_t status, struct vpc_record *r)
{
	memset(r, 0, sizeof(*r));
	r->meta = &it->eni->meta;
	r->status = status;
	r->tcp_flags = TCP_FLAGS_UNSET;
	r->start = w->wstart;
	r->end = (int64_t)w->wstart + w->interval;
	r->encryption_status = -1;
}

static int write_items(struct emitter *e, const struct flow_window *w, size_t n)
{
	struct vpc_record r;

	for (size_t i = 0; i < n; i++) {
		const struct emit_item *it = e->items + i;
		char *p = sink_space(e->out, RENDER_MAX_LINE);
		if (!p)
			return -1;
		if (it->f)
			flow_record(it, &r);
		else
			status_record(it, w, LOG_SKIPDATA, &r);
		sink_commit(e->out, render_record(e->fmt, &r, p, RENDER_MAX_LINE));
		e->records++;
		e->skipdata += it->f == NULL;
	}
	return 0;
}

/* Moves this window's skip notes into items[0..]; returns how many. */
static size_t take_skips(struct emitter *e, const struct flow_window *w)
{
	size_t n = 0, keep = 0;

	for (size_t i = 0; i < e->nskips; i++) {
		const struct skip_note *s = e->skips + i;
		if (s->wstart == w->wstart && s->interval == w->interval) {
			struct emit_item *it = e->items + n++;
			memset(it, 0, sizeof(*it));
			it->eni = e->enis->v[s->eni];
			it->rank = e->rank[s->eni];
			it->start = w->wstart;
		} else {
			e->skips[keep++] = *s;
		}
	}
	e->nskips = keep;
	return n;
}

int emit_window(void *ctx, const struct flow_window *w, struct flow **flows, size_t n)
{
	struct emitter *e = ctx;
	size_t need = n + e->nskips;

	if (need > e->capitems) {
		struct emit_item *v = vfe_realloc(e->items, need * sizeof(*v));
		if (!v)
			return -1;
		e->items = v;
		e->capitems = need;
	}
	if (update_ranks(e) != 0)
		return -1;
	size_t k = take_skips(e, w);
	for (size_t i = 0; i < n; i++, k++) {
		struct emit_item *it = e->items + k;
		const struct flow *f = flows[i];
		it->f = f;
		it->eni = e->enis->v[f->key.eni];
		it->rank = e->rank[f->key.eni];
		it->start = f->first;
		attribute_record_addrs(it->eni, f->key.dir, &f->key.src, &f->key.dst,
				       &it->src, &it->dst);
	}
	qsort(e->items, k, sizeof(*e->items), cmp_item);
	return write_items(e, w, k);
}
