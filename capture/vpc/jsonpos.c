/* jsonpos.c - the line and column of a value in a JSON text (RFC 8259).
 *
 * A bounded re-scan for error messages: it follows one path of member names
 * and indexes, skipping everything else, and never reads at or past end.
 * It validates only what it must to keep its place; it allocates nothing and
 * never prints. The text was usually parsed by jansson already. */
#include "capture/vpc/jsonpos.h"

#include <stdint.h>

struct scan {
	const unsigned char *p, *end;
	size_t line, col;             /* position of *p */
};

static bool at(const struct scan *s, unsigned char c)
{
	return s->p < s->end && *s->p == c;
}

/* Callers check s->p < s->end first. Columns count characters, so a UTF-8
 * continuation byte (10xxxxxx) moves the column no further. */
static void adv(struct scan *s)
{
	unsigned char c = *s->p++;

	if (c == '\n') {
		s->line++;
		s->col = 1;
	} else if ((c & 0xc0) != 0x80) {
		s->col++;
	}
}

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	                         *s->p == '\n' || *s->p == '\r'))
		adv(s);
}

/* Compares the next n decoded bytes of a string with key[*ki...]; once a
 * byte differs, or the key ends first, *match stays false. */
static void match_bytes(const char *key, size_t *ki, bool *match,
                        const unsigned char *b, size_t n)
{
	for (size_t i = 0; i < n && *match; i++) {
		if (key[*ki] == '\0' || (unsigned char)key[*ki] != b[i])
			*match = false;
		else
			(*ki)++;
	}
}

static bool hex4(struct scan *s, uint32_t *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		unsigned char c;

		if (s->p >= s->end)
			return false;
		c = *s->p;
		if (c >= '0' && c <= '9')
			*v = *v << 4 | (uint32_t)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v = *v << 4 | (uint32_t)((c | 0x20) - 'a' + 10);
		else
			return false;
		adv(s);
	}
	return true;
}

static size_t utf8_encode(uint32_t cp, unsigned char *b)
{
	if (cp < 0x80) {
		b[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (unsigned char)(0xc0 | cp >> 6);
		b[1] = (unsigned char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (unsigned char)(0xe0 | cp >> 12);
		b[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
		b[2] = (unsigned char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (unsigned char)(0xf0 | cp >> 18);
	b[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3f));
	b[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3f));
	b[3] = (unsigned char)(0x80 | (cp & 0x3f));
	return 4;
}

/* After the backslash of \uXXXX: the code point, joining a surrogate pair
 * the way jansson does so that an escaped key still matches its name. */
static bool unicode_escape(struct scan *s, uint32_t *cp)
{
	uint32_t lo;

	if (!hex4(s, cp))
		return false;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return true;
	if (!at(s, '\\') || s->p + 1 >= s->end || s->p[1] != 'u')
		return true;          /* a lone surrogate: jansson rejects it */
	adv(s);
	adv(s);
	if (!hex4(s, &lo))
		return false;
	if (lo >= 0xdc00 && lo <= 0xdfff)
		*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return true;
}

/* One escape sequence, at the byte after the backslash. */
static bool escape(struct scan *s, unsigned char *b, size_t *n)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	uint32_t cp;

	if (s->p >= s->end)
		return false;
	if (*s->p == 'u') {
		adv(s);
		if (!unicode_escape(s, &cp))
			return false;
		*n = utf8_encode(cp, b);
		return true;
	}
	for (size_t i = 0; from[i] != '\0'; i++) {
		if (*s->p == (unsigned char)from[i]) {
			b[0] = (unsigned char)to[i];
			*n = 1;
			adv(s);
			return true;
		}
	}
	return false;
}

/* At the opening quote: steps over the string. With key, *match tells
 * whether its decoded bytes equal key exactly. */
static bool scan_string(struct scan *s, const char *key, bool *match)
{
	size_t ki = 0;
	bool m = key != NULL;

	adv(s);
	/* Each turn consumes at least one byte, so the loop ends at end. */
	while (s->p < s->end && *s->p != '"') {
		unsigned char b[4];
		size_t n = 1;

		if (*s->p == '\\') {
			adv(s);
			if (!escape(s, b, &n))
				return false;
		} else {
			b[0] = *s->p;
			adv(s);
		}
		if (m)
			match_bytes(key, &ki, &m, b, n);
	}
	if (s->p >= s->end)
		return false;
	adv(s);
	if (match)
		*match = m && key[ki] == '\0';
	return true;
}

/* true, false, null or a number: at least one byte of what they are made of. */
static bool skip_scalar(struct scan *s)
{
	const unsigned char *start = s->p;

	while (s->p < s->end && ((*s->p >= '0' && *s->p <= '9') ||
	                         ((*s->p | 0x20) >= 'a' && (*s->p | 0x20) <= 'z') ||
	                         *s->p == '-' || *s->p == '+' || *s->p == '.'))
		adv(s);
	return s->p > start;
}

static bool skip_value(struct scan *s, unsigned depth);

/* At '{' or '[' opening the depth-th level: steps over the whole container. */
static bool skip_container(struct scan *s, unsigned depth)
{
	unsigned char close = *s->p == '{' ? '}' : ']';

	if (depth > JSONPOS_MAX_DEPTH)
		return false;
	adv(s);
	skip_ws(s);
	if (at(s, close)) {
		adv(s);
		return true;
	}
	for (;;) {
		skip_ws(s);
		if (close == '}') {
			if (!at(s, '"') || !scan_string(s, NULL, NULL))
				return false;
			skip_ws(s);
			if (!at(s, ':'))
				return false;
			adv(s);
			skip_ws(s);
		}
		if (!skip_value(s, depth))
			return false;
		skip_ws(s);
		if (!at(s, ','))
			break;
		adv(s);
	}
	if (!at(s, close))
		return false;
	adv(s);
	return true;
}

/* A value inside the depth-th level (0: the top-level value itself). */
static bool skip_value(struct scan *s, unsigned depth)
{
	if (s->p >= s->end)
		return false;
	if (*s->p == '{' || *s->p == '[')
		return skip_container(s, depth + 1);
	if (*s->p == '"')
		return scan_string(s, NULL, NULL);
	return skip_scalar(s);
}

/* At an object opening the depth-th level: moves to the value of the last
 * member named key. When the text goes bad after a match, the match
 * stands: the best answer this text allows. */
static bool find_member(struct scan *s, const char *key, unsigned depth)
{
	struct scan found = *s;
	bool have = false, m;

	if (!at(s, '{') || depth > JSONPOS_MAX_DEPTH)
		return false;
	adv(s);
	skip_ws(s);
	while (at(s, '"')) {
		if (!scan_string(s, key, &m))
			break;
		skip_ws(s);
		if (!at(s, ':'))
			break;
		adv(s);
		skip_ws(s);
		if (m) {
			found = *s;
			have = true;
		}
		if (!skip_value(s, depth))
			break;
		skip_ws(s);
		if (!at(s, ','))
			break;
		adv(s);
		skip_ws(s);
	}
	*s = found;
	return have;
}

/* At an array opening the depth-th level: moves to element index. */
static bool find_element(struct scan *s, size_t index, unsigned depth)
{
	if (!at(s, '[') || depth > JSONPOS_MAX_DEPTH)
		return false;
	adv(s);
	skip_ws(s);
	if (at(s, ']'))
		return false;
	for (size_t i = 0; i < index; i++) {
		if (!skip_value(s, depth))
			return false;
		skip_ws(s);
		if (!at(s, ','))
			return false;
		adv(s);
		skip_ws(s);
	}
	return s->p < s->end;
}

bool jsonpos_find(const char *text, size_t len, const struct jsonpos_step *path,
                  size_t npath, struct jsonpos *pos)
{
	struct scan s;

	pos->line = 1;
	pos->column = 1;
	if (text == NULL || npath >= JSONPOS_MAX_DEPTH)
		return false;
	s.p = (const unsigned char *)text;
	s.end = s.p + len;
	s.line = 1;
	s.col = 1;
	skip_ws(&s);
	if (s.p >= s.end)
		return false;
	for (size_t i = 0; i < npath; i++) {
		unsigned depth = (unsigned)i + 1;
		bool ok = path[i].key != NULL ?
		          find_member(&s, path[i].key, depth) :
		          find_element(&s, path[i].index, depth);

		if (!ok)
			return false;
	}
	pos->line = s.line;
	pos->column = s.col;
	return true;
}
