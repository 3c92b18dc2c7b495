/* emit.c - one closing window to sorted, rendered lines.
 *
 * Flows arrive in hash order; they leave in the documented order so that
 * output never depends on the hash seed. NODATA and SKIPDATA lines carry
 * the window bounds as start/end (PRODUCT.md section 3) and sort with the
 * flows by those. Must not decide anything about packets: the flow table
 * has already counted them. */
#include "capture/emit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/vpc/attribute.h"
#include "capture/vpc/enrich.h"
#include "formats/cloudwatch.h"
#include "formats/mem.h"
#include "formats/render.h"
#include "formats/s3.h"

#define AHEAD 8         /* records prefetched ahead in write_items() */

struct emit_item {
	const struct flow *f;       /* NULL for NODATA and SKIPDATA */
	struct eni *eni;
	struct ip_addr src, dst;    /* after substitution */
	uint32_t start, end;        /* end: status lines only */
	uint32_t rank;              /* the ENI's place in interface-id order */
	uint8_t status;             /* enum log_status */
	uint8_t why;                /* SKIPDATA: SKIP_* bits */
};

void emit_init(struct emitter *e, const struct log_format *fmt, struct sink *out,
	       struct eni_table *enis, const struct vpc_model *model)
{
	memset(e, 0, sizeof(*e));
	e->fmt = fmt;
	e->out = out;
	e->enis = enis;
	e->model = model;
}

void emit_free(struct emitter *e)
{
	vfe_free(e->skips);
	vfe_free(e->items);
	vfe_free(e->rank);
	vfe_free(e->mark);
	keysort_free(&e->sort);
	e->skips = NULL;
	e->items = NULL;
	e->rank = NULL;
	e->mark = NULL;
}

int emit_header(struct emitter *e)
{
	if (!e->out)
		return 0;  /* each delivered object starts with its own header */
	char *p = sink_space(e->out, RENDER_MAX_LINE);
	if (!p) {
		snprintf(e->err, sizeof(e->err), "stdout: %s", strerror(e->out->err));
		return -1;
	}
	sink_commit(e->out, render_header(e->fmt, p, RENDER_MAX_LINE));
	return 0;
}

int emit_note_skip(struct emitter *e, uint32_t eni, uint32_t wstart, uint32_t interval,
		   uint8_t why)
{
	/* Refusals come in bursts for the same ENI and window. */
	for (size_t i = e->nskips; i > 0; i--) {
		struct skip_note *s = e->skips + i - 1;
		if (s->eni == eni && s->wstart == wstart && s->interval == interval) {
			s->why |= why;
			return 0;
		}
	}
	if (e->nskips == e->capskips) {
		size_t cap = e->capskips ? e->capskips * 2 : 16;
		struct skip_note *v = vfe_realloc(e->skips, cap * sizeof(*v));
		if (!v)
			return -1;
		e->skips = v;
		e->capskips = cap;
	}
	e->skips[e->nskips++] = (struct skip_note){eni, wstart, interval, why};
	return 0;
}

struct eni_name {
	const char *id;
	uint32_t index;
};

static int cmp_name(const void *pa, const void *pb)
{
	const struct eni_name *a = pa, *b = pb;
	int c = strcmp(a->id ? a->id : "-", b->id ? b->id : "-");

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
	if (rank)
		e->rank = rank;
	uint32_t *mark = vfe_realloc(e->mark, (size_t)n * sizeof(*mark));
	if (mark) {
		memset(mark + e->nranked, 0, (n - e->nranked) * sizeof(*mark));
		e->mark = mark;
	}
	if (!names || !rank || !mark) {
		vfe_free(names);
		return -1;
	}
	for (uint32_t i = 0; i < n; i++)
		names[i] = (struct eni_name){e->enis->v[i]->meta.interface_id, i};
	qsort(names, n, sizeof(*names), cmp_name);
	for (uint32_t i = 0; i < n; i++)
		rank[names[i].index] = i;
	vfe_free(names);
	e->nranked = n;
	return 0;
}

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

/* What cmp_item compares first: start, then the ENI's rank. */
static uint64_t item_key(const void *p)
{
	const struct emit_item *it = p;

	return (uint64_t)it->start << 32 | it->rank;
}

static int cmp_item(const void *pa, const void *pb)
{
	const struct emit_item *a = pa, *b = pb;
	int c;

	if ((c = cmp_u32(a->start, b->start)) != 0 || (c = cmp_u32(a->rank, b->rank)) != 0)
		return c;
	if (!a->f || !b->f)
		return (a->f != NULL) - (b->f != NULL);   /* status lines first */
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

static void status_record(const struct emit_item *it, struct vpc_record *r)
{
	memset(r, 0, sizeof(*r));
	r->meta = &it->eni->meta;
	r->status = it->status;
	r->tcp_flags = TCP_FLAGS_UNSET;
	r->start = it->start;
	r->end = it->end;
	r->encryption_status = -1;
}

static bool kept(const struct emitter *e, const struct emit_item *it)
{
	if (!it->f || e->traffic == TRAFFIC_ALL)
		return true;
	return it->f->key.action == (e->traffic == TRAFFIC_ACCEPT ? ACTION_ACCEPT : ACTION_REJECT);
}

/* Hands a rendered line (with its '\n') to the delivery outputs. */
static int deliver(struct emitter *e, const struct vpc_record *r, const char *line, size_t n)
{
	const struct eni_meta *m = r->meta;

	if (e->s3 && s3_write(e->s3, m->account_id, m->region, r->end, line, n) != 0) {
		snprintf(e->err, sizeof(e->err), "%s", s3_error(e->s3));
		return -1;
	}
	if (e->cw && cw_write(e->cw, m->interface_id, r->start, line, n - 1) != 0) {
		snprintf(e->err, sizeof(e->err), "%s", cw_error(e->cw));
		return -1;
	}
	return 0;
}

static int write_one(struct emitter *e, const struct emit_item *it)
{
	struct vpc_record r;
	char why[1024], local[RENDER_MAX_LINE];
	char *p = e->out ? sink_space(e->out, RENDER_MAX_LINE + sizeof(why) + 1) : local;

	if (!p) {
		snprintf(e->err, sizeof(e->err), "stdout: %s", strerror(e->out->err));
		return -1;
	}
	if (it->f) {
		struct verdict v = {it->f->sg_why, it->f->acl_why, it->f->key.action, 0};
		flow_record(it, &r);
		enrich_record(e->model, it->eni, &v, &r, e->explain ? why : NULL, sizeof(why));
	} else {
		status_record(it, &r);
		static const char *const skip_why[4] = {
			"flows were lost", "the flow table was full (--max-flows)",
			"the kernel or the interface dropped packets",
			"the flow table was full (--max-flows) and packets were dropped",
		};
		snprintf(why, sizeof(why), "# %s on %s: %s",
			 it->status == LOG_NODATA ? "NODATA" : "SKIPDATA",
			 it->eni->meta.interface_id ? it->eni->meta.interface_id : "-",
			 it->status == LOG_NODATA ? "no traffic in this window" : skip_why[it->why & 3]);
	}
	size_t n = render_record(e->fmt, &r, p, RENDER_MAX_LINE);
	if (deliver(e, &r, p, n) != 0)
		return -1;
	if (!e->out)
		goto counted;
	/* Explanations are for the reader of stdout, never in delivered logs. */
	if (e->explain) {
		size_t k = strlen(why);
		memcpy(p + n, why, k);
		p[n + k] = '\n';
		n += k + 1;
	}
	sink_commit(e->out, n);
counted:
	e->records++;
	e->nodata += it->status == LOG_NODATA;
	e->skipdata += it->status == LOG_SKIPDATA;
	return 0;
}

static int write_items(struct emitter *e)
{
	if (e->nitems > 1 &&  /* items is NULL until the first one */
	    keysort(e->items, e->nitems, sizeof(*e->items), item_key, cmp_item, &e->sort) != 0) {
		snprintf(e->err, sizeof(e->err), "out of memory");
		return -1;
	}
	for (size_t i = 0; i < e->nitems; i++) {
		/* Sorted, the items point all over the flow table and the ENIs:
		 * what a record reads is asked for a few records ahead. */
		if (i + AHEAD < e->nitems) {
			const struct emit_item *next = e->items + i + AHEAD;
			__builtin_prefetch(next->f);
			__builtin_prefetch((const char *)next->f + sizeof(*next->f) - 1);
			__builtin_prefetch(&next->eni->meta);
		}
		if (!kept(e, e->items + i)) {
			e->filtered++;
			continue;
		}
		if (write_one(e, e->items + i) != 0)
			return -1;
	}
	e->nitems = 0;
	return 0;
}

static struct emit_item *new_item(struct emitter *e)
{
	if (e->nitems == e->capitems) {
		size_t cap = e->capitems ? e->capitems * 2 : 1024;
		struct emit_item *v = vfe_realloc(e->items, cap * sizeof(*v));
		if (!v)
			return NULL;
		e->items = v;
		e->capitems = cap;
	}
	struct emit_item *it = e->items + e->nitems++;
	memset(it, 0, sizeof(*it));
	return it;
}

static int status_item(struct emitter *e, uint32_t eni, uint8_t status, uint32_t wstart,
		       uint32_t interval)
{
	struct emit_item *it = new_item(e);

	if (!it)
		return -1;
	it->eni = e->enis->v[eni];
	it->rank = e->rank[eni];
	it->status = status;
	it->start = wstart;
	it->end = wstart + interval;
	return 0;
}

/* Moves this window's skip notes into items and marks their ENIs active. */
static int take_skips(struct emitter *e, const struct flow_window *w)
{
	size_t keep = 0;

	for (size_t i = 0; i < e->nskips; i++) {
		const struct skip_note *s = e->skips[i].wstart == w->wstart &&
			e->skips[i].interval == w->interval ? e->skips + i : NULL;
		if (!s) {
			e->skips[keep++] = e->skips[i];
			continue;
		}
		if (status_item(e, s->eni, LOG_SKIPDATA, w->wstart, w->interval) != 0)
			return -1;
		e->items[e->nitems - 1].why = s->why;
		e->mark[s->eni] = e->gen;
	}
	e->nskips = keep;
	return 0;
}

static int take_flows(struct emitter *e, struct flow **flows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct flow *f = flows[i];
		struct emit_item *it = new_item(e);
		if (!it)
			return -1;
		it->f = f;
		it->eni = e->enis->v[f->key.eni];
		it->rank = e->rank[f->key.eni];
		it->start = f->first;
		attribute_record_addrs(it->eni, f->key.dir, &f->key.src, &f->key.dst,
				       &it->src, &it->dst);
		e->mark[f->key.eni] = e->gen;
	}
	return 0;
}

/* A gap longer than this many windows (a week of 60 s windows, usually a
 * bogus timestamp) gives NODATA for its last MAX_IDLE windows only; the
 * rest are counted in nodata_dropped. */
#define MAX_IDLE 10080u

/* NODATA for every seen ENI of this interval idle before upto, written
 * one window at a time: memory stays one line per ENI however long the
 * gap, and lines come out in window order. Ends because each round moves
 * the smallest idle_from of the round forward by one interval. */
static int write_idle(struct emitter *e, uint32_t interval, uint32_t upto)
{
	for (uint32_t i = 0; i < e->enis->n; i++) {
		struct eni *en = e->enis->v[i];
		if (en->seen && en->interval == interval && en->idle_from < upto &&
		    (upto - en->idle_from) / interval > MAX_IDLE) {
			uint32_t from = upto - MAX_IDLE * interval;
			e->nodata_dropped += (from - en->idle_from) / interval;
			en->idle_from = from;
		}
	}
	for (;;) {
		uint32_t ws = UINT32_MAX;
		for (uint32_t i = 0; i < e->enis->n; i++) {
			const struct eni *en = e->enis->v[i];
			if (en->seen && en->interval == interval && en->idle_from < upto &&
			    en->idle_from < ws)
				ws = en->idle_from;
		}
		if (ws == UINT32_MAX)
			return 0;
		e->nitems = 0;
		for (uint32_t i = 0; i < e->enis->n; i++) {
			struct eni *en = e->enis->v[i];
			if (!en->seen || en->interval != interval || en->idle_from != ws)
				continue;
			if (status_item(e, i, LOG_NODATA, ws, interval) != 0)
				return -1;
			en->idle_from = ws + interval;
		}
		if (write_items(e) != 0)
			return -1;
	}
}

/* For every ENI of this interval: NODATA for this window if it had nothing
 * in it. An ENI is only ever idle after its first record (spec 5.2). */
static int account_enis(struct emitter *e, const struct flow_window *w)
{
	for (uint32_t i = 0; i < e->enis->n; i++) {
		struct eni *en = e->enis->v[i];
		bool active = e->mark[i] == e->gen;
		if (en->interval != w->interval || (!en->seen && !active))
			continue;
		if (!active && en->idle_from <= w->wstart &&
		    status_item(e, i, LOG_NODATA, w->wstart, w->interval) != 0)
			return -1;
		en->seen = true;
		/* A late packet can reopen an old window: never move back. */
		if (w->wstart + w->interval > en->idle_from)
			en->idle_from = w->wstart + w->interval;
	}
	return 0;
}

int emit_window(void *ctx, const struct flow_window *w, struct flow **flows, size_t n)
{
	struct emitter *e = ctx;

	/* First the idle windows before this one, which had no flows at all. */
	if (update_ranks(e) != 0 || write_idle(e, w->interval, w->wstart) != 0)
		return -1;
	e->gen++;
	e->nitems = 0;
	if (take_skips(e, w) != 0 || take_flows(e, flows, n) != 0 || account_enis(e, w) != 0)
		return -1;
	if (write_items(e) != 0)
		return -1;
	/* Records still to come end at or after this window's start, except
	 * those of longer windows still open: keep 600 s of slots open. */
	if (e->s3 && s3_close_before(e->s3, (int64_t)w->wstart - 600) != 0) {
		snprintf(e->err, sizeof(e->err), "%s", s3_error(e->s3));
		return -1;
	}
	return 0;
}

int emit_finish(struct emitter *e, int64_t end)
{
	uint32_t seen[8];
	size_t nseen = 0;

	if (end <= 0)
		return 0;
	if (update_ranks(e) != 0)
		return -1;
	/* Each interval in use, once (60 and 600 at most, in practice). */
	for (uint32_t i = 0; i < e->enis->n; i++) {
		uint32_t iv = e->enis->v[i]->interval;
		size_t k = 0;
		while (k < nseen && seen[k] != iv)
			k++;
		if (k == nseen && nseen < sizeof(seen) / sizeof(*seen))
			seen[nseen++] = iv;
	}
	/* Whole windows only: the one the capture ended in is not idle. */
	for (size_t k = 0; k < nseen; k++) {
		int64_t upto = end - end % seen[k];
		if (upto > UINT32_MAX)
			upto = UINT32_MAX - UINT32_MAX % seen[k];
		if (write_idle(e, seen[k], (uint32_t)upto) != 0)
			return -1;
	}
	return 0;
}

int emit_deliver_before(struct emitter *e, int64_t now)
{
	/* Records still to come end after now minus the longest window. */
	if (e->s3 && s3_close_before(e->s3, now - 600) != 0) {
		snprintf(e->err, sizeof(e->err), "%s", s3_error(e->s3));
		return -1;
	}
	if (e->cw && cw_flush(e->cw) != 0) {
		snprintf(e->err, sizeof(e->err), "%s", cw_error(e->cw));
		return -1;
	}
	return 0;
}
