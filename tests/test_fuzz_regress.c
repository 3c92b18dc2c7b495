/* test_fuzz_regress.c - every input the fuzz targets (fuzz/) found, fed
 * again to the API that failed on it. Each test is named after what it
 * found; the inputs that are files are in tests/data/fuzz/. Most of these
 * fail only under ASan/UBSan (-Db_sanitize=address,undefined), which is how
 * CI runs the suite. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "capture/flow/table.h"

#ifndef SOURCE_ROOT
#define SOURCE_ROOT "."
#endif
#define FUZZ_DATA SOURCE_ROOT "/tests/data/fuzz/"

/* fuzz_pcap, first packet of any capture: window_get() formed
 * t->win + t->last_win while t->win was still NULL (UBSan: "applying zero
 * offset to null pointer", capture/flow/table.c). */
static void test_table_first_window_null_offset(void **state)
{
	struct flow_table t;
	struct flow_key k;
	uint8_t a[4] = {10, 0, 1, 10}, b[4] = {192, 0, 2, 123};

	(void)state;
	assert_int_equal(flow_table_init(&t, 8, 1), 0);
	memset(&k, 0, sizeof(k));
	ip_addr_from_v4(&k.src, a);
	ip_addr_from_v4(&k.dst, b);
	k.proto = 17;
	k.wstart = 1768471200;
	assert_non_null(flow_table_get(&t, &k, 60));
	assert_int_equal(t.nwin, 1);
	flow_table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_first_window_null_offset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
