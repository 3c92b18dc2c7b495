/* readahead.h - packets read and decoded in batches, ahead of counting.
 *
 * Reading a packet, decoding it, giving a non-first fragment its ports,
 * telling traffic AWS never logs and finding its ENIs in a copy of the
 * address map depend on nothing that counting changes, so for a capture
 * file they run on a thread of their own (as nfpcapd's packet thread
 * does), up to RING batches ahead of the read loop, which takes the
 * batches in order: the records are the same as with one thread. A live
 * capture reads on the loop's thread (its reads wait for the clock), and
 * so do a pipe and VFE_THREADS=1. Part of the pipeline: only
 * pipeline.c and pipeline_open.c include it. */
#ifndef VFE_READAHEAD_H
#define VFE_READAHEAD_H

#include <signal.h>
#include <stddef.h>

#include "capture/pipeline_int.h"
#include "capture/vpc/eni_snapshot.h"

/* Up to BATCH decoded packets, what reading them counted, and why
 * reading stopped after them: SRC_PACKET (the batch is full, more
 * follow), SRC_TIMEOUT (live), SRC_ERROR, or SRC_EOF (the end, -c, or
 * *stop). The counts are added to the statistics when the batch is
 * counted, so packets read ahead and never counted (an error, a signal)
 * are not in them. */
struct batch {
	struct decoded *pkt;
	size_t n;
	enum source_status end;
	struct stage_counts counts;
};

/* Reads into b, which it empties first. stop is NULL on the reading
 * thread: the counting thread watches the signals there. read_before is
 * the packets of earlier batches, for -c. With a copy of the ENI map
 * (snap), each packet's ENIs are looked up in it; without, left to the
 * counting thread (ENI_ASK). */
void batch_fill(struct pipeline *p, struct batch *b, uint64_t read_before,
		volatile sig_atomic_t *stop, const struct eni_snapshot *snap);

struct readahead;

/* Starts the reading thread. NULL when it cannot be had: read on the
 * loop's thread then. */
struct readahead *readahead_start(struct pipeline *p);

/* After a batch is counted: when the ENI table has grown enough since
 * the reader's copy of its map was made, a new copy for the reader (and
 * the copies it no longer reads are freed). */
void readahead_enis(struct readahead *ra);

/* The next batch, in reading order; waits for it. Valid until
 * readahead_release(), which the caller calls once it has counted it. */
const struct batch *readahead_take(struct readahead *ra);
void readahead_release(struct readahead *ra);
/* Asks for the batch after the one taken to come to this core's cache,
 * if the reader has filled it: it was written on the reader's core. */
void readahead_prefetch_next(const struct readahead *ra);

/* Stops the thread (at once if reading has not ended), waits for it and
 * frees ra. */
void readahead_stop(struct readahead *ra);

#endif
