/* format.c - parses a flow log format: the presets and "${token}" strings.
 *
 * Owns the field order of a format and its ${version} value (spec
 * vpc-flow-logs.md 3.1, 3.2; PRODUCT.md 2 for the preset names). Must not
 * print or allocate: errors go to the caller's buffer as one line. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "formats/format.h"

/* The longest unknown token quoted back in an error message. */
#define ERR_TOKEN_MAX 48

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	       c == '\v' || c == '\f';
}

static void add_field(struct log_format *f, enum field_id id)
{
	const struct field_info *fi = field_info(id);

	f->ids[f->n++] = (uint8_t)id;
	if (fi->version > f->version)
		f->version = fi->version;
}

/* "default", "v5", "all"; false when s names no preset. */
static bool parse_preset(const char *s, struct log_format *f)
{
	int i;

	memset(f, 0, sizeof(*f));
	f->version = 2;
	if (strcmp(s, "default") == 0 || strcmp(s, "v5") == 0) {
		for (i = 0; i < FIELD_DEFAULT_COUNT; i++)
			add_field(f, (enum field_id)i);
		if (strcmp(s, "v5") == 0) {
			add_field(f, FLD_PKT_SRC_AWS_SERVICE);
			add_field(f, FLD_PKT_DST_AWS_SERVICE);
			add_field(f, FLD_FLOW_DIRECTION);
			add_field(f, FLD_TRAFFIC_PATH);
		}
		return true;
	}
	if (strcmp(s, "all") == 0) {
		for (i = 0; i < FLD_COUNT; i++)
			add_field(f, (enum field_id)i);
		return true;
	}
	return false;
}

/* One "${token}" at *pp (which is not blank and not NUL). On success adds
 * the field and leaves *pp after the '}'. */
static int parse_token(const char *s, const char **pp, struct log_format *f,
		       bool seen[FLD_COUNT], char *err, size_t errlen)
{
	const char *p = *pp, *tok, *q;
	size_t col = (size_t)(p - s) + 1, len;
	int id;

	if (p[0] != '$' || p[1] != '{')
		return fail(err, errlen, "expected \"${\" at column %zu", col);
	tok = p + 2;
	/* A token never holds blanks or another "${": stopping there points
	 * the message at the "${" that lacks its '}'. */
	for (q = tok; *q != '\0' && *q != '}' && !is_blank(*q) &&
		      *q != '$' && *q != '{'; q++)
		;
	if (*q != '}')
		return fail(err, errlen, "unterminated \"${\" at column %zu",
			    col);
	len = (size_t)(q - tok);
	id = field_lookup(tok, len);
	if (id < 0)
		return fail(err, errlen, "unknown field \"${%.*s%s}\" at column %zu",
			    (int)(len > ERR_TOKEN_MAX ? ERR_TOKEN_MAX : len),
			    tok, len > ERR_TOKEN_MAX ? "..." : "", col);
	if (seen[id])
		return fail(err, errlen, "field \"%s\" appears twice at column %zu",
			    field_info((enum field_id)id)->token, col);
	/* Unreachable while FLD_COUNT <= FORMAT_MAX_FIELDS (no repeats). */
	if (f->n >= FORMAT_MAX_FIELDS)
		return fail(err, errlen, "more than %d fields at column %zu",
			    FORMAT_MAX_FIELDS, col);
	seen[id] = true;
	add_field(f, (enum field_id)id);
	*pp = q + 1;
	return 0;
}

static int parse_custom(const char *s, struct log_format *f, char *err,
			size_t errlen)
{
	bool seen[FLD_COUNT] = { false };
	const char *p = s, *tok;

	memset(f, 0, sizeof(*f));
	f->version = 2;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (*p == '\0')
			break;
		tok = p;
		if (parse_token(s, &p, f, seen, err, errlen) < 0)
			return -1;
		/* "${srcaddr}${dstaddr}" or "${srcaddr},": AWS separates
		 * fields with spaces only. */
		if (*p != '\0' && !is_blank(*p))
			return fail(err, errlen,
				    "expected a blank after \"%.*s\" at column %zu",
				    (int)(p - tok), tok, (size_t)(p - s) + 1);
	}
	if (f->n == 0)
		return fail(err, errlen, "empty format");
	return 0;
}

int format_parse(const char *s, struct log_format *f, char *err, size_t errlen)
{
	struct log_format tmp;

	if (s == NULL)
		return fail(err, errlen, "empty format");
	if (!parse_preset(s, &tmp) && parse_custom(s, &tmp, err, errlen) < 0)
		return -1;
	*f = tmp;
	return 0;
}

int format_find(const struct log_format *f, enum field_id id)
{
	int i;

	for (i = 0; i < f->n; i++)
		if (f->ids[i] == (unsigned)id)
			return i;
	return -1;
}
