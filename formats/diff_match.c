/* diff_match.c - matches the flow records of two sides over overlapping
 * time spans and turns each difference into an item; diff_cause.c judges
 * the fields and names the likely cause. Works on the arrays diff_read.c
 * read; never prints. PRODUCT.md 6; spec/vpc-flow-logs.md 9.2 (lag). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/diff_int.h"
#include "formats/errbuf.h"
#include "formats/mem.h"

#define BIT(f) ((uint64_t)1 << (f))

struct span_ctx {
	struct diff_result *r;
	int64_t clo, chi;               /* common time range */
	int both;                       /* both sides have flow records */
	struct dstat *skip;             /* SKIPDATA windows, by (iface, start) */
	size_t nskip;
};

static int cmp_key(const void *a, const void *b)
{
	const struct drec *x = a, *y = b;
	int c = memcmp(&x->k, &y->k, sizeof(x->k));

	if (c != 0)
		return c;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

static int cmp_stat(const void *a, const void *b)
{
	const struct dstat *x = a, *y = b;

	if (x->iface != y->iface)
		return x->iface < y->iface ? -1 : 1;
	if (x->side != y->side)
		return x->side < y->side ? -1 : 1;
	return (x->start > y->start) - (x->start < y->start);
}

static void merge1(uint32_t *dst, uint32_t v, int first)
{
	if (first)
		*dst = v;
	else if (*dst != v)
		*dst = DIFF_MIXED;
}

static void aggregate(const struct span_ctx *c, const struct drec *v, size_t n, struct agg *a)
{
	size_t i;

	memset(a, 0, sizeof(*a));
	a->n = n;
	for (i = 0; i < n; i++) {
		const struct drec *d = &v[i];
		int edge = c->both && (d->start < c->clo + c->r->opt.slack ||
				       d->end > c->chi - c->r->opt.slack);

		a->packets += d->packets;
		a->bytes += d->bytes;
		a->path |= d->path;
		a->tcp |= d->tcp;
		a->action |= d->action;
		a->type |= d->type;
		merge1(&a->svc[0], d->svc[0], i == 0);
		merge1(&a->svc[1], d->svc[1], i == 0);
		merge1(&a->pkt[0], d->pkt[0], i == 0);
		merge1(&a->pkt[1], d->pkt[1], i == 0);
		if (edge) {
			a->edge = 1;
		} else {
			a->in_packets += d->packets;
			a->in_bytes += d->bytes;
			a->in_tcp |= d->tcp;
		}
	}
}

/* 1 when some value of set field k in a[0..na) is not in b[0..nb). */
static int missing_from(const struct drec *a, size_t na, const struct drec *b, size_t nb, int k)
{
	for (size_t i = 0; i < na; i++) {
		uint32_t v = diff_set_value(a[i].svc, a[i].pkt, k);
		size_t j = 0;

		while (j < nb && diff_set_value(b[j].svc, b[j].pkt, k) != v)
			j++;
		if (j == nb)
			return 1;
	}
	return 0;
}

/* A set field with several values on both sides is compared as sets of
 * values: "(several)" against "(several)" is not a match by itself. */
static void compare_sets(const struct drec *e, size_t ne, const struct drec *x, size_t nx,
			 struct agg *a)
{
	for (int k = 0; k < DIFF_NSET; k++)
		if (diff_set_value(a[0].svc, a[0].pkt, k) == DIFF_MIXED &&
		    diff_set_value(a[1].svc, a[1].pkt, k) == DIFF_MIXED &&
		    (missing_from(e, ne, x, nx, k) || missing_from(x, nx, e, ne, k)))
			a[0].sets_differ |= (uint8_t)(1u << k);
}

/* ---- items ------------------------------------------------------------- */

static struct diff_item *new_item(struct diff_result *r, const struct dkey *k, int64_t lo,
				  int64_t hi, const struct agg *a)
{
	struct diff_item *it;

	if (r->nitems == r->items_cap) {
		size_t nc = r->items_cap ? r->items_cap * 2 : 64;
		struct diff_item *nv = vfe_realloc(r->items, nc * sizeof(*nv));

		if (nv == NULL)
			return NULL;
		r->items = nv;
		r->items_cap = nc;
	}
	it = &r->items[r->nitems++];
	memset(it, 0, sizeof(*it));
	it->interface_id = r->sum.matched_on & BIT(FLD_INTERFACE_ID) ? r->names[k->iface] : "-";
	it->srcaddr = k->src;
	it->dstaddr = k->dst;
	it->srcport = k->sport;
	it->dstport = k->dport;
	it->protocol = k->proto;
	it->direction = k->dir;
	it->start = lo;
	it->end = hi;
	it->packets[0] = a[0].packets;
	it->packets[1] = a[1].packets;
	it->bytes[0] = a[0].bytes;
	it->bytes[1] = a[1].bytes;
	return it;
}

/* 1 when a SKIPDATA window of the interface, on either side, meets
 * [lo - slack, hi + slack]. */
static int under_skipdata(const struct span_ctx *c, uint32_t iface, int64_t lo, int64_t hi)
{
	size_t a = 0, b = c->nskip;

	/* Not matched on interfaces (one side has no interface-id): the flow's
	 * interface is unknown, so any SKIPDATA window in time counts. */
	if (!(c->r->sum.matched_on & BIT(FLD_INTERFACE_ID))) {
		for (; a < c->nskip; a++)
			if (c->skip[a].start <= hi + c->r->opt.slack &&
			    c->skip[a].end >= lo - c->r->opt.slack)
				return 1;
		return 0;
	}
	while (a < b) {         /* first window of iface */
		size_t m = a + (b - a) / 2;

		if (c->skip[m].iface < iface)
			a = m + 1;
		else
			b = m;
	}
	for (; a < c->nskip && c->skip[a].iface == iface; a++)
		if (c->skip[a].start <= hi + c->r->opt.slack && c->skip[a].end >= lo - c->r->opt.slack)
			return 1;
	return 0;
}

/* One span of one key: e[0..ne) and x[0..nx) (either may be empty). */
static int compare_span(struct span_ctx *c, const struct drec *e, size_t ne,
			const struct drec *x, size_t nx, int64_t lo, int64_t hi)
{
	struct diff_result *r = c->r;
	const struct dkey *k = ne ? &e->k : &x->k;
	int inc = c->nskip > 0 && under_skipdata(c, k->iface, lo, hi);
	struct agg a[2];
	struct diff_item *it;
	size_t i;
	int differs = 0;

	aggregate(c, e, ne, &a[0]);
	aggregate(c, x, nx, &a[1]);
	compare_sets(e, ne, x, nx, a);
	if (ne == 0 || nx == 0) {
		it = new_item(r, k, lo, hi, a);
		if (it == NULL)
			return -1;
		it->kind = ne ? DIFF_ONLY_EXPECTED : DIFF_ONLY_ACTUAL;
		it->incomplete = inc;
		it->cause = diff_cause_reserved(k);
		if (it->cause == NULL && (a[0].edge || a[1].edge))
			it->cause = diff_cause_edge();
		if (inc)
			r->sum.incomplete++;
		else
			r->sum.only[ne ? 0 : 1]++;
		return 0;
	}
	r->sum.matched++;
	for (i = 0; i < DIFF_NCMP; i++) {
		enum field_id f = diff_cmp_fields[i];
		const char *cause;

		if (!(r->sum.compared & BIT(f)) || !diff_field_differs(r, f, a, &cause))
			continue;
		it = new_item(r, k, lo, hi, a);
		if (it == NULL)
			return -1;
		it->kind = DIFF_FIELD;
		it->field = f;
		it->incomplete = inc;
		it->cause = cause;
		diff_fmt_value(r, f, &a[0], e, ne, it->value[0], sizeof(it->value[0]));
		diff_fmt_value(r, f, &a[1], x, nx, it->value[1], sizeof(it->value[1]));
		if (!inc)
			r->sum.by_field[f]++;
		differs = 1;
	}
	if (differs) {
		if (inc)
			r->sum.incomplete++;
		else
			r->sum.differing++;
	}
	return 0;
}

/* The records of one key on both sides, each sorted by start, are cut into
 * spans: a record joins the current span when it starts no later than
 * slack seconds after the span's latest end, so re-cut windows and lagging
 * timestamps of one flow fall into one span while the same 5-tuple an hour
 * later is a new one. Every iteration consumes one record, so it ends. */
static int compare_key(struct span_ctx *c, const struct drec *e, size_t ne,
		       const struct drec *x, size_t nx)
{
	size_t i = 0, j = 0, i0 = 0, j0 = 0;
	int64_t lo = 0, hi = 0;
	int open = 0;

	while (i < ne || j < nx) {
		int from_e = j >= nx || (i < ne && e[i].start <= x[j].start);
		const struct drec *d = from_e ? &e[i] : &x[j];

		if (open && d->start > hi + c->r->opt.slack) {
			if (compare_span(c, i > i0 ? e + i0 : NULL, i - i0,
					 j > j0 ? x + j0 : NULL, j - j0, lo, hi) != 0)
				return -1;
			open = 0;
		}
		if (!open) {
			open = 1;
			i0 = i;
			j0 = j;
			lo = d->start;
			hi = d->end;
		}
		if (d->end > hi)
			hi = d->end;
		if (from_e)
			i++;
		else
			j++;
	}
	if (open)
		return compare_span(c, i > i0 ? e + i0 : NULL, i - i0,
				    j > j0 ? x + j0 : NULL, j - j0, lo, hi);
	return 0;
}

/* ---- setup: names, key fields, time range ------------------------------ */

static int make_names(struct diff_result *r)
{
	uint32_t i;

	r->names = vfe_calloc(r->ifaces.n + 1, sizeof(*r->names));
	if (r->names == NULL)
		return -1;
	for (i = 0; i < r->ifaces.n; i++) {
		uint32_t from = i < r->opt.nmap * 2 ? r->ifaces.mapped_from[i] : 0;
		const char *a = from ? r->ifaces.s[from - 1] : "";
		size_t n = strlen(a) + strlen(r->ifaces.s[i]) + 2;

		r->names[i] = vfe_malloc(n);
		if (r->names[i] == NULL)
			return -1;
		r->nnames = i + 1;
		snprintf(r->names[i], n, "%s%s%s", a, from ? "=" : "", r->ifaces.s[i]);
	}
	return 0;
}

static void side_range(const struct side *s, int64_t *lo, int64_t *hi)
{
	size_t i;

	*lo = INT64_MAX;
	*hi = INT64_MIN;
	for (i = 0; i < s->n; i++) {
		if (s->v[i].start < *lo)
			*lo = s->v[i].start;
		if (s->v[i].end > *hi)
			*hi = s->v[i].end;
	}
}

/* Records wholly outside the common time range (by more than slack) are
 * counted and dropped: a log of an hour against a capture of five minutes
 * is compared over the five minutes. Ranges that do not meet are compared
 * whole. */
static void common_range(struct diff_result *r, struct span_ctx *c)
{
	int64_t lo[2], hi[2], s = r->opt.slack;
	int k;

	c->both = r->sides[0].n > 0 && r->sides[1].n > 0;
	side_range(&r->sides[0], &lo[0], &hi[0]);
	side_range(&r->sides[1], &lo[1], &hi[1]);
	if (r->sides[0].n == 0 || r->sides[1].n == 0) {
		int w = r->sides[0].n == 0;

		c->clo = r->sides[w].n ? lo[w] : 0;
		c->chi = r->sides[w].n ? hi[w] : 0;
	} else {
		c->clo = lo[0] > lo[1] ? lo[0] : lo[1];
		c->chi = hi[0] < hi[1] ? hi[0] : hi[1];
		if (c->clo > c->chi + 2 * s) {
			c->clo = lo[0] < lo[1] ? lo[0] : lo[1];
			c->chi = hi[0] > hi[1] ? hi[0] : hi[1];
		}
	}
	r->sum.common_start = c->clo;
	r->sum.common_end = c->chi;
	for (k = 0; k < 2; k++) {
		struct side *sd = &r->sides[k];
		size_t i, n = 0;

		for (i = 0; i < sd->n; i++) {
			if (sd->v[i].end < c->clo - s || sd->v[i].start > c->chi + s) {
				r->sum.outside[k]++;
				continue;
			}
			sd->v[n++] = sd->v[i];
		}
		sd->n = n;
	}
}

static int make_enis(struct diff_result *r, struct span_ctx *c)
{
	size_t i, j;

	if (r->nstat > 1)
		qsort(r->stat, r->nstat, sizeof(*r->stat), cmp_stat);
	r->enis = vfe_calloc(r->nstat + 1, sizeof(*r->enis));
	if (r->enis == NULL)
		return -1;
	for (i = 0; i < r->nstat; i = j) {
		struct diff_eni_status *e = &r->enis[r->nenis++];

		e->interface_id = r->names[r->stat[i].iface];
		e->side = r->stat[i].side;
		e->skip_start = INT64_MAX;
		e->skip_end = INT64_MIN;
		for (j = i; j < r->nstat && r->stat[j].iface == r->stat[i].iface &&
			    r->stat[j].side == r->stat[i].side; j++) {
			const struct dstat *s = &r->stat[j];

			if (!s->skip) {
				e->nodata++;
				continue;
			}
			e->skipdata++;
			if (s->start < e->skip_start)
				e->skip_start = s->start;
			if (s->end > e->skip_end)
				e->skip_end = s->end;
		}
		if (e->skipdata == 0)
			e->skip_start = e->skip_end = 0;
	}
	/* The SKIPDATA windows, compacted to the front, keep (iface, start) order. */
	for (i = 0; i < r->nstat; i++)
		if (r->stat[i].skip)
			r->stat[c->nskip++] = r->stat[i];
	c->skip = r->stat;
	return 0;
}

/* ---- output order -------------------------------------------------------- */

static int cmp_item(const void *a, const void *b)
{
	const struct diff_item *x = a, *y = b;
	int c = strcmp(x->interface_id, y->interface_id);

	if (c == 0)
		c = ip_addr_cmp(&x->srcaddr, &y->srcaddr);
	if (c == 0)
		c = ip_addr_cmp(&x->dstaddr, &y->dstaddr);
	if (c == 0)
		c = (x->srcport > y->srcport) - (x->srcport < y->srcport);
	if (c == 0)
		c = (x->dstport > y->dstport) - (x->dstport < y->dstport);
	if (c == 0)
		c = (x->protocol > y->protocol) - (x->protocol < y->protocol);
	if (c == 0)
		c = (x->direction > y->direction) - (x->direction < y->direction);
	if (c == 0)
		c = (x->start > y->start) - (x->start < y->start);
	if (c == 0)
		c = (x->kind > y->kind) - (x->kind < y->kind);
	if (c == 0)
		c = (x->field > y->field) - (x->field < y->field);
	return c;
}

static int cmp_eni(const void *a, const void *b)
{
	const struct diff_eni_status *x = a, *y = b;
	int c = strcmp(x->interface_id, y->interface_id);

	return c ? c : x->side - y->side;
}

static const uint64_t key_mask = BIT(FLD_INTERFACE_ID) | BIT(FLD_SRCADDR) | BIT(FLD_DSTADDR) |
	BIT(FLD_SRCPORT) | BIT(FLD_DSTPORT) | BIT(FLD_PROTOCOL) | BIT(FLD_FLOW_DIRECTION);

static void clear_key(struct dkey *k, uint64_t on)
{
	if (!(on & BIT(FLD_INTERFACE_ID)))
		k->iface = 0;
	if (!(on & BIT(FLD_SRCADDR)))
		memset(&k->src, 0, sizeof(k->src));
	if (!(on & BIT(FLD_DSTADDR)))
		memset(&k->dst, 0, sizeof(k->dst));
	if (!(on & BIT(FLD_SRCPORT)))
		k->sport = 0;
	if (!(on & BIT(FLD_DSTPORT)))
		k->dport = 0;
	if (!(on & BIT(FLD_PROTOCOL)))
		k->proto = 0;
	if (!(on & BIT(FLD_FLOW_DIRECTION)))
		k->dir = 0;
}

int diff_match(struct diff_result *r, char *err, size_t errlen)
{
	struct span_ctx c;
	struct side *e = &r->sides[0], *x = &r->sides[1];
	size_t i = 0, j = 0, k;

	memset(&c, 0, sizeof(c));
	c.r = r;
	if (make_names(r) != 0 || make_enis(r, &c) != 0) {
		errbuf_set(err, errlen, "out of memory");
		return -1;
	}
	for (k = 0; k < DIFF_NCMP; k++)
		r->sum.compared |= BIT(diff_cmp_fields[k]);
	r->sum.compared &= r->have[0] & r->have[1] & ~r->opt.ignore;
	r->sum.matched_on = r->have[0] & r->have[1] & key_mask;
	r->sum.direction_matched = (r->sum.matched_on & BIT(FLD_FLOW_DIRECTION)) != 0;
	/* A key field one side lacks is matched on by neither (e.g. a default
	 * layout against v5: no flow-direction). */
	if (r->sum.matched_on != key_mask)
		for (k = 0; k < 2; k++)
			for (i = 0; i < r->sides[k].n; i++)
				clear_key(&r->sides[k].v[i].k, r->sum.matched_on);
	common_range(r, &c);
	if (e->n > 1)
		qsort(e->v, e->n, sizeof(*e->v), cmp_key);
	if (x->n > 1)
		qsort(x->v, x->n, sizeof(*x->v), cmp_key);

	/* Merge join over the two sorted arrays: each turn takes the whole
	 * group of the smaller key (from one side, or both when equal). */
	i = j = 0;
	while (i < e->n || j < x->n) {
		int d = i >= e->n ? 1 : j >= x->n ? -1 : memcmp(&e->v[i].k, &x->v[j].k, sizeof(e->v[i].k));
		size_t i1 = i, j1 = j;

		if (d <= 0)
			while (i1 < e->n && memcmp(&e->v[i1].k, &e->v[i].k, sizeof(e->v[i].k)) == 0)
				i1++;
		if (d >= 0)
			while (j1 < x->n && memcmp(&x->v[j1].k, &x->v[j].k, sizeof(x->v[j].k)) == 0)
				j1++;
		if (compare_key(&c, i1 > i ? e->v + i : NULL, i1 - i,
				j1 > j ? x->v + j : NULL, j1 - j) != 0) {
			errbuf_set(err, errlen, "out of memory");
			return -1;
		}
		i = i1;
		j = j1;
	}
	if (r->nitems > 1)
		qsort(r->items, r->nitems, sizeof(*r->items), cmp_item);
	if (r->nenis > 1)
		qsort(r->enis, r->nenis, sizeof(*r->enis), cmp_eni);
	return 0;
}
