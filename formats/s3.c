/* s3.c - S3 object keys and the writer of gzip objects per 5-minute slot
 * (spec 11.1). Owns the directory tree under -o DIR; knows nothing of
 * packets. The hash in a name is FNV-1a of the object's text, so the same
 * records always give the same name. */
#include "formats/s3.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "formats/gz.h"
#include "formats/mem.h"
#include "formats/pathsafe.h"

#define PLACEHOLDER_REGION "us-east-1"
#define PATH_MAX_LEN 1024

struct s3_object {
	char account[32];
	char region[32];
	int64_t slot;
	uint32_t part;                 /* objects of this slot before this one */
	int fd;
	struct gz_writer *gz;
	uint64_t fnv;                  /* of the text written */
	char tmp[PATH_MAX_LEN];
};

struct s3_writer {
	struct s3_options o;
	struct gz_pool *pool;          /* compression on another core; NULL: inline */
	size_t header_len;
	struct s3_object *v;
	size_t n, cap;
	uint64_t objects;
	uint32_t seq;                  /* makes temporary names unique */
	char err[PATH_MAX_LEN + 128];
};

static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

void s3_flow_log_id(const char *account, const char *region, char *buf, size_t cap)
{
	uint64_t h = fnv1a(0xcbf29ce484222325ULL, "flowlog:", 8);

	h = fnv1a(h, account, strlen(account));
	h = fnv1a(h, ":", 1);
	h = fnv1a(h, region, strlen(region));
	snprintf(buf, cap, "fl-0%016llx", (unsigned long long)h);
}

int s3_object_path(const struct s3_options *o, const char *account, const char *region,
		   const char *flow_log_id, int64_t slot, const char *hash, char *buf,
		   size_t cap)
{
	struct tm tm;
	time_t t = (time_t)slot;
	char hour[16] = "";
	int n;

	if (!gmtime_r(&t, &tm))
		return -1;
	if (o->hive) {
		if (o->per_hour)
			snprintf(hour, sizeof(hour), "hour=%02d/", tm.tm_hour);
		n = snprintf(buf, cap, "%s/AWSLogs/aws-account-id=%s/aws-service=vpcflowlogs/"
			     "aws-region=%s/year=%04d/month=%02d/day=%02d/%s", o->dir, account,
			     region, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, hour);
	} else {
		if (o->per_hour)
			snprintf(hour, sizeof(hour), "%02d/", tm.tm_hour);
		n = snprintf(buf, cap, "%s/AWSLogs/%s/vpcflowlogs/%s/%04d/%02d/%02d/%s", o->dir,
			     account, region, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, hour);
	}
	if (n < 0 || (size_t)n >= cap)
		return -1;
	int k = snprintf(buf + n, cap - (size_t)n,
			 "%s_vpcflowlogs_%s_%s_%04d%02d%02dT%02d%02dZ_%s.log.gz", account, region,
			 flow_log_id, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			 tm.tm_min, hash);
	return k < 0 || (size_t)k >= cap - (size_t)n ? -1 : 0;
}

/* mkdir -p of the directory part of path. */
static int make_dirs(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		int rc = mkdir(path, 0755);
		*p = '/';
		if (rc != 0 && errno != EEXIST)
			return -1;
	}
	return 0;
}

struct s3_writer *s3_open(const struct s3_options *o, char *err, size_t errlen)
{
	struct s3_writer *w = vfe_calloc(1, sizeof(*w));
	char probe[PATH_MAX_LEN];

	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->o = *o;
	if (!w->o.max_object)
		w->o.max_object = S3_MAX_OBJECT;
	w->header_len = strlen(o->header);
	w->pool = gz_pool_new();
	snprintf(probe, sizeof(probe), "%s/", o->dir);
	struct stat st;
	int bad = make_dirs(probe) != 0 || stat(o->dir, &st) != 0;
	if (!bad && !S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;  /* an existing file where the bucket should be */
		bad = 1;
	}
	if (bad) {
		snprintf(err, errlen, "%s: %s", o->dir, strerror(errno));
		if (w->pool)
			gz_pool_free(w->pool, NULL, 0);
		vfe_free(w);
		return NULL;
	}
	return w;
}

static int fail(struct s3_writer *w, const char *what, const char *path)
{
	if (w->err[0])
		return -1;
	/* A failure on the compression thread says more than our errno. */
	if (!w->pool || gz_pool_failed(w->pool, w->err, sizeof(w->err)) == 0)
		snprintf(w->err, sizeof(w->err), "%s: %s: %s", path, what, strerror(errno));
	return -1;
}

static int object_write(struct s3_writer *w, struct s3_object *ob, const char *p, size_t n)
{
	ob->fnv = fnv1a(ob->fnv, p, n);
	if (gz_write(ob->gz, p, n) != 0)
		return fail(w, "write", ob->tmp);
	return 0;
}

static int object_open(struct s3_writer *w, struct s3_object *ob)
{
	char id[40];
	const char *fl = w->o.flow_log_id;

	if (!fl) {
		s3_flow_log_id(ob->account, ob->region, id, sizeof(id));
		fl = id;
	}
	if (s3_object_path(&w->o, ob->account, ob->region, fl, ob->slot, "00000000", ob->tmp,
			   sizeof(ob->tmp)) != 0) {
		errno = ENAMETOOLONG;
		return fail(w, "object path", w->o.dir);
	}
	char *slash = strrchr(ob->tmp, '/');
	snprintf(slash + 1, sizeof(ob->tmp) - (size_t)(slash + 1 - ob->tmp), ".vfe-%lld-%u.tmp",
		 (long long)ob->slot, w->seq++);
	if (make_dirs(ob->tmp) != 0)
		return fail(w, "mkdir", ob->tmp);
	ob->fd = open(ob->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (ob->fd < 0)
		return fail(w, "open", ob->tmp);
	ob->gz = gz_open(w->pool, ob->fd, ob->tmp, w->o.level);
	if (!ob->gz) {
		close(ob->fd);
		errno = ENOMEM;
		return fail(w, "gzip", ob->tmp);
	}
	/* Continuations of a slot may hold the same text: the part number
	 * keeps their names apart. */
	ob->fnv = fnv1a(0xcbf29ce484222325ULL, &ob->part, ob->part ? sizeof(ob->part) : 0);
	return object_write(w, ob, w->o.header, w->header_len);
}

/* Ends the gzip stream, closes the file and gives it its final name (on
 * the compression thread, after the object's last byte). */
static int object_finish(struct s3_writer *w, struct s3_object *ob)
{
	char hash[16], final[PATH_MAX_LEN], id[40];
	const char *fl = w->o.flow_log_id;

	if (!fl) {
		s3_flow_log_id(ob->account, ob->region, id, sizeof(id));
		fl = id;
	}
	snprintf(hash, sizeof(hash), "%08x", (unsigned)(ob->fnv ^ (ob->fnv >> 32)));
	int rc = s3_object_path(&w->o, ob->account, ob->region, fl, ob->slot, hash, final,
				sizeof(final));
	rc |= gz_finish(ob->gz, rc == 0 ? final : NULL);
	ob->gz = NULL;
	if (rc != 0)
		return fail(w, "finishing", ob->tmp);
	w->objects++;
	return 0;
}

static struct s3_object *find_object(struct s3_writer *w, const char *account,
				     const char *region, int64_t slot)
{
	for (size_t i = 0; i < w->n; i++) {
		struct s3_object *ob = w->v + i;
		if (ob->slot == slot && strcmp(ob->account, account) == 0 &&
		    strcmp(ob->region, region) == 0)
			return ob;
	}
	if (w->n == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		struct s3_object *v = vfe_realloc(w->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		w->v = v;
		w->cap = cap;
	}
	struct s3_object *ob = w->v + w->n;
	memset(ob, 0, sizeof(*ob));
	snprintf(ob->account, sizeof(ob->account), "%s", account);
	snprintf(ob->region, sizeof(ob->region), "%s", region);
	ob->slot = slot;
	if (object_open(w, ob) != 0)
		return NULL;
	w->n++;
	return ob;
}

int s3_write(struct s3_writer *w, const char *account, const char *region, int64_t end,
	     const char *line, size_t len)
{
	int64_t slot = end - ((end % S3_SLOT) + S3_SLOT) % S3_SLOT;
	struct s3_object *ob;

	if (w->err[0])
		return -1;
	account = account ? account : "unknown";
	region = region ? region : PLACEHOLDER_REGION;
	if (!path_component_ok(account) || !path_component_ok(region)) {
		snprintf(w->err, sizeof(w->err), "account \"%.40s\" or region \"%.40s\" cannot "
			 "name a directory of the S3 layout", account, region);
		return -1;
	}
	ob = find_object(w, account, region, slot);
	if (!ob)
		return -1;
	/* A full object is shipped and the slot goes on in a new one, as
	 * AWS does at 75 MB (spec 11.1). */
	if (gz_in(ob->gz) + len > w->o.max_object && gz_in(ob->gz) > w->header_len) {
		int rc = object_finish(w, ob);
		ob->part++;
		if (rc == 0)
			rc = object_open(w, ob);
		if (rc != 0) {
			/* ob holds no open stream now: take it out of the list. */
			*ob = w->v[--w->n];
			return -1;
		}
	}
	return object_write(w, ob, line, len);
}

int s3_close_before(struct s3_writer *w, int64_t t)
{
	size_t keep = 0;
	int rc = 0;

	for (size_t i = 0; i < w->n; i++) {
		if (w->v[i].slot + S3_SLOT <= t) {
			if (object_finish(w, w->v + i) != 0)
				rc = -1;
		} else {
			w->v[keep++] = w->v[i];
		}
	}
	w->n = keep;
	return rc;
}

int s3_close(struct s3_writer *w, char *err, size_t errlen)
{
	int rc = s3_close_before(w, INT64_MAX);

	/* Every object is complete and renamed once the worker is done. */
	if (w->pool && gz_pool_free(w->pool, w->err[0] ? NULL : w->err, sizeof(w->err)) != 0)
		rc = -1;
	/* Any failure on the way, reported then or now, fails the close. */
	if (rc != 0 || w->err[0]) {
		rc = -1;
		snprintf(err, errlen, "%s", w->err[0] ? w->err : "write error");
	}
	vfe_free(w->v);
	vfe_free(w);
	return rc;
}

const char *s3_error(const struct s3_writer *w)
{
	return w->err;
}

uint64_t s3_objects(const struct s3_writer *w)
{
	return w->objects;
}
