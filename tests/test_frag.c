/* test_frag.c - ports for later fragments from their first fragment. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "capture/flow/frag.h"
#include "formats/mem.h"

static struct pkt_meta frag(uint8_t kind, uint32_t id, uint16_t sport, uint16_t dport)
{
	struct pkt_meta m;
	const uint8_t s[4] = {10, 0, 1, 10}, d[4] = {203, 0, 113, 80};

	memset(&m, 0, sizeof(m));
	ip_addr_from_v4(&m.src, s);
	ip_addr_from_v4(&m.dst, d);
	m.family = 4;
	m.proto = 17;
	m.frag = kind;
	m.frag_id = id;
	m.sport = sport;
	m.dport = dport;
	return m;
}

static void test_later_gets_first_ports(void **state)
{
	struct frag_cache *c = vfe_calloc(1, sizeof(*c));
	(void)state;
	struct pkt_meta first = frag(FRAG_FIRST, 0x1234, 5000, 53);
	frag_resolve(c, &first, 100);
	struct pkt_meta later = frag(FRAG_LATER, 0x1234, 0, 0);
	frag_resolve(c, &later, 101);
	assert_int_equal(later.sport, 5000);
	assert_int_equal(later.dport, 53);
	assert_int_equal(c->matched, 1);
	vfe_free(c);
}

static void test_unknown_first_gives_zero_ports(void **state)
{
	struct frag_cache *c = vfe_calloc(1, sizeof(*c));
	(void)state;
	struct pkt_meta first = frag(FRAG_FIRST, 1, 5000, 53);
	frag_resolve(c, &first, 100);
	struct pkt_meta other_id = frag(FRAG_LATER, 2, 7, 7);
	frag_resolve(c, &other_id, 100);
	assert_int_equal(other_id.sport, 0);
	assert_int_equal(other_id.dport, 0);
	/* Another protocol with the same ID is another datagram. */
	struct pkt_meta tcp = frag(FRAG_LATER, 1, 0, 0);
	tcp.proto = 6;
	frag_resolve(c, &tcp, 100);
	assert_int_equal(tcp.sport, 0);
	/* Past the reassembly timeout the first fragment is forgotten. */
	struct pkt_meta late = frag(FRAG_LATER, 1, 0, 0);
	frag_resolve(c, &late, 100 + FRAG_TIMEOUT + 1);
	assert_int_equal(late.sport, 0);
	assert_int_equal(c->orphans, 3);
	vfe_free(c);
}

static void test_whole_datagrams_untouched(void **state)
{
	struct frag_cache *c = vfe_calloc(1, sizeof(*c));
	(void)state;
	struct pkt_meta m = frag(FRAG_NONE, 1, 1111, 2222);
	frag_resolve(c, &m, 1);
	assert_int_equal(m.sport, 1111);
	assert_int_equal(c->matched + c->orphans, 0);
	vfe_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_later_gets_first_ports),
		cmocka_unit_test(test_unknown_first_gives_zero_ports),
		cmocka_unit_test(test_whole_datagrams_untouched),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
