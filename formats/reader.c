/* reader.c - flow log text back into fields: header lines, the -f or
 * default layout, CloudWatch export timestamps, {"message": ...} JSON lines,
 * the per-field number check, and the walk over a directory of S3 objects.
 * Never prints; no allocation per line (except jansson for JSON lines).
 * Spec/vpc-flow-logs.md 1, 3.1-3.3, 5.2, 11. Bytes come from reader_gz.c. */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "formats/mem.h"
#include "formats/reader.h"
#include "formats/reader_gz.h"

/* One line must fit the buffer; AWS lines with every v11 field stay far
 * below 8 KiB, so a longer one is not a flow log. */
#define RD_BUF_CAP (256u * 1024u)
#define RD_MAX_DEPTH 32

struct flow_reader {
	char **files;           /* sorted paths; one entry for a single file */
	size_t nfiles, cur;     /* cur: index of the open file, or next to open */
	int is_dir;
	int open;               /* src holds files[cur] */
	struct rd_src src;
	struct log_format base; /* -f layout or the AWS default */
	struct log_format hdr;  /* layout of the last header line */
	const struct log_format *layout;
	uint8_t numpos[FORMAT_MAX_FIELDS];      /* columns of number fields */
	uint8_t nnum;
	char *buf;              /* RD_BUF_CAP bytes of decoded text */
	size_t len, pos;        /* valid bytes, start of the next line */
	int src_done;           /* source at its end (or failed, see src_err) */
	int sniffed;            /* first chunk of the file checked */
	int first_seen;         /* first non-blank line of the file met */
	char *src_err;          /* pending fatal source error, reported after the lines before it */
	uint64_t line;
	char *jbuf;             /* the "message" of a JSON line */
	char **notes;
	size_t nnotes;
	struct flow_reader_stats st;
};

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

static void set_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = vfe_malloc(n);

	if (d != NULL)
		memcpy(d, s, n);
	return d;
}

/* ---- layouts ---------------------------------------------------------- */

static void set_layout(struct flow_reader *r, const struct log_format *f)
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
		set_err(err, errlen, "%s: directories nested deeper than %d", dir, RD_MAX_DEPTH);
		return -1;
	}
	d = opendir(dir);
	if (d == NULL) {
		set_err(err, errlen, "%s: %s", dir, strerror(errno));
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
			set_err(err, errlen, "%s: out of memory", dir);
			rc = -1;
			break;
		}
		snprintf(p, need, "%s/%s", dir, e->d_name);
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc = walk(p, depth + 1, v, n, cap, err, errlen);
		else if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && add_file(v, n, cap, p) < 0) {
			set_err(err, errlen, "%s: out of memory", dir);
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
		set_err(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = vfe_calloc(1, sizeof(*r));
	if (r == NULL) {
		set_err(err, errlen, "%s: out of memory", path);
		return -1;
	}
	r->src.fd = -1;
	r->buf = vfe_malloc(RD_BUF_CAP);
	r->jbuf = vfe_malloc(RD_BUF_CAP);
	if (r->buf == NULL || r->jbuf == NULL) {
		set_err(err, errlen, "%s: out of memory", path);
		flow_reader_close(r);
		return -1;
	}
	if (layout != NULL)
		r->base = *layout;
	else
		default_layout(&r->base);
	set_layout(r, &r->base);
	if (S_ISDIR(sb.st_mode)) {
		r->is_dir = 1;
		if (walk(path, 0, &r->files, &r->nfiles, &cap, err, errlen) < 0) {
			flow_reader_close(r);
			return -1;
		}
		if (r->nfiles > 1)
			qsort(r->files, r->nfiles, sizeof(r->files[0]), cmp_path);
	} else if (add_file(&r->files, &r->nfiles, &cap, path) < 0) {
		set_err(err, errlen, "%s: out of memory", path);
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
		set_layout(r, &r->base);
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
	set_err(err, errlen, "%s: not a flow log file (%s)", p, why);
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
				set_err(err, errlen, "%s", r->src_err);
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
			set_err(err, errlen, "%s:%llu: line longer than %u bytes",
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
		set_err(err, errlen, "%s:%llu: header has %zu fields, at most %d", l->file,
			(unsigned long long)l->line, ntok, FORMAT_MAX_FIELDS);
		return -1;
	}
	for (i = 0; i < ntok; i++) {
		int id = field_lookup(l->field[i], l->len[i]);
		int w = l->len[i] > 64 ? 64 : (int)l->len[i];

		if (id < 0) {
			set_err(err, errlen, "%s:%llu: unknown field \"%.*s\" in header%s", l->file,
				(unsigned long long)l->line, w, l->field[i],
				is_tgw_token(l->field[i], l->len[i])
				? " (transit gateway flow logs are not supported)" : "");
			return -1;
		}
		if (seen[id]) {
			set_err(err, errlen, "%s:%llu: field \"%.*s\" appears twice in header",
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
	set_layout(r, &r->hdr);
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

/* Fields of one line. 1 record, 0 not a record (blank, header), -1 bad
 * line, -2 error of the whole file; err set for both. */
static int parse_line(struct flow_reader *r, const char *s, size_t n, struct flow_line *out,
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
			set_err(err, errlen, "%s:%llu: JSON line without a \"message\" string",
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
		set_err(err, errlen, "%s:%llu: expected %u fields, got %zu", out->file,
			(unsigned long long)out->line, (unsigned)f->n, ntok);
		return -1;
	}
	for (i = 0; i < r->nnum; i++) {
		uint8_t c = r->numpos[i];
		enum field_id id = (enum field_id)f->ids[c];

		if (!number_ok(out->field[c], out->len[c], field_info(id)->type)) {
			int w = out->len[c] > 64 ? 64 : (int)out->len[c];

			set_err(err, errlen, "%s:%llu: field \"%s\" is not a number: \"%.*s\"",
				out->file, (unsigned long long)out->line, field_info(id)->token,
				w, out->field[c]);
			return -1;
		}
	}
	out->layout = f;
	return 1;
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
		rc = parse_line(r, s, n, out, err, errlen);
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
