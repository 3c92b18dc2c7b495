/* test_trie.c - capture/vpc/trie.c: longest-prefix match over IPv4-mapped
 * and IPv6 keys, /0 of each family, duplicates, and random prefixes checked
 * against a linear scan. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "capture/vpc/trie.h"

static struct ip_addr A(const char *s)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(s, &a));
	return a;
}

static struct ip_prefix P(const char *s)
{
	struct ip_prefix p;
	assert_true(ip_prefix_parse(s, &p));
	return p;
}

static int insert(struct trie *t, const char *cidr, uint32_t value)
{
	struct ip_prefix p = P(cidr);
	return trie_insert(t, &p, value);
}

/* Asserts that addr matches cidr with value, or nothing when cidr is NULL. */
static void expect(const struct trie *t, const char *addr, const char *cidr,
		   uint32_t value)
{
	struct ip_addr a = A(addr);
	struct ip_prefix m, want;
	uint32_t v = UINT32_MAX;
	bool found = trie_lookup(t, &a, &v, &m);

	if (cidr == NULL) {
		if (found)
			fail_msg("%s: matched len %u value %u, want none", addr,
				 m.len, v);
		return;
	}
	if (!found)
		fail_msg("%s: no match, want %s", addr, cidr);
	want = P(cidr);
	assert_int_equal(v, value);
	assert_int_equal(m.len, want.len);
	assert_true(ip_addr_eq(&m.addr, &want.addr));
}

static void test_empty(void **state)
{
	struct trie *t = trie_new();
	struct ip_addr a = A("10.0.0.1");

	(void)state;
	assert_non_null(t);
	assert_int_equal(trie_count(t), 0);
	assert_false(trie_lookup(t, &a, NULL, NULL));
	expect(t, "::", NULL, 0);
	expect(t, "2001:db8::1", NULL, 0);
	assert_false(trie_lookup(NULL, &a, NULL, NULL));
	assert_int_equal(trie_count(NULL), 0);
	trie_free(t);
	trie_free(NULL);
}

/* The IPv4 /0 is ::ffff:0:0/96: every IPv4 address, no IPv6 address. */
static void test_v4_default(void **state)
{
	struct trie *t = trie_new();

	(void)state;
	assert_int_equal(insert(t, "0.0.0.0/0", 7), 0);
	assert_int_equal(P("0.0.0.0/0").len, 96);
	expect(t, "0.0.0.0", "0.0.0.0/0", 7);
	expect(t, "1.2.3.4", "0.0.0.0/0", 7);
	expect(t, "255.255.255.255", "0.0.0.0/0", 7);
	expect(t, "2001:db8::1", NULL, 0);
	expect(t, "::", NULL, 0);
	expect(t, "::fffe:ffff:ffff", NULL, 0);
	/* The same block written as IPv6 is the same key. */
	assert_int_equal(insert(t, "::ffff:0:0/96", 8), 1);
	assert_int_equal(trie_count(t), 1);
	trie_free(t);
}

/* The IPv6 ::/0 has len 0 and contains the IPv4-mapped block: it matches
 * IPv4 addresses too, until a longer IPv4 prefix does (trie.c documents
 * this; callers keep ::/0 out or use one trie per family). */
static void test_v6_default(void **state)
{
	struct trie *t = trie_new();

	(void)state;
	assert_int_equal(insert(t, "::/0", 1), 0);
	expect(t, "2001:db8::1", "::/0", 1);
	expect(t, "::", "::/0", 1);
	expect(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "::/0", 1);
	expect(t, "10.0.0.1", "::/0", 1);
	assert_int_equal(insert(t, "0.0.0.0/0", 2), 0);
	expect(t, "10.0.0.1", "0.0.0.0/0", 2);
	expect(t, "2001:db8::1", "::/0", 1);
	assert_int_equal(insert(t, "10.0.0.0/8", 3), 0);
	expect(t, "10.0.0.1", "10.0.0.0/8", 3);
	expect(t, "11.0.0.1", "0.0.0.0/0", 2);
	assert_int_equal(trie_count(t), 3);
	trie_free(t);
}

static void test_host_routes(void **state)
{
	struct trie *t = trie_new();

	(void)state;
	assert_int_equal(insert(t, "52.216.1.2/32", 1), 0);
	assert_int_equal(insert(t, "2600:1f18::1/128", 2), 0);
	assert_int_equal(insert(t, "255.255.255.255/32", 3), 0);
	assert_int_equal(insert(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 4), 0);
	assert_int_equal(insert(t, "::/128", 5), 0);
	expect(t, "52.216.1.2", "52.216.1.2/32", 1);
	expect(t, "52.216.1.3", NULL, 0);
	expect(t, "52.216.1.0", NULL, 0);
	expect(t, "2600:1f18::1", "2600:1f18::1/128", 2);
	expect(t, "2600:1f18::", NULL, 0);
	expect(t, "255.255.255.255", "255.255.255.255/32", 3);
	expect(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
	       "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128", 4);
	expect(t, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe", NULL, 0);
	expect(t, "::", "::/128", 5);
	expect(t, "::1", NULL, 0);
	assert_int_equal(trie_count(t), 5);
	trie_free(t);
}

static void check_nested(const struct trie *t)
{
	expect(t, "10.1.2.3", "10.1.2.0/24", 3);
	expect(t, "10.1.2.255", "10.1.2.0/24", 3);
	expect(t, "10.1.3.1", "10.1.0.0/16", 2);
	expect(t, "10.1.255.255", "10.1.0.0/16", 2);
	expect(t, "10.2.0.0", "10.0.0.0/8", 1);
	expect(t, "10.255.255.255", "10.0.0.0/8", 1);
	expect(t, "11.0.0.0", NULL, 0);
	expect(t, "9.255.255.255", NULL, 0);
	expect(t, "::ffff:10.1.2.3", "10.1.2.0/24", 3);
	expect(t, "::a01:203", NULL, 0);   /* IPv4-compatible, not mapped */
}

/* 10/8, 10.1/16, 10.1.2/24 in every insertion order: the longest wins. */
static void test_nested(void **state)
{
	static const int orders[6][3] = {
		{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0},
	};
	static const char *const cidr[3] = {"10.0.0.0/8", "10.1.0.0/16",
					    "10.1.2.0/24"};
	int o, i;

	(void)state;
	for (o = 0; o < 6; o++) {
		struct trie *t = trie_new();

		for (i = 0; i < 3; i++) {
			int k = orders[o][i];
			assert_int_equal(insert(t, cidr[k], (uint32_t)k + 1), 0);
		}
		assert_int_equal(trie_count(t), 3);
		check_nested(t);
		trie_free(t);
	}
}

/* Siblings part at a glue node; a later prefix at the glue's place gets the
 * value without disturbing either side. */
static void test_siblings(void **state)
{
	struct trie *t = trie_new();

	(void)state;
	assert_int_equal(insert(t, "10.0.0.0/24", 1), 0);
	assert_int_equal(insert(t, "10.0.1.0/24", 2), 0);
	expect(t, "10.0.0.9", "10.0.0.0/24", 1);
	expect(t, "10.0.1.9", "10.0.1.0/24", 2);
	expect(t, "10.0.2.9", NULL, 0);
	expect(t, "10.0.0.0", "10.0.0.0/24", 1);
	assert_int_equal(insert(t, "10.0.0.0/23", 3), 0);
	assert_int_equal(trie_count(t), 3);
	expect(t, "10.0.0.9", "10.0.0.0/24", 1);
	expect(t, "10.0.1.9", "10.0.1.0/24", 2);
	expect(t, "10.0.2.9", NULL, 0);
	assert_int_equal(insert(t, "10.0.2.0/24", 4), 0);
	assert_int_equal(insert(t, "192.168.0.0/16", 5), 0);
	assert_int_equal(insert(t, "192.169.0.0/16", 6), 0);
	expect(t, "10.0.2.9", "10.0.2.0/24", 4);
	expect(t, "10.0.3.9", NULL, 0);
	expect(t, "192.168.7.7", "192.168.0.0/16", 5);
	expect(t, "192.169.7.7", "192.169.0.0/16", 6);
	expect(t, "192.170.7.7", NULL, 0);
	assert_int_equal(insert(t, "2600:1f00::/24", 7), 0);
	assert_int_equal(insert(t, "2600:1e00::/24", 8), 0);
	expect(t, "2600:1f00::1", "2600:1f00::/24", 7);
	expect(t, "2600:1eff::1", "2600:1e00::/24", 8);
	expect(t, "2600:1d00::1", NULL, 0);
	trie_free(t);
}

static void test_duplicate_keeps_first(void **state)
{
	struct trie *t = trie_new();
	struct ip_prefix p = P("52.216.0.0/15");

	(void)state;
	assert_int_equal(insert(t, "52.216.0.0/15", 10), 0);
	assert_int_equal(insert(t, "52.216.0.0/15", 11), 1);
	/* Host bits are not part of the key. */
	p.addr.b[15] = 0x55;
	assert_int_equal(trie_insert(t, &p, 12), 1);
	assert_int_equal(trie_count(t), 1);
	expect(t, "52.217.3.4", "52.216.0.0/15", 10);
	assert_int_equal(insert(t, "2600:1fa0::/32", 20), 0);
	assert_int_equal(insert(t, "2600:1fa0::/32", 21), 1);
	expect(t, "2600:1fa0::9", "2600:1fa0::/32", 20);
	assert_int_equal(trie_count(t), 2);
	p.len = 129;
	assert_int_equal(trie_insert(t, &p, 1), -1);
	trie_free(t);
}

/* xorshift64*: a fixed seed keeps failures reproducible. */
static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

static void clear_host(struct ip_prefix *p)
{
	unsigned i;

	for (i = p->len; i < 128; i++)
		p->addr.b[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
}

/* An address near one of a few bases: flipping a few random bits of a
 * shared base makes prefixes nest and part at every depth. */
static struct ip_addr near(uint64_t *s, const struct ip_addr *bases)
{
	struct ip_addr a = bases[rnd(s) % 8];
	unsigned flips = (unsigned)(rnd(s) % 4), lo, i;

	lo = ip_addr_is_v4(&a) ? 96 : 0;
	for (i = 0; i < flips; i++) {
		unsigned bit = lo + (unsigned)(rnd(s) % (128 - lo));
		a.b[bit / 8] ^= (uint8_t)(0x80u >> (bit % 8));
	}
	return a;
}

static struct ip_prefix random_prefix(uint64_t *s, const struct ip_addr *bases)
{
	struct ip_prefix p;

	p.addr = near(s, bases);
	if (ip_addr_is_v4(&p.addr))
		p.len = (uint8_t)(96 + rnd(s) % 33);
	else
		p.len = (uint8_t)(8 + rnd(s) % 121);   /* leave room for misses */
	clear_host(&p);
	return p;
}

/* The first longest prefix containing a, by scanning all n; -1 if none. */
static int linear(const struct ip_prefix *v, int n, const struct ip_addr *a)
{
	int i, best = -1;

	for (i = 0; i < n; i++) {
		if (ip_prefix_contains(&v[i], a) &&
		    (best < 0 || v[i].len > v[best].len))
			best = i;
	}
	return best;
}

static int first_equal(const struct ip_prefix *v, int i)
{
	int j;

	for (j = 0; j < i; j++) {
		if (v[j].len == v[i].len && ip_addr_eq(&v[j].addr, &v[i].addr))
			return j;
	}
	return -1;
}

#define NPREFIX 3000
#define NLOOKUP 30000

/* nlookup addresses near the bases against a scan of the first n prefixes;
 * returns how many matched something. */
static int check_linear(const struct trie *t, const struct ip_prefix *v, int n,
			const struct ip_addr *bases, uint64_t *seed, int nlookup)
{
	struct ip_prefix m;
	struct ip_addr a;
	uint32_t val;
	int i, want, hits = 0;

	for (i = 0; i < nlookup; i++) {
		a = near(seed, bases);
		if (i % 3 == 0) {
			uint64_t r = rnd(seed);
			memcpy(a.b + 8, &r, 8);
		}
		want = linear(v, n, &a);
		if (want < 0) {
			assert_false(trie_lookup(t, &a, &val, &m));
			continue;
		}
		hits++;
		assert_true(trie_lookup(t, &a, &val, &m));
		assert_int_equal(val, (uint32_t)want);
		assert_int_equal(m.len, v[want].len);
		assert_true(ip_addr_eq(&m.addr, &v[want].addr));
	}
	return hits;
}

/* Random nested prefixes, checked at points before, at and after the size
 * where the trie builds its IPv4 jump table (256), and at the end. */
static void test_random_vs_linear(void **state)
{
	static const int checkpoints[] = {40, 255, 256, 257, 700, NPREFIX};
	static struct ip_prefix v[NPREFIX];
	struct ip_addr bases[8];
	struct trie *t = trie_new();
	uint64_t seed = 0x9e3779b97f4a7c15ULL;
	size_t distinct = 0, c = 0;
	int i, hits = 0;

	(void)state;
	for (i = 0; i < 8; i++) {
		uint64_t r = rnd(&seed), q = rnd(&seed);
		memcpy(bases[i].b, &r, 8);
		memcpy(bases[i].b + 8, &q, 8);
		if (i % 2 == 0)
			ip_addr_from_v4(&bases[i], bases[i].b + 4);
	}
	for (i = 0; i < NPREFIX; i++) {
		int dup;

		v[i] = random_prefix(&seed, bases);
		dup = first_equal(v, i);
		assert_int_equal(trie_insert(t, &v[i], (uint32_t)i), dup < 0 ? 0 : 1);
		distinct += dup < 0;
		if (i + 1 == checkpoints[c]) {
			hits = check_linear(t, v, i + 1, bases, &seed,
					    i + 1 == NPREFIX ? NLOOKUP : 3000);
			c++;
		}
	}
	assert_int_equal(trie_count(t), distinct);
	/* Both outcomes were exercised, and duplicates occurred. */
	assert_in_range(hits, NLOOKUP / 4, NLOOKUP - NLOOKUP / 20);
	assert_true(distinct < NPREFIX);
	trie_free(t);
}

/* Short prefixes added after the jump table exists: they must reach the
 * slots that already start deeper, and new siblings must not be hidden. */
static void test_jump_table(void **state)
{
	struct trie *t = trie_new();
	char cidr[32];
	uint32_t i;

	(void)state;
	for (i = 0; i < 300; i++) {
		snprintf(cidr, sizeof(cidr), "20.%u.%u.0/24", i / 256, i % 256);
		assert_int_equal(insert(t, cidr, i), 0);
	}
	expect(t, "20.1.5.5", "20.1.5.0/24", 261);
	assert_int_equal(insert(t, "10.1.2.0/24", 1000), 0);
	expect(t, "10.1.2.3", "10.1.2.0/24", 1000);
	expect(t, "10.1.3.3", NULL, 0);
	assert_int_equal(insert(t, "10.1.0.0/16", 1001), 0);
	expect(t, "10.1.3.3", "10.1.0.0/16", 1001);
	expect(t, "10.1.2.3", "10.1.2.0/24", 1000);
	assert_int_equal(insert(t, "10.0.0.0/8", 1002), 0);
	expect(t, "10.2.0.1", "10.0.0.0/8", 1002);
	expect(t, "10.1.3.3", "10.1.0.0/16", 1001);
	assert_int_equal(insert(t, "11.0.0.0/8", 1003), 0);
	expect(t, "11.0.0.1", "11.0.0.0/8", 1003);
	expect(t, "12.0.0.1", NULL, 0);
	assert_int_equal(insert(t, "::/0", 1004), 0);
	expect(t, "12.0.0.1", "::/0", 1004);
	expect(t, "2001:db8::1", "::/0", 1004);
	expect(t, "10.1.2.3", "10.1.2.0/24", 1000);
	assert_int_equal(insert(t, "0.0.0.0/0", 1005), 0);
	expect(t, "12.0.0.1", "0.0.0.0/0", 1005);
	expect(t, "2001:db8::1", "::/0", 1004);
	assert_int_equal(insert(t, "10.0.0.0/7", 1006), 0);
	assert_int_equal(insert(t, "10.0.0.0/15", 1007), 0);
	expect(t, "10.2.0.1", "10.0.0.0/8", 1002);
	expect(t, "11.1.1.1", "11.0.0.0/8", 1003);
	expect(t, "10.0.0.1", "10.0.0.0/15", 1007);
	expect(t, "10.1.3.3", "10.1.0.0/16", 1001);
	assert_int_equal(insert(t, "10.1.2.0/23", 1008), 0);
	expect(t, "10.1.3.3", "10.1.2.0/23", 1008);
	expect(t, "10.1.4.3", "10.1.0.0/16", 1001);
	assert_int_equal(insert(t, "20.1.0.0/16", 1009), 0);
	expect(t, "20.1.5.5", "20.1.5.0/24", 261);
	expect(t, "20.1.200.5", "20.1.0.0/16", 1009);
	expect(t, "20.2.0.5", "0.0.0.0/0", 1005);
	assert_int_equal(trie_count(t), 310);
	trie_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_v4_default),
		cmocka_unit_test(test_v6_default),
		cmocka_unit_test(test_host_routes),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_siblings),
		cmocka_unit_test(test_duplicate_keeps_first),
		cmocka_unit_test(test_random_vs_linear),
		cmocka_unit_test(test_jump_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
