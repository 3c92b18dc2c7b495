/* rulematch.h - what security group rules (secgroup.c) and network ACL
 * entries (nacl.c) compare a packet with, in one pre-parsed form.
 *
 * An address block is kept as mask and network over the 16 bytes of the
 * mapped address (formats/addr.h), so a match is two AND-compares. A packet
 * becomes a probe once per decision: the peer address (the source inbound,
 * the destination outbound), the family, the protocol and the two numbers
 * a rule can range over: the destination port (TCP, UDP), or ICMP type and
 * code. Both rule kinds range over the destination port in both directions
 * (EC2 user guide, security group rules; VPC user guide, network ACL rules). */
#ifndef VFE_RULEMATCH_H
#define VFE_RULEMATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "capture/decode/decode.h"
#include "formats/addr.h"

enum rule_dir { RULE_IN, RULE_OUT, RULE_DIRS };

struct ip_block {
	uint64_t net[2], mask[2];
};

struct rule_probe {
	uint64_t a[2];                /* the peer's 16 mapped bytes */
	const struct ip_addr *peer;
	uint16_t p1;                  /* destination port, or ICMP type */
	uint8_t p2;                   /* ICMP code, else 0 */
	uint8_t family;               /* 4 or 6 */
	uint8_t proto;
};

static inline bool proto_is_icmp(unsigned proto)
{
	return proto == 1 || proto == 58;
}

static inline bool proto_has_ports(unsigned proto)
{
	return proto == 6 || proto == 17;
}

static inline void ip_block_of(const struct ip_prefix *p, struct ip_block *b)
{
	uint8_t m[16] = {0}, n[16];

	for (unsigned i = 0; i < p->len && i < 128; i++)
		m[i / 8] = (uint8_t)(m[i / 8] | 0x80u >> (i % 8));
	for (unsigned i = 0; i < 16; i++)
		n[i] = (uint8_t)(p->addr.b[i] & m[i]);
	memcpy(b->net, n, 16);
	memcpy(b->mask, m, 16);
}

/* 4 for an IPv4 block (stored mapped, at least /96), else 6. */
static inline uint8_t ip_prefix_family(const struct ip_prefix *p)
{
	return ip_addr_is_v4(&p->addr) && p->len >= 96 ? 4 : 6;
}

static inline bool ip_block_has(const struct ip_block *b, const uint64_t a[2])
{
	return (a[0] & b->mask[0]) == b->net[0] && (a[1] & b->mask[1]) == b->net[1];
}

static inline void rule_probe_of(const struct pkt_meta *m, enum rule_dir dir,
				 struct rule_probe *q)
{
	q->peer = dir == RULE_IN ? &m->src : &m->dst;
	memcpy(q->a, q->peer->b, 16);
	q->family = m->family;
	q->proto = m->proto;
	q->p1 = proto_is_icmp(m->proto) ? m->icmp_type : m->dport;
	q->p2 = proto_is_icmp(m->proto) ? m->icmp_code : 0;
}

#endif
