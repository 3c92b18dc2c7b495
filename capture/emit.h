/* emit.h - closing windows become ordered records on the sink.
 *
 * Owns the record order of PRODUCT.md section 2 (by window, start,
 * interface-id, srcaddr, dstaddr, srcport, dstport, protocol), the ENI-side
 * address substitution and the SKIPDATA lines of windows that lost flows. */
#ifndef VFE_EMIT_H
#define VFE_EMIT_H

#include <stddef.h>
#include <stdint.h>

#include "capture/flow/table.h"
#include "capture/vpc/eni.h"
#include "formats/format.h"
#include "formats/sink.h"

struct skip_note {
	uint32_t eni, wstart, interval;
};

struct emit_item;

struct emitter {
	const struct log_format *fmt;
	struct sink *out;
	const struct eni_table *enis;
	struct skip_note *skips;
	size_t nskips, capskips;
	struct emit_item *items;
	size_t capitems;
	uint32_t *rank;             /* ENI index -> place in interface-id order */
	uint32_t nranked;
	uint64_t records;
	uint64_t skipdata;
};

void emit_init(struct emitter *e, const struct log_format *fmt, struct sink *out,
	       const struct eni_table *enis);
void emit_free(struct emitter *e);

int emit_header(struct emitter *e);

/* The window (wstart, interval) of this ENI lost flows: one SKIPDATA line. */
int emit_note_skip(struct emitter *e, uint32_t eni, uint32_t wstart, uint32_t interval);

/* A flow_window_fn: sorts and writes one window. -1 on a write error. */
int emit_window(void *ctx, const struct flow_window *w, struct flow **flows, size_t n);

#endif
