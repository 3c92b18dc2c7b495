/* ipv4.c - the IPv4 header (RFC 791): addresses, protocol, total length
 * (the AWS `bytes` of the packet) and fragment state (RFC 791 3.2).
 * Must not verify the header checksum: captures taken on the sending host
 * carry checksums the NIC has not filled in yet. Does not reassemble. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "capture/decode/layers.h"

#define IPV4_MIN_HDR 20
#define IPV4_MF 0x2000      /* more fragments */
#define IPV4_OFFMASK 0x1fff /* fragment offset, in 8-byte units */

/* The fixed header's fields, copied out of the packet. */
struct ipv4_fields {
	uint8_t vhl;
	uint8_t proto;
	uint16_t totlen;
	uint16_t id;
	uint16_t off;
	uint8_t src[4];
	uint8_t dst[4];
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)((unsigned)p[0] << 8 | p[1]);
}

/* Reads the 20-byte fixed header in one cursor read and takes the fields
 * from the copy: version/IHL, TOS, total length, ID, flags/offset, TTL,
 * protocol, header checksum (skipped, see above), source, destination. */
static bool ipv4_read_fixed(struct cursor *c, struct ipv4_fields *f)
{
	uint8_t h[IPV4_MIN_HDR];

	if (!cur_get_bytes(c, h, sizeof(h)))
		return false;
	f->vhl = h[0];
	f->totlen = be16(h + 2);
	f->id = be16(h + 4);
	f->off = be16(h + 6);
	f->proto = h[9];
	memcpy(f->src, h + 12, sizeof(f->src));
	memcpy(f->dst, h + 16, sizeof(f->dst));
	return true;
}

static void ipv4_fill_meta(const struct ipv4_fields *f, struct pkt_meta *m)
{
	ip_addr_from_v4(&m->src, f->src);
	ip_addr_from_v4(&m->dst, f->dst);
	m->family = 4;
	m->proto = f->proto;
	/* Set for every packet: the fragment tracker keys on it. */
	m->frag_id = f->id;
	if ((f->off & IPV4_OFFMASK) != 0)
		m->frag = FRAG_LATER;
	else if ((f->off & IPV4_MF) != 0)
		m->frag = FRAG_FIRST;
	else
		m->frag = FRAG_NONE;
}

enum decode_result decode_ipv4(struct cursor *c, uint32_t wire,
			       struct pkt_meta *m)
{
	struct ipv4_fields f;
	uint8_t vhl;
	size_t hlen;
	uint32_t ip_len;

	if (!cur_peek_u8(c, &vhl))
		return decode_fail(m, DECODE_TRUNCATED, EV_IPV4_TRUNCATED);
	if (vhl >> 4 != 4)
		return decode_fail(m, DECODE_MALFORMED, EV_IP_VERSION_MISMATCH);
	hlen = (size_t)(vhl & 0x0f) * 4;
	if (hlen < IPV4_MIN_HDR)
		return decode_fail(m, DECODE_MALFORMED, EV_IPV4_BAD_IHL);
	if (!ipv4_read_fixed(c, &f))
		return decode_fail(m, DECODE_TRUNCATED, EV_IPV4_TRUNCATED);
	ipv4_fill_meta(&f, m);

	/* Total length 0: TSO/GSO on the capturing host handed the capture a
	 * super-segment whose length the NIC fills in later; the frame's
	 * wire length is then the only length there is. */
	ip_len = f.totlen != 0 ? f.totlen : wire;
	m->ip_len = ip_len;
	if (ip_len < hlen)
		return decode_fail(m, DECODE_MALFORMED, EV_IPV4_BAD_LEN);
	/* A length beyond the frame on the wire is a lie, not a short
	 * capture: it would inflate `bytes`. Checked before the options so
	 * that a fully captured frame whose IHL runs past its data is
	 * MALFORMED rather than TRUNCATED. */
	if (ip_len > wire)
		return decode_fail(m, DECODE_MALFORMED, EV_IPV4_BAD_LEN);
	if (!cur_skip(c, hlen - IPV4_MIN_HDR))
		return decode_fail(m, DECODE_TRUNCATED, EV_IPV4_TRUNCATED);

	/* Ethernet pads short frames: L4 ends where the total length says,
	 * or where the capture ends if that is sooner. */
	cur_clamp(c, ip_len - hlen);
	return DECODE_OK;
}
