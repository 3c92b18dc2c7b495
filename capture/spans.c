/* spans.c - two threads fill numbered spans, the caller takes them in
 * order (spans.h).
 *
 * Everything the threads share is under one lock, taken twice a span (to
 * claim it, and to say it is done): a span is a thousand records, so the
 * lock costs nothing next to the work. Span i goes in slot i % SPAN_SLOTS;
 * a span is claimed only while its slot is free (i < taken + SPAN_SLOTS),
 * so whoever claims it can fill it at once, and the caller, which claims
 * too while it waits, can never wait for itself. */
#include "capture/spans.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "formats/mem.h"

#define NONE SIZE_MAX

/* A span and a cache line's worth of nothing, so no two spans share a
 * cache line (the array is only as aligned as calloc's blocks): a span's
 * length and counters change with every record, on both threads at once
 * (one span each), and a line shared would bounce between the cores at
 * every record. */
struct slot {
	struct span sp;
	char pad[64];
};

struct spans {
	pthread_mutex_t lock;
	pthread_cond_t work;        /* the helper waits here */
	pthread_cond_t ready;       /* the caller waits here */
	pthread_t thread;
	/* The run, under lock. */
	unsigned gen;               /* runs started; the helper follows it */
	size_t n;
	span_fill_fn fill;
	void *ctx;
	size_t next;                /* first span not claimed */
	size_t taken;               /* spans the caller has used */
	size_t done[SPAN_SLOTS];    /* the span filled in each slot, or NONE */
	bool helping;               /* the helper is inside the run */
	bool quit;
	char pad[64];
	struct slot slot[SPAN_SLOTS];
};

/* Span buffers grow on either thread: with libc's allocator, never
 * through mem.h's seam, whose cmocka allocators (unit tests) are not
 * thread-safe. spans_stop() frees them the same way. A new one is made
 * big enough for a span of most formats at once (its pages are only
 * resident once written), not grown to that by copying. */
char *span_room(struct span *sp, size_t need)
{
	if (sp->cap - sp->len < need) {
		size_t cap = sp->cap ? sp->cap : 1u << 20;
		while (cap - sp->len < need)
			cap *= 2;
		char *b = realloc(sp->buf, cap);
		if (!b) {
			sp->failed = true;
			return NULL;
		}
		sp->buf = b;
		sp->cap = cap;
	}
	return sp->buf + sp->len;
}

/* Claims the next span if its slot is free; NONE otherwise. Under lock. */
static size_t claim(struct spans *s)
{
	if (s->next >= s->n || s->next >= s->taken + SPAN_SLOTS)
		return NONE;
	return s->next++;
}

/* Fills span i outside the lock, then says so. Under lock on entry and
 * return. */
static void fill(struct spans *s, size_t i)
{
	struct span *sp = &s->slot[i % SPAN_SLOTS].sp;

	pthread_mutex_unlock(&s->lock);
	sp->len = 0;
	sp->failed = false;
	memset(sp->count, 0, sizeof(sp->count));
	s->fill(s->ctx, i, sp);
	pthread_mutex_lock(&s->lock);
	s->done[i % SPAN_SLOTS] = i;
	pthread_cond_signal(&s->ready);
}

static void *helper(void *arg)
{
	struct spans *s = arg;
	unsigned seen = 0;

	pthread_mutex_lock(&s->lock);
	for (;;) {
		while (!s->quit && s->gen == seen)
			pthread_cond_wait(&s->work, &s->lock);
		if (s->quit)
			break;
		seen = s->gen;
		s->helping = true;
		/* Ends when every span is claimed: the run's end, or a take
		 * that failed (next is then n). */
		while (s->next < s->n) {
			size_t i = claim(s);
			if (i == NONE)
				pthread_cond_wait(&s->work, &s->lock);
			else
				fill(s, i);
		}
		s->helping = false;
		pthread_cond_signal(&s->ready);
	}
	pthread_mutex_unlock(&s->lock);
	return NULL;
}

struct spans *spans_start(void)
{
	struct spans *s = vfe_calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	pthread_mutex_init(&s->lock, NULL);
	pthread_cond_init(&s->work, NULL);
	pthread_cond_init(&s->ready, NULL);
	if (pthread_create(&s->thread, NULL, helper, s) != 0) {
		pthread_mutex_destroy(&s->lock);
		pthread_cond_destroy(&s->work);
		pthread_cond_destroy(&s->ready);
		vfe_free(s);
		return NULL;
	}
	return s;
}

int spans_run(struct spans *s, size_t n, span_fill_fn fill_fn, span_take_fn take, void *ctx)
{
	int rc = 0;

	pthread_mutex_lock(&s->lock);
	s->n = n;
	s->fill = fill_fn;
	s->ctx = ctx;
	s->next = 0;
	s->taken = 0;
	for (size_t k = 0; k < SPAN_SLOTS; k++)
		s->done[k] = NONE;
	s->gen++;
	pthread_cond_signal(&s->work);
	/* Span `out` is taken once filled; while it is not, the caller fills
	 * one of its own if a slot is free, or waits. */
	for (size_t out = 0; out < n; out++) {
		while (s->done[out % SPAN_SLOTS] != out) {
			size_t i = claim(s);
			if (i == NONE)
				pthread_cond_wait(&s->ready, &s->lock);
			else
				fill(s, i);
		}
		pthread_mutex_unlock(&s->lock);
		rc = take(ctx, out, &s->slot[out % SPAN_SLOTS].sp);
		pthread_mutex_lock(&s->lock);
		s->taken = out + 1;
		s->done[out % SPAN_SLOTS] = NONE;
		pthread_cond_signal(&s->work);
		if (rc != 0) {
			s->next = n;    /* nothing more is claimed */
			break;
		}
	}
	while (s->helping)
		pthread_cond_wait(&s->ready, &s->lock);
	pthread_mutex_unlock(&s->lock);
	return rc;
}

void spans_stop(struct spans *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&s->lock);
	s->quit = true;
	pthread_cond_signal(&s->work);
	pthread_mutex_unlock(&s->lock);
	pthread_join(s->thread, NULL);
	for (size_t k = 0; k < SPAN_SLOTS; k++)
		free(s->slot[k].sp.buf);
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->work);
	pthread_cond_destroy(&s->ready);
	vfe_free(s);
}
