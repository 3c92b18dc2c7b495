/* test_keysort.c - keysort gives qsort's order: random values with many
 * equal high halves, high halves that differ only in their top byte, of
 * every width, one value, all equal; it is stable; and one long run of equal high halves
 * costs n log n comparisons, not n^2 (one ENI, 100k flows started in the
 * same second). The grouped radix sort gives the same order, in order or
 * not. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/keysort.h"

/* The low half of a value is a place in a table of tie-breakers, as a
 * flow's place in the pool is for emit.c. */
struct ties {
	const uint64_t *tie;
	unsigned long ncmp;     /* comparisons made */
};

static int cmp_ties(uint64_t a, uint64_t b, void *ctx)
{
	struct ties *t = ctx;
	uint64_t x = t->tie[(uint32_t)a], y = t->tie[(uint32_t)b];

	t->ncmp++;
	return (x > y) - (x < y);
}

static const uint64_t *qsort_tie;

/* The reference order: high half, then the tie-breaker, then the place
 * (so equal tie-breakers keep their input order: stability). */
static int cmp_ref(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
	uint64_t x = qsort_tie[(uint32_t)a], y = qsort_tie[(uint32_t)b];

	if (a >> 32 != b >> 32)
		return a >> 32 < b >> 32 ? -1 : 1;
	if (x != y)
		return x < y ? -1 : 1;
	return (uint32_t)a < (uint32_t)b ? -1 : (uint32_t)a > (uint32_t)b;
}

static uint64_t next(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

/* n values with high halves (random % hmod) << hshift and tie-breakers
 * random % tmod; keysort must give exactly the reference order. */
static void check(size_t n, uint32_t hmod, uint32_t hshift, uint64_t tmod)
{
	uint64_t *v = calloc(n + 1, sizeof(*v)), *w = calloc(n + 1, sizeof(*w));
	uint64_t *tie = calloc(n + 1, sizeof(*tie));
	struct keysort_scratch s;
	uint64_t seed = n * 31 + hmod;
	struct ties t = {tie, 0};

	memset(&s, 0, sizeof(s));
	assert_non_null(v);
	assert_non_null(w);
	assert_non_null(tie);
	for (size_t i = 0; i < n; i++) {
		uint32_t high = (uint32_t)(next(&seed) % hmod) << hshift;
		v[i] = (uint64_t)high << 32 | (uint32_t)i;
		tie[i] = next(&seed) % tmod;
	}
	memcpy(w, v, n * sizeof(*v));
	qsort_tie = tie;
	qsort(w, n, sizeof(*w), cmp_ref);
	assert_int_equal(keysort(v, n, cmp_ties, &t, &s), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], w[i]);
	keysort_free(&s);
	free(v);
	free(w);
	free(tie);
}

static void test_orders(void **state)
{
	(void)state;
	check(0, 1, 0, 1);
	check(1, 5, 0, 5);
	check(2, 1, 0, 1);
	check(1000, 60u * 4000, 0, 1000);     /* a window: 60 starts, thousands of ENIs */
	check(5000, 6, 0, 7);                 /* long runs, many equal tie-breakers */
	check(3000, 100, 24, 50);             /* high halves differ in the top byte only */
	check(20000, UINT32_MAX, 0, 1u << 31);
	check(70000, 1, 0, 3);                /* one run: the merge sort, stability */
	/* High halves of every width around a digit's (one to three passes
	 * of up to 11 bits, as wide as the highest bit set). */
	for (uint32_t bits = 1; bits <= 32; bits++)
		check(3000, bits == 32 ? UINT32_MAX : 1u << bits, 0, 9);
	check(3000, 4, 30, 9);                /* only the top two bits differ */
}

/* 100k values with one high half: sorted, in fewer than 2 n log2 n
 * comparisons (insertion sort of the run would take about n^2 / 4). */
static void test_long_run(void **state)
{
	size_t n = 100000;
	uint64_t *v = calloc(n, sizeof(*v)), *tie = calloc(n, sizeof(*tie));
	struct keysort_scratch s;
	uint64_t seed = 11;
	struct ties t = {tie, 0};

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_non_null(v);
	assert_non_null(tie);
	for (size_t i = 0; i < n; i++) {
		v[i] = (uint64_t)5 << 32 | (uint32_t)i;
		tie[i] = next(&seed);
	}
	assert_int_equal(keysort(v, n, cmp_ties, &t, &s), 0);
	assert_true(t.ncmp < 2 * n * 17);
	for (size_t i = 1; i < n; i++)
		assert_true(tie[(uint32_t)v[i - 1]] <= tie[(uint32_t)v[i]]);
	keysort_free(&s);
	free(v);
	free(tie);
}

/* By high half, then input order (the low half): a stable sort's. */
static int cmp_stable(const void *pa, const void *pb)
{
	uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;

	if (a >> 32 != b >> 32)
		return a >> 32 < b >> 32 ? -1 : 1;
	return (uint32_t)a < (uint32_t)b ? -1 : (uint32_t)a > (uint32_t)b;
}

static uint32_t top(uint64_t v, unsigned low_bits)
{
	return low_bits >= 32 ? 0 : (uint32_t)(v >> 32) >> low_bits;
}

/* keysort_groups_ready() on the unsorted values u: the biggest group, or
 * SIZE_MAX when they are not in group order; then keysort_groups() on
 * stretches of whole groups (some 1,000 values), the last first, as two
 * threads may sort them: the same order as one sort (want), and nothing
 * touched outside the stretch, in the scratch or its histograms (what
 * the other thread may be using meanwhile). */
static void check_stretches(uint64_t *u, const uint64_t *want, size_t n, unsigned low_bits,
			    bool ordered)
{
	struct keysort_scratch s;
	size_t biggest = 0, run = 0, cut[64], ncut = 0;

	memset(&s, 0, sizeof(s));
	for (size_t i = 0; i < n; i++) {
		run = i > 0 && top(u[i], low_bits) == top(u[i - 1], low_bits) ? run + 1 : 1;
		biggest = run > biggest ? run : biggest;
	}
	size_t got = keysort_groups_ready(u, n, low_bits, &s);
	if (!ordered || low_bits >= 32) {
		assert_int_equal(got, SIZE_MAX);
		keysort_free(&s);
		return;
	}
	assert_int_equal(got, biggest);
	if (n == 0) {
		keysort_free(&s);
		return;
	}
	cut[ncut++] = 0;
	for (size_t i = 1; i < n; i++)
		if (top(u[i], low_bits) != top(u[i - 1], low_bits) && i - cut[ncut - 1] >= 1000 &&
		    ncut < 63)
			cut[ncut++] = i;
	cut[ncut] = n;
	for (size_t k = ncut; k-- > 0;) {
		memset(s.tmp, 0xa5, n * sizeof(*s.tmp));
		memset(s.count, 0x5a, sizeof(s.count));
		keysort_groups(u, cut[k], cut[k + 1], low_bits, &s);
		for (size_t i = 0; i < n; i++)
			if (i < cut[k] || i >= cut[k + 1])
				assert_int_equal(s.tmp[i], 0xa5a5a5a5a5a5a5a5ull);
		const size_t row = sizeof(s.count[0]) / sizeof(s.count[0][0]);
		for (size_t i = 0; i < sizeof(s.count) / sizeof(s.count[0][0]); i++)
			assert_int_equal(s.count[i / row][i % row], 0x5a5a5a5au);
	}
	for (size_t i = 0; i < n; i++)
		assert_int_equal(u[i], want[i]);
	keysort_free(&s);
}

/* n values whose top bits (above low_bits) are groups in order, each of
 * 1 to maxgroup values, and whose low bits are random % lmod (so some are
 * equal); shuffled first when unordered. keysort_radix_grouped() must
 * give the stable order, as keysort_radix() does, and so must the
 * stretches of check_stretches(). */
static void check_grouped(size_t n, unsigned low_bits, size_t maxgroup, uint32_t lmod,
			  bool unordered)
{
	uint64_t *v = calloc(n + 1, sizeof(*v)), *w = calloc(n + 1, sizeof(*w));
	uint64_t *u = calloc(n + 1, sizeof(*u));
	struct keysort_scratch s;
	uint64_t seed = n * 7 + low_bits;
	uint32_t group = 0;

	memset(&s, 0, sizeof(s));
	assert_non_null(v);
	assert_non_null(w);
	assert_non_null(u);
	for (size_t i = 0, left = 0; i < n; i++) {
		if (left == 0) {
			group += 1 + (uint32_t)(next(&seed) % 3);
			left = 1 + next(&seed) % maxgroup;
		}
		left--;
		uint32_t low = (uint32_t)(next(&seed) % lmod);
		uint32_t high = low_bits >= 32 ? low : group << low_bits | low;
		v[i] = (uint64_t)high << 32;
	}
	for (size_t i = n; unordered && i > 1; i--) {
		size_t j = next(&seed) % i;
		uint64_t x = v[i - 1];
		v[i - 1] = v[j];
		v[j] = x;
	}
	for (size_t i = 0; i < n; i++)
		v[i] |= (uint32_t)i;
	memcpy(w, v, n * sizeof(*v));
	memcpy(u, v, n * sizeof(*v));
	qsort(w, n, sizeof(*w), cmp_stable);
	assert_int_equal(keysort_radix_grouped(v, n, low_bits, &s), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(v[i], w[i]);
	check_stretches(u, w, n, low_bits, !unordered);
	keysort_free(&s);
	free(v);
	free(w);
	free(u);
}

/* Grouped: a window's shape (60 seconds of thousands of flows each, the
 * ENI's rank below), groups of every size around the short-group sort's,
 * low parts of one value (all equal: stability) to 22 bits, no low bits,
 * and input out of order, which falls back to the whole sort. */
static void test_grouped(void **state)
{
	(void)state;
	check_grouped(0, 12, 1, 1, false);
	check_grouped(1, 12, 1, 4000, false);
	check_grouped(220000, 12, 7400, 4000, false);
	check_grouped(20000, 12, 64, 4000, false);
	check_grouped(20000, 5, 33, 32, false);
	check_grouped(20000, 9, 40, 1, false);
	check_grouped(20000, 22, 500, 1u << 22, false);
	check_grouped(5000, 0, 50, 1, false);
	check_grouped(5000, 26, 2500, 1u << 26, false);
	check_grouped(5000, 32, 50, 1000, false);
	check_grouped(20000, 12, 200, 4000, true);
	check_grouped(20000, 12, 3, 2, true);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_long_run),
		cmocka_unit_test(test_grouped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
