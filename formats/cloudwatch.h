/* cloudwatch.h - delivery as CloudWatch Logs events (spec 11.2): one
 * JSON-lines file per log stream "{interface-id}-all", each line
 * {"timestamp": start*1000, "message": "<record>"}, no header. */
#ifndef VFE_CLOUDWATCH_H
#define VFE_CLOUDWATCH_H

#include <stddef.h>
#include <stdint.h>

struct cw_writer;

/* suffix: "all", "accept" or "reject" (the flow log's TrafficType). */
struct cw_writer *cw_open(const char *dir, const char *suffix, char *err, size_t errlen);
/* One event; line without its '\n'. */
int cw_write(struct cw_writer *w, const char *interface_id, int64_t start, const char *line,
	     size_t len);
/* Writes out what the open stream files buffer. 0 or -1. */
int cw_flush(struct cw_writer *w);
/* Closes every stream file and frees w. 0, or -1 and err. */
int cw_close(struct cw_writer *w, char *err, size_t errlen);
/* Stream files written so far. */
uint64_t cw_streams(const struct cw_writer *w);
/* The first error, for messages ("" when none). */
const char *cw_error(const struct cw_writer *w);

#endif
