/* services.c - AWS ip-ranges.json: the service that owns an address.
 *
 * Owns loading the file (jansson), interning service and region names and
 * the two tries (specific services, AMAZON). Must not print or exit: errors
 * go to the caller's buffer. Spec: vpc-flow-logs.md §7.2 (matching), §7.3. */
#include "capture/vpc/services.h"

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "capture/vpc/trie.h"
#include "formats/mem.h"

/* What one load needs besides the result: where errors go and what to call
 * the file in them. */
struct loader {
	struct services *s;
	const char *path;
	char *err;
	size_t errlen;
};

/* One of the two arrays of ip-ranges.json. */
struct section {
	const char *array;          /* "prefixes" */
	const char *key;            /* "ip_prefix" */
	bool v6;
};

static const struct section sections[2] = {
	{"prefixes", "ip_prefix", false},
	{"ipv6_prefixes", "ipv6_prefix", true},
};

__attribute__((format(printf, 2, 3)))
static int fail(struct loader *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->err == NULL || l->errlen == 0)
		return -1;
	n = snprintf(l->err, l->errlen, "%s: ", l->path);
	if (n >= 0 && (size_t)n < l->errlen) {
		va_start(ap, fmt);
		vsnprintf(l->err + n, l->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* The index of name in s->names, adding it if new. -1 out of memory. A
 * linear scan: the file has a few dozen distinct names, and the last hit is
 * checked first because entries come in runs of one service. */
static int intern(struct services *s, const char *name, uint32_t *idx)
{
	static const uint32_t grow = 16;
	uint32_t i;
	size_t n;
	char **names, *copy;

	if (*idx < s->nnames && strcmp(s->names[*idx], name) == 0)
		return 0;
	for (i = 0; i < s->nnames; i++) {
		if (strcmp(s->names[i], name) == 0) {
			*idx = i;
			return 0;
		}
	}
	if (s->nnames % grow == 0) {
		names = vfe_realloc(s->names, (s->nnames + grow) * sizeof(*names));
		if (names == NULL)
			return -1;
		s->names = names;
	}
	n = strlen(name) + 1;
	if ((copy = vfe_malloc(n)) == NULL)
		return -1;
	memcpy(copy, name, n);
	s->names[s->nnames] = copy;
	*idx = s->nnames++;
	return 0;
}

/* A string member of obj (where names it in errors, e.g. "prefixes[3]"). */
static const char *get_string(struct loader *l, json_t *obj, const char *where,
			      const char *key)
{
	const char *v = json_string_value(json_object_get(obj, key));

	if (v == NULL)
		fail(l, "%s.%s: expected a string", where, key);
	return v;
}

/* Parses the CIDR of one entry and checks it is of the array's family. */
static int get_prefix(struct loader *l, json_t *obj, const char *where,
		      const struct section *sec, struct ip_prefix *p)
{
	const char *cidr = get_string(l, obj, where, sec->key);

	if (cidr == NULL)
		return -1;
	if (!ip_prefix_parse(cidr, p))
		return fail(l, "%s.%s: \"%s\" is not a CIDR block", where,
			    sec->key, cidr);
	if ((strchr(cidr, ':') != NULL) != sec->v6)
		return fail(l, "%s.%s: \"%s\" is not an %s CIDR block", where,
			    sec->key, cidr, sec->v6 ? "IPv6" : "IPv4");
	return 0;
}

/* Adds entry i of one array: to prefixes[] always, and to the trie of its
 * kind. The value in the trie is the service's name index; an identical
 * prefix already there keeps the service listed first (trie_insert). */
static int load_entry(struct loader *l, const struct section *sec, json_t *e,
		      size_t i, uint32_t *svc, uint32_t *reg)
{
	struct services *s = l->s;
	struct svc_prefix *sp = &s->prefixes[s->nprefixes];
	const char *service, *region;
	struct trie *t;
	char where[64];

	snprintf(where, sizeof(where), "%s[%zu]", sec->array, i);
	if (!json_is_object(e))
		return fail(l, "%s: expected an object", where);
	if (get_prefix(l, e, where, sec, &sp->prefix) != 0)
		return -1;
	if ((region = get_string(l, e, where, "region")) == NULL ||
	    (service = get_string(l, e, where, "service")) == NULL)
		return -1;
	if (intern(s, service, svc) != 0 || intern(s, region, reg) != 0)
		return fail(l, "%s", strerror(ENOMEM));
	sp->service = *svc;
	sp->region = *reg;
	t = strcmp(service, "AMAZON") == 0 ? s->amazon : s->specific;
	if (trie_insert(t, &sp->prefix, *svc) < 0)
		return fail(l, "%s", strerror(ENOMEM));
	s->nprefixes++;
	return 0;
}

static int load_section(struct loader *l, json_t *root, const struct section *sec)
{
	json_t *arr = json_object_get(root, sec->array), *e;
	uint32_t svc = UINT32_MAX, reg = UINT32_MAX;
	size_t i;

	json_array_foreach(arr, i, e) {
		if (load_entry(l, sec, e, i, &svc, &reg) != 0)
			return -1;
	}
	return 0;
}

/* syncToken or createDate into dst (32 bytes). Absent is allowed and leaves
 * dst empty; anything else than a short string is an error. */
static int copy_meta(struct loader *l, json_t *root, const char *key,
		     char *dst, size_t dstlen)
{
	json_t *v = json_object_get(root, key);
	size_t n;

	if (v == NULL)
		return 0;
	if (!json_is_string(v))
		return fail(l, "%s: expected a string", key);
	n = json_string_length(v);
	if (n >= dstlen)
		return fail(l, "%s: longer than %zu characters", key, dstlen - 1);
	memcpy(dst, json_string_value(v), n);
	dst[n] = '\0';
	return 0;
}

/* Reads the whole document; on failure the caller frees s. */
static int load_root(struct loader *l, json_t *root)
{
	struct services *s = l->s;
	size_t total = 0;
	int k;

	if (!json_is_object(root))
		return fail(l, "expected an object at the top level");
	if (copy_meta(l, root, "syncToken", s->sync_token,
		      sizeof(s->sync_token)) != 0 ||
	    copy_meta(l, root, "createDate", s->create_date,
		      sizeof(s->create_date)) != 0)
		return -1;
	for (k = 0; k < 2; k++) {
		json_t *arr = json_object_get(root, sections[k].array);

		if (!json_is_array(arr))
			return fail(l, "%s: expected an array", sections[k].array);
		total += json_array_size(arr);
	}
	/* One allocation for every entry; +1 so an empty file is not a
	 * zero-size request. */
	s->prefixes = vfe_calloc(total + 1, sizeof(*s->prefixes));
	s->specific = trie_new();
	s->amazon = trie_new();
	if (s->prefixes == NULL || s->specific == NULL || s->amazon == NULL)
		return fail(l, "%s", strerror(ENOMEM));
	for (k = 0; k < 2; k++) {
		if (load_section(l, root, &sections[k]) != 0)
			return -1;
	}
	return 0;
}

int services_load(struct services *s, const char *path, char *err, size_t errlen)
{
	struct loader l = {s, path, err, errlen};
	json_error_t jerr;
	json_t *root;
	FILE *f;
	int rc;

	memset(s, 0, sizeof(*s));
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	/* Opened here rather than by json_load_file so that a missing file
	 * reads "PATH: No such file or directory", not as a syntax error. */
	if ((f = fopen(path, "rb")) == NULL)
		return fail(&l, "%s", strerror(errno));
	root = json_loadf(f, 0, &jerr);
	fclose(f);
	if (root == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "%s:%d:%d: JSON syntax: %s", path,
				 jerr.line, jerr.column, jerr.text);
		return -1;
	}
	rc = load_root(&l, root);
	json_decref(root);
	if (rc != 0)
		services_free(s);
	return rc;
}

void services_free(struct services *s)
{
	uint32_t i;

	if (s == NULL)
		return;
	trie_free(s->specific);
	trie_free(s->amazon);
	for (i = 0; i < s->nnames; i++)
		vfe_free(s->names[i]);
	vfe_free(s->names);
	vfe_free(s->prefixes);
	memset(s, 0, sizeof(*s));
}

const char *services_lookup(const struct services *s, const struct ip_addr *a,
			    struct ip_prefix *matched)
{
	uint32_t v;

	/* Specific services first, whatever the prefix lengths: an AMAZON
	 * prefix never hides the service it contains (spec 7.2). */
	if (trie_lookup(s->specific, a, &v, matched) ||
	    trie_lookup(s->amazon, a, &v, matched))
		return v < s->nnames ? s->names[v] : NULL;
	return NULL;
}

/* The index of name, or UINT32_MAX when the file never mentions it. */
static uint32_t find_name(const struct services *s, const char *name)
{
	uint32_t i;

	for (i = 0; i < s->nnames; i++) {
		if (strcmp(s->names[i], name) == 0)
			return i;
	}
	return UINT32_MAX;
}

size_t services_region_prefixes(const struct services *s, const char *service,
				const char *region,
				void (*fn)(void *ctx, const struct ip_prefix *p), void *ctx)
{
	uint32_t svc = find_name(s, service), reg = find_name(s, region);
	size_t i, n = 0;

	if (svc == UINT32_MAX || reg == UINT32_MAX)
		return 0;
	for (i = 0; i < s->nprefixes; i++) {
		const struct svc_prefix *p = &s->prefixes[i];

		if (p->service != svc || p->region != reg)
			continue;
		if (fn != NULL)
			fn(ctx, &p->prefix);
		n++;
	}
	return n;
}
