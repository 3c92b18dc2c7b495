/* test_keysort.c - keysort gives qsort's order: random items with many
 * equal keys, keys that differ only in high bytes, one item, all equal;
 * it is stable; and one long run of equal keys costs n log n comparisons,
 * not n^2 (one ENI, 100k flows started in the same second). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/keysort.h"

struct item {
	uint32_t a, b;          /* the key: a, then b */
	uint64_t c;             /* ties */
	char pad[40];
};

static uint64_t key(const void *p)
{
	const struct item *it = p;

	return (uint64_t)it->a << 32 | it->b;
}

static unsigned long ncmp;      /* comparisons made */

static int cmp(const void *pa, const void *pb)
{
	const struct item *x = pa, *y = pb;

	ncmp++;
	if (x->a != y->a)
		return x->a < y->a ? -1 : 1;
	if (x->b != y->b)
		return x->b < y->b ? -1 : 1;
	return x->c < y->c ? -1 : x->c > y->c;
}

static uint64_t next(uint64_t *s)
{
	*s = *s * 6364136223846793005ull + 1442695040888963407ull;
	return *s >> 33;
}

static void check(size_t n, uint32_t amod, uint32_t bmod, uint32_t ashift)
{
	struct item *v = calloc(n + 1, sizeof(*v)), *w = calloc(n + 1, sizeof(*w));
	struct keysort_scratch s = {0};
	uint64_t seed = n * 31 + amod;

	assert_non_null(v);
	assert_non_null(w);
	for (size_t i = 0; i < n; i++) {
		v[i].a = (uint32_t)(next(&seed) % amod) << ashift;
		v[i].b = (uint32_t)(next(&seed) % bmod);
		v[i].c = next(&seed) % 7;
		snprintf(v[i].pad, sizeof(v[i].pad), "%zu", i);
	}
	memcpy(w, v, n * sizeof(*v));
	qsort(w, n, sizeof(*w), cmp);
	assert_int_equal(keysort(v, n, sizeof(*v), key, cmp, &s), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(cmp(v + i, w + i), 0);	/* the same order of keys and ties */
	keysort_free(&s);
	free(v);
	free(w);
}

static void test_orders(void **state)
{
	(void)state;
	check(0, 1, 1, 0);
	check(1, 5, 5, 0);
	check(2, 1, 1, 0);
	check(1000, 60, 4000, 0);	/* a window: 60 starts, thousands of ENIs */
	check(5000, 3, 2, 0);		/* long runs of equal keys */
	check(3000, 1000, 1, 20);	/* keys differ only in high bytes */
	check(20000, 1u << 31, 1u << 31, 0);
}

/* Items that compare equal stay in their input order (the pad holds it). */
static void test_stable(void **state)
{
	size_t n = 3000;
	struct item *v = calloc(n, sizeof(*v));
	struct keysort_scratch s = {0};
	uint64_t seed = 7;

	(void)state;
	assert_non_null(v);
	for (size_t i = 0; i < n; i++) {
		v[i].a = (uint32_t)(next(&seed) % 2);
		v[i].c = next(&seed) % 3;
		snprintf(v[i].pad, sizeof(v[i].pad), "%06zu", i);
	}
	assert_int_equal(keysort(v, n, sizeof(*v), key, cmp, &s), 0);
	for (size_t i = 1; i < n; i++)
		if (cmp(v + i - 1, v + i) == 0)
			assert_true(strcmp(v[i - 1].pad, v[i].pad) < 0);
	keysort_free(&s);
	free(v);
}

/* 100k items with one key: sorted, in fewer than 2 n log2 n comparisons
 * (insertion sort of the run would take about n^2 / 4 = 2.5e9). */
static void test_long_run(void **state)
{
	size_t n = 100000;
	struct item *v = calloc(n, sizeof(*v));
	struct keysort_scratch s = {0};
	uint64_t seed = 11;

	(void)state;
	assert_non_null(v);
	for (size_t i = 0; i < n; i++) {
		v[i].a = 5;
		v[i].c = next(&seed);
	}
	ncmp = 0;
	assert_int_equal(keysort(v, n, sizeof(*v), key, cmp, &s), 0);
	assert_true(ncmp < 2 * n * 17);
	for (size_t i = 1; i < n; i++)
		assert_true(v[i - 1].c <= v[i].c);
	keysort_free(&s);
	free(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_stable),
		cmocka_unit_test(test_long_run),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
