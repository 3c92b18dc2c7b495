/* layers.h - internal interface between the decoder layers.
 *
 * Only the decoder sources in capture/decode/ include this. Each layer
 * reads its header from the cursor, fills its part of the pkt_meta and
 * leaves the cursor on the next layer's first byte (clamped to the length
 * its header declares). A layer that fails records the first event and
 * returns the result; whatever it decoded before the failure stays in the
 * meta. */
#ifndef VFE_DECODE_LAYERS_H
#define VFE_DECODE_LAYERS_H

#include <stdint.h>

#include "capture/decode/cursor.h"
#include "capture/decode/decode.h"

/* IP protocol numbers the decoder knows (IANA "Protocol Numbers"). */
#define PROTO_HOPOPTS 0
#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ROUTING 43
#define PROTO_FRAGMENT 44
#define PROTO_GRE 47
#define PROTO_ESP 50
#define PROTO_AH 51
#define PROTO_ICMPV6 58
#define PROTO_NONE 59
#define PROTO_DSTOPTS 60
#define PROTO_MOBILITY 135
#define PROTO_HIP 139
#define PROTO_SHIM6 140

/* Records the first problem of this packet and passes the result through:
 * `return decode_fail(m, DECODE_TRUNCATED, EV_TCP_TRUNCATED);` */
static inline enum decode_result decode_fail(struct pkt_meta *m,
					     enum decode_result r,
					     enum decode_event ev)
{
	if (m->event == EV_NONE)
		m->event = (uint8_t)ev;
	return r;
}

/* link.c: consumes the link header (and any VLAN tags) of link type dlt.
 * On OK, *ipver is 4 or 6: the IP version the link layer announced. */
enum decode_result decode_link(int dlt, struct cursor *c, struct pkt_meta *m,
			       unsigned *ipver);

/* ipv4.c, ipv6.c: c starts at the IP header; wire is the number of bytes of
 * the frame on the wire from that point (the bound for a lying length). On
 * OK the cursor is on the upper-layer header, clamped to min(captured,
 * declared), and m->proto says what it is. A FRAG_LATER packet has no
 * upper-layer header: the caller must not decode L4. */
enum decode_result decode_ipv4(struct cursor *c, uint32_t wire,
			       struct pkt_meta *m);
enum decode_result decode_ipv6(struct cursor *c, uint32_t wire,
			       struct pkt_meta *m);

/* l4.c: ports for TCP and UDP, flags for TCP, type/code for ICMP and
 * ICMPv6; every other m->proto is OK without reading anything. */
enum decode_result decode_l4(struct cursor *c, struct pkt_meta *m);

#endif
