/* emit_write.c - a closing window's sorted lines to the outputs.
 *
 * The window's flows are radix-sorted by (start, ENI rank) in emit.c's
 * sort values; each run of one second and ENI is put in order by the
 * comparator when the write loop reaches it, while its flows are in the
 * cache. Status lines (NODATA, SKIPDATA) are merged in before the flows
 * of their ENI and second. Lines go to stdout through the sink, or to the
 * delivery outputs; a big window to stdout is written in stretches that
 * this thread and a helper render at once (spans.h) and the sink gets in
 * order. */
#include "capture/emit_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/vpc/attribute.h"
#include "capture/vpc/enrich.h"
#include "formats/cloudwatch.h"
#include "formats/mem.h"
#include "formats/render.h"
#include "formats/s3.h"

/* Flows prefetched ahead of the one written, and their ENIs' lines: a
 * line takes a few records' time to come, and asking further ahead only
 * queues the requests behind the core's few line fill buffers (8 and 4
 * wrote a flood's lines 6 % slower). */
#define AHEAD 4
#define ENI_AHEAD 2
#define WHY_MAX 1024    /* an --explain line */

static int cmp_u32(uint32_t a, uint32_t b)
{
	return (a > b) - (a < b);
}

/* The ENI of a sort value: from the value alone, so it can be asked for
 * before the flow has arrived. */
static struct eni *value_eni(const struct emitter *e, uint64_t v)
{
	return e->by_rank[(uint32_t)(v >> 32) & ((1u << e->rank_bits) - 1)];
}

/* The window's flows and the ENIs they belong to, for cmp_flow(). */
struct sort_ctx {
	const struct emitter *e;
	const struct flow *pool;
};

static void record_addrs(const struct eni *en, const struct flow *f, struct ip_addr *src,
			 struct ip_addr *dst)
{
	attribute_record_addrs(en, f->key.dir, &f->key.src, &f->key.dst,
			       src, dst);
}

/* Two flows of the same start second and ENI: by the addresses as written
 * (after substitution), ports, protocol, direction, action, then the
 * packet addresses. The flow key is unique, so this is a total order. */
static int cmp_flow(uint64_t va, uint64_t vb, void *ctx)
{
	const struct sort_ctx *c = ctx;
	const struct flow *a = c->pool + (uint32_t)va, *b = c->pool + (uint32_t)vb;
	struct ip_addr as, ad, bs, bd;
	int r;

	/* Both of one run: one ENI. */
	const struct eni *en = value_eni(c->e, va);
	record_addrs(en, a, &as, &ad);
	record_addrs(en, b, &bs, &bd);
	if ((r = ip_addr_cmp(&as, &bs)) != 0 || (r = ip_addr_cmp(&ad, &bd)) != 0)
		return r;
	const struct flow_key *ka = &a->key, *kb = &b->key;
	if ((r = cmp_u32(ka->sport, kb->sport)) != 0 || (r = cmp_u32(ka->dport, kb->dport)) != 0 ||
	    (r = cmp_u32(ka->proto, kb->proto)) != 0 || (r = cmp_u32(ka->dir, kb->dir)) != 0 ||
	    (r = cmp_u32(ka->action, kb->action)) != 0)
		return r;
	/* Same visible tuple, different packet addresses (secondary IPs). */
	if ((r = ip_addr_cmp(&ka->src, &kb->src)) != 0)
		return r;
	return ip_addr_cmp(&ka->dst, &kb->dst);
}

static int cmp_line(const void *pa, const void *pb)
{
	const struct status_line *a = pa, *b = pb;
	int r;

	if ((r = cmp_u32(a->key, b->key)) != 0 || (r = cmp_u32(a->eni, b->eni)) != 0)
		return r;
	return cmp_u32(a->status, b->status);
}

/* Every field of r set one by one: a memset of the whole record is a slow
 * string instruction for each line written. */
static void flow_record(const struct eni *en, const struct flow *f, struct vpc_record *r)
{
	r->meta = &en->meta;
	r->status = LOG_OK;
	r->action = f->key.action;
	r->direction = f->key.dir;
	r->traffic_path = TRAFFIC_PATH_NONE;
	r->tcp_flags = f->key.proto == 6 ? f->tcp_flags : 0;
	r->family = f->family;
	r->protocol = f->key.proto;
	r->srcport = f->key.sport;
	r->dstport = f->key.dport;
	record_addrs(en, f, &r->srcaddr, &r->dstaddr);
	r->pkt_srcaddr = f->key.src;
	r->pkt_dstaddr = f->key.dst;
	r->packets = f->packets;
	r->bytes = f->bytes;
	r->start = f->first;
	r->end = f->last;
	r->pkt_src_aws_service = NULL;
	r->pkt_dst_aws_service = NULL;
	r->reject_reason = NULL;
	for (size_t i = 0; i < sizeof(r->next_hop) / sizeof(r->next_hop[0]); i++)
		r->next_hop[i] = NULL;
	r->encryption_status = -1;
}

static void status_record(const struct emitter *e, const struct status_line *l,
			  struct vpc_record *r)
{
	memset(r, 0, sizeof(*r));
	r->meta = &e->enis->v[l->eni]->meta;
	r->status = l->status;
	r->tcp_flags = TCP_FLAGS_UNSET;
	r->start = l->start;
	r->end = l->end;
	r->encryption_status = -1;
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

/* Renders r to stdout or the delivery outputs, or into span sp when not
 * NULL (stdout's text, on either thread); on stdout with --explain, why
 * follows it on a line of its own. */
static int write_record(struct emitter *e, struct span *sp, const struct vpc_record *r,
			const char *why)
{
	const size_t need = RENDER_MAX_LINE + WHY_MAX + 1;
	char local[RENDER_MAX_LINE];
	char *p = sp ? span_room(sp, need) : e->out ? sink_space(e->out, need) : local;

	if (!p) {
		if (!sp)
			snprintf(e->err, sizeof(e->err), "stdout: %s", strerror(e->out->err));
		return -1;
	}
	size_t n = render_record(e->fmt, r, p, RENDER_MAX_LINE);
	if (!sp && deliver(e, r, p, n) != 0)
		return -1;
	if (sp || e->out) {
		/* Explanations are for the reader of stdout, never in delivered logs. */
		if (e->explain) {
			size_t k = strlen(why);
			memcpy(p + n, why, k);
			p[n + k] = '\n';
			n += k + 1;
		}
		if (sp)
			sp->len += n;
		else
			sink_commit(e->out, n);
	}
	uint64_t *count = sp ? sp->count : e->count;
	count[EMIT_RECORDS]++;
	count[EMIT_NODATA] += r->status == LOG_NODATA;
	count[EMIT_SKIPDATA] += r->status == LOG_SKIPDATA;
	return 0;
}

/* Writes flow f of ENI en. */
static int write_flow(struct emitter *e, struct span *sp, const struct eni *en,
		      const struct flow *f)
{
	struct vpc_record r;
	char why[WHY_MAX];

	if (e->traffic != TRAFFIC_ALL &&
	    f->key.action != (e->traffic == TRAFFIC_ACCEPT ? ACTION_ACCEPT : ACTION_REJECT)) {
		(sp ? sp->count : e->count)[EMIT_FILTERED]++;
		return 0;
	}
	struct verdict v = {f->sg_why, f->acl_why, f->key.action, 0};
	flow_record(en, f, &r);
	enrich_record(e->model, en, &v, &r, e->explain ? why : NULL, sizeof(why));
	return write_record(e, sp, &r, why);
}

static int write_status(struct emitter *e, struct span *sp, const struct status_line *l)
{
	static const char *const skip_why[4] = {
		"flows were lost", "the flow table was full (--max-flows)",
		"the kernel or the interface dropped packets",
		"the flow table was full (--max-flows) and packets were dropped",
	};
	const char *id = e->enis->v[l->eni]->meta.interface_id;
	struct vpc_record r;
	char why[WHY_MAX];

	status_record(e, l, &r);
	why[0] = '\0';
	if (e->explain)
		snprintf(why, sizeof(why), "# %s on %s: %s",
			 l->status == LOG_NODATA ? "NODATA" : "SKIPDATA", id ? id : "-",
			 l->status == LOG_NODATA ? "no traffic in this window" :
						   skip_why[l->why & 3]);
	return write_record(e, sp, &r, why);
}

/* What writing a flow reads of its ENI, thousands of ENIs apart: its
 * record lines (vpc/eni.h), the primary address and route table, then the
 * line head. The ENI comes from the sort value (value_eni), so this waits
 * for nothing. */
static void prefetch_eni(const struct eni *en)
{
	__builtin_prefetch(&en->primary);
	__builtin_prefetch(en->meta.head + sizeof(en->meta.head) - 1);
}

/* A stretch of a window's lines: flows v[lo..hi) and status lines
 * lines[jlo..jhi). lo and hi are where runs of one second and ENI begin,
 * so a stretch sorts whole runs. */
struct stretch {
	size_t lo, hi, jlo, jhi;
};

/* Writes a stretch of the window's n flows (v: sort_key << 32 | place in
 * pool, radix-sorted) and of its status lines, merged: a status line goes
 * before the flows of its ENI and second. To sp, or stdout when NULL. */
static int write_stretch(struct emitter *e, struct span *sp, const struct flow *pool, uint64_t *v,
			 struct stretch s)
{
	struct sort_ctx c = {e, pool};
	size_t j = s.jlo, run_end = s.lo;

	for (size_t i = s.lo; i < s.lo + AHEAD && i < s.hi; i++)
		flow_prefetch(pool + (uint32_t)v[i]);
	for (size_t i = s.lo; i < s.hi; i++) {
		/* Sorted, the flows lie all over the pool: the ones written a
		 * few lines later are asked for now. */
		if (i + AHEAD < s.hi)
			flow_prefetch(pool + (uint32_t)v[i + AHEAD]);
		if (i + ENI_AHEAD < s.hi)
			prefetch_eni(value_eni(e, v[i + ENI_AHEAD]));
		/* A run of flows of the same second and ENI is put in order by
		 * the comparator as it is reached: its flows are the ones just
		 * asked for, so comparing them costs no extra trip to memory. */
		if (i == run_end) {
			/* Never past hi: the next stretch may be sorted meanwhile. */
			run_end = keysort_run_end(v, s.hi, i);
			keysort_run(v, i, run_end, cmp_flow, &c, &e->sort);
		}
		for (; j < s.jhi && e->lines[j].key <= (uint32_t)(v[i] >> 32); j++)
			if (write_status(e, sp, e->lines + j) != 0)
				return -1;
		if (write_flow(e, sp, value_eni(e, v[i]), pool + (uint32_t)v[i]) != 0)
			return -1;
	}
	for (; j < s.jhi; j++)
		if (write_status(e, sp, e->lines + j) != 0)
			return -1;
	return 0;
}

/* A big window to stdout is cut into stretches of about SPAN_ITEMS lines,
 * rendered by this thread and the helper (spans.h) and written in order.
 * Each stretch costs the two threads a hand-over (1,024 made a flood's
 * run switch threads some 3,000 times). */
#define SPAN_ITEMS 4096

struct window_job {
	struct emitter *e;
	const struct flow *pool;
	uint64_t *v;
	const struct stretch *s;
	bool by_second;         /* each stretch is sorted by its filler */
};

static void fill_span(void *ctx, size_t i, struct span *sp)
{
	const struct window_job *w = ctx;

	if (w->by_second)
		keysort_groups(w->v, w->s[i].lo, w->s[i].hi, w->e->rank_bits, &w->e->sort);
	if (write_stretch(w->e, sp, w->pool, w->v, w->s[i]) != 0)
		sp->failed = true;
}

static int take_span(void *ctx, size_t i, struct span *sp)
{
	struct emitter *e = ((const struct window_job *)ctx)->e;
	(void)i;

	if (sp->failed) {
		snprintf(e->err, sizeof(e->err), "out of memory");
		return -1;
	}
	/* The text goes to the writer as it is; the span gets a block
	 * written before to fill next (or makes one). */
	if (sink_give(e->out, &sp->buf, sp->len, &sp->cap) != 0) {
		snprintf(e->err, sizeof(e->err), "stdout: %s", strerror(e->out->err));
		return -1;
	}
	for (size_t k = 0; k < SPAN_COUNTS; k++)
		e->count[k] += sp->count[k];
	return 0;
}

/* The first status line from j on that comes after the flows of key:
 * lines are sorted by key, so by halving. */
static size_t lines_after(const struct emitter *e, size_t j, uint32_t key)
{
	size_t hi = e->nlines;

	while (j < hi) {
		size_t mid = j + (hi - j) / 2;
		if (e->lines[mid].key <= key)
			j = mid + 1;
		else
			hi = mid;
	}
	return j;
}

/* Cuts the window into stretches of about SPAN_ITEMS lines, flows and
 * status lines together (an idle ENI's NODATA counts as much as a flow).
 * A stretch ends after a whole run of flows or after a status line. Most
 * are SPAN_ITEMS flows to the end of a run, with the status lines that go
 * before its last flow (found by halving, so the flows are not walked);
 * where status lines are many, both are walked in the order they are
 * written. Every stretch but the last has SPAN_ITEMS items or more.
 * Returns how many. */
static size_t cut_stretches(const struct emitter *e, const uint64_t *v, size_t n,
			    struct stretch *s)
{
	size_t k = 0, lo = 0, j = 0;

	while (lo < n || j < e->nlines) {
		struct stretch *t = s + k++;
		size_t items = 0;
		t->lo = lo;
		t->jlo = j;
		if (lo < n) {
			size_t hi = n - lo > SPAN_ITEMS ? keysort_run_end(v, n, lo + SPAN_ITEMS - 1) : n;
			size_t jhi = lines_after(e, j, (uint32_t)(v[hi - 1] >> 32));
			if (jhi - j <= SPAN_ITEMS) {
				t->hi = lo = hi;
				t->jhi = j = jhi;
				continue;
			}
		}
		while (items < SPAN_ITEMS && (lo < n || j < e->nlines)) {
			if (j < e->nlines && (lo == n || e->lines[j].key <= (uint32_t)(v[lo] >> 32))) {
				j++;
				items++;
			} else {
				size_t hi = keysort_run_end(v, n, lo);
				items += hi - lo;
				lo = hi;
			}
		}
		t->hi = lo;
		t->jhi = j;
	}
	return k;
}

/* The same for a window whose flows are in order of their seconds, not
 * yet sorted within them: stretches of whole seconds, SPAN_ITEMS flows or
 * more but the last, each sorted by the thread that writes it. A status
 * line goes with the stretch that holds its key's second, or the first
 * after it (the last takes those after every flow). */
static size_t cut_seconds(const struct emitter *e, const uint64_t *v, size_t n, struct stretch *s)
{
	unsigned b = e->rank_bits;
	size_t k = 0, j = 0;

	for (size_t lo = 0, hi; lo < n; lo = hi) {
		uint32_t second;
		hi = lo;
		do {
			second = (uint32_t)(v[hi] >> 32) >> b;
			while (hi < n && (uint32_t)(v[hi] >> 32) >> b == second)
				hi++;
		} while (hi < n && hi - lo < SPAN_ITEMS);
		size_t jhi = hi < n ? lines_after(e, j, second << b | ((1u << b) - 1)) : e->nlines;
		s[k++] = (struct stretch){lo, hi, j, jhi};
		j = jhi;
	}
	return k;
}

int emit_write_sorted(struct emitter *e, const struct flow *pool, uint64_t *v, size_t n)
{
	size_t items = n + e->nlines;
	bool spans = e->spans && items >= 4 * SPAN_ITEMS;
	/* Flows made in time order, no second holding too many to share
	 * out: the two threads sort as they write (sorted first, on this
	 * thread alone, the sort was some 8 % of writing a flood's window).
	 * Status lines all go before the flows of the first second, so
	 * many of them would make the first stretch too big to share. */
	bool by_second = spans && n > 0 && e->nlines <= SPAN_ITEMS &&
			 keysort_groups_ready(v, n, e->rank_bits, &e->sort) <= 2 * SPAN_ITEMS;
	if (!by_second && keysort_radix_grouped(v, n, e->rank_bits, &e->sort) != 0) {
		snprintf(e->err, sizeof(e->err), "out of memory");
		return -1;
	}
	if (e->nlines > 1)
		qsort(e->lines, e->nlines, sizeof(*e->lines), cmp_line);
	int rc;
	struct stretch *s = NULL;
	if (spans && (s = vfe_malloc((items / SPAN_ITEMS + 1) * sizeof(*s))) != NULL) {
		struct window_job w = {e, pool, v, s, by_second};
		size_t k = by_second ? cut_seconds(e, v, n, s) : cut_stretches(e, v, n, s);
		rc = spans_run(e->spans, k, fill_span, take_span, &w);
		vfe_free(s);
	} else {
		if (by_second)
			keysort_groups(v, 0, n, e->rank_bits, &e->sort);
		rc = write_stretch(e, NULL, pool, v, (struct stretch){0, n, 0, e->nlines});
	}
	e->nlines = 0;
	return rc;
}
