/* testpkt.c - see testpkt.h. */
#include "testpkt.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "formats/addr.h"

struct pkt_meta mkpkt(const char *src, const char *dst, uint8_t proto, uint16_t dport)
{
	struct pkt_meta m;

	memset(&m, 0, sizeof(m));
	assert_true(ip_addr_parse(src, &m.src));
	assert_true(ip_addr_parse(dst, &m.dst));
	m.family = ip_addr_is_v4(&m.src) ? 4 : 6;
	m.proto = proto;
	if (proto == 6 || proto == 17) {
		m.sport = 40000;
		m.dport = dport;
	}
	return m;
}

struct pkt_meta mkicmp(const char *src, const char *dst, uint8_t type, uint8_t code)
{
	struct pkt_meta m = mkpkt(src, dst, 1, 0);

	m.proto = m.family == 4 ? 1 : 58;
	m.icmp_type = type;
	m.icmp_code = code;
	return m;
}
