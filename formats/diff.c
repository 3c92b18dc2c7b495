/* diff.c - reads two sets of flow logs into compact records, matches them
 * by (interface, 5-tuple, direction) over overlapping time spans, and lists
 * what differs with its likely cause. Never prints (diff_report.c renders).
 * PRODUCT.md 6; spec/vpc-flow-logs.md 4, 5.2, 6, 9.2, 10. */
#include "formats/diff.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/diff_int.h"
#include "formats/errbuf.h"
#include "formats/mem.h"
#include "formats/reader.h"

/* Fields that make the key; they cannot be --ignore'd. */
static const uint8_t key_fields[] = {
	FLD_INTERFACE_ID, FLD_SRCADDR, FLD_DSTADDR, FLD_SRCPORT, FLD_DSTPORT,
	FLD_PROTOCOL, FLD_START, FLD_END,
};

/* Fields compared when both sides have them, in report order. */
const uint8_t diff_cmp_fields[DIFF_NCMP] = {
	FLD_PACKETS, FLD_BYTES, FLD_ACTION, FLD_TRAFFIC_PATH, FLD_TCP_FLAGS,
	FLD_PKT_SRC_AWS_SERVICE, FLD_PKT_DST_AWS_SERVICE, FLD_PKT_SRCADDR,
	FLD_PKT_DSTADDR, FLD_TYPE,
};

#define BIT(f) ((uint64_t)1 << (f))

void diff_options_init(struct diff_options *o)
{
	memset(o, 0, sizeof(*o));
	o->slack = 60;
}

int diff_tolerance_parse(const char *s, struct diff_options *o, char *err, size_t errlen)
{
	char *end;
	size_t n = strlen(s);

	if (n > 0 && s[n - 1] == '%') {
		double p = strtod(s, &end);

		/* strtod accepts "inf", "nan", hex: only plain decimals here. */
		if (end != s + n - 1 || n == 1 || strspn(s, "0123456789.") != n - 1 || !(p >= 0)) {
			errbuf_set(err, errlen, "--tolerance: not a number or percentage: \"%s\"", s);
			return -1;
		}
		o->tol_pct = p;
		o->tol_is_pct = 1;
		o->tol_abs = 0;
		return 0;
	}
	if (n == 0 || n > 19 || strspn(s, "0123456789") != n) {
		errbuf_set(err, errlen, "--tolerance: not a number or percentage: \"%s\"", s);
		return -1;
	}
	o->tol_abs = strtoull(s, &end, 10);
	o->tol_is_pct = 0;
	o->tol_pct = 0;
	return 0;
}

int diff_ignore_parse(const char *s, struct diff_options *o, char *err, size_t errlen)
{
	int id = field_lookup(s, strlen(s));
	size_t i;

	if (id < 0) {
		errbuf_set(err, errlen, "--ignore: unknown field \"%s\"", s);
		return -1;
	}
	for (i = 0; i < sizeof(key_fields); i++)
		if (key_fields[i] == id) {
			errbuf_set(err, errlen, "--ignore: \"%s\" is matched on, not compared", s);
			return -1;
		}
	o->ignore |= BIT(id);
	return 0;
}

/* ---- interning ---------------------------------------------------------- */

static uint64_t hash_bytes(uint64_t seed, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 1469598103934665603ull ^ seed;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

/* Open addressing, load <= 1/2; slots hold index + 1 (0 = empty). Items are
 * numbered by first appearance, so the numbering never depends on the seed. */
static int slots_grow(uint32_t **slots, size_t *nslots, size_t n)
{
	uint32_t *ns;
	size_t cap = *nslots ? *nslots : 64;

	if (n * 2 < *nslots)
		return 0;
	while (n * 2 >= cap)
		cap *= 2;
	ns = vfe_calloc(cap, sizeof(*ns));
	if (ns == NULL)
		return -1;
	vfe_free(*slots);
	*slots = ns;
	*nslots = cap;
	return 1;
}

static void strtab_rehash(struct strtab *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++) {
		size_t j = hash_bytes(t->seed, t->s[i], strlen(t->s[i])) & (t->nslots - 1);

		while (t->slots[j] != 0)
			j = (j + 1) & (t->nslots - 1);
		t->slots[j] = i + 1;
	}
}

/* Index of s[0..n) (added when new), or -1 when out of memory. */
int64_t diff_strtab_intern(struct strtab *t, const char *s, size_t n)
{
	size_t j;
	int g = slots_grow(&t->slots, &t->nslots, (size_t)t->n + 1);
	char *d;

	if (g < 0)
		return -1;
	if (g > 0)
		strtab_rehash(t);
	j = hash_bytes(t->seed, s, n) & (t->nslots - 1);
	while (t->slots[j] != 0) {
		const char *e = t->s[t->slots[j] - 1];

		if (strncmp(e, s, n) == 0 && e[n] == '\0')
			return t->slots[j] - 1;
		j = (j + 1) & (t->nslots - 1);
	}
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 16;
		char **ns = vfe_realloc(t->s, nc * sizeof(*ns));
		uint32_t *nm = vfe_realloc(t->canon, nc * sizeof(*nm));

		if (ns != NULL)
			t->s = ns;
		if (nm != NULL)
			t->canon = nm;
		if (ns == NULL || nm == NULL)
			return -1;
		t->cap = nc;
	}
	d = vfe_malloc(n + 1);
	if (d == NULL)
		return -1;
	memcpy(d, s, n);
	d[n] = '\0';
	t->s[t->n] = d;
	t->canon[t->n] = t->n;
	t->slots[j] = t->n + 1;
	return t->n++;
}

static void strtab_free(struct strtab *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		vfe_free(t->s[i]);
	vfe_free(t->s);
	vfe_free(t->canon);
	vfe_free(t->slots);
}

static void addrtab_rehash(struct addrtab *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++) {
		size_t j = hash_bytes(t->seed, t->v[i].b, 16) & (t->nslots - 1);

		while (t->slots[j] != 0)
			j = (j + 1) & (t->nslots - 1);
		t->slots[j] = i + 1;
	}
}

/* Index + 1 of a (0 is kept for "-"), or -1 when out of memory. */
static int64_t addrtab_intern(struct addrtab *t, const struct ip_addr *a)
{
	size_t j;
	int g = slots_grow(&t->slots, &t->nslots, (size_t)t->n + 1);

	if (g < 0)
		return -1;
	if (g > 0)
		addrtab_rehash(t);
	j = hash_bytes(t->seed, a->b, 16) & (t->nslots - 1);
	while (t->slots[j] != 0) {
		if (ip_addr_eq(&t->v[t->slots[j] - 1], a))
			return t->slots[j];
		j = (j + 1) & (t->nslots - 1);
	}
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 64;
		struct ip_addr *nv = vfe_realloc(t->v, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		t->v = nv;
		t->cap = nc;
	}
	t->v[t->n] = *a;
	t->slots[j] = t->n + 1;
	return ++t->n;
}

/* ---- reading one side ---------------------------------------------------- */

struct rd_ctx {
	struct diff_result *r;
	int side;
	const struct log_format *layout;        /* last layout seen */
	int col[FLD_COUNT];                     /* its column per field, or -1 */
	const struct flow_line *l;
};

static int push(void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 1024;
		void *nv = vfe_realloc(*v, nc * size);

		if (nv == NULL)
			return -1;
		*v = nv;
		*cap = nc;
	}
	return 0;
}

static void set_layout(struct rd_ctx *c)
{
	const struct log_format *f = c->l->layout;
	uint64_t have = 0;
	size_t i;

	for (i = 0; i < FLD_COUNT; i++)
		c->col[i] = -1;
	for (i = 0; i < f->n; i++) {
		c->col[f->ids[i]] = (int)i;
		have |= BIT(f->ids[i]);
	}
	c->r->have[c->side] &= have;
	c->layout = f;
}

/* Text of field id: NULL when the layout lacks it. */
static const char *fget(const struct rd_ctx *c, int id, size_t *n)
{
	int k = c->col[id];

	if (k < 0)
		return NULL;
	*n = c->l->len[k];
	return c->l->field[k];
}

static int is_dash(const char *s, size_t n)
{
	return s == NULL || (n == 1 && s[0] == '-');
}

static int bad_field(const struct rd_ctx *c, int id, const char *what, const char *s,
		     size_t n, char *err, size_t errlen)
{
	errbuf_set(err, errlen, "%s:%llu: field \"%s\" is not %s: \"%.*s\"", c->l->file,
		   (unsigned long long)c->l->line, field_info((enum field_id)id)->token, what,
		   (int)(n > 64 ? 64 : n), s);
	return -1;
}

/* Number of field id, 0 when absent or "-"; -1 when above max. */
static int get_num(const struct rd_ctx *c, int id, uint64_t max, uint64_t *v, char *err,
		   size_t errlen)
{
	size_t n = 0, i;
	const char *s = fget(c, id, &n);
	uint64_t x = 0;

	*v = 0;
	if (is_dash(s, n))
		return 0;
	if (n == 0 || n > 20)
		return bad_field(c, id, "a number", s, n, err, errlen);
	for (i = 0; i < n; i++) {
		unsigned d = (unsigned)(s[i] - '0');

		if (d > 9 || x > (UINT64_MAX - d) / 10)
			return bad_field(c, id, "a number", s, n, err, errlen);
		x = x * 10 + d;
	}
	if (x > max)
		return bad_field(c, id, "in range", s, n, err, errlen);
	*v = x;
	return 0;
}

static int get_addr(const struct rd_ctx *c, int id, struct ip_addr *a, int *present, char *err,
		    size_t errlen)
{
	size_t n = 0;
	const char *s = fget(c, id, &n);
	char buf[IP_ADDR_STRLEN + 1];

	memset(a, 0, sizeof(*a));
	*present = 0;
	if (is_dash(s, n))
		return 0;
	if (n > IP_ADDR_STRLEN)
		return bad_field(c, id, "an IP address", s, n, err, errlen);
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (!ip_addr_parse(buf, a))
		return bad_field(c, id, "an IP address", s, n, err, errlen);
	*present = 1;
	return 0;
}

/* One of words[] (bit i), "-" (bit dash_bit), or an error. */
static int get_word(const struct rd_ctx *c, int id, const char *const *words, size_t nw,
		    unsigned dash_bit, unsigned *bits, const char *what, char *err, size_t errlen)
{
	size_t n = 0, i;
	const char *s = fget(c, id, &n);

	*bits = 0;
	if (s == NULL)
		return 0;
	if (is_dash(s, n)) {
		*bits = 1u << dash_bit;
		return 0;
	}
	for (i = 0; i < nw; i++)
		if (strlen(words[i]) == n && memcmp(words[i], s, n) == 0) {
			*bits = 1u << i;
			return 0;
		}
	return bad_field(c, id, what, s, n, err, errlen);
}

static int get_service(struct rd_ctx *c, int id, uint32_t *v, char *err, size_t errlen)
{
	size_t n = 0;
	const char *s = fget(c, id, &n);
	int64_t k;

	*v = 0;
	if (is_dash(s, n))
		return 0;
	k = diff_strtab_intern(&c->r->svc, s, n);
	if (k < 0) {
		errbuf_set(err, errlen, "out of memory");
		return -1;
	}
	*v = (uint32_t)k + 1;
	return 0;
}

static int get_pkt_addr(struct rd_ctx *c, int id, uint32_t *v, char *err, size_t errlen)
{
	struct ip_addr a;
	int present;
	int64_t k;

	*v = 0;
	if (get_addr(c, id, &a, &present, err, errlen) != 0)
		return -1;
	if (!present)
		return 0;
	k = addrtab_intern(&c->r->addrs, &a);
	if (k < 0) {
		errbuf_set(err, errlen, "out of memory");
		return -1;
	}
	*v = (uint32_t)k;
	return 0;
}

static const char *const status_words[] = {"OK", "NODATA", "SKIPDATA"};
static const char *const action_words[] = {"ACCEPT", "REJECT"};
static const char *const type_words[] = {"IPv4", "IPv6", "EFA"};
static const char *const dir_words[] = {"ingress", "egress"};

static int read_status(struct rd_ctx *c, unsigned st, uint32_t iface, char *err, size_t errlen)
{
	struct diff_result *r = c->r;
	struct dstat *s;
	uint64_t a, b;

	if (get_num(c, FLD_START, DIFF_TIME_MAX, &a, err, errlen) != 0 ||
	    get_num(c, FLD_END, DIFF_TIME_MAX, &b, err, errlen) != 0)
		return -1;
	if (push((void **)&r->stat, &r->nstat, &r->stat_cap, sizeof(*r->stat)) != 0) {
		errbuf_set(err, errlen, "out of memory");
		return -1;
	}
	s = &r->stat[r->nstat++];
	s->iface = iface;
	s->side = (uint8_t)c->side;
	s->skip = st == 4;
	s->start = (int64_t)a;
	s->end = (int64_t)b;
	if (st == 4)
		r->sum.skipdata[c->side]++;
	else
		r->sum.nodata[c->side]++;
	return 0;
}

static int read_line(struct rd_ctx *c, char *err, size_t errlen)
{
	struct diff_result *r = c->r;
	struct side *sd = &r->sides[c->side];
	struct drec *d;
	unsigned st, bits;
	uint64_t v;
	size_t n = 0;
	const char *s;
	int64_t k;
	int present;

	if (c->l->layout != c->layout)
		set_layout(c);
	s = fget(c, FLD_INTERFACE_ID, &n);
	if (s == NULL) {        /* no such column: every record is one "-" ENI */
		s = "-";
		n = 1;
	}
	k = diff_strtab_intern(&r->ifaces, s, n);
	if (k < 0) {
		errbuf_set(err, errlen, "out of memory");
		return -1;
	}
	if (get_word(c, FLD_LOG_STATUS, status_words, 3, 3, &st, "OK, NODATA or SKIPDATA",
		     err, errlen) != 0)
		return -1;
	/* No log-status column (or "-"): a record with addresses is a flow. */
	if (st == 0 || st == 8) {
		s = fget(c, FLD_SRCADDR, &n);
		st = is_dash(s, n) ? 2 : 1;
	}
	if (st != 1)
		return read_status(c, st, r->ifaces.canon[k], err, errlen);

	if (push((void **)&sd->v, &sd->n, &sd->cap, sizeof(*sd->v)) != 0) {
		errbuf_set(err, errlen, "out of memory");
		return -1;
	}
	d = &sd->v[sd->n];
	memset(d, 0, sizeof(*d));
	d->k.iface = r->ifaces.canon[k];
	if (get_addr(c, FLD_SRCADDR, &d->k.src, &present, err, errlen) != 0 ||
	    get_addr(c, FLD_DSTADDR, &d->k.dst, &present, err, errlen) != 0)
		return -1;
	if (get_num(c, FLD_SRCPORT, 65535, &v, err, errlen) != 0)
		return -1;
	d->k.sport = (uint16_t)v;
	if (get_num(c, FLD_DSTPORT, 65535, &v, err, errlen) != 0)
		return -1;
	d->k.dport = (uint16_t)v;
	if (get_num(c, FLD_PROTOCOL, 255, &v, err, errlen) != 0)
		return -1;
	d->k.proto = (uint8_t)v;
	if (get_word(c, FLD_FLOW_DIRECTION, dir_words, 2, 2, &bits, "ingress or egress",
		     err, errlen) != 0)
		return -1;
	d->k.dir = (uint8_t)(bits & 3);
	if (get_num(c, FLD_START, DIFF_TIME_MAX, &v, err, errlen) != 0)
		return -1;
	d->start = (int64_t)v;
	if (get_num(c, FLD_END, DIFF_TIME_MAX, &v, err, errlen) != 0)
		return -1;
	d->end = (int64_t)v < d->start ? d->start : (int64_t)v;
	if (get_num(c, FLD_PACKETS, UINT64_MAX, &d->packets, err, errlen) != 0 ||
	    get_num(c, FLD_BYTES, UINT64_MAX, &d->bytes, err, errlen) != 0)
		return -1;
	if (get_word(c, FLD_ACTION, action_words, 2, 2, &bits, "ACCEPT or REJECT", err, errlen) != 0)
		return -1;
	d->action = (uint8_t)bits;
	if (get_word(c, FLD_TYPE, type_words, 3, 3, &bits, "IPv4, IPv6 or EFA", err, errlen) != 0)
		return -1;
	d->type = (uint8_t)bits;
	s = fget(c, FLD_TRAFFIC_PATH, &n);
	if (!is_dash(s, n)) {
		if (get_num(c, FLD_TRAFFIC_PATH, 15, &v, err, errlen) != 0)
			return -1;
		d->path = (uint16_t)(1u << v);
	} else if (s != NULL) {
		d->path = 1;            /* "-": bit 0 */
	}
	s = fget(c, FLD_TCP_FLAGS, &n);
	if (!is_dash(s, n)) {
		if (get_num(c, FLD_TCP_FLAGS, 255, &v, err, errlen) != 0)
			return -1;
		d->tcp = (uint16_t)v;
	} else if (s != NULL) {
		d->tcp = DIFF_TCP_DASH;
	}
	if (get_service(c, FLD_PKT_SRC_AWS_SERVICE, &d->svc[0], err, errlen) != 0 ||
	    get_service(c, FLD_PKT_DST_AWS_SERVICE, &d->svc[1], err, errlen) != 0 ||
	    get_pkt_addr(c, FLD_PKT_SRCADDR, &d->pkt[0], err, errlen) != 0 ||
	    get_pkt_addr(c, FLD_PKT_DSTADDR, &d->pkt[1], err, errlen) != 0)
		return -1;
	sd->n++;
	r->sum.records[c->side]++;
	return 0;
}

static int read_side(struct diff_result *r, int side, const char *path,
		     const struct log_format *layout, char *err, size_t errlen)
{
	struct flow_reader *fr;
	struct flow_line l;
	struct rd_ctx c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.side = side;
	c.l = &l;
	if (flow_reader_open(&fr, path, layout, err, errlen) != 0)
		return -1;
	/* A malformed line ends the diff: a comparison over part of a log
	 * would report differences that are not there. */
	while ((rc = flow_reader_next(fr, &l, err, errlen)) == 1)
		if (read_line(&c, err, errlen) != 0) {
			rc = -1;
			break;
		}
	for (i = 0; rc == 0 && i < flow_reader_note_count(fr); i++) {
		const char *note = flow_reader_note(fr, i);
		char *d;

		if (push((void **)&r->notes, &r->nnotes, &r->notes_cap, sizeof(*r->notes)) != 0 ||
		    (d = vfe_malloc(strlen(note) + 1)) == NULL) {
			errbuf_set(err, errlen, "out of memory");
			rc = -1;
			break;
		}
		memcpy(d, note, strlen(note) + 1);
		r->notes[r->nnotes++] = d;
	}
	flow_reader_close(fr);
	return rc;
}

/* ---- the result ---------------------------------------------------------- */

static int set_map(struct diff_result *r, const struct diff_options *o, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < o->nmap; i++) {
		int64_t a = diff_strtab_intern(&r->ifaces, o->map[i].from, strlen(o->map[i].from));
		int64_t b = diff_strtab_intern(&r->ifaces, o->map[i].to, strlen(o->map[i].to));

		if (a < 0 || b < 0) {
			errbuf_set(err, errlen, "out of memory");
			return -1;
		}
		r->ifaces.canon[a] = (uint32_t)b;
		r->ifaces.mapped_from[b] = (uint32_t)a + 1;
	}
	return 0;
}

int diff_run(const char *expected, const char *actual, const struct diff_options *o,
	     struct diff_result **out, char *err, size_t errlen)
{
	struct diff_result *r = vfe_calloc(1, sizeof(*r));
	uint64_t seed = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)r;
	size_t i;

	*out = NULL;
	if (r == NULL) {
		errbuf_set(err, errlen, "out of memory");
		return -1;
	}
	r->opt = *o;
	r->path[0] = expected;
	r->path[1] = actual;
	r->ifaces.seed = seed;
	r->svc.seed = seed * 3;
	r->addrs.seed = seed * 5;
	r->have[0] = r->have[1] = ~(uint64_t)0;
	r->ifaces.mapped_from = vfe_calloc(o->nmap * 2 + 1, sizeof(uint32_t));
	if (r->ifaces.mapped_from == NULL) {
		errbuf_set(err, errlen, "out of memory");
		diff_free(r);
		return -1;
	}
	if (set_map(r, o, err, errlen) != 0 ||
	    read_side(r, 0, expected, o->layout_expected, err, errlen) != 0 ||
	    read_side(r, 1, actual, o->layout_actual, err, errlen) != 0 ||
	    diff_match(r, err, errlen) != 0) {
		diff_free(r);
		return -1;
	}
	for (i = 0; i < 2; i++) {
		vfe_free(r->sides[i].v);
		r->sides[i].v = NULL;
	}
	*out = r;
	return 0;
}

void diff_free(struct diff_result *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < 2; i++)
		vfe_free(r->sides[i].v);
	for (i = 0; i < r->nnotes; i++)
		vfe_free(r->notes[i]);
	for (i = 0; i < r->nnames; i++)
		vfe_free(r->names[i]);
	vfe_free(r->notes);
	vfe_free(r->stat);
	vfe_free(r->items);
	vfe_free(r->enis);
	vfe_free(r->names);
	vfe_free(r->ifaces.mapped_from);
	strtab_free(&r->ifaces);
	strtab_free(&r->svc);
	vfe_free(r->addrs.v);
	vfe_free(r->addrs.slots);
	vfe_free(r);
}

int diff_equivalent(const struct diff_result *r)
{
	return r->sum.only[0] == 0 && r->sum.only[1] == 0 && r->sum.differing == 0;
}

const struct diff_summary *diff_get_summary(const struct diff_result *r)
{
	return &r->sum;
}

size_t diff_item_count(const struct diff_result *r)
{
	return r->nitems;
}

const struct diff_item *diff_get_item(const struct diff_result *r, size_t i)
{
	return i < r->nitems ? &r->items[i] : NULL;
}

size_t diff_eni_count(const struct diff_result *r)
{
	return r->nenis;
}

const struct diff_eni_status *diff_get_eni(const struct diff_result *r, size_t i)
{
	return i < r->nenis ? &r->enis[i] : NULL;
}

size_t diff_note_count(const struct diff_result *r)
{
	return r->nnotes;
}

const char *diff_get_note(const struct diff_result *r, size_t i)
{
	return i < r->nnotes ? r->notes[i] : NULL;
}

const char *diff_get_path(const struct diff_result *r, int side)
{
	return r->path[side ? 1 : 0];
}
