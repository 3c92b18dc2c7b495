/* cloudwatch.c - log stream files of JSON lines under --cloudwatch DIR.
 *
 * A capture can have thousands of ENIs (--vpc-cidr) whose records come
 * interleaved (sorted by start first), so events are kept in a buffer per
 * stream and written stream by stream, one open-append-close each, at
 * cw_flush() (every window) or when CW_BUFFERED bytes are waiting. No
 * file stays open. Each stream file is emptied the first time a run
 * writes to it. */
#include "formats/cloudwatch.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/mem.h"
#include "formats/pathsafe.h"

#define CW_BUFFERED (8u << 20)

struct cw_stream {
	char name[96];
	bool written;          /* its file was emptied by this run */
	char *buf;             /* events not yet in the file */
	size_t len, cap;
};

struct cw_writer {
	char dir[1024];
	char suffix[16];
	struct cw_stream *v;   /* every stream met, in order */
	size_t n, cap;
	uint32_t *index;       /* open addressing by interface id: v index + 1 */
	size_t mask;
	size_t buffered;       /* bytes in every stream's buf */
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

static struct cw_stream *find_stream(struct cw_writer *w, const char *name)
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
	return s;
}

/* Appends the stream's buffer to its file (emptied on the first write). */
static int spill(struct cw_writer *w, struct cw_stream *st)
{
	char path[1200];
	FILE *fp;
	int bad;

	if (st->len == 0)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", w->dir, st->name);
	fp = fopen(path, st->written ? "a" : "w");
	if (!fp) {
		if (!w->err[0])
			snprintf(w->err, sizeof(w->err), "%s: %s", path, strerror(errno));
		return -1;
	}
	bad = fwrite(st->buf, 1, st->len, fp) != st->len;
	bad |= fclose(fp) != 0;
	if (bad) {
		if (!w->err[0])
			snprintf(w->err, sizeof(w->err), "%s: %s", path, strerror(errno));
		return -1;
	}
	st->written = true;
	w->buffered -= st->len;
	st->len = 0;
	return 0;
}

/* Room for n more bytes in the stream's buffer. */
static char *room(struct cw_stream *st, size_t n)
{
	if (st->len + n > st->cap) {
		size_t cap = st->cap ? st->cap : 4096;
		while (cap < st->len + n)
			cap *= 2;
		char *b = vfe_realloc(st->buf, cap);
		if (!b)
			return NULL;
		st->buf = b;
		st->cap = cap;
	}
	return st->buf + st->len;
}

/* One event: {"timestamp": MS, "message": "LINE"}, the line as a JSON
 * string (quote, backslash and control bytes escaped). */
static int put_event(struct cw_stream *st, int64_t start, const char *line, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	char *p = room(st, 64 + 6 * len), *q;

	if (!p)
		return -1;
	q = p + snprintf(p, 64, "{\"timestamp\": %lld, \"message\": \"", (long long)start * 1000);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == '"' || c == '\\') {
			*q++ = '\\';
			*q++ = (char)c;
		} else if (c < 0x20) {
			memcpy(q, "\\u00", 4);
			q[4] = hex[c >> 4];
			q[5] = hex[c & 15];
			q += 6;
		} else {
			*q++ = (char)c;
		}
	}
	memcpy(q, "\"}\n", 3);
	q += 3;
	st->len += (size_t)(q - p);
	return (int)(q - p);
}

int cw_write(struct cw_writer *w, const char *interface_id, int64_t start, const char *line,
	     size_t len)
{
	char name[96];
	int n;

	if (!path_component_ok(interface_id ? interface_id : "-")) {
		if (!w->err[0])
			snprintf(w->err, sizeof(w->err), "interface-id \"%.60s\" cannot name a "
				 "log stream file", interface_id);
		return -1;
	}
	snprintf(name, sizeof(name), "%s-%s", interface_id ? interface_id : "-", w->suffix);
	struct cw_stream *st = find_stream(w, name);
	if (!st || (n = put_event(st, start, line, len)) < 0) {
		if (!w->err[0])
			snprintf(w->err, sizeof(w->err), "out of memory");
		return -1;
	}
	w->buffered += (size_t)n;
	return w->buffered > CW_BUFFERED ? cw_flush(w) : 0;
}

int cw_flush(struct cw_writer *w)
{
	for (size_t i = 0; i < w->n && w->buffered; i++)
		if (spill(w, w->v + i) != 0)
			return -1;
	return 0;
}

int cw_close(struct cw_writer *w, char *err, size_t errlen)
{
	int rc = w->err[0] || cw_flush(w) != 0 ? -1 : 0;

	if (rc != 0)
		snprintf(err, errlen, "%s", w->err);
	for (size_t i = 0; i < w->n; i++)
		vfe_free(w->v[i].buf);
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
