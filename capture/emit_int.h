/* emit_int.h - what emit.c (windows: ranks, status lines, idle ENIs) and
 * emit_write.c (a window's sorted lines to the outputs) share. Nothing
 * else includes it. */
#ifndef VFE_EMIT_INT_H
#define VFE_EMIT_INT_H

#include <stdint.h>

#include "capture/emit.h"

/* A NODATA or SKIPDATA line of the window being written. */
struct status_line {
	uint32_t key;               /* sort_key(0, the ENI's rank) */
	uint32_t eni;
	uint32_t start, end;        /* the window's bounds */
	uint8_t status;             /* enum log_status */
	uint8_t why;                /* SKIPDATA: SKIP_* bits */
};

/* What orders a window's lines first, as the high half of a flow's sort
 * value (keysort.h): seconds into the window (under 1024: a flow's tag
 * holds them clamped, emit_flow_tag), then the ENI's rank in e->rank_bits
 * bits (as few as the ENIs need, at most 22 for ENI_LIMIT = 2^22): the
 * radix sort passes over as few bits as there are. */
static inline uint32_t sort_key(const struct emitter *e, uint32_t offset, uint32_t rank)
{
	return offset << e->rank_bits | rank;
}

/* Sorts the window's n flows (v: sort_key << 32 | place in pool) and
 * writes them with e's status lines, merged; the status lines are then
 * used up. -1 (e->err) on error. */
int emit_write_sorted(struct emitter *e, const struct flow *pool, uint64_t *v, size_t n);

#endif
