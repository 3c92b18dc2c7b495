/* test_attribute.c - ENIs, address ownership, direction and the
 * primary-private-IPv4 substitution of spec 8.1. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "capture/vpc/attribute.h"
#include "capture/vpc/eni.h"
#include "capture/vpc/eni_snapshot.h"
#include "formats/mem.h"

static struct ip_addr A(const char *s)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(s, &a));
	return a;
}

static struct pkt_meta pkt(const char *src, const char *dst)
{
	struct pkt_meta m;
	memset(&m, 0, sizeof(m));
	m.src = A(src);
	m.dst = A(dst);
	m.family = ip_addr_is_v4(&m.src) ? 4 : 6;
	return m;
}

static void test_primary_is_first_ipv4(void **state)
{
	struct eni_table t;
	struct ip_addr addrs[] = {A("2001:db8::10"), A("10.0.1.10"), A("10.0.1.11")};
	(void)state;
	assert_int_equal(eni_table_init(&t, 600), 0);
	assert_int_equal(eni_add(&t, addrs, 3), 0);
	assert_true(t.v[0]->has_primary);
	assert_true(ip_addr_eq(&t.v[0]->primary, &addrs[1]));
	assert_int_equal(eni_lookup(&t, &addrs[0]), 0);
	assert_int_equal(eni_lookup(&t, &addrs[2]), 0);
	struct ip_addr other = A("10.0.1.12");
	assert_int_equal(eni_lookup(&t, &other), -1);
	/* An address belongs to one ENI only. */
	assert_int_equal(eni_add(&t, &addrs[2], 1), -1);
	assert_int_equal(t.n, 1);
	eni_table_free(&t);
}

static void test_placeholder_ids_are_aws_shaped(void **state)
{
	struct eni_table t, u;
	struct ip_addr a = A("10.0.1.10"), b = A("10.0.1.11");
	(void)state;
	assert_int_equal(eni_table_init(&t, 600), 0);
	assert_int_equal(eni_table_init(&u, 600), 0);
	eni_add(&t, &a, 1);
	eni_add(&t, &b, 1);
	eni_add(&u, &a, 1);
	const struct eni_meta *m = &t.v[0]->meta;
	assert_int_equal(strlen(m->interface_id), 21);         /* eni- + 17 hex */
	assert_memory_equal(m->interface_id, "eni-", 4);
	assert_int_equal(strspn(m->interface_id + 4, "0123456789abcdef"), 17);
	assert_int_equal(strlen(m->account_id), 12);
	assert_int_equal(strspn(m->account_id, "0123456789"), 12);
	assert_memory_equal(m->vpc_id, "vpc-", 4);
	assert_memory_equal(m->subnet_id, "subnet-", 7);
	assert_memory_equal(m->instance_id, "i-", 2);
	/* Same input, same ids; another address, another ENI id. */
	assert_string_equal(m->interface_id, u.v[0]->meta.interface_id);
	assert_string_not_equal(m->interface_id, t.v[1]->meta.interface_id);
	assert_string_equal(m->account_id, t.v[1]->meta.account_id);
	eni_table_free(&t);
	eni_table_free(&u);
}

static void test_directions(void **state)
{
	struct eni_table t;
	struct observation o[2];
	struct ip_addr a = A("10.0.1.10"), b = A("10.0.2.20");
	(void)state;
	eni_table_init(&t, 600);
	eni_add(&t, &a, 1);
	struct pkt_meta out = pkt("10.0.1.10", "203.0.113.80");
	assert_int_equal(attribute(&t, &out, o), 1);
	assert_int_equal(o[0].dir, DIR_EGRESS);
	struct pkt_meta in = pkt("198.51.100.7", "10.0.1.10");
	assert_int_equal(attribute(&t, &in, o), 1);
	assert_int_equal(o[0].dir, DIR_INGRESS);
	struct pkt_meta none = pkt("198.51.100.7", "203.0.113.80");
	assert_int_equal(attribute(&t, &none, o), 0);
	/* Between two monitored ENIs: egress on one, ingress on the other. */
	eni_add(&t, &b, 1);
	struct pkt_meta both = pkt("10.0.1.10", "10.0.2.20");
	assert_int_equal(attribute(&t, &both, o), 2);
	assert_int_equal(o[0].eni, 0);
	assert_int_equal(o[0].dir, DIR_EGRESS);
	assert_int_equal(o[1].eni, 1);
	assert_int_equal(o[1].dir, DIR_INGRESS);
	eni_table_free(&t);
}

static void test_vpc_cidr_makes_enis(void **state)
{
	struct eni_table t;
	struct ip_prefix p;
	struct observation o[2];
	(void)state;
	eni_table_init(&t, 60);
	assert_true(ip_prefix_parse("10.0.0.0/16", &p));
	eni_add_cidr(&t, &p);
	struct pkt_meta m = pkt("10.0.3.4", "10.0.9.9");
	assert_int_equal(attribute(&t, &m, o), 2);
	assert_int_equal(t.n, 2);
	assert_int_equal(t.v[0]->interval, 60);
	assert_int_equal(o[0].interval, 60);
	eni_set_interval(&t, 1, 600);
	assert_int_equal(attribute(&t, &m, o), 2);
	assert_int_equal(o[1].interval, 600);
	assert_int_equal(t.v[1]->interval, 600);
	eni_set_interval(&t, 1, 60);
	struct pkt_meta again = pkt("10.0.9.9", "10.0.3.4");
	assert_int_equal(attribute(&t, &again, o), 2);
	assert_int_equal(t.n, 2);
	assert_int_equal(o[0].eni, 1);
	struct pkt_meta outside = pkt("10.1.0.1", "192.0.2.1");
	assert_int_equal(attribute(&t, &outside, o), 0);
	/* The bound holds: past max_enis an address is not monitored. */
	t.max_enis = 2;
	struct pkt_meta third = pkt("10.0.7.7", "192.0.2.1");
	assert_int_equal(attribute(&t, &third, o), 0);
	assert_int_equal(t.refused, 1);
	eni_table_free(&t);
}

/* An ENI outside the --vpc-cidr blocks (a topology's, --local-ip's) is
 * still found, whether it came before or after the blocks; addresses in
 * none of them skip the map only while no such ENI exists. */
static void test_vpc_cidr_and_an_eni_outside(void **state)
{
	struct ip_prefix p;
	struct ip_addr far = A("192.168.1.5");
	(void)state;
	assert_true(ip_prefix_parse("10.0.0.0/16", &p));
	for (int order = 0; order < 2; order++) {
		struct eni_table t;
		eni_table_init(&t, 60);
		if (order == 0)
			eni_add_cidr(&t, &p);
		assert_int_equal(eni_add(&t, &far, 1), 0);
		if (order == 1)
			eni_add_cidr(&t, &p);
		assert_int_equal(t.outside, 1);
		struct ip_addr in = A("10.0.0.7"), other = A("8.8.8.8");
		assert_int_equal(eni_lookup(&t, &far), 0);
		assert_int_equal(eni_lookup(&t, &in), 1);
		assert_int_equal(eni_lookup(&t, &other), -1);
		assert_int_equal(t.outside, 1);
		assert_int_equal(t.n, 2);
		eni_table_free(&t);
	}
}

/* A copy of the map (eni_snapshot.h) answers what the table would for
 * every address it holds and every one outside the blocks, and leaves to
 * the table only an address inside them that it lacks: with the blocks
 * alone, with an ENI outside them, and with no blocks at all. What
 * attribute_known() makes of its answers is what attribute() makes. */
static void test_snapshot(void **state)
{
	struct ip_prefix p;
	struct observation o[2], w[2];
	(void)state;
	assert_true(ip_prefix_parse("10.0.0.0/16", &p));
	for (int mode = 0; mode < 3; mode++) {
		struct eni_table t;
		struct ip_addr far = A("192.168.1.5"), in = A("10.0.0.7"), fresh = A("10.0.3.3");
		struct ip_addr other = A("8.8.8.8");
		eni_table_init(&t, 60);
		if (mode != 2)
			eni_add_cidr(&t, &p);
		if (mode != 0)
			assert_int_equal(eni_add(&t, &far, 1), 0);
		if (mode != 2)
			assert_true(eni_lookup(&t, &in) >= 0);
		struct eni_snapshot *s = eni_snapshot_make(&t, 1);
		assert_non_null(s);
		if (mode != 0)
			assert_int_equal(eni_snapshot_lookup(s, &far, eni_hash(&far)),
					 eni_lookup(&t, &far));
		if (mode != 2)
			assert_int_equal(eni_snapshot_lookup(s, &in, eni_hash(&in)),
					 eni_lookup(&t, &in));
		assert_int_equal(eni_snapshot_lookup(s, &other, eni_hash(&other)), -1);
		assert_int_equal(eni_snapshot_lookup(s, &fresh, eni_hash(&fresh)),
				 mode == 2 ? -1 : ENI_ASK);
		/* The table makes the ENI the copy could not know; the copy
		 * still says ask. */
		struct pkt_meta m = pkt("10.0.3.3", "10.0.0.7");
		const uint32_t h[2] = {eni_hash(&m.src), eni_hash(&m.dst)};
		const int32_t known[2] = {eni_snapshot_lookup(s, &m.src, h[0]),
					  eni_snapshot_lookup(s, &m.dst, h[1])};
		uint32_t n = t.n;
		int got = attribute_known(&t, &m, h, known, o);
		assert_int_equal(got, attribute(&t, &m, w));
		for (int k = 0; k < got; k++) {
			assert_int_equal(o[k].eni, w[k].eni);
			assert_int_equal(o[k].interval, w[k].interval);
			assert_int_equal(o[k].dir, w[k].dir);
		}
		assert_int_equal(t.n, mode == 2 ? n : n + 1);
		assert_int_equal(eni_snapshot_lookup(s, &fresh, eni_hash(&fresh)),
				 mode == 2 ? -1 : ENI_ASK);
		vfe_free(s);
		eni_table_free(&t);
	}
}

/* No ENI past ENI_LIMIT (a flow's tag packs the ENI's index in 22 bits). */
static void test_eni_limit(void **state)
{
	struct eni_table t;
	struct ip_addr a = A("10.0.0.1"), b = A("10.0.0.2");
	(void)state;
	eni_table_init(&t, 60);
	assert_int_equal(eni_add(&t, &a, 1), 0);
	uint32_t n = t.n;
	t.n = ENI_LIMIT;	/* as if full: only the count is looked at */
	assert_int_equal(eni_add(&t, &b, 1), -1);
	t.n = n;
	assert_int_equal(eni_lookup(&t, &b), -1);
	eni_table_free(&t);
}

static void test_substitution(void **state)
{
	struct eni_table t;
	struct ip_addr addrs[] = {A("10.0.1.10"), A("10.0.1.11"), A("2001:db8::10")};
	struct ip_addr src, dst;
	(void)state;
	eni_table_init(&t, 600);
	eni_add(&t, addrs, 3);
	const struct eni *e = t.v[0];
	struct ip_addr sec = A("10.0.1.11"), peer = A("198.51.100.7");
	/* Egress from a secondary IP: srcaddr is the primary. */
	attribute_record_addrs(e, DIR_EGRESS, &sec, &peer, &src, &dst);
	assert_true(ip_addr_eq(&src, &addrs[0]));
	assert_true(ip_addr_eq(&dst, &peer));
	/* Ingress to a secondary IP: dstaddr is the primary. */
	attribute_record_addrs(e, DIR_INGRESS, &peer, &sec, &src, &dst);
	assert_true(ip_addr_eq(&src, &peer));
	assert_true(ip_addr_eq(&dst, &addrs[0]));
	/* IPv6 is never substituted. */
	struct ip_addr v6 = A("2001:db8::10"), v6peer = A("2001:db8:ffff::1");
	attribute_record_addrs(e, DIR_EGRESS, &v6, &v6peer, &src, &dst);
	assert_true(ip_addr_eq(&src, &v6));
	eni_table_free(&t);
}

static void test_address_lists(void **state)
{
	struct ip_addr a[4];
	struct ip_prefix p[4];
	size_t n;
	char err[128];
	(void)state;
	assert_int_equal(parse_addr_list("10.0.1.10,2001:db8::1", a, 4, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(parse_addr_list("10.0.1.10,,10.0.1.11", a, 4, &n, err, sizeof(err)), -1);
	assert_int_equal(parse_addr_list("10.0.1.300", a, 4, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "\"10.0.1.300\" is not an IPv4 or IPv6 address");
	assert_int_equal(parse_addr_list("", a, 4, &n, err, sizeof(err)), -1);
	assert_int_equal(parse_addr_list("1.1.1.1,2.2.2.2", a, 1, &n, err, sizeof(err)), -1);
	assert_int_equal(parse_prefix_list("10.0.0.0/16,2001:db8::/32", p, 4, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_int_equal(parse_prefix_list("10.0.0.0/33", p, 4, &n, err, sizeof(err)), -1);
	assert_string_equal(err, "\"10.0.0.0/33\" is not a CIDR block");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_primary_is_first_ipv4),
		cmocka_unit_test(test_placeholder_ids_are_aws_shaped),
		cmocka_unit_test(test_directions),
		cmocka_unit_test(test_vpc_cidr_makes_enis),
		cmocka_unit_test(test_vpc_cidr_and_an_eni_outside),
		cmocka_unit_test(test_snapshot),
		cmocka_unit_test(test_eni_limit),
		cmocka_unit_test(test_substitution),
		cmocka_unit_test(test_address_lists),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
