/* link.c - link layers: Ethernet II with 802.1Q/802.1ad tags, Linux cooked
 * v1 and v2, raw IP, BSD loopback (DLT_NULL, DLT_LOOP).
 * Owns the DLT table and the ethertype dispatch; must not read past the link
 * header. IEEE 802.3 and 802.1Q, tcpdump.org "Link-layer header types". */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pcap/dlt.h>

#include "capture/decode/layers.h"

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100      /* 802.1Q C-tag */
#define ETHERTYPE_QINQ 0x88a8      /* 802.1ad S-tag */
#define ETHERTYPE_QINQ_OLD 0x9100  /* pre-standard QinQ, still seen */
#define ETHERTYPE_MIN 0x0600       /* below: an 802.3 length, not a type */

/* LINKTYPE_RAW as stored in pcap files; pcap_datalink() maps it to DLT_RAW
 * (12 or 14 depending on the OS), but a caller may hand it over as is. */
#define LINKTYPE_RAW 101

#define ETH_ADDRS_LEN 12    /* destination and source MAC */
#define SLL_PROTO_OFF 14    /* 16-byte header, protocol last */
#define SLL2_REST_LEN 18    /* 20-byte header, protocol first */

/* AF_INET6 differs between the systems that write DLT_NULL captures. */
#define BSD_AF_INET 2
#define BSD_AF_INET6_LINUX 10
#define BSD_AF_INET6_BSD 24      /* NetBSD, OpenBSD, BSD/OS */
#define BSD_AF_INET6_FREEBSD 28
#define BSD_AF_INET6_DARWIN 30

static const struct {
	int dlt;
	const char *name;
} link_table[] = {
	{DLT_NULL, "NULL"},
	{DLT_EN10MB, "EN10MB"},
	{DLT_RAW, "RAW"},
	{LINKTYPE_RAW, "RAW"},
	{DLT_LOOP, "LOOP"},
	{DLT_LINUX_SLL, "LINUX_SLL"},
	{DLT_LINUX_SLL2, "LINUX_SLL2"},
	{DLT_IPV4, "IPV4"},
	{DLT_IPV6, "IPV6"},
};

int decode_link_supported(int dlt)
{
	for (size_t i = 0; i < sizeof(link_table) / sizeof(link_table[0]); i++)
		if (link_table[i].dlt == dlt)
			return 1;
	return 0;
}

const char *decode_link_name(int dlt)
{
	for (size_t i = 0; i < sizeof(link_table) / sizeof(link_table[0]); i++)
		if (link_table[i].dlt == dlt)
			return link_table[i].name;
	return "unknown";
}

static bool is_vlan_type(uint16_t type)
{
	return type == ETHERTYPE_VLAN || type == ETHERTYPE_QINQ ||
	       type == ETHERTYPE_QINQ_OLD;
}

/* Ethernet, SLL and SLL2 all end in an ethertype; VLAN tags may follow. */
static enum decode_result ethertype_dispatch(struct cursor *c,
					     uint16_t type, struct pkt_meta *m,
					     unsigned *ipver)
{
	uint16_t tci;

	/* Each pass returns or consumes one 4-byte tag and counts it in
	 * m->vlan_count. The depth check comes before the read, so the loop
	 * runs at most DECODE_MAX_VLAN + 1 times whatever the frame says,
	 * and a tag too many is MALFORMED even if it was not captured. */
	for (;;) {
		if (type == ETHERTYPE_IPV4) {
			*ipver = 4;
			return DECODE_OK;
		}
		if (type == ETHERTYPE_IPV6) {
			*ipver = 6;
			return DECODE_OK;
		}
		/* ARP, an 802.3 length (type < ETHERTYPE_MIN: LLC follows,
		 * which never carries IP we log) or any other protocol. */
		if (type < ETHERTYPE_MIN || !is_vlan_type(type))
			return decode_fail(m, DECODE_UNSUPPORTED, EV_NOT_IP);
		if (m->vlan_count >= DECODE_MAX_VLAN)
			return decode_fail(m, DECODE_MALFORMED,
					   EV_VLAN_TOO_DEEP);
		if (!cur_get_be16(c, &tci) || !cur_get_be16(c, &type))
			return decode_fail(m, DECODE_TRUNCATED,
					   EV_VLAN_TRUNCATED);
		m->vlan[m->vlan_count++] = (uint16_t)(tci & 0x0fff);
	}
}

static enum decode_result link_ether(struct cursor *c, struct pkt_meta *m,
				     unsigned *ipver)
{
	uint16_t type;

	if (!cur_skip(c, ETH_ADDRS_LEN) || !cur_get_be16(c, &type))
		return decode_fail(m, DECODE_TRUNCATED, EV_LINK_TRUNCATED);
	return ethertype_dispatch(c, type, m, ipver);
}

static enum decode_result link_sll(struct cursor *c, struct pkt_meta *m,
				   unsigned *ipver)
{
	uint16_t proto;

	/* packet type, ARPHRD, address length, 8-byte address, protocol */
	if (!cur_skip(c, SLL_PROTO_OFF) || !cur_get_be16(c, &proto))
		return decode_fail(m, DECODE_TRUNCATED, EV_LINK_TRUNCATED);
	return ethertype_dispatch(c, proto, m, ipver);
}

static enum decode_result link_sll2(struct cursor *c, struct pkt_meta *m,
				    unsigned *ipver)
{
	uint16_t proto;

	/* protocol, reserved, ifindex, ARPHRD, packet type, address */
	if (!cur_get_be16(c, &proto) || !cur_skip(c, SLL2_REST_LEN))
		return decode_fail(m, DECODE_TRUNCATED, EV_LINK_TRUNCATED);
	return ethertype_dispatch(c, proto, m, ipver);
}

static uint32_t swap32(uint32_t v)
{
	return (v & 0xffu) << 24 | (v & 0xff00u) << 8 | (v >> 8 & 0xff00u) |
	       v >> 24;
}

/* DLT_NULL: a 4-byte AF_ value in the capturing host's byte order, which
 * need not be ours (host_order true); DLT_LOOP: the same in network order. */
static enum decode_result link_loop(struct cursor *c, bool host_order,
				    struct pkt_meta *m, unsigned *ipver)
{
	uint32_t af;

	if (!cur_get_be32(c, &af))
		return decode_fail(m, DECODE_TRUNCATED, EV_LINK_TRUNCATED);
	/* Every AF_ value fits in 16 bits, so a larger one was written
	 * little-endian. */
	if (host_order && af > 0xffff)
		af = swap32(af);
	switch (af) {
	case BSD_AF_INET:
		*ipver = 4;
		return DECODE_OK;
	case BSD_AF_INET6_LINUX:
	case BSD_AF_INET6_BSD:
	case BSD_AF_INET6_FREEBSD:
	case BSD_AF_INET6_DARWIN:
		*ipver = 6;
		return DECODE_OK;
	default:
		return decode_fail(m, DECODE_UNSUPPORTED, EV_NOT_IP);
	}
}

/* Raw IP has no header: the version nibble of the first byte decides. */
static enum decode_result link_raw(struct cursor *c, struct pkt_meta *m,
				   unsigned *ipver)
{
	uint8_t vhl;

	if (!cur_peek_u8(c, &vhl))
		return decode_fail(m, DECODE_TRUNCATED, EV_LINK_TRUNCATED);
	if (vhl >> 4 != 4 && vhl >> 4 != 6)
		return decode_fail(m, DECODE_UNSUPPORTED, EV_NOT_IP);
	*ipver = (unsigned)(vhl >> 4);
	return DECODE_OK;
}

enum decode_result decode_link(int dlt, struct cursor *c, struct pkt_meta *m,
			       unsigned *ipver)
{
	switch (dlt) {
	case DLT_EN10MB:
		return link_ether(c, m, ipver);
	case DLT_LINUX_SLL:
		return link_sll(c, m, ipver);
	case DLT_LINUX_SLL2:
		return link_sll2(c, m, ipver);
	case DLT_RAW:
	case LINKTYPE_RAW:
		return link_raw(c, m, ipver);
	case DLT_IPV4:
		*ipver = 4;
		return DECODE_OK;
	case DLT_IPV6:
		*ipver = 6;
		return DECODE_OK;
	case DLT_NULL:
		return link_loop(c, true, m, ipver);
	case DLT_LOOP:
		return link_loop(c, false, m, ipver);
	default:
		return decode_fail(m, DECODE_UNSUPPORTED, EV_LINK_UNSUPPORTED);
	}
}
