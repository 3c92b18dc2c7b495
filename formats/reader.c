/* reader.c - flow log files and directories back into lines of fields:
 * the walk over a directory of S3 objects, the file sequence, line
 * splitting and the error policy. Never prints; no allocation per line.
 * Spec/vpc-flow-logs.md 3.3, 11. Bytes come from reader_gz.c, fields of one
 * line from reader_line.c. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "formats/mem.h"
#include "formats/reader.h"
#include "formats/reader_int.h"

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = vfe_malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

/* ---- layouts ---------------------------------------------------------- */


static void default_layout(struct log_format *f)
{
	uint8_t i;

	memset(f, 0, sizeof(*f));
	for (i = 0; i < FIELD_DEFAULT_COUNT; i++)
		f->ids[i] = i;
	f->n = FIELD_DEFAULT_COUNT;
	f->version = 2;
}

/* ---- the file list ---------------------------------------------------- */

static int add_file(char ***v, size_t *n, size_t *cap, const char *path)
{
	char *d;

	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		char **nv = vfe_realloc(*v, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		*v = nv;
		*cap = nc;
	}
	d = dup_str(path);
	if (d == NULL)
		return -1;
	(*v)[(*n)++] = d;
	return 0;
}

/* Every regular file below dir, depth-bounded; symlinked directories are
 * not followed so a link loop cannot make the walk endless. */
static int walk(const char *dir, int depth, char ***v, size_t *n, size_t *cap,
		char *err, size_t errlen)
{
	DIR *d;
	struct dirent *e;
	int rc = 0;

	if (depth > RD_MAX_DEPTH) {
		errbuf_set(err, errlen, "%s: directories nested deeper than %d", dir, RD_MAX_DEPTH);
		return -1;
	}
	d = opendir(dir);
	if (d == NULL) {
		errbuf_set(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		struct stat sb;
		size_t need;
		char *p;

		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		need = strlen(dir) + strlen(e->d_name) + 2;
		p = vfe_malloc(need);
		if (p == NULL) {
			errbuf_set(err, errlen, "%s: out of memory", dir);
			rc = -1;
			break;
		}
		snprintf(p, need, "%s/%s", dir, e->d_name);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc = walk(p, depth + 1, v, n, cap, err, errlen);
		else if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && add_file(v, n, cap, p) < 0) {
			errbuf_set(err, errlen, "%s: out of memory", dir);
			rc = -1;
		}
		vfe_free(p);
	}
	closedir(d);
	return rc;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int flow_reader_open(struct flow_reader **out, const char *path,
		     const struct log_format *layout, char *err, size_t errlen)
{
	struct flow_reader *r;
	struct stat sb;
	size_t cap = 0;

	*out = NULL;
	if (stat(path, &sb) != 0) {
		errbuf_set(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = vfe_calloc(1, sizeof(*r));
	if (r == NULL) {
		errbuf_set(err, errlen, "%s: out of memory", path);
		return -1;
	}
	r->src.fd = -1;
	r->buf = vfe_malloc(RD_BUF_CAP);
	r->jbuf = vfe_malloc(RD_BUF_CAP);
	if (r->buf == NULL || r->jbuf == NULL) {
		errbuf_set(err, errlen, "%s: out of memory", path);
		flow_reader_close(r);
		return -1;
	}
	if (layout != NULL)
		r->base = *layout;
	else
		default_layout(&r->base);
	rd_set_layout(r, &r->base);
	if (S_ISDIR(sb.st_mode)) {
		r->is_dir = 1;
		if (walk(path, 0, &r->files, &r->nfiles, &cap, err, errlen) < 0) {
			flow_reader_close(r);
			return -1;
		}
		if (r->nfiles > 1)
			qsort(r->files, r->nfiles, sizeof(r->files[0]), cmp_path);
	} else if (add_file(&r->files, &r->nfiles, &cap, path) < 0) {
		errbuf_set(err, errlen, "%s: out of memory", path);
		flow_reader_close(r);
		return -1;
	}
	*out = r;
	return 0;
}

void flow_reader_close(struct flow_reader *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->open)
		rd_src_close(&r->src);
	for (i = 0; i < r->nfiles; i++)
		vfe_free(r->files[i]);
	vfe_free(r->files);
	for (i = 0; i < r->nnotes; i++)
		vfe_free(r->notes[i]);
	vfe_free(r->notes);
	vfe_free(r->src_err);
	vfe_free(r->buf);
	vfe_free(r->jbuf);
	vfe_free(r);
}

static void add_note(struct flow_reader *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_note(struct flow_reader *r, const char *fmt, ...)
{
	char msg[1024];
	char **nv;
	va_list ap;

	r->st.files_skipped++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	nv = vfe_realloc(r->notes, (r->nnotes + 1) * sizeof(*nv));
	if (nv == NULL)
		return;         /* the counter still tells */
	r->notes = nv;
	nv[r->nnotes] = dup_str(msg);
	if (nv[r->nnotes] != NULL)
		r->nnotes++;
}

size_t flow_reader_note_count(const struct flow_reader *r)
{
	return r->nnotes;
}

const char *flow_reader_note(const struct flow_reader *r, size_t i)
{
	return i < r->nnotes ? r->notes[i] : NULL;
}

void flow_reader_stats(const struct flow_reader *r, struct flow_reader_stats *st)
{
	*st = r->st;
}

/* Names a directory walk reads: .log .txt .json, each maybe with .gz. */
static int wanted_name(const char *path)
{
	static const char *const ext[] = {".log", ".txt", ".json"};
	size_t n = strlen(path), i;

	if (n > 3 && strcmp(path + n - 3, ".gz") == 0)
		n -= 3;
	for (i = 0; i < 3; i++) {
		size_t m = strlen(ext[i]);

		if (n > m && memcmp(path + n - m, ext[i], m) == 0)
			return 1;
	}
	return 0;
}

static void close_file(struct flow_reader *r)
{
	if (r->open)
		rd_src_close(&r->src);
	r->open = 0;
	vfe_free(r->src_err);
	r->src_err = NULL;
	r->cur++;
}

/* Opens files[cur], skipping names a walk does not read. 1 opened, 0 no
 * more files, -1 error (that file is passed over). */
static int open_next(struct flow_reader *r, char *err, size_t errlen)
{
	while (r->cur < r->nfiles) {
		const char *p = r->files[r->cur];

		if (r->is_dir && !wanted_name(p)) {
			add_note(r, "%s: skipped, not a .log, .txt or .json file", p);
			r->cur++;
			continue;
		}
		if (rd_src_open(&r->src, p, err, errlen) < 0) {
			r->cur++;
			return -1;
		}
		r->open = 1;
		r->len = r->pos = 0;
		r->src_done = r->sniffed = r->first_seen = 0;
		r->line = 0;
		rd_set_layout(r, &r->base);
		r->st.files++;
		return 1;
	}
	return 0;
}

/* A file that is something else (binary, a JSON document): skipped with a
 * note in a directory walk, an error when it was named on its own. */
static int not_flow_log(struct flow_reader *r, const char *why, char *err, size_t errlen)
{
	const char *p = r->files[r->cur];

	if (r->is_dir) {
		add_note(r, "%s: skipped, not a flow log file (%s)", p, why);
		r->st.files--;
		close_file(r);
		return 0;
	}
	errbuf_set(err, errlen, "%s: not a flow log file (%s)", p, why);
	close_file(r);
	return -1;
}

/* ---- lines ------------------------------------------------------------- */

/* Next raw line of the open file, without its '\n'. 1 and the slice, 0 at
 * the end of the file, -1 for an error of the whole file (err set). */
static int get_line(struct flow_reader *r, char **line, size_t *n, char *err, size_t errlen)
{
	/* Invariant: buf[pos..len) holds decoded bytes not yet returned. Each
	 * pass returns a line or reads more; reading either adds bytes or
	 * ends the source, and a full buffer without '\n' is an error, so the
	 * loop ends. */
	for (;;) {
		char *nl = memchr(r->buf + r->pos, '\n', r->len - r->pos);
		long got;

		if (nl != NULL) {
			*line = r->buf + r->pos;
			*n = (size_t)(nl - *line);
			r->pos = (size_t)(nl - r->buf) + 1;
			r->line++;
			return 1;
		}
		if (r->src_done) {
			if (r->src_err != NULL) {
				/* The partial last line of a broken stream is
				 * not a record: report the stream instead. */
				errbuf_set(err, errlen, "%s", r->src_err);
				return -1;
			}
			if (r->pos == r->len)
				return 0;
			*line = r->buf + r->pos;   /* no final newline */
			*n = r->len - r->pos;
			r->pos = r->len;
			r->line++;
			return 1;
		}
		if (r->pos > 0) {
			memmove(r->buf, r->buf + r->pos, r->len - r->pos);
			r->len -= r->pos;
			r->pos = 0;
		}
		if (r->len == RD_BUF_CAP) {
			errbuf_set(err, errlen, "%s:%llu: line longer than %u bytes",
				r->files[r->cur], (unsigned long long)r->line + 1, RD_BUF_CAP);
			return -1;
		}
		got = rd_src_read(&r->src, r->buf + r->len, RD_BUF_CAP - r->len, err, errlen);
		if (got < 0) {
			r->src_err = dup_str(err != NULL && errlen > 0 ? err : "read error");
			r->src_done = 1;
			if (r->src_err == NULL)
				return -1;
			continue;
		}
		if (got == 0)
			r->src_done = 1;
		r->len += (size_t)got;
	}
}


int flow_reader_next(struct flow_reader *r, struct flow_line *out, char *err, size_t errlen)
{
	/* Each pass consumes one line or finishes one file; files and their
	 * lines are finite, so the loop ends. */
	for (;;) {
		char *s;
		size_t n;
		int rc;

		if (!r->open) {
			rc = open_next(r, err, errlen);
			if (rc == 0)
				return 0;
			if (rc < 0) {
				r->st.errors++;
				return -1;
			}
		}
		if (!r->sniffed) {
			/* NUL bytes in the first chunk: Parquet, an image, not text. */
			rc = get_line(r, &s, &n, err, errlen);
			r->sniffed = 1;
			r->pos = 0;
			r->line = 0;
			if (rc > 0 && memchr(r->buf, '\0', r->len) != NULL) {
				if (not_flow_log(r, "binary data", err, errlen) < 0) {
					r->st.errors++;
					return -1;
				}
				continue;
			}
		}
		rc = get_line(r, &s, &n, err, errlen);
		if (rc == 0) {
			close_file(r);
			continue;
		}
		if (rc < 0) {
			close_file(r);
			r->st.errors++;
			return -1;
		}
		out->file = r->files[r->cur];
		out->line = r->line;
		rc = rd_parse_line(r, s, n, out, err, errlen);
		if (rc == 1) {
			r->st.records++;
			return 1;
		}
		if (rc == 0)
			continue;
		if (rc == -3) {
			if (not_flow_log(r, "JSON document, not {\"message\": ...} lines", err, errlen) < 0) {
				r->st.errors++;
				return -1;
			}
			continue;
		}
		if (rc == -2)
			close_file(r);
		r->st.errors++;
		return -1;
	}
}
