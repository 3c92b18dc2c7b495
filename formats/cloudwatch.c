/* cloudwatch.c - log stream files of JSON lines under --cloudwatch DIR.
 *
 * A capture can have thousands of ENIs (--vpc-cidr), so at most
 * CW_OPEN stream files are open at once; a stream evicted and met again
 * is reopened for appending. Each stream file is emptied the first time a
 * run writes to it. */
#include "formats/cloudwatch.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/mem.h"
#include "formats/pathsafe.h"

#define CW_OPEN 64

struct cw_stream {
	char name[96];
	FILE *fp;              /* NULL when evicted */
	uint64_t used;         /* for least-recently-used eviction */
};

struct cw_writer {
	char dir[1024];
	char suffix[16];
	struct cw_stream *v;   /* every stream met, in order */
	size_t n, cap;
	uint32_t *index;       /* open addressing by interface id: v index + 1 */
	size_t mask;
	size_t open;
	uint64_t clock;
	char err[1400];
};

struct cw_writer *cw_open(const char *dir, const char *suffix, char *err, size_t errlen)
{
	struct cw_writer *w;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return NULL;
	}
	w = vfe_calloc(1, sizeof(*w));
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	snprintf(w->dir, sizeof(w->dir), "%s", dir);
	snprintf(w->suffix, sizeof(w->suffix), "%s", suffix);
	return w;
}

static int evict_one(struct cw_writer *w)
{
	struct cw_stream *old = NULL;

	for (size_t i = 0; i < w->n; i++)
		if (w->v[i].fp && (!old || w->v[i].used < old->used))
			old = w->v + i;
	if (!old)
		return 0;
	int rc = fclose(old->fp);
	old->fp = NULL;
	w->open--;
	return rc == 0 ? 0 : -1;
}

static size_t home(const struct cw_writer *w, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001b3ULL;
	return (size_t)(h ^ (h >> 29)) & w->mask;
}

/* Grows the index to keep it at most half full; rebuilds it from v. */
static int grow_index(struct cw_writer *w)
{
	size_t size = w->index ? (w->mask + 1) * 2 : 256;
	uint32_t *index = vfe_calloc(size, sizeof(*index));

	if (!index)
		return -1;
	vfe_free(w->index);
	w->index = index;
	w->mask = size - 1;
	for (size_t i = 0; i < w->n; i++) {
		size_t k = home(w, w->v[i].name);
		while (w->index[k])
			k = (k + 1) & w->mask;
		w->index[k] = (uint32_t)i + 1;
	}
	return 0;
}

static struct cw_stream *find_stream(struct cw_writer *w, const char *name, bool *fresh)
{
	if ((w->n + 1) * 2 > (w->index ? w->mask + 1 : 0) && grow_index(w) != 0)
		return NULL;
	size_t k = home(w, name);
	for (; w->index[k]; k = (k + 1) & w->mask)
		if (strcmp(w->v[w->index[k] - 1].name, name) == 0)
			return w->v + w->index[k] - 1;
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 64;
		struct cw_stream *v = vfe_realloc(w->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		w->v = v;
		w->cap = cap;
	}
	struct cw_stream *s = w->v + w->n;
	memset(s, 0, sizeof(*s));
	snprintf(s->name, sizeof(s->name), "%s", name);
	w->index[k] = (uint32_t)++w->n;
	*fresh = true;
	return s;
}

/* The open stream file of interface_id, opened (or reopened) as needed. */
static FILE *stream(struct cw_writer *w, const char *interface_id)
{
	char name[96], path[1200];
	bool fresh = false;

	snprintf(name, sizeof(name), "%s-%s", interface_id, w->suffix);
	struct cw_stream *s = find_stream(w, name, &fresh);
	if (!s)
		return NULL;
	s->used = ++w->clock;
	if (s->fp)
		return s->fp;
	if (w->open >= CW_OPEN && evict_one(w) != 0)
		return NULL;
	snprintf(path, sizeof(path), "%s/%s", w->dir, s->name);
	s->fp = fopen(path, fresh ? "w" : "a");
	if (!s->fp && !w->err[0])
		snprintf(w->err, sizeof(w->err), "%s: %s", path, strerror(errno));
	w->open += s->fp != NULL;
	return s->fp;
}

/* A JSON string body: quote, backslash and control bytes escaped. */
static void put_json(FILE *fp, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(fp, "\\u%04x", c);
		else
			putc(c, fp);
	}
}

int cw_write(struct cw_writer *w, const char *interface_id, int64_t start, const char *line,
	     size_t len)
{
	if (!path_component_ok(interface_id ? interface_id : "-")) {
		if (!w->err[0])
			snprintf(w->err, sizeof(w->err), "interface-id \"%.60s\" cannot name a "
				 "log stream file", interface_id);
		return -1;
	}
	FILE *fp = stream(w, interface_id ? interface_id : "-");

	if (!fp)
		return -1;
	fprintf(fp, "{\"timestamp\": %lld, \"message\": \"", (long long)start * 1000);
	put_json(fp, line, len);
	fputs("\"}\n", fp);
	if (ferror(fp) && !w->err[0])
		snprintf(w->err, sizeof(w->err), "%s/%s-%s: write error", w->dir,
			 interface_id ? interface_id : "-", w->suffix);
	return ferror(fp) ? -1 : 0;
}

int cw_flush(struct cw_writer *w)
{
	for (size_t i = 0; i < w->n; i++) {
		if (w->v[i].fp && fflush(w->v[i].fp) != 0) {
			if (!w->err[0])
				snprintf(w->err, sizeof(w->err), "%s/%s: %s", w->dir, w->v[i].name,
					 strerror(errno));
			return -1;
		}
	}
	return 0;
}

int cw_close(struct cw_writer *w, char *err, size_t errlen)
{
	int rc = w->err[0] ? -1 : 0;

	for (size_t i = 0; i < w->n; i++) {
		if (w->v[i].fp && fclose(w->v[i].fp) != 0 && rc == 0) {
			snprintf(w->err, sizeof(w->err), "%s/%s: %s", w->dir, w->v[i].name,
				 strerror(errno));
			rc = -1;
		}
	}
	if (rc != 0)
		snprintf(err, errlen, "%s", w->err);
	vfe_free(w->v);
	vfe_free(w->index);
	vfe_free(w);
	return rc;
}

uint64_t cw_streams(const struct cw_writer *w)
{
	return w->n;
}

const char *cw_error(const struct cw_writer *w)
{
	return w->err[0] ? w->err : "write error";
}
