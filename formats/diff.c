/* diff.c - the diff API: options, diff_run (read both sides with
 * diff_read.c, match with diff_match.c) and the accessors of the result.
 * Never prints (diff_report.c renders); holds no reading or matching logic.
 * PRODUCT.md 6; spec/vpc-flow-logs.md 4, 5.2, 6, 9.2, 10. */
#include "formats/diff.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/diff_int.h"
#include "formats/errbuf.h"
#include "formats/mem.h"

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
	for (i = 0; i < DIFF_NCMP; i++)
		if (diff_cmp_fields[i] == id) {
			o->ignore |= BIT(id);
			return 0;
		}
	errbuf_set(err, errlen, "--ignore: \"%s\" is not compared; the compared fields are "
		   "packets, bytes, action, traffic-path, tcp-flags, pkt-src-aws-service, "
		   "pkt-dst-aws-service, pkt-srcaddr, pkt-dstaddr and type", s);
	return -1;
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
	    diff_read_side(r, 0, expected, o->layout_expected, err, errlen) != 0 ||
	    diff_read_side(r, 1, actual, o->layout_actual, err, errlen) != 0 ||
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
	diff_strtab_free(&r->ifaces);
	diff_strtab_free(&r->svc);
	diff_addrtab_free(&r->addrs);
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
