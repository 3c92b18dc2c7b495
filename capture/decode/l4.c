/* l4.c - the upper-layer fields a flow log needs: TCP (RFC 9293) ports and
 * flags, UDP (RFC 768) ports, ICMP (RFC 792) and ICMPv6 (RFC 4443) type and
 * code. Must not read past those fields (no options, no payload) and must
 * not verify checksums: the sending host's captures carry offloaded ones. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/decode/layers.h"

#define TCP_SEQ_ACK_LEN 8
#define TCP_MIN_OFF 5 /* data offset in 32-bit words: the 20-byte header */

#define TCP_FLAGS_END 14  /* ports, sequence, acknowledgment, offset, flags */

static enum decode_result l4_tcp(struct cursor *c, struct pkt_meta *m)
{
	uint16_t sport, dport;
	uint8_t off, flags, h[TCP_FLAGS_END];

	/* Nearly always: the bytes up to the flags in one read. */
	if (cur_get_bytes(c, h, sizeof(h))) {
		m->sport = (uint16_t)(h[0] << 8 | h[1]);
		m->dport = (uint16_t)(h[2] << 8 | h[3]);
		if (h[12] >> 4 < TCP_MIN_OFF)
			return decode_fail(m, DECODE_MALFORMED, EV_TCP_BAD_OFF);
		m->tcp_flags = h[13];
		return DECODE_OK;
	}
	/* A short capture: field by field, to say which one is missing. */

	if (!cur_get_be16(c, &sport) || !cur_get_be16(c, &dport))
		return decode_fail(m, DECODE_TRUNCATED, EV_TCP_TRUNCATED);
	m->sport = sport;
	m->dport = dport;
	if (!cur_skip(c, TCP_SEQ_ACK_LEN) || !cur_get_u8(c, &off))
		return decode_fail(m, DECODE_TRUNCATED, EV_TCP_TRUNCATED);
	/* Judged as soon as the byte is captured, even if the flags are
	 * not. The segment is not checked against the data offset: a short
	 * snaplen cuts options, and we need none of them. */
	if (off >> 4 < TCP_MIN_OFF)
		return decode_fail(m, DECODE_MALFORMED, EV_TCP_BAD_OFF);
	if (!cur_get_u8(c, &flags))
		return decode_fail(m, DECODE_TRUNCATED, EV_TCP_TRUNCATED);
	m->tcp_flags = flags;
	return DECODE_OK;
}

static enum decode_result l4_udp(struct cursor *c, struct pkt_meta *m)
{
	uint16_t sport, dport;

	/* The UDP length field is not needed: `bytes` comes from IP. */
	if (!cur_get_be16(c, &sport) || !cur_get_be16(c, &dport))
		return decode_fail(m, DECODE_TRUNCATED, EV_UDP_TRUNCATED);
	m->sport = sport;
	m->dport = dport;
	return DECODE_OK;
}

/* ICMP and ICMPv6 share the type/code layout; ports stay 0 (AWS logs 0). */
static enum decode_result l4_icmp(struct cursor *c, struct pkt_meta *m)
{
	uint8_t type, code;

	if (!cur_get_u8(c, &type) || !cur_get_u8(c, &code))
		return decode_fail(m, DECODE_TRUNCATED, EV_ICMP_TRUNCATED);
	m->icmp_type = type;
	m->icmp_code = code;
	return DECODE_OK;
}

enum decode_result decode_l4(struct cursor *c, struct pkt_meta *m)
{
	switch (m->proto) {
	case PROTO_TCP:
		return l4_tcp(c, m);
	case PROTO_UDP:
		return l4_udp(c, m);
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		return l4_icmp(c, m);
	default:
		/* GRE, ESP, SCTP, ...: AWS logs them with ports 0, so there
		 * is nothing to read. */
		return DECODE_OK;
	}
}
