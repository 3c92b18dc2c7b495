/* test_addr.c - formats/addr.c: text forms (dotted quad, RFC 5952) and
 * prefix parsing/matching. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "formats/addr.h"

/* Parses s (which must be valid) and formats it again. */
static void check_format(const char *in, const char *want)
{
	struct ip_addr a;
	char buf[IP_ADDR_STRLEN];
	size_t n;

	assert_true(ip_addr_parse(in, &a));
	n = ip_addr_format(&a, buf);
	assert_string_equal(buf, want);
	assert_int_equal(n, strlen(want));
}

static void test_v4_format(void **state)
{
	(void)state;
	check_format("0.0.0.0", "0.0.0.0");
	check_format("255.255.255.255", "255.255.255.255");
	check_format("172.31.16.139", "172.31.16.139");
	check_format("10.0.0.1", "10.0.0.1");
	check_format("1.20.100.9", "1.20.100.9");
	check_format("100.99.10.0", "100.99.10.0");
}

static void test_v4_every_octet(void **state)
{
	struct ip_addr a;
	char buf[IP_ADDR_STRLEN], want[IP_ADDR_STRLEN];
	uint8_t v4[4];
	unsigned i;

	(void)state;
	for (i = 0; i < 256; i++) {
		v4[0] = (uint8_t)i;
		v4[1] = (uint8_t)(255 - i);
		v4[2] = (uint8_t)(i * 7);
		v4[3] = (uint8_t)(i / 3);
		ip_addr_from_v4(&a, v4);
		snprintf(want, sizeof(want), "%u.%u.%u.%u",
			 v4[0], v4[1], v4[2], v4[3]);
		assert_int_equal(ip_addr_format(&a, buf), strlen(want));
		assert_string_equal(buf, want);
	}
}

static void test_v6_rfc5952(void **state)
{
	(void)state;
	check_format("2001:db8::1", "2001:db8::1");
	check_format("2001:0DB8:0000:0000:0000:0000:0000:0001", "2001:db8::1");
	check_format("::", "::");
	check_format("::1", "::1");
	check_format("fe80::", "fe80::");
	check_format("fd00:ec2::254", "fd00:ec2::254");
	/* 4.2.2: a single zero group is not shortened. */
	check_format("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1");
	/* 4.2.3: the longest run wins, then the first. */
	check_format("2001:0:0:1:0:0:0:1", "2001:0:0:1::1");
	check_format("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1");
	check_format("1:0:0:0:0:0:0:0", "1::");
	check_format("0:0:0:0:0:0:0:1", "::1");
	check_format("1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8");
	check_format("2001:db8:1234:a100:8d6e:3477:df66:f105",
		     "2001:db8:1234:a100:8d6e:3477:df66:f105");
	check_format("2001:DB8:ABCD:0012:0000:0000:0000:0000",
		     "2001:db8:abcd:12::");
}

static void test_v4_mapped_prints_dotted(void **state)
{
	(void)state;
	check_format("::ffff:1.2.3.4", "1.2.3.4");
	check_format("::FFFF:0a00:0001", "10.0.0.1");
	/* Not mapped: stays hexadecimal (compat and translated forms). */
	check_format("::1.2.3.4", "::102:304");
	check_format("::ffff:0:1.2.3.4", "::ffff:0:102:304");
	check_format("64:ff9b::1.2.3.4", "64:ff9b::102:304");
}

static uint32_t xorshift(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

/* Random addresses with many zero groups: format, parse back, and agree
 * with glibc's inet_ntop wherever glibc does not pick mixed notation. */
static void test_v6_random_roundtrip(void **state)
{
	struct ip_addr a, b;
	char buf[IP_ADDR_STRLEN], ref[INET6_ADDRSTRLEN];
	uint32_t seed = 0x5eed1234;
	int i, g;

	(void)state;
	for (i = 0; i < 200000; i++) {
		for (g = 0; g < 8; g++) {
			uint32_t x = xorshift(&seed);
			uint16_t v = (x & 3) ? 0 : (uint16_t)(x >> 16);

			if ((x & 12) == 12)
				v = (uint16_t)(x >> 8);
			a.b[2 * g] = (uint8_t)(v >> 8);
			a.b[2 * g + 1] = (uint8_t)v;
		}
		assert_in_range(ip_addr_format(&a, buf), 2, IP_ADDR_STRLEN - 1);
		assert_true(ip_addr_parse(buf, &b));
		assert_true(ip_addr_eq(&a, &b));
		if (memcmp(a.b, "\0\0\0\0\0\0\0\0\0\0", 10) == 0)
			continue;
		assert_non_null(inet_ntop(AF_INET6, a.b, ref, sizeof(ref)));
		assert_string_equal(buf, ref);
	}
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* ip_addr_cmp orders as memcmp does: pairs that differ in one byte, at
 * every position and in either direction, and equal ones. */
static void test_cmp_is_memcmp_order(void **state)
{
	struct ip_addr a, b;
	uint32_t seed = 0xc0ffee;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		for (int k = 0; k < 16; k++)
			a.b[k] = (uint8_t)xorshift(&seed);
		b = a;
		assert_int_equal(ip_addr_cmp(&a, &b), 0);
		int at = i % 16;
		b.b[at] = (uint8_t)xorshift(&seed);
		for (int k = at + 1; k < 16; k++)
			b.b[k] = (uint8_t)xorshift(&seed);
		assert_int_equal(sign(ip_addr_cmp(&a, &b)), sign(memcmp(a.b, b.b, 16)));
		assert_int_equal(sign(ip_addr_cmp(&b, &a)), sign(memcmp(b.b, a.b, 16)));
	}
}

static void test_longest_text(void **state)
{
	struct ip_addr a;
	char buf[IP_ADDR_STRLEN];

	(void)state;
	memset(a.b, 0xff, sizeof(a.b));
	a.b[0] = 0xfe;
	assert_int_equal(ip_addr_format(&a, buf), 39);
	assert_string_equal(buf, "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
		"", " ", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.4 ",
		" 1.2.3.4", "01.2.3.4", "1.2.3.4/32", "host", ":::",
		"1::2::3", "2001:db8::1%eth0", "12345::", "1:2:3:4:5:6:7:8:9",
	};
	struct ip_addr a;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(ip_addr_parse(bad[i], &a));
	assert_false(ip_addr_parse(NULL, &a));
}

static void test_parse_v4_is_mapped(void **state)
{
	struct ip_addr a;

	(void)state;
	assert_true(ip_addr_parse("10.1.2.3", &a));
	assert_true(ip_addr_is_v4(&a));
	assert_int_equal(ip_addr_v4(&a), 0x0a010203);
	assert_true(ip_addr_parse("2001:db8::1", &a));
	assert_false(ip_addr_is_v4(&a));
}

/* ip_prefix_contains(), checked against the same test as masks. */
static bool both_contain(const struct ip_prefix *p, const struct ip_addr *a)
{
	struct ip_mask m;
	bool in = ip_prefix_contains(p, a);

	ip_mask_of(&m, p);
	assert_int_equal(ip_mask_contains(&m, a), in);
	return in;
}

static int contains(const char *prefix, const char *addr)
{
	struct ip_prefix p;
	struct ip_addr a;

	assert_true(ip_prefix_parse(prefix, &p));
	assert_true(ip_addr_parse(addr, &a));
	return both_contain(&p, &a);
}

static void test_prefix_parse(void **state)
{
	struct ip_prefix p;
	struct ip_addr want;

	(void)state;
	assert_true(ip_prefix_parse("10.0.0.0/8", &p));
	assert_int_equal(p.len, 104);
	assert_true(ip_addr_parse("10.0.0.0", &want));
	assert_true(ip_addr_eq(&p.addr, &want));
	/* Host bits are cleared. */
	assert_true(ip_prefix_parse("10.1.2.3/8", &p));
	assert_true(ip_addr_eq(&p.addr, &want));
	assert_true(ip_prefix_parse("192.168.1.255/25", &p));
	assert_true(ip_addr_parse("192.168.1.128", &want));
	assert_true(ip_addr_eq(&p.addr, &want));
	assert_true(ip_prefix_parse("2001:db8:ffff::1/32", &p));
	assert_int_equal(p.len, 32);
	assert_true(ip_addr_parse("2001:db8::", &want));
	assert_true(ip_addr_eq(&p.addr, &want));
	assert_true(ip_prefix_parse("0.0.0.0/0", &p));
	assert_int_equal(p.len, 96);
	assert_true(ip_prefix_parse("1.2.3.4/32", &p));
	assert_int_equal(p.len, 128);
	assert_true(ip_prefix_parse("::/0", &p));
	assert_int_equal(p.len, 0);
	assert_true(ip_prefix_parse("2001:db8::1/128", &p));
	assert_int_equal(p.len, 128);
	/* IPv6 notation of a mapped block keeps the IPv6 length. */
	assert_true(ip_prefix_parse("::ffff:10.0.0.0/104", &p));
	assert_int_equal(p.len, 104);
}

static void test_prefix_rejects(void **state)
{
	static const char *const bad[] = {
		"10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/8x",
		"10.0.0.0/-1", "10.0.0.0/+8", "10.0.0.0/ 8", "10.0.0.0 /8",
		"/8", "10.0.0/8", "2001:db8::/129", "2001:db8::/1000",
		"10.0.0.0/8/8", "x/8", "",
		"0000:0000:0000:0000:0000:0000:0000:0000:0000/8",
	};
	struct ip_prefix p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(ip_prefix_parse(bad[i], &p));
	assert_false(ip_prefix_parse(NULL, &p));
}

static void test_prefix_contains(void **state)
{
	(void)state;
	assert_true(contains("10.0.0.0/8", "10.255.1.2"));
	assert_false(contains("10.0.0.0/8", "11.0.0.0"));
	assert_true(contains("192.168.1.128/25", "192.168.1.200"));
	assert_false(contains("192.168.1.128/25", "192.168.1.127"));
	assert_true(contains("1.2.3.4/32", "1.2.3.4"));
	assert_false(contains("1.2.3.4/32", "1.2.3.5"));
	assert_true(contains("0.0.0.0/0", "255.255.255.255"));
	/* An IPv4 block never holds an IPv6 address, ::/0 holds all. */
	assert_false(contains("0.0.0.0/0", "2001:db8::1"));
	assert_true(contains("::/0", "2001:db8::1"));
	assert_true(contains("::/0", "10.0.0.1"));
	assert_true(contains("2001:db8::/32", "2001:db8:ffff::1"));
	assert_false(contains("2001:db8::/32", "2001:db9::1"));
	assert_true(contains("2001:db8::/33", "2001:db8:7fff::"));
	assert_false(contains("2001:db8::/33", "2001:db8:8000::"));
	assert_true(contains("::ffff:10.0.0.0/104", "10.9.9.9"));
}

/* Every length 0 to 128, around the 64-bit halves the match works in: an
 * address is in its own prefix, leaves it when the last prefix bit flips,
 * stays when the first host bit flips. */
static void test_prefix_contains_every_length(void **state)
{
	struct ip_addr a;

	(void)state;
	for (unsigned i = 0; i < 16; i++)
		a.b[i] = (uint8_t)(0x9e * i + 0x37);
	for (unsigned len = 0; len <= 128; len++) {
		struct ip_prefix p = {a, (uint8_t)len};
		struct ip_addr b = a;

		for (unsigned bit = len; bit < 128; bit++)
			p.addr.b[bit / 8] &= (uint8_t)~(0x80u >> (bit % 8));
		assert_true(both_contain(&p, &a));
		if (len > 0) {
			b.b[(len - 1) / 8] ^= (uint8_t)(0x80u >> ((len - 1) % 8));
			assert_false(both_contain(&p, &b));
			b = a;
		}
		if (len < 128) {
			b.b[len / 8] ^= (uint8_t)(0x80u >> (len % 8));
			assert_true(both_contain(&p, &b));
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4_format),
		cmocka_unit_test(test_v4_every_octet),
		cmocka_unit_test(test_v6_rfc5952),
		cmocka_unit_test(test_v4_mapped_prints_dotted),
		cmocka_unit_test(test_v6_random_roundtrip),
		cmocka_unit_test(test_cmp_is_memcmp_order),
		cmocka_unit_test(test_longest_text),
		cmocka_unit_test(test_parse_rejects),
		cmocka_unit_test(test_parse_v4_is_mapped),
		cmocka_unit_test(test_prefix_parse),
		cmocka_unit_test(test_prefix_rejects),
		cmocka_unit_test(test_prefix_contains),
		cmocka_unit_test(test_prefix_contains_every_length),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
