/* gz.c - gzip objects over zlib's deflate with gzip framing (windowBits
 * 15 + 16). Text is gathered in 1 MiB chunks; a chunk is compressed on the
 * pool's worker thread when there is one, else at once. Jobs run in queue
 * order, so the chunks of an object stay in order and its rename follows
 * its last byte. Knows nothing of records or paths beyond the rename. */
#include "formats/gz.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "formats/mem.h"

#define CHUNK (1u << 20)
#define QUEUE 8                 /* chunks in flight: bounds the memory */
#define OUTBUF (256u * 1024)

struct gz_writer {
	struct gz_pool *pool;
	z_stream z;
	int fd;
	uint64_t in;
	char *chunk;                /* text not yet handed to deflate */
	size_t used;
	char path[1024];
	char final[1024];
	bool discard;               /* text was lost: never give it its final name */
};

struct job {
	struct gz_writer *g;
	char *data;                 /* owned; NULL for the finishing job */
	size_t len;
};

struct gz_pool {
	pthread_t worker;
	pthread_mutex_t lock;
	pthread_cond_t changed;
	struct job q[QUEUE];
	size_t head, count;
	bool stop;
	char err[1200];             /* the first failure */
};

static void record_failure(struct gz_pool *p, const struct gz_writer *g, int err)
{
	pthread_mutex_lock(&p->lock);
	if (!p->err[0])
		snprintf(p->err, sizeof(p->err), "%s: %s", g->path, strerror(err));
	pthread_mutex_unlock(&p->lock);
}

static int write_all(int fd, const unsigned char *b, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, b, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* deflate until the input is used up (or, finishing, the stream ends). */
static int pump(struct gz_writer *g, const char *data, size_t len, int flush)
{
	unsigned char out[OUTBUF];
	int rc;

	g->z.next_in = (Bytef *)(uintptr_t)data;
	g->z.avail_in = (uInt)len;
	do {
		g->z.next_out = out;
		g->z.avail_out = OUTBUF;
		rc = deflate(&g->z, flush);
		if (rc == Z_STREAM_ERROR || write_all(g->fd, out, OUTBUF - g->z.avail_out) != 0)
			return -1;
	} while (g->z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
	return 0;
}

/* One job, on whichever thread runs it. */
static int run_job(struct job *j)
{
	struct gz_writer *g = j->g;
	int rc = 0;

	if (j->data)
		return pump(g, j->data, j->len, Z_NO_FLUSH);
	rc = pump(g, NULL, 0, Z_FINISH);
	deflateEnd(&g->z);
	if (close(g->fd) != 0)
		rc = -1;
	if (g->discard) {
		unlink(g->path);  /* half an object must never look whole */
		errno = EIO;
		return -1;
	}
	if (rc == 0 && g->final[0] && rename(g->path, g->final) != 0)
		rc = -1;
	return rc;
}

/* The worker: takes jobs in order until told to stop and the queue is
 * empty. A failed job is recorded; later jobs of the same object still run
 * so that its file is closed. */
static void *work(void *arg)
{
	struct gz_pool *p = arg;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (p->count == 0 && !p->stop)
			pthread_cond_wait(&p->changed, &p->lock);
		if (p->count == 0)
			break;
		struct job j = p->q[p->head];
		p->head = (p->head + 1) % QUEUE;
		p->count--;
		pthread_cond_broadcast(&p->changed);
		pthread_mutex_unlock(&p->lock);
		if (run_job(&j) != 0)
			record_failure(p, j.g, errno ? errno : EIO);
		vfe_free(j.data);
		if (!j.data)
			vfe_free(j.g);
		pthread_mutex_lock(&p->lock);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

struct gz_pool *gz_pool_new(void)
{
	struct gz_pool *p = vfe_calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->changed, NULL);
	if (pthread_create(&p->worker, NULL, work, p) != 0) {
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->changed);
		vfe_free(p);
		return NULL;
	}
	return p;
}

int gz_pool_failed(struct gz_pool *p, char *err, size_t errlen)
{
	pthread_mutex_lock(&p->lock);
	int rc = p->err[0] ? -1 : 0;
	if (rc && err)
		snprintf(err, errlen, "%s", p->err);
	pthread_mutex_unlock(&p->lock);
	return rc;
}

int gz_pool_free(struct gz_pool *p, char *err, size_t errlen)
{
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_broadcast(&p->changed);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->worker, NULL);
	int rc = gz_pool_failed(p, err, errlen);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->changed);
	vfe_free(p);
	return rc;
}

/* Queues a job, waiting while the queue is full. -1 once anything failed. */
static int enqueue(struct gz_pool *p, struct job j)
{
	pthread_mutex_lock(&p->lock);
	while (p->count == QUEUE)
		pthread_cond_wait(&p->changed, &p->lock);
	p->q[(p->head + p->count) % QUEUE] = j;
	p->count++;
	pthread_cond_broadcast(&p->changed);
	int rc = p->err[0] ? -1 : 0;
	pthread_mutex_unlock(&p->lock);
	return rc;
}

struct gz_writer *gz_open(struct gz_pool *p, int fd, const char *path, int level)
{
	struct gz_writer *g = vfe_calloc(1, sizeof(*g));

	if (!g)
		return NULL;
	g->chunk = vfe_malloc(CHUNK);
	if (!g->chunk || deflateInit2(&g->z, level, Z_DEFLATED, 15 + 16, 8,
				      Z_DEFAULT_STRATEGY) != Z_OK) {
		vfe_free(g->chunk);
		vfe_free(g);
		return NULL;
	}
	g->pool = p;
	g->fd = fd;
	snprintf(g->path, sizeof(g->path), "%s", path);
	return g;
}

/* Hands the gathered text to deflate: queued with a pool, at once without. */
static int flush_chunk(struct gz_writer *g)
{
	if (g->used == 0)
		return 0;
	if (!g->pool) {
		int rc = pump(g, g->chunk, g->used, Z_NO_FLUSH);
		g->used = 0;
		return rc;
	}
	char *next = vfe_malloc(CHUNK);
	if (!next)
		return -1;
	struct job j = {g, g->chunk, g->used};
	g->chunk = next;
	g->used = 0;
	return enqueue(g->pool, j);
}

int gz_write(struct gz_writer *g, const void *data, size_t len)
{
	const char *d = data;

	g->in += len;
	while (len > 0) {
		size_t n = CHUNK - g->used < len ? CHUNK - g->used : len;
		memcpy(g->chunk + g->used, d, n);
		g->used += n;
		d += n;
		len -= n;
		if (g->used == CHUNK && flush_chunk(g) != 0)
			return -1;
	}
	return 0;
}

int gz_finish(struct gz_writer *g, const char *final)
{
	int rc = flush_chunk(g);

	g->discard = rc != 0;
	snprintf(g->final, sizeof(g->final), "%s", final ? final : "");
	vfe_free(g->chunk);
	g->chunk = NULL;
	if (g->pool) {
		struct job j = {g, NULL, 0};
		return enqueue(g->pool, j) | rc;
	}
	struct job j = {g, NULL, 0};
	rc |= run_job(&j);
	vfe_free(g);
	return rc;
}

uint64_t gz_in(const struct gz_writer *g)
{
	return g->in;
}
