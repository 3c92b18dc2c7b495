/* topology.c - topology_load(): one AWS CLI JSON file into struct topology.
 *
 * Owns reading the file, jansson, positioned error messages, the typed
 * accessors of topology_int.h, and the all-or-nothing merge: a file is built
 * into a scratch topology and appended only when all of it loaded. The same
 * id in two files is kept twice, in load order; the model builder takes the
 * first. What the keys mean is topology_items.c's. Never prints or exits. */
#include "capture/vpc/topology_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "formats/errbuf.h"
#include "formats/mem.h"

/* A describe-* dump of a very large account is tens of MB; past this the
 * file is surely something else. */
#define TOPO_FILE_MAX ((size_t)1 << 30)

int topo_fail(struct topo_ld *ld, const char *fmt, ...)
{
	struct jsonpos pos;
	char msg[256];
	va_list ap;
	size_t depth = ld->depth < TOPO_PATH_MAX ? ld->depth : TOPO_PATH_MAX;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	jsonpos_find(ld->text, ld->len, ld->path, depth, &pos);
	errbuf_set(ld->err, ld->errlen, "%s:%zu:%zu: %s", ld->file, pos.line,
	        pos.column, msg);
	return -1;
}

int topo_oom(struct topo_ld *ld)
{
	errbuf_set(ld->err, ld->errlen, "%s: %s", ld->file, strerror(ENOMEM));
	return -1;
}

void topo_push(struct topo_ld *ld, const char *key)
{
	if (ld->depth < TOPO_PATH_MAX)
		ld->path[ld->depth] = (struct jsonpos_step){.key = key, .index = 0};
	ld->depth++;
}

void topo_push_index(struct topo_ld *ld, size_t index)
{
	if (ld->depth < TOPO_PATH_MAX)
		ld->path[ld->depth] = (struct jsonpos_step){.key = NULL, .index = index};
	ld->depth++;
}

void topo_pop(struct topo_ld *ld)
{
	if (ld->depth > 0)
		ld->depth--;
}

char *topo_strdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = vfe_malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

json_t *topo_get(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);

	return json_is_null(v) ? NULL : v;
}

static const char *type_name(json_type t)
{
	switch (t) {
	case JSON_OBJECT:  return "an object";
	case JSON_ARRAY:   return "an array";
	case JSON_STRING:  return "a string";
	case JSON_TRUE:
	case JSON_FALSE:   return "a boolean";
	default:           return "a number";
	}
}

/* 1 and the path pushed when obj[key] is present and of type want (any
 * boolean for JSON_TRUE, any number for JSON_INTEGER), 0 when absent. */
static int member(struct topo_ld *ld, json_t *obj, const char *key,
                  json_type want, json_t **out)
{
	json_t *v = topo_get(obj, key);
	bool ok;

	*out = v;
	if (v == NULL)
		return 0;
	topo_push(ld, key);
	if (want == JSON_TRUE)
		ok = json_is_boolean(v);
	else if (want == JSON_INTEGER)
		ok = json_is_number(v);
	else
		ok = json_typeof(v) == want;
	if (!ok)
		return topo_fail(ld, "expected %s for \"%s\"", type_name(want), key);
	return 1;
}

int topo_cstr(struct topo_ld *ld, json_t *obj, const char *key, const char **out)
{
	json_t *v;
	int r = member(ld, obj, key, JSON_STRING, &v);

	if (r <= 0)
		return r;
	topo_pop(ld);
	*out = json_string_value(v);
	return 0;
}

int topo_str(struct topo_ld *ld, json_t *obj, const char *key, char **out)
{
	const char *s = NULL;

	if (topo_cstr(ld, obj, key, &s) < 0)
		return -1;
	if (s != NULL && (*out = topo_strdup(s)) == NULL)
		return topo_oom(ld);
	return 0;
}

int topo_strs(struct topo_ld *ld, json_t *obj, const struct topo_field *f,
              size_t n, void *base)
{
	for (size_t i = 0; i < n; i++) {
		char **dst = (char **)(void *)((char *)base + f[i].off);

		if (topo_str(ld, obj, f[i].key, dst) < 0)
			return -1;
	}
	return 0;
}

int topo_bool(struct topo_ld *ld, json_t *obj, const char *key, bool *out)
{
	json_t *v;
	int r = member(ld, obj, key, JSON_TRUE, &v);

	if (r <= 0)
		return r;
	topo_pop(ld);
	*out = json_is_true(v);
	return 0;
}

int topo_member(struct topo_ld *ld, json_t *obj, const char *key, json_type want,
                json_t **out)
{
	return member(ld, obj, key, want, out);
}

/* The value, quoted for a one-line message: controls escaped, long values
 * cut, so that what the user sees is what the file holds. */
const char *topo_quote(const char *s, char *buf, size_t n)
{
	size_t o = 0;

	buf[o++] = '"';
	/* Room kept for one escape (6), "...", the quote and the NUL. */
	for (; *s != '\0' && o + 12 < n; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			o += (size_t)snprintf(buf + o, n - o, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			o += (size_t)snprintf(buf + o, n - o, "\\u%04x", c);
		else
			buf[o++] = (char)c;
	}
	if (*s != '\0')
		o += (size_t)snprintf(buf + o, n - o, "...");
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

static const char *fam_name(int fam)
{
	return fam == FAM_V4 ? "IPv4" : "IPv6";
}

int topo_addr(struct topo_ld *ld, const char *s, const char *key, int fam,
              struct ip_addr *out)
{
	char q[80];

	if (!ip_addr_parse(s, out))
		return topo_fail(ld, "%s is not an IP address for \"%s\"",
		                 topo_quote(s, q, sizeof(q)), key);
	if (fam != FAM_ANY && ip_addr_is_v4(out) != (fam == FAM_V4))
		return topo_fail(ld, "%s is not an %s address for \"%s\"",
		                 topo_quote(s, q, sizeof(q)), fam_name(fam), key);
	return 0;
}

int topo_prefix(struct topo_ld *ld, const char *s, const char *key, int fam,
                struct ip_prefix *out)
{
	char q[80];

	if (!ip_prefix_parse(s, out))
		return topo_fail(ld, "%s is not a CIDR block for \"%s\"",
		                 topo_quote(s, q, sizeof(q)), key);
	if (fam != FAM_ANY && (strchr(s, ':') == NULL) != (fam == FAM_V4))
		return topo_fail(ld, "%s is not an %s CIDR block for \"%s\"",
		                 topo_quote(s, q, sizeof(q)), fam_name(fam), key);
	return 0;
}

int topo_member_addr(struct topo_ld *ld, json_t *obj, const char *key, int fam,
                     struct ip_addr *out, bool *have)
{
	json_t *v;
	int r = member(ld, obj, key, JSON_STRING, &v);

	*have = false;
	if (r <= 0)
		return r;
	if (topo_addr(ld, json_string_value(v), key, fam, out) < 0)
		return -1;
	topo_pop(ld);
	*have = true;
	return 0;
}

int topo_member_prefix(struct topo_ld *ld, json_t *obj, const char *key, int fam,
                       struct ip_prefix *out, bool *have)
{
	json_t *v;
	int r = member(ld, obj, key, JSON_STRING, &v);

	*have = false;
	if (r <= 0)
		return r;
	if (topo_prefix(ld, json_string_value(v), key, fam, out) < 0)
		return -1;
	topo_pop(ld);
	*have = true;
	return 0;
}

int topo_each(struct topo_ld *ld, json_t *obj, const char *key, json_type want,
              topo_item_fn fn, void *arg)
{
	json_t *arr, *item;
	size_t i;
	int r = member(ld, obj, key, JSON_ARRAY, &arr);

	if (r <= 0)
		return r;
	json_array_foreach(arr, i, item) {
		if (json_is_null(item))
			continue;
		topo_push_index(ld, i);
		if (json_typeof(item) != want)
			return topo_fail(ld, "expected %s for \"%s\"",
			                 type_name(want), key);
		if (fn(ld, item, arg) < 0)
			return -1;
		topo_pop(ld);
	}
	topo_pop(ld);
	return 0;
}

/* Capacity is implied by the count: 4, then the next power of two, so an
 * array grows when n is 0, or 4 or more and a power of two. */
void *topo_grow(struct topo_ld *ld, void *arr, size_t n, size_t size)
{
	size_t cap = n == 0 ? 4 : n * 2;
	char *p;

	if (n == 0 || (n >= 4 && (n & (n - 1)) == 0)) {
		if (cap > SIZE_MAX / size) {
			topo_oom(ld);
			return NULL;
		}
		if ((p = vfe_realloc(arr, cap * size)) == NULL) {
			topo_oom(ld);
			return NULL;
		}
	} else {
		p = arr;
	}
	memset(p + n * size, 0, size);
	return p;
}

/* The whole file: stdio so that a pipe or /dev/stdin works as well. */
static int read_file(const char *path, char **text, size_t *len,
                     char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 0, n = 0;
	char *buf = NULL, *p;

	if (f == NULL) {
		errbuf_set(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (n == cap) {
			cap = cap == 0 ? 65536 : cap * 2;
			if (cap > TOPO_FILE_MAX || (p = vfe_realloc(buf, cap)) == NULL) {
				errbuf_set(err, errlen, "%s: %s", path,
				        cap > TOPO_FILE_MAX ? "file too large" :
				        strerror(ENOMEM));
				goto fail;
			}
			buf = p;
		}
		n += fread(buf + n, 1, cap - n, f);
		if (ferror(f)) {
			errbuf_set(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (feof(f))
			break;
	}
	fclose(f);
	*text = buf;
	*len = n;
	return 0;
fail:
	fclose(f);
	vfe_free(buf);
	return -1;
}

static void *grow_exact(void *arr, size_t n, size_t size)
{
	if (n > SIZE_MAX / size)
		return NULL;
	return vfe_realloc(arr, n * size);
}

/* Appends src's elements to dst and leaves src empty. All the room is
 * made first, so that running out of memory leaves dst as it was. */
static int merge(struct topo_ld *ld, struct topology *dst, struct topology *src)
{
	void *p;

#define ROOM(arr, n) do { \
		if (src->n > 0) { \
			if (dst->n > SIZE_MAX - src->n || \
			    (p = grow_exact(dst->arr, dst->n + src->n, \
			                    sizeof *dst->arr)) == NULL) \
				return topo_oom(ld); \
			dst->arr = p; \
		} \
	} while (0)
#define MOVE(arr, n) do { \
		if (src->n > 0) \
			memcpy(dst->arr + dst->n, src->arr, src->n * sizeof *src->arr); \
		dst->n += src->n; \
		vfe_free(src->arr); \
		src->arr = NULL; \
		src->n = 0; \
	} while (0)
	ROOM(enis, nenis);
	ROOM(instances, ninstances);
	ROOM(vpcs, nvpcs);
	ROOM(subnets, nsubnets);
	ROOM(route_tables, nroute_tables);
	ROOM(prefix_lists, nprefix_lists);
	ROOM(peerings, npeerings);
	ROOM(flow_logs, nflow_logs);
	ROOM(sgs, nsgs);
	ROOM(acls, nacls);
	MOVE(enis, nenis);
	MOVE(instances, ninstances);
	MOVE(vpcs, nvpcs);
	MOVE(subnets, nsubnets);
	MOVE(route_tables, nroute_tables);
	MOVE(prefix_lists, nprefix_lists);
	MOVE(peerings, npeerings);
	MOVE(flow_logs, nflow_logs);
	MOVE(sgs, nsgs);
	MOVE(acls, nacls);
#undef ROOM
#undef MOVE
	return 0;
}

int topology_load(struct topology *t, const char *path, char *err, size_t errlen)
{
	struct topology tmp = {0};
	struct topo_ld ld = {.file = path, .err = err, .errlen = errlen};
	json_error_t je;
	json_t *root;
	char *text;
	size_t len;
	int rc;

	if (read_file(path, &text, &len, err, errlen) < 0)
		return -1;
	/* JSON_DECODE_ANY: a scalar at the top is our error, not a syntax one. */
	root = json_loadb(text, len, JSON_DECODE_ANY, &je);
	if (root == NULL) {
		errbuf_set(err, errlen, "%s:%d:%d: JSON syntax: %s", path,
		        je.line > 0 ? je.line : 1, je.column > 0 ? je.column : 1,
		        je.text);
		vfe_free(text);
		return -1;
	}
	ld.text = text;
	ld.len = len;
	if (!json_is_object(root))
		rc = topo_fail(&ld, "expected an object at the top level");
	else
		rc = topo_load_root(&ld, root, &tmp);
	if (rc == 0)
		rc = merge(&ld, t, &tmp);
	topology_free(&tmp);
	json_decref(root);
	vfe_free(text);
	return rc;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		vfe_free(v[i]);
	vfe_free(v);
}

void topo_eni_clear(struct topo_eni *e)
{
	vfe_free(e->id);
	vfe_free(e->owner);
	vfe_free(e->subnet);
	vfe_free(e->vpc);
	vfe_free(e->az);
	vfe_free(e->instance);
	vfe_free(e->interface_type);
	vfe_free(e->v4);
	vfe_free(e->v6);
	free_strv(e->groups, e->ngroups);
	memset(e, 0, sizeof(*e));
}

static void free_instances(struct topo_instance *in, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		vfe_free(in[i].id);
		vfe_free(in[i].type);
		vfe_free(in[i].az);
		vfe_free(in[i].owner);
		for (size_t j = 0; j < in[i].nenis; j++)
			topo_eni_clear(&in[i].enis[j]);
		vfe_free(in[i].enis);
	}
	vfe_free(in);
}

static void free_route_tables(struct topo_route_table *rt, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		vfe_free(rt[i].id);
		vfe_free(rt[i].vpc);
		free_strv(rt[i].subnets, rt[i].nsubnets);
		for (size_t j = 0; j < rt[i].nroutes; j++) {
			vfe_free(rt[i].routes[j].prefix_list);
			vfe_free(rt[i].routes[j].target);
		}
		vfe_free(rt[i].routes);
	}
	vfe_free(rt);
}

static void free_small(struct topology *t)
{
	for (size_t i = 0; i < t->nvpcs; i++) {
		vfe_free(t->vpcs[i].id);
		vfe_free(t->vpcs[i].owner);
		vfe_free(t->vpcs[i].cidrs);
	}
	for (size_t i = 0; i < t->nsubnets; i++) {
		struct topo_subnet *s = &t->subnets[i];

		vfe_free(s->id);
		vfe_free(s->vpc);
		vfe_free(s->az);
		vfe_free(s->az_id);
		vfe_free(s->outpost_arn);
		vfe_free(s->cidrs);
	}
	for (size_t i = 0; i < t->nprefix_lists; i++) {
		vfe_free(t->prefix_lists[i].id);
		vfe_free(t->prefix_lists[i].name);
		vfe_free(t->prefix_lists[i].cidrs);
	}
	for (size_t i = 0; i < t->npeerings; i++) {
		struct topo_peering *p = &t->peerings[i];

		vfe_free(p->id);
		vfe_free(p->accepter_vpc);
		vfe_free(p->accepter_region);
		vfe_free(p->requester_vpc);
		vfe_free(p->requester_region);
	}
}

void topology_free(struct topology *t)
{
	for (size_t i = 0; i < t->nenis; i++)
		topo_eni_clear(&t->enis[i]);
	vfe_free(t->enis);
	free_instances(t->instances, t->ninstances);
	free_small(t);
	vfe_free(t->vpcs);
	vfe_free(t->subnets);
	vfe_free(t->prefix_lists);
	vfe_free(t->peerings);
	free_route_tables(t->route_tables, t->nroute_tables);
	for (size_t i = 0; i < t->nflow_logs; i++) {
		struct topo_flow_log *f = &t->flow_logs[i];

		vfe_free(f->id);
		vfe_free(f->resource);
		vfe_free(f->format);
		vfe_free(f->traffic_type);
		vfe_free(f->file_format);
	}
	vfe_free(t->flow_logs);
	topo_rules_free(t);
	memset(t, 0, sizeof(*t));
}
