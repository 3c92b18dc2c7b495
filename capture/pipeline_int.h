/* pipeline_int.h - the pipeline's state, shared by its two halves:
 * pipeline_open.c (sources, ENIs, the VPC model, delivery) and pipeline.c
 * (the read loop). Nothing else includes it. */
#ifndef VFE_PIPELINE_INT_H
#define VFE_PIPELINE_INT_H

#include <stdint.h>
#include <time.h>

#include "capture/emit.h"
#include "capture/flow/frag.h"
#include "capture/flow/table.h"
#include "capture/pipeline.h"
#include "capture/source/source.h"
#include "capture/vpc/action.h"
#include "capture/vpc/attribute.h"
#include "capture/vpc/conntrack.h"
#include "capture/vpc/eni.h"
#include "capture/vpc/model.h"
#include "formats/render.h"
#include "formats/sink.h"

#define OUT_BUFFER (1u << 20)
#define OUT_BUFFERS 4         /* of OUT_BUFFER, when a thread writes them */

/* Packets are decoded as they are read (the capture buffer is reused by the
 * next read) and counted in batches, so the cache misses of a batch's flow
 * lookups overlap instead of following one another. */
#define BATCH 32

/* Seconds a window stays open after its end, for packets that come slightly
 * out of order (multi-queue capture) or late out of the kernel's buffer
 * (live reads time out after DEFAULT_TIMEOUT_MS). Later ones are counted
 * as late, never made into a second record for a written window. */
#define GRACE 1

/* A packet as reading leaves it (readahead.h): decoded, with its second
 * and the hashes of its addresses (vpc/eni.h). */
struct decoded {
	struct pkt_meta m;
	uint32_t sec;
	uint32_t eni_hash[2];       /* of m.src and m.dst */
	int32_t eni[2];             /* their ENIs in the reader's copy of the map,
				     * -1, or ENI_ASK (vpc/eni_snapshot.h) */
	uint8_t unlogged;           /* enum unlogged: traffic AWS never logs */
};

/* A packet being counted: what reading left, and what counting works out. */
struct staged {
	const struct decoded *d;    /* in the read batch, held until counted */
	uint8_t nobs;
	struct observation obs[2];
	struct flow_key key[2];
	uint32_t hash[2];
	struct ct_key ck[2];        /* tracking keys and hashes (vpc/action.c) */
	uint32_t cth[2];
	struct verdict v[2];
};

/* What reading saw before counting: pipeline_stats' first counters, kept
 * apart because they are the reading thread's (readahead.h), with the
 * fragment cache (p->frag). */
struct stage_counts {
	uint64_t packets;
	uint64_t bad_time;
	uint64_t result[DECODE_RESULT_COUNT];
	uint64_t event[EV_COUNT];
	uint64_t unlogged[UNLOGGED_COUNT];
};

/* pipeline.c's window_start(): a window start of one interval. */
struct window_memo {
	uint32_t interval;          /* 0: none yet */
	uint32_t start;
};

struct pipeline {
	const struct config *cfg;
	struct source *src;
	struct eni_table enis;
	struct flow_table flows;
	struct frag_cache frag;
	struct sink out;
	struct emitter emit;
	struct vpc_model model;
	bool judge;                 /* some ENI has security groups or a network ACL */
	pipeline_progress_fn progress;  /* -v on a terminal */
	struct conntrack ct;        /* allocated when some ENI has security groups */
	struct log_format format;   /* -f, else the flow log's LogFormat, else v5 */
	char header[RENDER_MAX_LINE];   /* of every delivered object */
	int64_t closed_to;          /* windows ending at or before this are written */
	uint64_t drops_seen;        /* live: kernel + interface drops already charged */
	uint32_t last_sec;          /* of the last packet counted: the capture's end */
	int64_t next_close;         /* earliest end of an open window */
	struct window_memo windows[2];
	struct staged *batch;       /* the batch being counted */
	size_t nbatch;
	struct decoded *read;       /* BATCH: reading on this thread reads here */
	bool threads;               /* a file: read on a thread of its own */
	time_t shown;               /* -v: when progress was last shown */
	struct stage_counts counts;
	struct pipeline_stats st;
};

/* Completes every S3 object and CloudWatch stream (pipeline_open.c). */
int close_delivery(struct pipeline *p, char *err, size_t errlen);

#endif
