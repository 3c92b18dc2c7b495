/* keysort.c - LSD radix sort on the high halves of 64-bit values, then a
 * stable sort of each run of equal high halves by the comparator
 * (keysort.h): insertion sort for short runs, a bottom-up merge sort over
 * them for long ones (one ENI with 100k flows that started in the same
 * second is one run). */
#include "capture/keysort.h"

#include <string.h>

#include "formats/mem.h"

static int reserve(struct keysort_scratch *s, size_t n)
{
	if (n <= s->cap)
		return 0;
	uint64_t *p = vfe_realloc(s->tmp, n * sizeof(*p));
	if (!p)
		return -1;
	s->tmp = p;
	s->cap = n;
	return 0;
}

#define DIGIT_MAX 11     /* bits: a histogram of 8 KiB, in the L1 cache */

/* One stable counting pass on the digit of the values at bit shift, of
 * width bits, from a to out, with that digit's histogram. A digit that is
 * the same in every value needs no pass (0 returned). */
static int pass(const uint64_t *a, uint64_t *out, size_t n, unsigned shift, unsigned width,
		uint32_t *count)
{
	uint32_t pos = 0, mask = (1u << width) - 1;

	for (unsigned d = 0; d <= mask; d++) {
		uint32_t c = count[d];
		if (c == n)
			return 0;
		count[d] = pos;
		pos += c;
	}
	for (size_t i = 0; i < n; i++)
		out[count[(a[i] >> shift) & mask]++] = a[i];
	return 1;
}

/* Insertion sort of n values at a: stable, for short runs. */
static void insertion(uint64_t *a, size_t n, keysort_cmp cmp, void *ctx)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = a[i];
		size_t j = i;
		for (; j > 0 && cmp(a[j - 1], x, ctx) > 0; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

/* Merges the sorted halves [lo, mid) and [mid, hi) of src into dst; ties
 * take the left one, so the sort stays stable. */
static void merge(const uint64_t *src, uint64_t *dst, size_t lo, size_t mid, size_t hi,
		  keysort_cmp cmp, void *ctx)
{
	size_t i = lo, j = mid, k = lo;

	while (i < mid && j < hi)
		dst[k++] = cmp(src[j], src[i], ctx) < 0 ? src[j++] : src[i++];
	while (i < mid)
		dst[k++] = src[i++];
	while (j < hi)
		dst[k++] = src[j++];
}

#define SHORT_RUN 16

/* Stable sort of the n values at a, with aux (n values) as scratch. */
static void sort_run(uint64_t *a, uint64_t *aux, size_t n, keysort_cmp cmp, void *ctx)
{
	for (size_t lo = 0; lo < n; lo += SHORT_RUN)
		insertion(a + lo, n - lo < SHORT_RUN ? n - lo : SHORT_RUN, cmp, ctx);
	uint64_t *src = a, *dst = aux;
	for (size_t width = SHORT_RUN; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = mid + width < n ? mid + width : n;
			merge(src, dst, lo, mid, hi, cmp, ctx);
		}
		uint64_t *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof(*a));
}

/* keysort_radix() of n >= 2 values at v, with n values of scratch at tmp
 * and the histograms count. */
static void radix(uint64_t *v, size_t n, uint64_t *tmp, uint32_t (*count)[1u << DIGIT_MAX])
{
	/* Only the bits up to the highest one in which some high half
	 * differs from the first are sorted on (above it they are all the
	 * same), in as few digits of up to DIGIT_MAX bits as cover them: a
	 * window's (start, ENI rank) keys use 15 to 25 bits, two or three
	 * passes. */
	uint32_t any = 0, first = (uint32_t)(v[0] >> 32);
	for (size_t i = 0; i < n; i++)
		any |= (uint32_t)(v[i] >> 32) ^ first;
	unsigned bits = any ? 32 - (unsigned)__builtin_clz(any) : 0;
	unsigned passes = (bits + DIGIT_MAX - 1) / DIGIT_MAX;
	if (passes == 0)
		return;
	unsigned width = (bits + passes - 1) / passes;
	uint32_t mask = (1u << width) - 1;
	/* Every histogram in one read of the values. */
	for (unsigned p = 0; p < passes; p++)
		memset(count[p], 0, (mask + 1) * sizeof(count[p][0]));
	for (size_t i = 0; i < n; i++) {
		uint32_t k = (uint32_t)(v[i] >> 32);
		for (unsigned p = 0; p < passes; p++)
			count[p][(k >> (p * width)) & mask]++;
	}
	uint64_t *a = v, *other = tmp;
	for (unsigned p = 0; p < passes; p++) {
		if (pass(a, other, n, 32 + p * width, width, count[p])) {
			uint64_t *t = a;
			a = other;
			other = t;
		}
	}
	if (a != v)
		memcpy(v, a, n * sizeof(*v));
}

int keysort_radix(uint64_t *v, size_t n, struct keysort_scratch *s)
{
	if (n < 2)
		return 0;
	if (n > UINT32_MAX || reserve(s, n) != 0)
		return -1;
	radix(v, n, s->tmp, s->count);
	return 0;
}

/* Stable insertion sort of n values by their high halves alone: for the
 * short groups of keysort_radix_grouped(). */
static void insertion_by_key(uint64_t *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		uint64_t x = a[i];
		size_t j = i;
		for (; j > 0 && a[j - 1] >> 32 > x >> 32; j--)
			a[j] = a[j - 1];
		a[j] = x;
	}
}

#define SHORT_GROUP 32

static uint32_t group_of(uint64_t v, unsigned low_bits)
{
	return (uint32_t)(v >> 32) >> low_bits;
}

/* Sorts each group of v[lo..hi) (whole groups) by the rest of the high
 * halves: in the cache, one group after the other. */
static void sort_groups(uint64_t *v, size_t lo, size_t hi, unsigned low_bits, uint64_t *tmp,
			uint32_t (*count)[1u << DIGIT_MAX])
{
	for (size_t end; lo < hi; lo = end) {
		uint32_t group = group_of(v[lo], low_bits);
		for (end = lo + 1; end < hi && group_of(v[end], low_bits) == group; end++)
			;
		if (end - lo <= SHORT_GROUP)
			insertion_by_key(v + lo, end - lo);
		else
			radix(v + lo, end - lo, tmp + lo, count);
	}
}

size_t keysort_groups_ready(const uint64_t *v, size_t n, unsigned low_bits,
			    struct keysort_scratch *s)
{
	size_t biggest = 0, lo = 0;

	if (low_bits >= 32 || n > UINT32_MAX || reserve(s, n) != 0)
		return SIZE_MAX;
	for (size_t i = 1; i <= n; i++) {
		if (i < n && group_of(v[i], low_bits) == group_of(v[i - 1], low_bits))
			continue;
		if (i < n && group_of(v[i], low_bits) < group_of(v[i - 1], low_bits))
			return SIZE_MAX;
		biggest = i - lo > biggest ? i - lo : biggest;
		lo = i;
	}
	return biggest;
}

void keysort_groups(uint64_t *v, size_t lo, size_t hi, unsigned low_bits,
		    struct keysort_scratch *s)
{
	/* Histograms of its own (24 KiB of stack): the other thread may
	 * be sorting another stretch. */
	uint32_t count[3][1u << DIGIT_MAX];

	sort_groups(v, lo, hi, low_bits, s->tmp, count);
}

int keysort_radix_grouped(uint64_t *v, size_t n, unsigned low_bits, struct keysort_scratch *s)
{
	if (n < 2)
		return 0;
	if (keysort_groups_ready(v, n, low_bits, s) == SIZE_MAX)
		return keysort_radix(v, n, s);
	sort_groups(v, 0, n, low_bits, s->tmp, s->count);
	return 0;
}

size_t keysort_run_end(const uint64_t *v, size_t n, size_t lo)
{
	size_t hi = lo + 1;

	while (hi < n && v[hi] >> 32 == v[lo] >> 32)
		hi++;
	return hi;
}

void keysort_run(uint64_t *v, size_t lo, size_t hi, keysort_cmp cmp, void *ctx,
		 struct keysort_scratch *s)
{
	if (hi - lo > 1)
		sort_run(v + lo, s->tmp + lo, hi - lo, cmp, ctx);
}

int keysort(uint64_t *v, size_t n, keysort_cmp cmp, void *ctx, struct keysort_scratch *s)
{
	if (keysort_radix(v, n, s) != 0)
		return -1;
	for (size_t lo = 0, hi; lo < n; lo = hi) {
		hi = keysort_run_end(v, n, lo);
		keysort_run(v, lo, hi, cmp, ctx, s);
	}
	return 0;
}

void keysort_free(struct keysort_scratch *s)
{
	vfe_free(s->tmp);
	s->tmp = NULL;
	s->cap = 0;
}
