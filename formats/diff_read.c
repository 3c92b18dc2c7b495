/* diff_read.c - reads one side of a diff (flow log files through
 * reader.c) into compact records, NODATA/SKIPDATA windows and the reader's
 * notes. A malformed field is an error, never a guess. Must not match,
 * compare or print. Spec vpc-flow-logs.md 4, 5.2. */
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>

#include "formats/diff_int.h"
#include "formats/errbuf.h"
#include "formats/mem.h"
#include "formats/reader.h"

#define BIT(f) ((uint64_t)1 << (f))

struct rd_ctx {
	struct diff_result *r;
	int side;
	struct log_format layout;               /* a copy of the last layout seen */
	bool have_layout;
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
	c->layout = *f;
	c->have_layout = true;
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
	k = diff_addrtab_intern(&c->r->addrs, &a);
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

	/* Compared by content: the reader keeps every file's header in the
	 * same place, so the pointer does not change between files. */
	if (!c->have_layout || memcmp(c->l->layout, &c->layout, sizeof(c->layout)) != 0)
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

int diff_read_side(struct diff_result *r, int side, const char *path,
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
