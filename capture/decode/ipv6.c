/* ipv6.c - the IPv6 header and extension header chain (RFC 8200 3, 4;
 * AH RFC 4302, Mobility RFC 6275, HIP RFC 7401, Shim6 RFC 5533).
 * Owns the bounded walk to the upper-layer protocol and the Fragment
 * header's state; must not read the upper-layer header or any option
 * contents, and does not reassemble. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "capture/decode/layers.h"

#define IPV6_HDR_LEN 40
#define IPV6_FRAG_LEN 8
#define IPV6_FRAG_M 0x0001 /* more fragments */

static bool ipv6_is_ext(uint8_t nxt)
{
	switch (nxt) {
	case PROTO_HOPOPTS:
	case PROTO_ROUTING:
	case PROTO_FRAGMENT:
	case PROTO_AH:
	case PROTO_DSTOPTS:
	case PROTO_MOBILITY:
	case PROTO_HIP:
	case PROTO_SHIM6:
		return true;
	default:
		/* ESP (50) and No Next Header (59) end the walk too: nothing
		 * after them can be read. */
		return false;
	}
}

/* The Fragment header (RFC 8200 4.5). A later fragment ends the walk: what
 * follows is the middle of the original payload, not a header. */
static enum decode_result ipv6_frag(struct cursor *c, uint8_t *nxt,
				    struct pkt_meta *m)
{
	uint8_t next;
	uint16_t offlg;
	uint32_t ident;

	/* next header, reserved, offset (13 bits) | res (2) | M, ident */
	if (!cur_has(c, IPV6_FRAG_LEN) || !cur_get_u8(c, &next) ||
	    !cur_skip(c, 1) || !cur_get_be16(c, &offlg) ||
	    !cur_get_be32(c, &ident))
		return decode_fail(m, DECODE_TRUNCATED, EV_IPV6_EXT_TRUNCATED);
	m->frag_id = ident;
	if (offlg >> 3 != 0)
		m->frag = FRAG_LATER;
	else if ((offlg & IPV6_FRAG_M) != 0)
		m->frag = FRAG_FIRST;
	/* else an atomic fragment (RFC 6946): a whole datagram */
	*nxt = next;
	return DECODE_OK;
}

static enum decode_result ipv6_ext_walk(struct cursor *c, uint8_t nxt,
					struct pkt_meta *m)
{
	enum decode_result r;
	uint16_t nl;
	size_t len;

	/* Invariant: at the top of each pass nxt names the header at c->ptr,
	 * and m->proto follows it so a failure leaves the last one known.
	 * Each pass returns or skips one whole extension header of at least
	 * 8 bytes, so the cursor strictly advances; the count check returns
	 * after DECODE_MAX_IPV6_EXT headers whatever the chain says, so an
	 * endless chain in a jumbo frame costs at most that many steps. */
	for (unsigned n = 0;; n++) {
		m->proto = nxt;
		if (!ipv6_is_ext(nxt))
			return DECODE_OK;
		if (n == DECODE_MAX_IPV6_EXT)
			return decode_fail(m, DECODE_MALFORMED,
					   EV_IPV6_EXT_TOO_MANY);
		if (nxt == PROTO_FRAGMENT) {
			r = ipv6_frag(c, &nxt, m);
			if (r != DECODE_OK)
				return r;
			/* The Fragment header's Next Header names the
			 * first header of the fragmentable part: the
			 * upper-layer protocol unless the sender put
			 * Destination Options there. */
			if (m->frag == FRAG_LATER) {
				m->proto = nxt;
				return DECODE_OK;
			}
			continue;
		}
		/* next header, length; AH counts 4-byte words minus 2
		 * (RFC 4302 2.2), the others 8-byte units minus 1. */
		if (!cur_peek_be16(c, &nl))
			return decode_fail(m, DECODE_TRUNCATED,
					   EV_IPV6_EXT_TRUNCATED);
		if (nxt == PROTO_AH)
			len = ((size_t)(nl & 0xff) + 2) * 4;
		else
			len = ((size_t)(nl & 0xff) + 1) * 8;
		/* The cursor is clamped to the payload length, so a header
		 * running past the payload also ends up here. */
		if (!cur_skip(c, len))
			return decode_fail(m, DECODE_TRUNCATED,
					   EV_IPV6_EXT_TRUNCATED);
		nxt = (uint8_t)(nl >> 8);
	}
}

enum decode_result decode_ipv6(struct cursor *c, uint32_t wire,
			       struct pkt_meta *m)
{
	uint8_t b0, nxt;
	uint16_t plen;
	uint8_t src[16], dst[16];
	uint32_t ip_len;

	if (!cur_peek_u8(c, &b0))
		return decode_fail(m, DECODE_TRUNCATED, EV_IPV6_TRUNCATED);
	if (b0 >> 4 != 6)
		return decode_fail(m, DECODE_MALFORMED, EV_IP_VERSION_MISMATCH);
	/* version/class/flow label, payload length, next header, hop limit,
	 * source, destination */
	if (!cur_has(c, IPV6_HDR_LEN) || !cur_skip(c, 4) ||
	    !cur_get_be16(c, &plen) || !cur_get_u8(c, &nxt) ||
	    !cur_skip(c, 1) || !cur_get_bytes(c, src, sizeof(src)) ||
	    !cur_get_bytes(c, dst, sizeof(dst)))
		return decode_fail(m, DECODE_TRUNCATED, EV_IPV6_TRUNCATED);
	memcpy(m->src.b, src, sizeof(src));
	memcpy(m->dst.b, dst, sizeof(dst));
	m->family = 6;
	m->proto = nxt;

	/* Payload length 0: a jumbogram (RFC 2675) or a TSO/GSO super-segment
	 * on the capturing host; the frame's wire length is all there is. */
	ip_len = plen != 0 ? IPV6_HDR_LEN + (uint32_t)plen : wire;
	m->ip_len = ip_len;
	/* More than was on the wire is a lie, not a short capture. */
	if (ip_len > wire || ip_len < IPV6_HDR_LEN)
		return decode_fail(m, DECODE_MALFORMED, EV_IPV6_BAD_LEN);
	cur_clamp(c, ip_len - IPV6_HDR_LEN);
	return ipv6_ext_walk(c, nxt, m);
}
