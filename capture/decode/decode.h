/* decode.h - raw frame to pkt_meta.
 *
 * Decoding is pure: it reads the frame through the bounds-checked cursor
 * (cursor.h), fills a pkt_meta and returns one result. It never allocates,
 * prints or keeps state between packets. The caller counts every result and
 * every event; nothing is dropped silently. */
#ifndef VFE_DECODE_H
#define VFE_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include "formats/addr.h"

enum decode_result {
	DECODE_OK,          /* addresses, protocol and (if any) ports are known */
	DECODE_TRUNCATED,   /* the capture ended before a header we need */
	DECODE_MALFORMED,   /* a header contradicts itself or the frame */
	DECODE_UNSUPPORTED, /* not IP, or a link type or layer we do not read */
	DECODE_RESULT_COUNT
};

/* Why a packet was not OK (Suricata-style named events). One per packet:
 * the first problem found. Names are in decode_event_name(). */
enum decode_event {
	EV_NONE,
	EV_LINK_TRUNCATED,      /* shorter than the link header */
	EV_LINK_UNSUPPORTED,    /* link type we do not decode */
	EV_VLAN_TRUNCATED,
	EV_VLAN_TOO_DEEP,       /* more than DECODE_MAX_VLAN tags */
	EV_NOT_IP,              /* ARP, LLC, other ethertypes, AF_ values */
	EV_IP_VERSION_MISMATCH, /* ethertype/family says 4, header says 6 */
	EV_IPV4_TRUNCATED,
	EV_IPV4_BAD_IHL,        /* IHL < 5 */
	EV_IPV4_BAD_LEN,        /* total length < header, or > the frame */
	EV_IPV6_TRUNCATED,
	EV_IPV6_BAD_LEN,        /* payload length > the frame */
	EV_IPV6_EXT_TRUNCATED,
	EV_IPV6_EXT_TOO_MANY,   /* more than DECODE_MAX_IPV6_EXT headers */
	EV_TCP_TRUNCATED,
	EV_TCP_BAD_OFF,         /* data offset < 5 */
	EV_UDP_TRUNCATED,
	EV_ICMP_TRUNCATED,
	EV_COUNT
};

#define DECODE_MAX_VLAN 2
#define DECODE_MAX_IPV6_EXT 8

/* Bits of pkt_meta.tcp_flags: the TCP header's own bits (RFC 9293). */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECE 0x40
#define TH_CWR 0x80

/* pkt_meta.frag */
#define FRAG_NONE 0     /* a whole datagram */
#define FRAG_FIRST 1    /* offset 0, more fragments follow: has the L4 header */
#define FRAG_LATER 2    /* offset > 0: no L4 header */

struct pkt_meta {
	struct ip_addr src, dst;  /* IPv4 mapped (addr.h) */
	uint32_t ip_len;          /* IP total length from the header: AWS bytes */
	uint32_t frag_id;         /* IPv4 ID or IPv6 fragment Identification */
	uint32_t caplen;          /* bytes captured of the frame */
	uint32_t wirelen;         /* bytes of the frame on the wire */
	uint16_t sport, dport;    /* TCP and UDP only; 0 otherwise */
	uint16_t vlan[DECODE_MAX_VLAN];
	uint8_t vlan_count;
	uint8_t family;           /* 4 or 6 */
	uint8_t proto;            /* upper-layer protocol after IPv6 ext headers */
	uint8_t tcp_flags;        /* raw TCP flags byte (TH_*) */
	uint8_t icmp_type, icmp_code;
	uint8_t frag;             /* FRAG_* */
	uint8_t event;            /* enum decode_event */
};

/* Link types by their DLT_ value as pcap_datalink() returns it. */
int decode_link_supported(int dlt);
const char *decode_link_name(int dlt);

/* Decodes one frame of link type dlt. caplen bytes are at data; wirelen is
 * the original length from the capture record. */
enum decode_result decode_packet(int dlt, const uint8_t *data, uint32_t caplen,
				 uint32_t wirelen, struct pkt_meta *m);

const char *decode_result_name(enum decode_result r);
const char *decode_event_name(enum decode_event e);

#endif
