/* reader_line.c - one line of flow log text into fields: CloudWatch
 * export timestamps, {"message": ...} JSON lines (Firehose, CloudWatch),
 * header lines in any field order, the field count and the number check of
 * INT_32/INT_64 fields, and typed access to a parsed line. No allocation
 * except jansson's for JSON lines. Spec/vpc-flow-logs.md 1, 2, 3.3, 5.2, 11. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "formats/reader_int.h"

static const char *const tgw_tokens[] = {
	"resource-type", "tgw-id", "tgw-attachment-id", "tgw-src-vpc-account-id",
	"tgw-dst-vpc-account-id", "tgw-src-vpc-id", "tgw-dst-vpc-id",
	"tgw-src-subnet-id", "tgw-dst-subnet-id", "tgw-src-eni", "tgw-dst-eni",
	"tgw-src-az-id", "tgw-dst-az-id", "tgw-pair-attachment-id",
	"packets-lost-no-route", "packets-lost-blackhole",
	"packets-lost-mtu-exceeded", "packets-lost-ttl-expired",
};

static int is_tgw_token(const char *t, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(tgw_tokens) / sizeof(tgw_tokens[0]); i++)
		if (strlen(tgw_tokens[i]) == n && memcmp(tgw_tokens[i], t, n) == 0)
			return 1;
	return 0;
}

void rd_set_layout(struct flow_reader *r, const struct log_format *f)
{
	uint8_t i;

	r->layout = f;
	r->nnum = 0;
	for (i = 0; i < f->n; i++) {
		const struct field_info *fi = field_info((enum field_id)f->ids[i]);

		if (fi != NULL && fi->type != FT_STRING)
			r->numpos[r->nnum++] = i;
	}
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* "2018-09-22T20:28:14.000Z ": the event time a CloudWatch Logs export
 * puts before each message (spec 11.2). Returns its length with the blanks
 * after it, or 0. */
static size_t iso_prefix(const char *s, size_t n)
{
	size_t i;

	if (n < 21 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':')
		return 0;
	for (i = 0; i < 4; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	for (i = 10; i < n && !is_blank(s[i]); i++)
		;
	if (i == n || s[i - 1] != 'Z')
		return 0;
	while (i < n && is_blank(s[i]))
		i++;
	return i;
}

/* Header-like: every token is a lowercase hyphen word and at least one is
 * a field name we know (VPC or transit gateway). Data lines always hold a
 * digit-led, dotted, upper-case or "-" token, or no known field name. */
static int header_like(const struct flow_line *l, size_t ntok)
{
	size_t i, j;
	int known = 0;

	for (i = 0; i < ntok; i++) {
		const char *t = l->field[i];

		if (t[0] < 'a' || t[0] > 'z')
			return 0;
		for (j = 1; j < l->len[i]; j++)
			if (!((t[j] >= 'a' && t[j] <= 'z') || (t[j] >= '0' && t[j] <= '9') || t[j] == '-'))
				return 0;
		if (!known && (field_lookup(t, l->len[i]) >= 0 || is_tgw_token(t, l->len[i])))
			known = 1;
	}
	return known;
}

static int take_header(struct flow_reader *r, const struct flow_line *l, size_t ntok,
		       char *err, size_t errlen)
{
	struct log_format f;
	uint8_t seen[FLD_COUNT] = {0};
	size_t i;

	memset(&f, 0, sizeof(f));
	if (ntok > FORMAT_MAX_FIELDS) {
		errbuf_set(err, errlen, "%s:%llu: header has %zu fields, at most %d", l->file,
			(unsigned long long)l->line, ntok, FORMAT_MAX_FIELDS);
		return -1;
	}
	for (i = 0; i < ntok; i++) {
		int id = field_lookup(l->field[i], l->len[i]);
		int w = l->len[i] > 64 ? 64 : (int)l->len[i];

		if (id < 0) {
			errbuf_set(err, errlen, "%s:%llu: unknown field \"%.*s\" in header%s", l->file,
				(unsigned long long)l->line, w, l->field[i],
				is_tgw_token(l->field[i], l->len[i])
				? " (transit gateway flow logs are not supported)" : "");
			return -1;
		}
		if (seen[id]) {
			errbuf_set(err, errlen, "%s:%llu: field \"%.*s\" appears twice in header",
				l->file, (unsigned long long)l->line, w, l->field[i]);
			return -1;
		}
		seen[id] = 1;
		f.ids[i] = (uint8_t)id;
		if (field_info((enum field_id)id)->version > f.version)
			f.version = field_info((enum field_id)id)->version;
	}
	f.n = (uint8_t)ntok;
	r->hdr = f;
	rd_set_layout(r, &r->hdr);
	r->st.headers++;
	return 0;
}

/* A number field holds "-" or 1..19 decimal digits (INT_32 fields at most
 * 2147483647), as AWS types them for Parquet (spec 2). */
static int number_ok(const char *s, size_t n, enum field_type t)
{
	uint64_t v = 0;
	size_t i;

	if (n == 1 && s[0] == '-')
		return 1;
	if (n == 0 || n > 19)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	return t == FT_INT64 || v <= 2147483647u;
}

/* Splits s[0..n) at runs of blanks into out. Returns the token count
 * (which may exceed FORMAT_MAX_FIELDS; only that many are stored). */
static size_t tokenize(const char *s, size_t n, struct flow_line *out)
{
	size_t i = 0, k = 0;

	while (i < n) {
		size_t b;

		while (i < n && is_blank(s[i]))
			i++;
		if (i == n)
			break;
		b = i;
		while (i < n && !is_blank(s[i]))
			i++;
		if (k < FORMAT_MAX_FIELDS) {
			out->field[k] = s + b;
			/* A token longer than 65535 cannot be a field; its
			 * length is clamped and the line fails elsewhere. */
			out->len[k] = (uint16_t)(i - b > UINT16_MAX ? UINT16_MAX : i - b);
		}
		k++;
	}
	return k;
}

/* The "message" of a {"message": ...} line, copied into jbuf. 1 and the
 * slice, 0 when the line is not such an object. */
static int json_message(struct flow_reader *r, const char *s, size_t n,
			const char **msg, size_t *mlen)
{
	json_error_t je;
	json_t *root = json_loadb(s, n, 0, &je);
	json_t *m;
	size_t k;

	if (root == NULL)
		return 0;
	m = json_object_get(root, "message");
	if (!json_is_string(m) || json_string_length(m) >= RD_BUF_CAP) {
		json_decref(root);
		return 0;
	}
	k = json_string_length(m);
	memcpy(r->jbuf, json_string_value(m), k);
	json_decref(root);
	while (k > 0 && (r->jbuf[k - 1] == '\n' || r->jbuf[k - 1] == '\r'))
		k--;
	*msg = r->jbuf;
	*mlen = k;
	return 1;
}

/* See reader_int.h. */
int rd_parse_line(struct flow_reader *r, const char *s, size_t n, struct flow_line *out,
		      char *err, size_t errlen)
{
	const struct log_format *f;
	size_t ntok, skip, i;
	int first = 0;

	if (n > 0 && s[n - 1] == '\r')
		n--;
	while (n > 0 && is_blank(s[0]))
		s++, n--;
	if (n == 0) {
		r->st.blank++;
		return 0;
	}
	if (!r->first_seen) {
		r->first_seen = 1;
		first = 1;
	}
	if (s[0] == '{' || (first && s[0] == '[')) {
		if (!json_message(r, s, n, &s, &n)) {
			if (first)
				return -3;
			errbuf_set(err, errlen, "%s:%llu: JSON line without a \"message\" string",
				out->file, (unsigned long long)out->line);
			return -1;
		}
		r->st.json++;
	} else if ((skip = iso_prefix(s, n)) > 0) {
		s += skip;
		n -= skip;
		r->st.iso_prefix++;
	}
	ntok = tokenize(s, n, out);
	if (ntok == 0) {
		r->st.blank++;
		return 0;
	}
	if (s[0] >= 'a' && s[0] <= 'z' && ntok <= FORMAT_MAX_FIELDS && header_like(out, ntok))
		return take_header(r, out, ntok, err, errlen) < 0 ? -2 : 0;
	f = r->layout;
	if (ntok != f->n) {
		errbuf_set(err, errlen, "%s:%llu: expected %u fields, got %zu", out->file,
			(unsigned long long)out->line, (unsigned)f->n, ntok);
		return -1;
	}
	for (i = 0; i < r->nnum; i++) {
		uint8_t c = r->numpos[i];
		enum field_id id = (enum field_id)f->ids[c];

		if (!number_ok(out->field[c], out->len[c], field_info(id)->type)) {
			int w = out->len[c] > 64 ? 64 : (int)out->len[c];

			errbuf_set(err, errlen, "%s:%llu: field \"%s\" is not a number: \"%.*s\"",
				out->file, (unsigned long long)out->line, field_info(id)->token,
				w, out->field[c]);
			return -1;
		}
	}
	out->layout = f;
	return 1;
}

/* ---- typed access -------------------------------------------------------- */

const char *flow_line_get(const struct flow_line *l, enum field_id id, size_t *len)
{
	int i = format_find(l->layout, id);

	if (i < 0)
		return NULL;
	if (len != NULL)
		*len = l->len[i];
	return l->field[i];
}

int flow_line_has(const struct flow_line *l, enum field_id id)
{
	size_t n;
	const char *s = flow_line_get(l, id, &n);

	return s != NULL && !(n == 1 && s[0] == '-');
}

int flow_line_u64(const struct flow_line *l, enum field_id id, uint64_t *v)
{
	size_t n, i;
	const char *s = flow_line_get(l, id, &n);
	uint64_t x = 0;

	if (s == NULL || (n == 1 && s[0] == '-'))
		return 0;
	if (n == 0 || n > 20)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	return 1;
}
