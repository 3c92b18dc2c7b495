/* sink.c - large buffered writes to a descriptor, retried on EINTR and
 * short writes, on the caller's thread or on a writer thread of their
 * own. It knows nothing of records: lines are bytes here.
 *
 * The writer: blocks queue in order, the sink's own full buffers and
 * blocks given to it (sink_give); the thread writes each whole and gives
 * it back. Memory stays bounded: at most nbuf own buffers, queued text of
 * at most nbuf buffers' worth (or one bigger block), past which the
 * caller waits for the oldest to be written, and BACK written given
 * blocks kept to hand back. Own buffers are allocated and freed on the
 * caller's thread only (mem.h's test allocators are not thread-safe);
 * the thread frees a written given block when BACK are kept already
 * (those are libc's). What both touch is under one lock, taken once a
 * block. */
#include "formats/sink.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "formats/mem.h"

#define QUEUE 256        /* blocks queued at most (given ones are small) */
#define BACK 8           /* written given blocks kept to give back: as many
			  * as a full queue holds of spans.c's (4 MiB of
			  * 512 KiB), so a window's spans are written into
			  * blocks already mapped, not new ones (4 kept:
			  * one span in five made a new block) */

struct block {
	char *buf;
	size_t len, cap;
	bool given;                 /* the caller's (libc's malloc), not the sink's */
};

struct sink_writer {
	pthread_mutex_t lock;
	pthread_cond_t work;        /* the thread waits here */
	pthread_cond_t done;        /* the caller waits here */
	pthread_t thread;
	int fd;
	/* Under lock. */
	struct block queue[QUEUE];  /* to write, in order: queue[head..tail) */
	unsigned head, tail;
	size_t queued;              /* bytes in the queue, the block being written too */
	size_t max_queued;          /* nbuf buffers' worth */
	bool writing;               /* the thread holds a block */
	bool quit;
	int err;                    /* the thread's first failed write */
	struct block spare[QUEUE];  /* written own buffers, free to fill */
	unsigned nspare;
	struct block back[BACK];    /* written given blocks, to give back */
	unsigned nback;
	/* The caller's. */
	unsigned nbuf, made;
};

int sink_init(struct sink *s, int fd, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->buf = vfe_malloc(cap);
	if (!s->buf)
		return -1;
	s->cap = cap;
	return 0;
}

/* Writes n bytes at p to fd, whole: 0, or the errno of the failure. */
static int write_all(int fd, const char *p, size_t n)
{
	size_t off = 0;

	while (off < n) {
		ssize_t w = write(fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return w < 0 ? errno : EIO;
		off += (size_t)w;
	}
	return 0;
}

static bool busy(const struct sink_writer *w)
{
	return w->head != w->tail || w->writing;
}

static void *writer(void *arg)
{
	struct sink_writer *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (w->head == w->tail && !w->quit)
			pthread_cond_wait(&w->work, &w->lock);
		if (w->head == w->tail)
			break;
		struct block b = w->queue[w->head++ % QUEUE];
		w->writing = true;
		int err = w->err;
		pthread_mutex_unlock(&w->lock);
		/* After a failure the rest is dropped: it can never be whole. */
		if (!err)
			err = write_all(w->fd, b.buf, b.len);
		pthread_mutex_lock(&w->lock);
		if (!w->err)
			w->err = err;
		w->writing = false;
		w->queued -= b.len;
		if (!b.given)
			w->spare[w->nspare++] = b;
		else if (w->nback < BACK)
			w->back[w->nback++] = b;
		else
			free(b.buf);        /* libc's, so any thread may */
		pthread_cond_signal(&w->done);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int sink_use_writer(struct sink *s, unsigned nbuf)
{
	struct sink_writer *w = vfe_calloc(1, sizeof(*w));

	if (!w || nbuf < 2)
		goto fail;
	w->fd = s->fd;
	w->nbuf = nbuf < QUEUE ? nbuf : QUEUE;
	w->made = 1;                /* s->buf */
	w->max_queued = (size_t)w->nbuf * s->cap;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	if (pthread_create(&w->thread, NULL, writer, w) != 0) {
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->done);
		goto fail;
	}
	s->w = w;
	return 0;
fail:
	vfe_free(w);
	return -1;
}

/* Queues block b, waiting for room: a free entry, and the text queued
 * under max_queued (or nothing queued). Under lock. */
static void enqueue(struct sink_writer *w, struct block b)
{
	while (w->tail - w->head == QUEUE ||
	       (w->queued > 0 && w->queued + b.len > w->max_queued))
		pthread_cond_wait(&w->done, &w->lock);
	w->queue[w->tail++ % QUEUE] = b;
	w->queued += b.len;
	pthread_cond_signal(&w->work);
}

/* Queues the sink's buffer and takes an empty one: a spare, a new one
 * while fewer than nbuf exist, or the first the thread gives back. Under
 * lock. -1 (nothing queued) when no buffer can be had. */
static int hand_on(struct sink *s)
{
	struct sink_writer *w = s->w;
	char *next = NULL;

	if (w->nspare == 0 && w->made < w->nbuf && (next = vfe_malloc(s->cap)) != NULL)
		w->made++;
	while (!next && w->nspare == 0 && busy(w))
		pthread_cond_wait(&w->done, &w->lock);
	if (!next && w->nspare == 0)
		return -1;
	if (!next)
		next = w->spare[--w->nspare].buf;
	enqueue(w, (struct block){s->buf, s->len, s->cap, false});
	s->buf = next;
	s->len = 0;
	return 0;
}

/* Hands what is buffered to the writer (or writes it); then, when all
 * is set, waits until everything is written. Under lock. 0, or -1 with
 * s->err. */
static int push_locked(struct sink *s, bool all)
{
	struct sink_writer *w = s->w;

	if (s->len > 0 && hand_on(s) != 0) {
		/* No buffer at all to swap for: write this one here, after
		 * what is queued. */
		while (busy(w))
			pthread_cond_wait(&w->done, &w->lock);
		if (!w->err)
			w->err = write_all(s->fd, s->buf, s->len);
		s->len = 0;
	}
	while (all && busy(w))
		pthread_cond_wait(&w->done, &w->lock);
	if (!s->err)
		s->err = w->err;
	return s->err ? -1 : 0;
}

static int push(struct sink *s, bool all)
{
	struct sink_writer *w = s->w;

	if (!w) {
		if (!s->err)
			s->err = write_all(s->fd, s->buf, s->len);
		s->len = 0;
		return s->err ? -1 : 0;
	}
	pthread_mutex_lock(&w->lock);
	int rc = push_locked(s, all);
	pthread_mutex_unlock(&w->lock);
	return rc;
}

int sink_flush(struct sink *s)
{
	return push(s, true);
}

char *sink_space(struct sink *s, size_t need)
{
	if (s->cap - s->len < need && push(s, false) != 0)
		return NULL;
	if (s->cap < need || s->err)
		return NULL;
	return s->buf + s->len;
}

void sink_commit(struct sink *s, size_t n)
{
	s->len += n;
}

int sink_write(struct sink *s, const char *p, size_t n)
{
	/* More than the buffer holds (a window's stretch of lines, rendered
	 * apart): what is buffered goes first, then these bytes straight. */
	if (n > s->cap) {
		if (sink_flush(s) != 0)
			return -1;
		s->err = write_all(s->fd, p, n);
		return s->err ? -1 : 0;
	}
	char *d = sink_space(s, n);
	if (!d)
		return -1;
	memcpy(d, p, n);
	sink_commit(s, n);
	return 0;
}

int sink_give(struct sink *s, char **buf, size_t len, size_t *cap)
{
	struct sink_writer *w = s->w;

	if (!w) {
		if (push(s, false) == 0)
			s->err = write_all(s->fd, *buf, len);
		return s->err ? -1 : 0;
	}
	pthread_mutex_lock(&w->lock);
	if (push_locked(s, false) == 0) {
		enqueue(w, (struct block){*buf, len, *cap, true});
		struct block b = {NULL, 0, 0, true};
		if (w->nback > 0)
			b = w->back[--w->nback];
		*buf = b.buf;
		*cap = b.cap;
	}
	pthread_mutex_unlock(&w->lock);
	return s->err ? -1 : 0;
}

void sink_free(struct sink *s)
{
	struct sink_writer *w = s->w;

	if (w) {
		pthread_mutex_lock(&w->lock);
		w->quit = true;
		pthread_cond_signal(&w->work);
		pthread_mutex_unlock(&w->lock);
		pthread_join(w->thread, NULL);
		for (unsigned i = 0; i < w->nspare; i++)
			vfe_free(w->spare[i].buf);
		for (unsigned i = 0; i < w->nback; i++)
			free(w->back[i].buf);
		pthread_mutex_destroy(&w->lock);
		pthread_cond_destroy(&w->work);
		pthread_cond_destroy(&w->done);
		vfe_free(w);
		s->w = NULL;
	}
	vfe_free(s->buf);
	s->buf = NULL;
}
