/* diff_report.c - renders a diff result: the readable summary and one line
 * per difference, or one JSON document with the same content (jansson).
 * Uses only the public API of diff.h; decides nothing about matching.
 * PRODUCT.md 6. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "formats/diff.h"
#include "formats/diff_int.h"

static const char *side_name[2] = {"expected", "actual"};

static const char *kind_name(const struct diff_item *it)
{
	switch (it->kind) {
	case DIFF_ONLY_EXPECTED: return "only-expected";
	case DIFF_ONLY_ACTUAL: return "only-actual";
	default: return "differs";
	}
}

static const char *dir_name(uint8_t d)
{
	return d == 1 ? "ingress" : d == 2 ? "egress" : NULL;
}

/* "10.0.0.1:443" or "[2001:db8::1]:443". */
static void endpoint(char *buf, size_t n, const struct ip_addr *a, uint16_t port)
{
	char t[IP_ADDR_STRLEN];

	ip_addr_format(a, t);
	if (ip_addr_is_v4(a))
		snprintf(buf, n, "%s:%u", t, port);
	else
		snprintf(buf, n, "[%s]:%u", t, port);
}

static void print_item(FILE *f, const struct diff_item *it)
{
	char s[IP_ADDR_STRLEN + 10], d[IP_ADDR_STRLEN + 10];
	const char *dir = dir_name(it->direction);

	endpoint(s, sizeof(s), &it->srcaddr, it->srcport);
	endpoint(d, sizeof(d), &it->dstaddr, it->dstport);
	fprintf(f, "%s%s %s %u %s -> %s%s%s %" PRId64 "-%" PRId64 ": ",
		it->incomplete ? "incomplete " : "", kind_name(it), it->interface_id,
		it->protocol, s, d, dir ? " " : "", dir ? dir : "", it->start, it->end);
	if (it->kind == DIFF_FIELD) {
		fprintf(f, "%s: expected %s, actual %s", field_info(it->field)->token,
			it->value[0], it->value[1]);
	} else {
		int k = it->kind == DIFF_ONLY_ACTUAL;

		fprintf(f, "%" PRIu64 " packets, %" PRIu64 " bytes", it->packets[k], it->bytes[k]);
	}
	if (it->cause != NULL)
		fprintf(f, " (likely cause: %s)", it->cause);
	fputc('\n', f);
}

static void print_fields(FILE *f, uint64_t mask)
{
	size_t i;
	int any = 0;

	for (i = 0; i < DIFF_NCMP; i++)
		if (mask & ((uint64_t)1 << diff_cmp_fields[i])) {
			fprintf(f, " %s", field_info(diff_cmp_fields[i])->token);
			any = 1;
		}
	if (!any)
		fputs(" (none)", f);
	fputc('\n', f);
}

int diff_print_text(const struct diff_result *r, FILE *f)
{
	const struct diff_summary *s = diff_get_summary(r);
	size_t i, n;
	int k, any = 0;

	for (k = 0; k < 2; k++)
		fprintf(f, "%-9s %s: %" PRIu64 " flow records, %" PRIu64 " NODATA, %" PRIu64
			" SKIPDATA, %" PRIu64 " outside the common time range\n",
			k ? "actual:" : "expected:", diff_get_path(r, k), s->records[k],
			s->nodata[k], s->skipdata[k], s->outside[k]);
	fprintf(f, "common time range: %" PRId64 "-%" PRId64 "\n", s->common_start, s->common_end);
	fputs("matched on:", f);
	for (i = 0; i < FLD_COUNT; i++)
		if (s->matched_on & ((uint64_t)1 << i))
			fprintf(f, " %s", field_info((enum field_id)i)->token);
	fputs(s->matched_on ? "\n" : " (nothing: one record per side and span)\n", f);
	fputs("compared:", f);
	print_fields(f, s->compared);
	fprintf(f, "matched: %" PRIu64 " (%" PRIu64 " differing)\n", s->matched, s->differing);
	fprintf(f, "only in expected: %" PRIu64 "\n", s->only[0]);
	fprintf(f, "only in actual: %" PRIu64 "\n", s->only[1]);
	fputs("differing by field:", f);
	for (i = 0; i < DIFF_NCMP; i++)
		if (s->by_field[diff_cmp_fields[i]]) {
			fprintf(f, "%s %s %" PRIu64, any ? "," : "",
				field_info(diff_cmp_fields[i])->token, s->by_field[diff_cmp_fields[i]]);
			any = 1;
		}
	fputs(any ? "\n" : " none\n", f);
	fprintf(f, "incomplete (SKIPDATA, not counted): %" PRIu64 "\n", s->incomplete);
	for (i = 0, n = diff_eni_count(r); i < n; i++) {
		const struct diff_eni_status *e = diff_get_eni(r, i);

		fprintf(f, "%s %s: %" PRIu64 " NODATA, %" PRIu64 " SKIPDATA", side_name[e->side],
			e->interface_id, e->nodata, e->skipdata);
		if (e->skipdata)
			fprintf(f, " (incomplete %" PRId64 "-%" PRId64 ")", e->skip_start, e->skip_end);
		fputc('\n', f);
	}
	for (i = 0, n = diff_note_count(r); i < n; i++)
		fprintf(f, "note: %s\n", diff_get_note(r, i));
	fprintf(f, "result: %s\n", diff_equivalent(r) ? "equivalent" : "different");
	n = diff_item_count(r);
	if (n)
		fputc('\n', f);
	for (i = 0; i < n; i++)
		print_item(f, diff_get_item(r, i));
	return ferror(f) ? -1 : 0;
}

/* ---- JSON ---------------------------------------------------------------- */

static json_t *jint(uint64_t v)
{
	return json_integer((json_int_t)v);
}

static json_t *jaddr(const struct ip_addr *a)
{
	char t[IP_ADDR_STRLEN];

	ip_addr_format(a, t);
	return json_string(t);
}

static json_t *json_item(const struct diff_item *it)
{
	json_t *o = json_object();
	const char *dir = dir_name(it->direction);
	int k;

	json_object_set_new(o, "kind", json_string(kind_name(it)));
	json_object_set_new(o, "incomplete", json_boolean(it->incomplete));
	json_object_set_new(o, "field", it->kind == DIFF_FIELD ?
			    json_string(field_info(it->field)->token) : json_null());
	json_object_set_new(o, "interface_id", json_string(it->interface_id));
	json_object_set_new(o, "srcaddr", jaddr(&it->srcaddr));
	json_object_set_new(o, "dstaddr", jaddr(&it->dstaddr));
	json_object_set_new(o, "srcport", jint(it->srcport));
	json_object_set_new(o, "dstport", jint(it->dstport));
	json_object_set_new(o, "protocol", jint(it->protocol));
	json_object_set_new(o, "flow_direction", dir ? json_string(dir) : json_null());
	json_object_set_new(o, "start", json_integer((json_int_t)it->start));
	json_object_set_new(o, "end", json_integer((json_int_t)it->end));
	for (k = 0; k < 2; k++) {
		json_t *v = json_object();

		json_object_set_new(v, "packets", jint(it->packets[k]));
		json_object_set_new(v, "bytes", jint(it->bytes[k]));
		if (it->kind == DIFF_FIELD)
			json_object_set_new(v, "value", json_string(it->value[k]));
		json_object_set_new(o, side_name[k], v);
	}
	json_object_set_new(o, "cause", it->cause ? json_string(it->cause) : json_null());
	return o;
}

static json_t *json_summary(const struct diff_result *r)
{
	const struct diff_summary *s = diff_get_summary(r);
	json_t *o = json_object(), *by = json_object(), *cmp = json_array();
	size_t i;
	int k;

	for (k = 0; k < 2; k++) {
		json_t *sd = json_object();

		json_object_set_new(sd, "path", json_string(diff_get_path(r, k)));
		json_object_set_new(sd, "flow_records", jint(s->records[k]));
		json_object_set_new(sd, "nodata", jint(s->nodata[k]));
		json_object_set_new(sd, "skipdata", jint(s->skipdata[k]));
		json_object_set_new(sd, "outside_common_range", jint(s->outside[k]));
		json_object_set_new(o, side_name[k], sd);
	}
	json_object_set_new(o, "common_start", json_integer((json_int_t)s->common_start));
	json_object_set_new(o, "common_end", json_integer((json_int_t)s->common_end));
	json_object_set_new(o, "direction_matched", json_boolean(s->direction_matched));
	{
		json_t *on = json_array();

		for (i = 0; i < FLD_COUNT; i++)
			if (s->matched_on & ((uint64_t)1 << i))
				json_array_append_new(on, json_string(field_info((enum field_id)i)->token));
		json_object_set_new(o, "matched_on", on);
	}
	for (i = 0; i < DIFF_NCMP; i++) {
		const char *t = field_info(diff_cmp_fields[i])->token;

		if (s->compared & ((uint64_t)1 << diff_cmp_fields[i])) {
			json_array_append_new(cmp, json_string(t));
			json_object_set_new(by, t, jint(s->by_field[diff_cmp_fields[i]]));
		}
	}
	json_object_set_new(o, "compared", cmp);
	json_object_set_new(o, "matched", jint(s->matched));
	json_object_set_new(o, "differing", jint(s->differing));
	json_object_set_new(o, "only_expected", jint(s->only[0]));
	json_object_set_new(o, "only_actual", jint(s->only[1]));
	json_object_set_new(o, "differing_by_field", by);
	json_object_set_new(o, "incomplete", jint(s->incomplete));
	return o;
}

int diff_print_json(const struct diff_result *r, FILE *f)
{
	json_t *root = json_object(), *items = json_array(), *enis = json_array();
	json_t *notes = json_array();
	size_t i, n;
	int rc;

	json_object_set_new(root, "equivalent", json_boolean(diff_equivalent(r)));
	json_object_set_new(root, "summary", json_summary(r));
	for (i = 0, n = diff_eni_count(r); i < n; i++) {
		const struct diff_eni_status *e = diff_get_eni(r, i);
		json_t *o = json_object();

		json_object_set_new(o, "interface_id", json_string(e->interface_id));
		json_object_set_new(o, "side", json_string(side_name[e->side]));
		json_object_set_new(o, "nodata", jint(e->nodata));
		json_object_set_new(o, "skipdata", jint(e->skipdata));
		if (e->skipdata) {
			json_object_set_new(o, "incomplete_start", json_integer((json_int_t)e->skip_start));
			json_object_set_new(o, "incomplete_end", json_integer((json_int_t)e->skip_end));
		}
		json_array_append_new(enis, o);
	}
	json_object_set_new(root, "interfaces", enis);
	for (i = 0, n = diff_note_count(r); i < n; i++)
		json_array_append_new(notes, json_string(diff_get_note(r, i)));
	json_object_set_new(root, "notes", notes);
	for (i = 0, n = diff_item_count(r); i < n; i++)
		json_array_append_new(items, json_item(diff_get_item(r, i)));
	json_object_set_new(root, "differences", items);
	rc = json_dumpf(root, f, JSON_INDENT(2));
	json_decref(root);
	if (rc == 0)
		fputc('\n', f);
	return rc != 0 || ferror(f) ? -1 : 0;
}
