/* test_cursor.c - the bounds-checked cursor (capture/decode/cursor.h).
 * Every accessor at its exact boundary and one byte short of it, no advance
 * on failure, sub-cursors and clamping. Buffers sit at the end of a stack
 * array so that ASan would catch a read one past the end. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "capture/decode/cursor.h"

static const uint8_t bytes[8] = {0x01, 0x02, 0x03, 0x04,
				 0x05, 0x06, 0x07, 0x08};

/* A cursor over the last n bytes of bytes[]: its end is the array's end. */
static struct cursor tail(size_t n)
{
	struct cursor c;

	cur_init(&c, bytes + sizeof(bytes) - n, n);
	return c;
}

static void test_init_left(void **state)
{
	struct cursor c;

	(void)state;
	cur_init(&c, bytes, sizeof(bytes));
	assert_int_equal(cur_left(&c), 8);
	cur_init(&c, bytes, 0);
	assert_int_equal(cur_left(&c), 0);
	/* An empty capture may come with a NULL buffer. */
	cur_init(&c, NULL, 0);
	assert_int_equal(cur_left(&c), 0);
	assert_non_null(c.ptr);
	assert_true(cur_skip(&c, 0));
	assert_false(cur_skip(&c, 1));
}

static void test_u8(void **state)
{
	struct cursor c = tail(1);
	uint8_t v = 0xee;

	(void)state;
	assert_true(cur_peek_u8(&c, &v));
	assert_int_equal(v, 0x08);
	assert_int_equal(cur_left(&c), 1);
	assert_true(cur_get_u8(&c, &v));
	assert_int_equal(v, 0x08);
	assert_int_equal(cur_left(&c), 0);
	v = 0xee;
	assert_false(cur_get_u8(&c, &v));
	assert_false(cur_peek_u8(&c, &v));
	assert_int_equal(v, 0xee);
	assert_int_equal(cur_left(&c), 0);
}

static void test_be16(void **state)
{
	struct cursor c = tail(2);
	uint16_t v = 0;

	(void)state;
	assert_true(cur_peek_be16(&c, &v));
	assert_int_equal(v, 0x0708);
	assert_true(cur_get_be16(&c, &v));
	assert_int_equal(v, 0x0708);
	assert_int_equal(cur_left(&c), 0);

	c = tail(1);
	v = 0xeeee;
	assert_false(cur_peek_be16(&c, &v));
	assert_false(cur_get_be16(&c, &v));
	assert_int_equal(v, 0xeeee);
	assert_int_equal(cur_left(&c), 1);
}

static void test_be32(void **state)
{
	struct cursor c = tail(4);
	uint32_t v = 0;

	(void)state;
	assert_true(cur_get_be32(&c, &v));
	assert_int_equal(v, 0x05060708);
	assert_int_equal(cur_left(&c), 0);

	c = tail(3);
	v = 0xeeeeeeee;
	assert_false(cur_get_be32(&c, &v));
	assert_int_equal(v, 0xeeeeeeee);
	assert_int_equal(cur_left(&c), 3);

	/* Byte order does not depend on the host: high bit set too. */
	cur_init(&c, (const uint8_t[]){0xff, 0x00, 0x00, 0x01}, 4);
	assert_true(cur_get_be32(&c, &v));
	assert_int_equal(v, 0xff000001u);
}

static void test_bytes(void **state)
{
	struct cursor c = tail(5);
	uint8_t dst[8];

	(void)state;
	memset(dst, 0xee, sizeof(dst));
	assert_false(cur_get_bytes(&c, dst, 6));
	assert_int_equal(cur_left(&c), 5);
	assert_int_equal(dst[0], 0xee);
	assert_true(cur_get_bytes(&c, dst, 5));
	assert_memory_equal(dst, bytes + 3, 5);
	assert_int_equal(cur_left(&c), 0);
	assert_true(cur_get_bytes(&c, dst, 0));
	assert_false(cur_get_bytes(&c, dst, 1));
}

static void test_skip(void **state)
{
	struct cursor c = tail(8);

	(void)state;
	assert_false(cur_skip(&c, 9));
	assert_int_equal(cur_left(&c), 8);
	/* A huge n must not wrap the comparison. */
	assert_false(cur_skip(&c, SIZE_MAX));
	assert_int_equal(cur_left(&c), 8);
	assert_true(cur_skip(&c, 3));
	assert_int_equal(cur_left(&c), 5);
	assert_true(cur_skip(&c, 5));
	assert_int_equal(cur_left(&c), 0);
	assert_true(cur_skip(&c, 0));
	assert_false(cur_skip(&c, 1));
}

static void test_has(void **state)
{
	struct cursor c = tail(4);

	(void)state;
	assert_true(cur_has(&c, 0));
	assert_true(cur_has(&c, 4));
	assert_false(cur_has(&c, 5));
	assert_false(cur_has(&c, SIZE_MAX));
}

static void test_sub(void **state)
{
	struct cursor c = tail(8), sub = {NULL, NULL};
	uint8_t v;

	(void)state;
	assert_false(cur_sub(&c, 9, &sub));
	assert_null(sub.ptr);
	assert_int_equal(cur_left(&c), 8);

	assert_true(cur_sub(&c, 3, &sub));
	assert_int_equal(cur_left(&sub), 3);
	assert_int_equal(cur_left(&c), 5);
	assert_true(cur_get_u8(&sub, &v));
	assert_int_equal(v, 0x01);
	/* The sub-cursor ends at its n bytes, not at the parent's end. */
	assert_true(cur_skip(&sub, 2));
	assert_false(cur_get_u8(&sub, &v));
	assert_true(cur_get_u8(&c, &v));
	assert_int_equal(v, 0x04);

	assert_true(cur_sub(&c, 4, &sub));
	assert_int_equal(cur_left(&c), 0);
	assert_int_equal(cur_left(&sub), 4);
	assert_true(cur_sub(&c, 0, &sub));
	assert_int_equal(cur_left(&sub), 0);
}

static void test_clamp(void **state)
{
	struct cursor c = tail(8);
	uint8_t v;

	(void)state;
	/* Clamping never grows the cursor. */
	cur_clamp(&c, 100);
	assert_int_equal(cur_left(&c), 8);
	cur_clamp(&c, 8);
	assert_int_equal(cur_left(&c), 8);
	cur_clamp(&c, 2);
	assert_int_equal(cur_left(&c), 2);
	assert_true(cur_skip(&c, 1));
	assert_true(cur_get_u8(&c, &v));
	assert_int_equal(v, 0x02);
	assert_false(cur_get_u8(&c, &v));
	cur_clamp(&c, 5);
	assert_int_equal(cur_left(&c), 0);
	c = tail(8);
	cur_clamp(&c, 0);
	assert_int_equal(cur_left(&c), 0);
	assert_false(cur_peek_u8(&c, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_left),
		cmocka_unit_test(test_u8),
		cmocka_unit_test(test_be16),
		cmocka_unit_test(test_be32),
		cmocka_unit_test(test_bytes),
		cmocka_unit_test(test_skip),
		cmocka_unit_test(test_has),
		cmocka_unit_test(test_sub),
		cmocka_unit_test(test_clamp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
