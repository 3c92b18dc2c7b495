/* test_spans.c - spans filled on two threads come back in order, whole,
 * with their counters: many spans of unequal cost, one span, none, a run
 * after a run (the helper follows), and a take that fails stops the run
 * with nothing more taken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/spans.h"

struct job {
	size_t taken;           /* spans taken so far, in order */
	size_t fail_at;         /* take returns -1 for this span */
	uint64_t total;         /* sum of count[0] */
	char text[64];
};

/* Span i is "i:" and i % 7 * 1000 dots, so spans take unequal times. */
static void fill(void *ctx, size_t i, struct span *sp)
{
	(void)ctx;
	size_t dots = i % 7 * 1000;
	char *p = span_room(sp, 32 + dots);
	if (!p)
		return;
	int n = snprintf(p, 32, "%zu:", i);
	memset(p + n, '.', dots);
	sp->len += (size_t)n + dots;
	sp->count[0] = i;
}

static int take(void *ctx, size_t i, struct span *sp)
{
	struct job *j = ctx;
	char want[32];
	int n = snprintf(want, sizeof(want), "%zu:", i);

	assert_int_equal(i, j->taken);
	assert_false(sp->failed);
	assert_int_equal(sp->len, (size_t)n + i % 7 * 1000);
	assert_memory_equal(sp->buf, want, (size_t)n);
	for (size_t k = (size_t)n; k < sp->len; k++)
		assert_int_equal(sp->buf[k], '.');
	j->total += sp->count[0];
	j->taken++;
	return i == j->fail_at ? -1 : 0;
}

static void test_in_order(void **state)
{
	struct spans *s = spans_start();
	(void)state;

	assert_non_null(s);
	for (size_t n = 0; n < 3; n++) {
		struct job j = {0, SIZE_MAX, 0, ""};
		assert_int_equal(spans_run(s, n, fill, take, &j), 0);
		assert_int_equal(j.taken, n);
	}
	for (int round = 0; round < 20; round++) {
		struct job j = {0, SIZE_MAX, 0, ""};
		assert_int_equal(spans_run(s, 500, fill, take, &j), 0);
		assert_int_equal(j.taken, 500);
		assert_int_equal(j.total, 499 * 500 / 2);
	}
	spans_stop(s);
}

static void test_failed_take_stops(void **state)
{
	struct spans *s = spans_start();
	(void)state;

	assert_non_null(s);
	struct job j = {0, 37, 0, ""};
	assert_int_equal(spans_run(s, 1000, fill, take, &j), -1);
	assert_int_equal(j.taken, 38);
	/* The helper is back to idle: the next run is whole. */
	struct job k = {0, SIZE_MAX, 0, ""};
	assert_int_equal(spans_run(s, 100, fill, take, &k), 0);
	assert_int_equal(k.taken, 100);
	spans_stop(s);
	spans_stop(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_in_order),
		cmocka_unit_test(test_failed_take_stops),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
