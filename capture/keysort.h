/* keysort.h - sorting records by a 64-bit key first, then by a comparator.
 *
 * The order of a window's records is decided mostly by (start, ENI): a
 * radix sort on that key, then a stable sort of each run of equal keys by
 * the full comparator, gives qsort's order at a fraction of the
 * comparisons, and at most n log n of them however long a run is. The
 * scratch space is kept between calls. */
#ifndef VFE_KEYSORT_H
#define VFE_KEYSORT_H

#include <stddef.h>
#include <stdint.h>

struct keysort_scratch {
	void *ents[2];          /* key and index pairs */
	void *copy;             /* the items, permuted */
	size_t cap, copy_bytes;
};

#define KEYSORT_MAX_SIZE 256    /* largest item, in bytes */

/* Sorts n items of size bytes at base: by key(item), ties by cmp, which
 * must agree with the key (items with smaller keys compare smaller).
 * -1 if out of memory (base is then unchanged). */
int keysort(void *base, size_t n, size_t size, uint64_t (*key)(const void *),
	    int (*cmp)(const void *, const void *), struct keysort_scratch *s);
void keysort_free(struct keysort_scratch *s);

#endif
