/* testpkt.h - packets as the rule tests describe them: addresses as text,
 * a protocol, a destination port (source port 40000), or ICMP type/code. */
#ifndef VFE_TESTPKT_H
#define VFE_TESTPKT_H

#include <stdint.h>

#include "capture/decode/decode.h"

struct pkt_meta mkpkt(const char *src, const char *dst, uint8_t proto, uint16_t dport);
/* ICMP for IPv4 addresses, ICMPv6 for IPv6 ones. */
struct pkt_meta mkicmp(const char *src, const char *dst, uint8_t type, uint8_t code);

#endif
