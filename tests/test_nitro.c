/* test_nitro.c - the Nitro table of spec 6.3. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "capture/vpc/nitro.h"

static bool nitro(const char *type)
{
	const char *why = NULL;
	bool r = nitro_instance_type(type, &why);
	assert_non_null(why);
	return r;
}

static void test_documented_families(void **state)
{
	(void)state;
	assert_true(nitro("t3.micro"));
	assert_true(nitro("t3a.nano"));
	assert_true(nitro("m5.large"));
	assert_true(nitro("c6gn.16xlarge"));
	assert_true(nitro("p3dn.24xlarge"));
	assert_true(nitro("u-6tb1.metal"));
	assert_true(nitro("z1d.large"));
	assert_true(nitro("T3.MICRO"));
	assert_false(nitro("t2.micro"));
	assert_false(nitro("m4.large"));
	assert_false(nitro("p3.2xlarge"));
	assert_false(nitro("i3.large"));
	assert_false(nitro("x1e.xlarge"));
	assert_false(nitro("m3.medium"));
}

static void test_metal_and_newer(void **state)
{
	const char *why;
	(void)state;
	assert_true(nitro("i3.metal"));
	assert_true(nitro("mac1.metal"));
	assert_true(nitro_instance_type("m7i.large", &why));
	assert_string_equal(why, "generation 5 or newer, not on the documented list");
	assert_true(nitro("c8g.medium"));
	assert_true(nitro("r7iz.large"));
	assert_false(nitro_instance_type("q2.large", &why));
	assert_string_equal(why, "unknown family, taken as Xen");
}

static void test_no_type(void **state)
{
	const char *why;
	(void)state;
	assert_false(nitro_instance_type(NULL, &why));
	assert_string_equal(why, "no instance type");
	assert_false(nitro(""));
	assert_true(nitro("t3"));  /* a family without a size */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documented_families),
		cmocka_unit_test(test_metal_and_newer),
		cmocka_unit_test(test_no_type),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
