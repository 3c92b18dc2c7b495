/* keysort.h - sorting 64-bit values by their high half, then by a
 * comparator.
 *
 * A window's records are ordered mostly by (start, ENI): emit.c packs that
 * into the high 32 bits of a value whose low 32 bits name the flow. A
 * radix sort on the high halves, then a stable sort of each run of equal
 * high halves by the full comparator, gives qsort's order at a fraction of
 * the comparisons, and at most n log n of them however long a run is. The
 * values are 8 bytes, so sorting costs 16 bytes per flow with the scratch
 * array, which is kept between calls. */
#ifndef VFE_KEYSORT_H
#define VFE_KEYSORT_H

#include <stddef.h>
#include <stdint.h>

struct keysort_scratch {
	uint64_t *tmp;          /* as many values as the largest sort */
	size_t cap;
	uint32_t count[3][2048];/* a histogram per digit of the high half */
};

/* Compares two values whose high halves are equal; ctx is keysort's. */
typedef int (*keysort_cmp)(uint64_t a, uint64_t b, void *ctx);

/* Sorts the n values at v by v >> 32, ties by cmp (stable: values cmp
 * calls equal keep their order). -1 if out of memory (v is then
 * unchanged). */
int keysort(uint64_t *v, size_t n, keysort_cmp cmp, void *ctx, struct keysort_scratch *s);

/* The same in steps, for a caller that wants each run sorted only when it
 * gets to it (emit.c: while the run's flows are in the cache for
 * writing): keysort_radix() orders by the high halves alone (stable) and
 * keeps scratch for n values; keysort_run_end() is the end of the run of
 * equal high halves that starts at lo; keysort_run() sorts the run
 * v[lo..hi) by cmp, in the scratch's same places, so two threads may sort
 * two runs at once. keysort() is the three in a row. */
int keysort_radix(uint64_t *v, size_t n, struct keysort_scratch *s);
size_t keysort_run_end(const uint64_t *v, size_t n, size_t lo);
/* keysort_radix() for values that usually arrive already in order of
 * their high halves' top bits (above the low_bits lowest): a window's
 * flows are made in time order, and their keys start with the second.
 * Then only each group of equal top bits is sorted, by the rest, in place
 * in the cache (for a flood's window of 220k flows, 60 groups of 3,700
 * instead of two passes over all of them); otherwise it is
 * keysort_radix(). The same order either way. */
int keysort_radix_grouped(uint64_t *v, size_t n, unsigned low_bits, struct keysort_scratch *s);
/* The same in stretches, for two threads that each sort a stretch of
 * whole groups just before using it (emit_write.c): when the values are
 * in order of their groups, keysort_groups_ready() keeps scratch for n
 * values and returns the size of the biggest group (SIZE_MAX when they
 * are not in order, or memory is short: then keysort_radix()), and
 * keysort_groups() sorts the groups of v[lo..hi), which begins and ends
 * with a group, in the scratch's same places. */
size_t keysort_groups_ready(const uint64_t *v, size_t n, unsigned low_bits,
			    struct keysort_scratch *s);
void keysort_groups(uint64_t *v, size_t lo, size_t hi, unsigned low_bits,
		    struct keysort_scratch *s);
void keysort_run(uint64_t *v, size_t lo, size_t hi, keysort_cmp cmp, void *ctx,
		 struct keysort_scratch *s);
void keysort_free(struct keysort_scratch *s);

#endif
