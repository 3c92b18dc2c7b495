/* emit.c - one closing window to sorted, rendered lines.
 *
 * Flows arrive in hash order; they leave in the documented order so that
 * output never depends on the hash seed. A window is sorted as one 8-byte
 * value per flow (keysort.h: start and ENI rank above, the flow's place in
 * the pool below), so sorting costs 16 bytes a flow and never copies one.
 * NODATA and SKIPDATA lines carry the window bounds as start/end
 * (PRODUCT.md section 3), are kept apart and merged in while writing
 * (emit_write.c, which also renders a big window on two threads). Here:
 * the ENIs' ranks, the status lines of each window, idle windows. Must not
 * decide anything about packets: the flow table has already counted
 * them. */
#include "capture/emit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/cloudwatch.h"
#include "formats/mem.h"
#include "formats/render.h"
#include "formats/s3.h"

void emit_init(struct emitter *e, const struct log_format *fmt, struct sink *out,
	       struct eni_table *enis, const struct vpc_model *model)
{
	memset(e, 0, sizeof(*e));
	e->fmt = fmt;
	e->out = out;
	e->enis = enis;
	e->model = model;
	e->rank_bits = 1;
}

void emit_use_helper(struct emitter *e)
{
	if (!e->spans && e->out && !e->s3 && !e->cw)
		e->spans = spans_start();
}

void emit_free(struct emitter *e)
{
	spans_stop(e->spans);
	e->spans = NULL;
	vfe_free(e->skips);
	vfe_free(e->lines);
	vfe_free(e->rank);
	vfe_free(e->by_rank);
	vfe_free(e->names);
	vfe_free(e->mark);
	keysort_free(&e->sort);
	e->skips = NULL;
	e->lines = NULL;
	e->rank = NULL;
	e->by_rank = NULL;
	e->names = NULL;
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
 * records compares integers instead of strings; seals the new ones' line
 * heads (render.h). Only the new ENIs are sorted, then merged with the
 * ones ranked before (e->names, kept in order): a flood of new addresses
 * adds ENIs in every window, and sorting all of them each time was
 * n log n string comparisons per window. */
static int update_ranks(struct emitter *e)
{
	uint32_t n = e->enis->n, old = e->nranked;

	if (n == old)
		return 0;
	struct eni_name *fresh = vfe_malloc((size_t)(n - old) * sizeof(*fresh));
	struct eni_name *names = vfe_malloc((size_t)n * sizeof(*names));
	uint32_t *rank = vfe_realloc(e->rank, (size_t)n * sizeof(*rank));
	if (rank)
		e->rank = rank;
	struct eni **by_rank = vfe_realloc(e->by_rank, (size_t)n * sizeof(*by_rank));
	if (by_rank)
		e->by_rank = by_rank;
	uint32_t *mark = vfe_realloc(e->mark, (size_t)n * sizeof(*mark));
	if (mark) {
		memset(mark + old, 0, (n - old) * sizeof(*mark));
		e->mark = mark;
	}
	if (!fresh || !names || !rank || !by_rank || !mark) {
		vfe_free(fresh);
		vfe_free(names);
		return -1;
	}
	for (uint32_t i = old; i < n; i++)
		fresh[i - old] = (struct eni_name){e->enis->v[i]->meta.interface_id, i};
	qsort(fresh, n - old, sizeof(*fresh), cmp_name);
	/* Merge: the order is (id, index), the same as one sort of all. */
	for (uint32_t i = 0, a = 0, b = 0; i < n; i++)
		names[i] = b == n - old || (a < old && cmp_name(e->names + a, fresh + b) < 0) ?
				   e->names[a++] : fresh[b++];
	vfe_free(fresh);
	vfe_free(e->names);
	e->names = names;
	for (uint32_t i = 0; i < n; i++) {
		rank[names[i].index] = i;
		by_rank[i] = e->enis->v[names[i].index];
	}
	/* New ENIs: their lines' constant leading fields, rendered once. */
	for (uint32_t i = old; i < n; i++)
		render_seal_head(&e->enis->v[i]->meta, e->fmt);
	e->nranked = n;
	e->rank_bits = n > 1 ? 32 - (uint32_t)__builtin_clz(n - 1) : 1;
	return 0;
}

static int add_line(struct emitter *e, uint32_t eni, uint8_t status, uint32_t wstart,
		    uint32_t interval, uint8_t why)
{
	if (e->nlines == e->caplines) {
		size_t cap = e->caplines ? e->caplines * 2 : 64;
		struct status_line *v = vfe_realloc(e->lines, cap * sizeof(*v));
		if (!v)
			return -1;
		e->lines = v;
		e->caplines = cap;
	}
	e->lines[e->nlines++] = (struct status_line){
		sort_key(e, 0, e->rank[eni]), eni, wstart, wstart + interval, status, why,
	};
	return 0;
}

/* Moves this window's skip notes into status lines and marks their ENIs
 * active. */
static int take_skips(struct emitter *e, const struct flow_window *w)
{
	size_t keep = 0;

	for (size_t i = 0; i < e->nskips; i++) {
		const struct skip_note *s = e->skips + i;
		if (s->wstart != w->wstart || s->interval != w->interval) {
			e->skips[keep++] = *s;
			continue;
		}
		if (add_line(e, s->eni, LOG_SKIPDATA, w->wstart, w->interval, s->why) != 0)
			return -1;
		e->mark[s->eni] = e->gen;
	}
	e->nskips = keep;
	return 0;
}

/* Turns idx (tags above places in pool: emit_flow_tag) into sort values
 * and marks the ENIs active, from the array alone: no flow is read. */
static void take_flows(struct emitter *e, uint64_t *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t tag = (uint32_t)(idx[i] >> 32), eni = tag & (ENI_LIMIT - 1);
		uint32_t key = sort_key(e, tag >> EMIT_TAG_ENI_BITS, e->rank[eni]);
		idx[i] = (uint64_t)key << 32 | (uint32_t)idx[i];
		e->mark[eni] = e->gen;
	}
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
		e->nlines = 0;
		for (uint32_t i = 0; i < e->enis->n; i++) {
			struct eni *en = e->enis->v[i];
			if (!en->seen || en->interval != interval || en->idle_from != ws)
				continue;
			if (add_line(e, i, LOG_NODATA, ws, interval, 0) != 0)
				return -1;
			en->idle_from = ws + interval;
		}
		if (emit_write_sorted(e, NULL, NULL, 0) != 0)
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
		    add_line(e, i, LOG_NODATA, w->wstart, w->interval, 0) != 0)
			return -1;
		en->seen = true;
		/* A late packet can reopen an old window: never move back. */
		if (w->wstart + w->interval > en->idle_from)
			en->idle_from = w->wstart + w->interval;
	}
	return 0;
}

int emit_window(void *ctx, const struct flow_window *w, const struct flow *pool, uint64_t *idx,
		size_t n)
{
	struct emitter *e = ctx;

	/* First the idle windows before this one, which had no flows at all. */
	if (update_ranks(e) != 0 || write_idle(e, w->interval, w->wstart) != 0)
		return -1;
	e->gen++;
	e->nlines = 0;
	take_flows(e, idx, n);
	if (take_skips(e, w) != 0 || account_enis(e, w) != 0)
		return -1;
	if (emit_write_sorted(e, pool, idx, n) != 0)
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
