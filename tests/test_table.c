/* test_table.c - the flow table: lookup, bounds, window flush order and
 * backward-shift deletion checked against a plain array model. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "capture/flow/table.h"

static struct flow_key key(uint32_t n, uint32_t wstart)
{
	struct flow_key k;
	uint8_t a[4] = {10, 0, (uint8_t)(n >> 8), (uint8_t)n};
	uint8_t b[4] = {192, 0, 2, (uint8_t)(n >> 16)};

	memset(&k, 0, sizeof(k));
	ip_addr_from_v4(&k.src, a);
	ip_addr_from_v4(&k.dst, b);
	k.sport = (uint16_t)n;
	k.dport = 443;
	k.proto = 6;
	k.wstart = wstart;
	return k;
}

static void test_get_finds_same_flow(void **state)
{
	struct flow_table t;
	(void)state;
	assert_int_equal(flow_table_init(&t, 100, 42), 0);
	struct flow_key k = key(1, 60);
	struct flow *f = flow_table_get(&t, &k, 60, 0);
	assert_non_null(f);
	f->packets = 7;
	assert_ptr_equal(flow_table_get(&t, &k, 60, 0), f);
	assert_int_equal(flow_table_get(&t, &k, 60, 0)->packets, 7);
	/* The same tuple in the next window is another flow. */
	struct flow_key k2 = key(1, 120);
	assert_ptr_not_equal(flow_table_get(&t, &k2, 60, 0), f);
	assert_int_equal(t.count, 2);
	assert_int_equal(t.nwin, 2);
	flow_table_free(&t);
}

static void test_full_table_refuses(void **state)
{
	struct flow_table t;
	(void)state;
	assert_int_equal(flow_table_init(&t, 3, 1), 0);
	for (uint32_t i = 0; i < 3; i++) {
		struct flow_key k = key(i, 0);
		assert_non_null(flow_table_get(&t, &k, 60, 0));
	}
	struct flow_key k = key(99, 0);
	assert_null(flow_table_get(&t, &k, 60, 0));
	struct flow_key k3 = key(98, 600);
	assert_null(flow_table_get(&t, &k3, 60, 0));
	assert_int_equal(t.refused, 2);
	/* A refused flow's window still exists, so SKIPDATA can be written. */
	assert_int_equal(t.nwin, 2);
	/* Existing flows are still found. */
	struct flow_key k0 = key(0, 0);
	assert_non_null(flow_table_get(&t, &k0, 60, 0));
	flow_table_free(&t);
}

struct seen {
	uint32_t wstart[8];
	size_t flows[8];
	size_t n;
};

/* Checks the flows handed out belong to the window, then does what a
 * callee may (emit.c sorts): reverses idx and overwrites the high halves.
 * The table must take the entries back from the places alone. */
static int record_window(void *ctx, const struct flow_window *w, const struct flow *pool,
			 uint64_t *idx, size_t n)
{
	struct seen *s = ctx;
	for (size_t i = 0; i < n; i++)
		assert_int_equal(pool[(uint32_t)idx[i]].key.wstart, w->wstart);
	for (size_t i = 0; i < n / 2; i++) {
		uint64_t x = idx[i];
		idx[i] = idx[n - 1 - i];
		idx[n - 1 - i] = x;
	}
	for (size_t i = 0; i < n; i++)
		idx[i] |= 0xffffffffull << 32;
	s->wstart[s->n] = w->wstart;
	s->flows[s->n++] = n;
	return 0;
}

static void test_flush_order_and_bound(void **state)
{
	struct flow_table t;
	struct seen s = {0};
	(void)state;
	assert_int_equal(flow_table_init(&t, 1000, 7), 0);
	uint32_t starts[] = {180, 60, 120, 60, 180, 180};
	for (uint32_t i = 0; i < 6; i++) {
		struct flow_key k = key(i, starts[i]);
		assert_non_null(flow_table_get(&t, &k, 60, 0));
	}
	assert_int_equal(flow_table_next_close(&t), 120);
	/* At 180 the windows [60,120) and [120,180) have ended, not [180,240). */
	assert_int_equal(flow_table_flush(&t, 180, record_window, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.wstart[0], 60);
	assert_int_equal(s.flows[0], 2);
	assert_int_equal(s.wstart[1], 120);
	assert_int_equal(s.flows[1], 1);
	assert_int_equal(t.count, 3);
	assert_int_equal(flow_table_next_close(&t), 240);
	assert_int_equal(flow_table_flush(&t, INT64_MAX, record_window, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.flows[2], 3);
	assert_int_equal(t.count, 0);
	assert_int_equal(flow_table_next_close(&t), INT64_MAX);
	flow_table_free(&t);
}

static int noop(void *ctx, const struct flow_window *w, const struct flow *pool, uint64_t *idx,
		size_t n)
{
	(void)ctx, (void)w, (void)pool, (void)idx, (void)n;
	return 0;
}

/* Many windows come and go; every flow still in the table must be found
 * and every flushed one must be gone. Exercises index growth and
 * backward-shift deletion across wrap-around. */
static void test_churn_against_model(void **state)
{
	struct flow_table t;
	(void)state;
	assert_int_equal(flow_table_init(&t, 6000, 3), 0);
	for (uint32_t w = 0; w < 40; w++) {
		for (uint32_t i = 0; i < 3000; i++) {
			struct flow_key k = key(i * 3001u + w, w * 60);
			struct flow *f = flow_table_get(&t, &k, 60, 0);
			assert_non_null(f);
			f->packets++;
		}
		/* Keep one window open: close everything before this one. */
		assert_int_equal(flow_table_flush(&t, (int64_t)w * 60, noop, NULL), 0);
		assert_int_equal(t.count, 3000);
		for (uint32_t i = 0; i < 3000; i++) {
			struct flow_key k = key(i * 3001u + w, w * 60);
			struct flow *f = flow_table_get(&t, &k, 60, 0);
			assert_int_equal(f->packets, 1);
		}
		assert_int_equal(t.count, 3000);
	}
	/* Windows of equal size: flows removed one by one, never a rebuild. */
	assert_int_equal(t.rebuilds, 0);
	flow_table_free(&t);
}

/* A window that holds nearly every flow is closed by emptying the index
 * and putting back the next window's flows: those must still be found
 * (same flow, same counts), the closed ones must be gone, and new flows
 * must go in and be found. */
static void test_close_big_window(void **state)
{
	struct flow_table t;
	(void)state;
	assert_int_equal(flow_table_init(&t, 6000, 11), 0);
	for (uint32_t i = 0; i < 2000; i++) {
		struct flow_key k = key(i, 0);
		flow_table_get(&t, &k, 60, 0)->packets = 1;
	}
	for (uint32_t i = 0; i < 100; i++) {
		struct flow_key k = key(i * 7, 60);
		flow_table_get(&t, &k, 60, 0)->packets = 2 + i;
	}
	assert_int_equal(flow_table_flush(&t, 60, noop, NULL), 0);
	assert_int_equal(t.rebuilds, 1);
	assert_int_equal(t.count, 100);
	for (uint32_t i = 0; i < 100; i++) {
		struct flow_key k = key(i * 7, 60);
		assert_int_equal(flow_table_get(&t, &k, 60, 0)->packets, 2 + i);
	}
	assert_int_equal(t.count, 100);
	for (uint32_t i = 0; i < 2000; i++) {
		struct flow_key k = key(i, 120);
		flow_table_get(&t, &k, 60, 0)->packets = 5;
		struct flow_key old = key(i, 0);
		assert_int_equal(flow_table_get(&t, &old, 60, 0)->packets, 0);
	}
	assert_int_equal(t.count, 4100);
	for (uint32_t i = 0; i < 2000; i++) {
		struct flow_key k = key(i, 120);
		assert_int_equal(flow_table_get(&t, &k, 60, 0)->packets, 5);
	}
	assert_int_equal(t.count, 4100);
	flow_table_free(&t);
}

/* A closed window's pool entries are taken again, highest first (new
 * flows fill the pool from one end), before any never used; the window
 * open meanwhile grows into the closed one's array, its flows kept, and
 * a window made after takes that array at once. */
static void test_freed_entries_reused(void **state)
{
	struct flow_table t;
	struct seen s = {0};
	(void)state;
	assert_int_equal(flow_table_init(&t, 1000, 5), 0);
	for (uint32_t i = 0; i < 500; i++) {
		struct flow_key k = key(i, 0);
		assert_non_null(flow_table_get(&t, &k, 60, 0));
	}
	for (uint32_t i = 0; i < 20; i++) {
		struct flow_key k = key(i, 60);
		assert_int_equal(flow_table_get(&t, &k, 60, 0) - t.flows, 500 + i);
	}
	const uint64_t *closed = t.win[0].idx;
	assert_int_equal(flow_table_flush(&t, 60, noop, NULL), 0);
	assert_int_equal(t.nfree, 500);
	assert_ptr_equal(t.spare, closed);
	/* The open window's array of 32 fills, then moves into the spare
	 * (512): room for all its 500 flows. */
	for (uint32_t i = 20; i < 500; i++) {
		struct flow_key k = key(i, 60);
		assert_int_equal(flow_table_get(&t, &k, 60, 0) - t.flows, 499 - (i - 20));
	}
	assert_ptr_equal(t.win[0].idx, closed);
	assert_null(t.spare);
	assert_int_equal(t.nfree, 20);
	struct flow_key next = key(500, 60);
	assert_int_equal(flow_table_get(&t, &next, 60, 0) - t.flows, 19);
	assert_int_equal(t.top, 520);
	for (uint32_t i = 0; i <= 500; i++) {
		struct flow_key k = key(i, 60);
		assert_int_equal(flow_table_get(&t, &k, 60, 0)->key.sport, (uint16_t)i);
	}
	assert_int_equal(t.count, 501);
	assert_int_equal(flow_table_flush(&t, 120, record_window, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.flows[0], 501);
	assert_int_equal(t.nfree, 520);
	/* Nothing open: the next window starts in the spare, with the
	 * highest free entry. */
	struct flow_key late = key(7, 180);
	assert_int_equal(flow_table_get(&t, &late, 60, 0) - t.flows, 519);
	assert_ptr_equal(t.win[0].idx, closed);
	flow_table_free(&t);
}

/* A window that closes while a bigger spare is kept gives its array back
 * and leaves the spare; a bigger one replaces it. */
static void test_spare_kept_is_biggest(void **state)
{
	struct flow_table t;
	(void)state;
	assert_int_equal(flow_table_init(&t, 1000, 9), 0);
	for (uint32_t i = 0; i < 500; i++) {
		struct flow_key k = key(i, 0);
		assert_non_null(flow_table_get(&t, &k, 60, 0));
	}
	for (uint32_t i = 0; i < 10; i++) {
		struct flow_key k = key(i, 60);
		assert_non_null(flow_table_get(&t, &k, 60, 0));
	}
	const uint64_t *big = t.win[0].idx;
	assert_int_equal(flow_table_flush(&t, 60, noop, NULL), 0);
	assert_ptr_equal(t.spare, big);
	assert_int_equal(t.spare_cap, 512);
	/* The open window (16 entries) has not grown since: it closes with
	 * the spare still kept. */
	assert_int_equal(t.win[0].cap, 16);
	assert_int_equal(flow_table_flush(&t, 120, noop, NULL), 0);
	assert_ptr_equal(t.spare, big);
	assert_int_equal(t.spare_cap, 512);
	assert_int_equal(t.nfree, 510);
	flow_table_free(&t);
}

static void test_aws_tcp_flags(void **state)
{
	(void)state;
	assert_int_equal(flow_tcp_flags(0x02), 2);        /* SYN */
	assert_int_equal(flow_tcp_flags(0x12), 18);       /* SYN-ACK */
	assert_int_equal(flow_tcp_flags(0x11), 1);        /* FIN-ACK */
	assert_int_equal(flow_tcp_flags(0x14), 4);        /* RST-ACK */
	assert_int_equal(flow_tcp_flags(0x18), 0);        /* PSH-ACK */
	assert_int_equal(flow_tcp_flags(0x10), 0);        /* ACK */
	assert_int_equal(flow_tcp_flags(0x42), 2);        /* SYN+ECE */
	assert_int_equal(flow_tcp_flags(0xe0), 0);        /* URG ECE CWR */
	assert_int_equal(flow_tcp_flags(0x03) | flow_tcp_flags(0x12), 19);
}

static void test_bad_bounds(void **state)
{
	struct flow_table t;
	(void)state;
	assert_int_equal(flow_table_init(&t, 0, 1), -1);
	assert_int_equal(flow_table_init(&t, (1u << 30) + 1, 1), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_finds_same_flow),
		cmocka_unit_test(test_full_table_refuses),
		cmocka_unit_test(test_flush_order_and_bound),
		cmocka_unit_test(test_churn_against_model),
		cmocka_unit_test(test_close_big_window),
		cmocka_unit_test(test_freed_entries_reused),
		cmocka_unit_test(test_spare_kept_is_biggest),
		cmocka_unit_test(test_aws_tcp_flags),
		cmocka_unit_test(test_bad_bounds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
