/* emit.h - closing windows become ordered records on the sink.
 *
 * Owns the record order of PRODUCT.md section 2 (by window, start,
 * interface-id, srcaddr, dstaddr, srcport, dstport, protocol), the ENI-side
 * address substitution, the NODATA lines of idle windows, the SKIPDATA
 * lines of windows that lost flows, the TrafficType filter and --explain. */
#ifndef VFE_EMIT_H
#define VFE_EMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/flow/table.h"
#include "capture/keysort.h"
#include "capture/spans.h"
#include "capture/vpc/eni.h"
#include "capture/vpc/model.h"
#include "formats/format.h"
#include "formats/sink.h"

/* Why a window lost flows (bits: both can happen in one window). */
#define SKIP_TABLE_FULL 1   /* --max-flows refused new flows */
#define SKIP_DROPS 2        /* the kernel or the interface dropped packets */

struct skip_note {
	uint32_t eni, wstart, interval;
	uint8_t why;
};

/* Which records a flow log keeps (TrafficType). */
enum traffic_type { TRAFFIC_ALL, TRAFFIC_ACCEPT, TRAFFIC_REJECT };

/* What emit counts, as emitter.count[] (and each span's). */
enum { EMIT_RECORDS, EMIT_NODATA, EMIT_SKIPDATA, EMIT_FILTERED };

struct status_line;
struct eni_name;

struct s3_writer;
struct cw_writer;

struct emitter {
	const struct log_format *fmt;
	struct sink *out;           /* stdout, or NULL when delivering to -o / --cloudwatch */
	struct s3_writer *s3;       /* -o DIR */
	struct cw_writer *cw;       /* --cloudwatch DIR */
	char err[512];              /* what failed, when a write did */
	struct eni_table *enis;
	const struct vpc_model *model;
	bool explain;               /* a "# why" line after each record */
	enum traffic_type traffic;
	struct skip_note *skips;
	size_t nskips, capskips;
	struct status_line *lines;  /* NODATA and SKIPDATA of the window being written */
	size_t nlines, caplines;
	struct keysort_scratch sort;
	uint32_t *rank;             /* ENI index -> place in interface-id order */
	struct eni **by_rank;       /* and back: place -> ENI */
	struct eni_name *names;     /* (interface-id, ENI index) in rank order */
	uint32_t nranked;
	uint32_t rank_bits;         /* of a rank in a sort value (emit_int.h) */
	uint32_t *mark;             /* ENI index -> generation of its last window */
	uint32_t gen;
	uint64_t count[SPAN_COUNTS];    /* EMIT_RECORDS... */
	struct spans *spans;        /* the helper that writes half of a big window */
	uint64_t nodata_dropped;    /* idle windows past MAX_IDLE in one gap */
};

void emit_init(struct emitter *e, const struct log_format *fmt, struct sink *out,
	       struct eni_table *enis, const struct vpc_model *model);
void emit_free(struct emitter *e);

/* Big windows written to stdout are rendered on two threads from now on
 * (spans.h); the records are the same. Nothing if no thread can be had. */
void emit_use_helper(struct emitter *e);

int emit_header(struct emitter *e);

/* The window (wstart, interval) of this ENI lost flows: one SKIPDATA line. */
int emit_note_skip(struct emitter *e, uint32_t eni, uint32_t wstart, uint32_t interval,
		   uint8_t why);

/* The tag a flow keeps in its window's array (flow/table.h), which is
 * what a window is sorted by: its start, as seconds into the window (under
 * 1024), above its ENI's index (under ENI_LIMIT = 2^22). */
#define EMIT_TAG_ENI_BITS 22
_Static_assert(ENI_LIMIT == 1u << EMIT_TAG_ENI_BITS, "a flow's tag holds an ENI index");

static inline uint32_t emit_flow_tag(uint32_t offset, uint32_t eni)
{
	return (offset < 1023 ? offset : 1023) << EMIT_TAG_ENI_BITS | eni;
}

/* A flow_window_fn: sorts and writes one window, with the NODATA lines of
 * every ENI of that interval idle since its last window. -1 on error. */
int emit_window(void *ctx, const struct flow_window *w, const struct flow *pool, uint64_t *idx,
		size_t n);

/* End of the capture at Unix second end: NODATA for every idle window of
 * a seen ENI that ended by then. */
int emit_finish(struct emitter *e, int64_t end);

/* Live on a quiet link: completes the S3 objects that can get no more
 * records by now, and flushes the CloudWatch streams. */
int emit_deliver_before(struct emitter *e, int64_t now);

#endif
