/* pipeline.h - the one place where the stages meet (STYLE.md section 1):
 * source -> decode -> attribute -> flow table -> records -> sink. */
#ifndef VFE_PIPELINE_H
#define VFE_PIPELINE_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture/config.h"
#include "capture/decode/decode.h"
#include "capture/vpc/model.h"

struct pipeline_stats {
	uint64_t records_read;      /* capture records, good or bad */
	uint64_t bad_records;       /* impossible record headers */
	uint64_t packets;           /* packets handed to the decoder */
	uint64_t result[DECODE_RESULT_COUNT];
	uint64_t event[EV_COUNT];
	uint64_t bad_time;          /* timestamps before 1970 or after 2106 */
	uint64_t late;              /* packets of a window already written */
	uint64_t unlogged[UNLOGGED_COUNT];  /* traffic AWS never logs, by reason */
	uint64_t unattributed;      /* decoded, but no monitored ENI sent or got it */
	uint64_t observations;      /* (packet, ENI) pairs counted into flows */
	uint64_t refused;           /* observations lost to a full flow table */
	uint64_t rejected;          /* observations a security group or network ACL rejected */
	uint64_t never_arrived;     /* of which egress: no ingress observation followed */
	uint64_t tracked;           /* connections the security groups tracked */
	uint64_t untracked;         /* connections not tracked: the tracking table was full */
	uint32_t track_max;         /* tracking table bound, entries (0: no tracking) */
	uint32_t track_peak;        /* most entries in use at once */
	uint64_t track_bytes;       /* bytes the table may take at most */
	uint64_t frag_matched, frag_orphans;
	uint64_t flows;             /* (ENI, 5-tuple, window) flows made */
	uint64_t records;           /* lines written, header not counted */
	uint64_t skipdata;          /* of which SKIPDATA */
	uint64_t nodata;            /* of which NODATA */
	uint64_t nodata_dropped;    /* idle windows past a week-long gap: no NODATA line */
	uint64_t filtered;          /* flow records left out by TrafficType */
	uint64_t kernel_drops, if_drops;
	uint64_t objects;           /* S3 objects written (-o) */
	uint64_t streams;           /* CloudWatch log streams (--cloudwatch) */
};

struct pipeline;

/* Opens the source and the ENIs. NULL and err (one line) on an input or
 * usage error: exit code 2. *notice is set to a line to show the user (the
 * address chosen when none was given), or "" . */
struct pipeline *pipeline_open(const struct config *cfg, char *notice, size_t noticelen,
			       char *err, size_t errlen);

/* Live: "listening on IFACE, link-type NAME (DESCRIPTION), snapshot length
 * N bytes", as tcpdump says it once packets are being captured; "" when a
 * file is read. */
void pipeline_listening(const struct pipeline *p, char *buf, size_t len);

/* Reads until the end, -c, --duration or *stop. Every record of every open
 * window is written before it returns. 0, or 1 and err on a runtime error
 * (a corrupt capture, a write error) - records already written stay. */
int pipeline_run(struct pipeline *p, volatile sig_atomic_t *stop, char *err, size_t errlen);

/* Called about once a second while a file is read, when set before
 * pipeline_run(): packets so far, and the byte position in a file of size
 * bytes (size 0: not known, as on a pipe). */
typedef void (*pipeline_progress_fn)(uint64_t packets, uint64_t pos, uint64_t size);
void pipeline_set_progress(struct pipeline *p, pipeline_progress_fn fn);

const struct pipeline_stats *pipeline_stats(const struct pipeline *p);
void pipeline_close(struct pipeline *p);

#endif
