/* readahead.c - the reading side of the pipeline: packets from the source,
 * decoded into batches (batch_fill), and for a capture file the thread that
 * fills a ring of them ahead of the read loop.
 *
 * The ring is single-producer, single-consumer: the reader fills slot
 * tail % RING and publishes it by moving tail; the loop copies slot
 * head % RING and gives it back by moving head. Either side
 * sleeps only when it must: the reader when the ring is full, until the
 * loop has emptied half of it (one wake-up per RING / 2 batches, not one
 * per batch); the loop when the ring is empty. Nothing the reader touches
 * is touched by the loop while the thread runs: the source, the decoder
 * and the fragment cache; the VPC model is read by both and changed by
 * neither; each batch carries the counts of its reading. The reader never
 * looks at the signal flag: the loop does, and ends.
 *
 * The reader also looks each packet's addresses up in a copy of the ENI
 * map (vpc/eni_snapshot.h) that the loop makes when the table has grown
 * and never changes after: the loop only asks the table for what the copy
 * could not answer. A copy is freed once the reader has moved to a newer
 * one: before a batch it says which copy it reads (in_use), then checks
 * that copy is still the newest, so the loop, which replaces the newest
 * before looking at in_use, never frees one being read. */
#include "capture/readahead.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <time.h>

#include "capture/vpc/eni.h"
#include "capture/vpc/eni_snapshot.h"
#include "formats/mem.h"

/* 1024 batches of 32 packets, 2.75 MiB: enough for the reader to read
 * ahead while a window is being written, instead of sleeping on a full
 * ring then and keeping the loop waiting after (with 64 batches a flood
 * left a core idle 200 ms of its 0.5 s; with 1024, 140). The reader
 * sleeps at most once per 16k packets counted. */
#define RING 1024u
#define RETIRED 8u      /* copies replaced and not yet freed, at most */

/* Decodes one packet into b->pkt[b->n]; packets that are not OK stop here.
 * Unlogged ones go on: their time still closes windows. */
static void stage_packet(struct pipeline *p, struct batch *b, const struct packet *pkt,
			 struct stage_counts *c, const struct eni_snapshot *snap)
{
	struct decoded *s = b->pkt + b->n;

	c->packets++;
	/* Window arithmetic is in uint32 seconds: 1970 to 2106. */
	if (pkt->ts_sec < 0 || pkt->ts_sec >= (int64_t)UINT32_MAX - 600) {
		c->bad_time++;
		return;
	}
	enum decode_result r = decode_packet(p->src->dlt, pkt->data, pkt->caplen,
					     pkt->wirelen, &s->m);
	c->result[r]++;
	c->event[s->m.event]++;
	if (r != DECODE_OK)
		return;
	s->sec = (uint32_t)pkt->ts_sec;
	s->eni_hash[0] = eni_hash(&s->m.src);
	s->eni_hash[1] = eni_hash(&s->m.dst);
	/* Non-first fragments get their ports here, so what AWS never logs
	 * is decided here too: both in packet order, from the packet alone
	 * and the model, which no one changes while packets are read. */
	frag_resolve(&p->frag, &s->m, s->sec);
	s->unlogged = (uint8_t)model_unlogged(&p->model, &s->m);
	c->unlogged[s->unlogged]++;
	s->eni[0] = s->eni[1] = ENI_ASK;
	if (snap && s->unlogged == UNLOGGED_NO) {
		eni_snapshot_prefetch(snap, s->eni_hash[0]);
		eni_snapshot_prefetch(snap, s->eni_hash[1]);
	}
	b->n++;
}

/* The batch's addresses in the reader's copy of the ENI map, whose slots
 * were prefetched as the packets were decoded. */
static void look_up_enis(struct batch *b, const struct eni_snapshot *snap)
{
	if (!snap)
		return;
	for (size_t i = 0; i < b->n; i++) {
		struct decoded *s = b->pkt + i;
		if (s->unlogged != UNLOGGED_NO)
			continue;
		s->eni[0] = eni_snapshot_lookup(snap, &s->m.src, s->eni_hash[0]);
		s->eni[1] = eni_snapshot_lookup(snap, &s->m.dst, s->eni_hash[1]);
	}
}

void batch_fill(struct pipeline *p, struct batch *b, uint64_t read_before,
		volatile sig_atomic_t *stop, const struct eni_snapshot *snap)
{
	const struct config *cfg = p->cfg;
	struct stage_counts *c = &b->counts;
	struct packet pkt;

	b->n = 0;
	b->end = SRC_PACKET;
	memset(c, 0, sizeof(*c));
	while (b->n < BATCH) {
		if ((stop && *stop) || (cfg->count && read_before + c->packets >= cfg->count)) {
			b->end = SRC_EOF;
			break;
		}
		enum source_status s = source_next(p->src, &pkt);
		if (s == SRC_BAD_RECORD)
			continue;   /* skipped and counted by the source */
		if (s != SRC_PACKET) {
			/* A read interrupted by SIGINT or SIGTERM is the end. */
			b->end = s == SRC_ERROR && stop && *stop ? SRC_EOF : s;
			break;
		}
		stage_packet(p, b, &pkt, c, snap);
	}
	look_up_enis(b, snap);
	if (b->end != SRC_PACKET)
		return;
	/* -v: a clock read every 64k packets costs nothing measurable. */
	uint64_t read = read_before + c->packets;
	if (p->progress && (read & 0xffff) < BATCH && time(NULL) != p->shown) {
		p->shown = time(NULL);
		p->progress(read, source_position(p->src), p->src->size);
	}
}

struct readahead {
	/* The loop's, then the reader's, a cache line apart. */
	atomic_uint head;                   /* batches the loop has given back */
	atomic_bool loop_waits;
	char apart[64];
	atomic_uint tail;                   /* batches the reader has filled */
	atomic_bool reader_waits;
	atomic_bool quit;                   /* the loop ended early */
	atomic_uint in_use;                 /* the copy of the ENI map read */
	char apart2[64];
	_Atomic(struct eni_snapshot *) snap;/* the newest copy */
	/* The loop's: copies replaced, and when to make the next. */
	struct eni_snapshot *retired[RETIRED];
	unsigned nretired;
	uint64_t since;                     /* packets counted since the newest */
	struct pipeline *p;
	pthread_mutex_t lock;
	pthread_cond_t room, filled;
	pthread_t thread;
	struct decoded *mem;                /* RING * BATCH */
	struct batch slot[RING];
};

/* Wakes the other side if it sleeps on cond and its wait is over. The
 * sleeper sets its flag and tests its condition under the lock, so a
 * change made before this test is never missed (both are seq_cst). */
static void wake(struct readahead *ra, atomic_bool *waits, pthread_cond_t *cond)
{
	if (!atomic_load(waits))
		return;
	pthread_mutex_lock(&ra->lock);
	pthread_cond_signal(cond);
	pthread_mutex_unlock(&ra->lock);
}

/* The reader: room for batch tail, or false when the loop has quit. */
static bool wait_room(struct readahead *ra, unsigned tail)
{
	if (tail - atomic_load(&ra->head) < RING)
		return !atomic_load(&ra->quit);
	pthread_mutex_lock(&ra->lock);
	atomic_store(&ra->reader_waits, true);
	while (tail - atomic_load(&ra->head) > RING / 2 && !atomic_load(&ra->quit))
		pthread_cond_wait(&ra->room, &ra->lock);
	atomic_store(&ra->reader_waits, false);
	pthread_mutex_unlock(&ra->lock);
	return !atomic_load(&ra->quit);
}

/* Ends after publishing the batch that ends the input, or when the loop
 * quits. */
static void *reader(void *arg)
{
	struct readahead *ra = arg;
	unsigned tail = 0;
	uint64_t read = 0;

	while (wait_room(ra, tail)) {
		struct batch *b = ra->slot + tail % RING;
		struct eni_snapshot *snap;
		do {
			snap = atomic_load(&ra->snap);
			atomic_store(&ra->in_use, snap ? snap->gen : 0);
		} while (snap != atomic_load(&ra->snap));
		batch_fill(ra->p, b, read, NULL, snap);
		read += b->counts.packets;
		atomic_store(&ra->tail, ++tail);
		wake(ra, &ra->loop_waits, &ra->filled);
		if (b->end != SRC_PACKET)
			break;
	}
	return NULL;
}

struct readahead *readahead_start(struct pipeline *p)
{
	struct readahead *ra = vfe_calloc(1, sizeof(*ra));

	if (!ra)
		return NULL;
	ra->mem = vfe_calloc((size_t)RING * BATCH, sizeof(*ra->mem));
	if (!ra->mem) {
		vfe_free(ra);
		return NULL;
	}
	for (unsigned i = 0; i < RING; i++)
		ra->slot[i].pkt = ra->mem + (size_t)i * BATCH;
	ra->p = p;
	atomic_init(&ra->snap, eni_snapshot_make(&p->enis, 1));
	atomic_init(&ra->in_use, 0);
	atomic_init(&ra->head, 0);
	atomic_init(&ra->tail, 0);
	atomic_init(&ra->loop_waits, false);
	atomic_init(&ra->reader_waits, false);
	atomic_init(&ra->quit, false);
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->room, NULL);
	pthread_cond_init(&ra->filled, NULL);
	if (pthread_create(&ra->thread, NULL, reader, ra) != 0) {
		pthread_mutex_destroy(&ra->lock);
		pthread_cond_destroy(&ra->room);
		pthread_cond_destroy(&ra->filled);
		vfe_free(atomic_load(&ra->snap));
		vfe_free(ra->mem);
		vfe_free(ra);
		return NULL;
	}
	return ra;
}

/* A new copy of the map when the table has a quarter more addresses than
 * the newest, or has any more and as many packets were counted since as
 * the map has slots (copying then costs under a slot's bytes a packet):
 * few copies while a flood makes ENIs, and the last ones in the copy soon
 * after. */
void readahead_enis(struct readahead *ra)
{
	const struct eni_table *t = &ra->p->enis;
	struct eni_snapshot *cur = atomic_load_explicit(&ra->snap, memory_order_relaxed);
	unsigned in_use = atomic_load(&ra->in_use);
	unsigned keep = 0;

	/* Copies the reader has moved past. */
	for (unsigned i = 0; i < ra->nretired; i++) {
		if (ra->retired[i]->gen < in_use)
			vfe_free(ra->retired[i]);
		else
			ra->retired[keep++] = ra->retired[i];
	}
	ra->nretired = keep;
	ra->since += BATCH;
	if (!cur || t->used == cur->used || ra->nretired == RETIRED ||
	    (t->used - cur->used < cur->used / 4 + 16 && ra->since <= (uint64_t)t->mask + 1))
		return;
	struct eni_snapshot *s = eni_snapshot_make(t, cur->gen + 1);
	if (!s)
		return;
	atomic_store(&ra->snap, s);
	ra->retired[ra->nretired++] = cur;
	ra->since = 0;
}

const struct batch *readahead_take(struct readahead *ra)
{
	unsigned head = atomic_load_explicit(&ra->head, memory_order_relaxed);

	if (atomic_load(&ra->tail) == head) {
		pthread_mutex_lock(&ra->lock);
		atomic_store(&ra->loop_waits, true);
		while (atomic_load(&ra->tail) == head)
			pthread_cond_wait(&ra->filled, &ra->lock);
		atomic_store(&ra->loop_waits, false);
		pthread_mutex_unlock(&ra->lock);
	}
	return ra->slot + head % RING;
}

void readahead_prefetch_next(const struct readahead *ra)
{
	unsigned head = atomic_load_explicit(&ra->head, memory_order_relaxed);

	/* Only a hint: a slot's packets never move, and one not yet filled
	 * is prefetched for nothing. */
	if (atomic_load_explicit(&ra->tail, memory_order_relaxed) - head < 2)
		return;
	const char *c = (const char *)ra->slot[(head + 1) % RING].pkt;
	for (size_t off = 0; off < BATCH * sizeof(struct decoded); off += 64)
		__builtin_prefetch(c + off);
}

void readahead_release(struct readahead *ra)
{
	unsigned head = atomic_load_explicit(&ra->head, memory_order_relaxed) + 1;

	atomic_store(&ra->head, head);
	if (atomic_load(&ra->tail) - head <= RING / 2)
		wake(ra, &ra->reader_waits, &ra->room);
}

void readahead_stop(struct readahead *ra)
{
	atomic_store(&ra->quit, true);
	pthread_mutex_lock(&ra->lock);
	pthread_cond_signal(&ra->room);
	pthread_mutex_unlock(&ra->lock);
	pthread_join(ra->thread, NULL);
	for (unsigned i = 0; i < ra->nretired; i++)
		vfe_free(ra->retired[i]);
	vfe_free(atomic_load(&ra->snap));
	pthread_mutex_destroy(&ra->lock);
	pthread_cond_destroy(&ra->room);
	pthread_cond_destroy(&ra->filled);
	vfe_free(ra->mem);
	vfe_free(ra);
}
