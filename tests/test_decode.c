/* test_decode.c - decode_packet() on hand-built frames: every link type,
 * VLAN depth, IPv4 options and fragments, IPv6 extension chains, the L4
 * fields, every malformed case and every truncation point, plus a caplen
 * sweep and a byte-mutation sweep over all valid frames (run under ASan and
 * UBSan: each frame is decoded from the very end of a stack buffer).
 * Checksums in these frames are 0: the decoder never verifies them, since
 * captures on the sending host carry offloaded, not-yet-computed ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "capture/decode/decode.h"

#define LINKTYPE_RAW 101

/* ---- link headers ---------------------------------------------------- */

/* Ethernet II: dst 02:00:00:00:00:02, src 02:00:00:00:00:01, then type */
#define ETH_MACS 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01

static const uint8_t eth_ip4[] = {ETH_MACS, 0x08, 0x00};
static const uint8_t eth_ip6[] = {ETH_MACS, 0x86, 0xdd};

static const uint8_t eth_vlan1[] = {
	ETH_MACS, 0x81, 0x00,   /* 802.1Q */
	0x20, 0x64, 0x08, 0x00, /* PCP 1, VID 100 | IPv4 */
};

static const uint8_t eth_qinq[] = {
	ETH_MACS, 0x88, 0xa8,   /* 802.1ad S-tag */
	0x00, 0xc8, 0x81, 0x00, /* VID 200 | 802.1Q C-tag */
	0x00, 0x64, 0x08, 0x00, /* VID 100 | IPv4 */
};

static const uint8_t eth_vlan3[] = {
	ETH_MACS, 0x91, 0x00,   /* old QinQ */
	0x00, 0x01, 0x81, 0x00, /* VID 1 | 802.1Q */
	0x00, 0x02, 0x81, 0x00, /* VID 2 | 802.1Q: a third tag */
	0x00, 0x03, 0x08, 0x00, /* VID 3 | IPv4 */
};

static const uint8_t eth_arp[] = {
	ETH_MACS, 0x08, 0x06,   /* ARP */
	0x00, 0x01, 0x08, 0x00, /* Ethernet, IPv4 */
	0x06, 0x04, 0x00, 0x01, /* hlen 6, plen 4, request */
	0x02, 0, 0, 0, 0, 0x01, 10, 0, 1, 5, /* sender */
	0, 0, 0, 0, 0, 0, 10, 0, 1, 1,      /* target */
};

static const uint8_t eth_8023[] = {
	ETH_MACS, 0x00, 0x26,   /* 802.3 length 38 */
	0x42, 0x42, 0x03,       /* LLC: STP */
	0x00, 0x00, 0x00, 0x00,
};

/* Linux cooked v1: packet type 0 (to us), ARPHRD_ETHER, address length 6,
 * address padded to 8, protocol */
#define SLL_HEAD 0x00, 0x00, 0x00, 0x01, 0x00, 0x06, \
	0x02, 0, 0, 0, 0, 0x01, 0x00, 0x00
static const uint8_t sll_ip4[] = {SLL_HEAD, 0x08, 0x00};
static const uint8_t sll_vlan[] = {
	SLL_HEAD, 0x81, 0x00,   /* 802.1Q */
	0x00, 0x0a, 0x08, 0x00, /* VID 10 | IPv4 */
};

/* Linux cooked v2: protocol, reserved, ifindex 2, ARPHRD_ETHER, packet
 * type 4 (outgoing), address length 6, address padded to 8 */
static const uint8_t sll2_ip6[] = {
	0x86, 0xdd, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02,
	0x00, 0x01, 0x04, 0x06,
	0x02, 0, 0, 0, 0, 0x01, 0x00, 0x00,
};

/* BSD loopback: the AF_ value as a 32-bit word */
static const uint8_t null_le_inet[] = {0x02, 0x00, 0x00, 0x00};
static const uint8_t null_be_inet[] = {0x00, 0x00, 0x00, 0x02};
static const uint8_t null_be_inet6_darwin[] = {0x00, 0x00, 0x00, 0x1e};
static const uint8_t null_le_inet6_linux[] = {0x0a, 0x00, 0x00, 0x00};
static const uint8_t null_le_inet6_bsd[] = {0x18, 0x00, 0x00, 0x00};
static const uint8_t null_le_inet6_freebsd[] = {0x1c, 0x00, 0x00, 0x00};
static const uint8_t null_le_appletalk[] = {0x10, 0x00, 0x00, 0x00};
static const uint8_t loop_inet[] = {0x00, 0x00, 0x00, 0x02};

/* ---- IPv4 packets: 10.0.1.5 -> 10.0.2.7 ------------------------------ */

#define V4_ADDRS 0x0a, 0x00, 0x01, 0x05, 0x0a, 0x00, 0x02, 0x07

static const uint8_t ip4_tcp_synack[] = {
	0x45, 0x00, 0x00, 0x28, /* v4 IHL 5 | TOS | total length 40 */
	0x1c, 0x46, 0x40, 0x00, /* ID 0x1c46 | DF, offset 0 */
	0x40, 0x06, 0x00, 0x00, /* TTL 64 | TCP | checksum (not verified) */
	V4_ADDRS,
	0x01, 0xbb, 0xc3, 0x50, /* sport 443 | dport 50000 */
	0x00, 0x00, 0x00, 0x01, /* seq */
	0x00, 0x00, 0x00, 0x02, /* ack */
	0x50, 0x12, 0xfa, 0xf0, /* data offset 5 | SYN|ACK | window */
	0x00, 0x00, 0x00, 0x00, /* checksum | urgent pointer */
};

static const uint8_t ip4_udp[] = {
	0x45, 0x00, 0x00, 0x20, /* total length 32 */
	0x00, 0x01, 0x00, 0x00, /* ID 1 */
	0x40, 0x11, 0x00, 0x00, /* UDP */
	V4_ADDRS,
	0x82, 0x35, 0x00, 0x35, /* sport 33333 | dport 53 */
	0x00, 0x0c, 0x00, 0x00, /* length 12 | checksum */
	0xde, 0xad, 0xbe, 0xef,
};

/* Linux `ping`: 8-byte ICMP header + 56 data bytes = 84 bytes of IP. */
static const uint8_t ip4_icmp_echo[84] = {
	0x45, 0x00, 0x00, 0x54, /* total length 84 */
	0x12, 0x34, 0x40, 0x00,
	0x40, 0x01, 0x00, 0x00, /* ICMP */
	V4_ADDRS,
	0x08, 0x00, 0x00, 0x00, /* echo request, code 0 | checksum */
	0x00, 0x2a, 0x00, 0x01, /* id 42 | seq 1 */
	/* 56 data bytes, zero */
};

static const uint8_t ip4_opts_udp[] = {
	0x46, 0x00, 0x00, 0x20, /* IHL 6 | total length 32 */
	0x00, 0x02, 0x00, 0x00,
	0x01, 0x11, 0x00, 0x00, /* TTL 1 | UDP */
	V4_ADDRS,
	0x94, 0x04, 0x00, 0x00, /* option: Router Alert (RFC 2113) */
	0x13, 0x88, 0x13, 0x89, /* sport 5000 | dport 5001 */
	0x00, 0x08, 0x00, 0x00,
};

static const uint8_t ip4_frag_first[] = {
	0x45, 0x00, 0x00, 0x24, /* total length 36 */
	0xab, 0xcd, 0x20, 0x00, /* ID 0xabcd | MF, offset 0 */
	0x40, 0x11, 0x00, 0x00, /* UDP */
	V4_ADDRS,
	0x13, 0x88, 0x13, 0x89, /* sport 5000 | dport 5001 */
	0x0f, 0xa0, 0x00, 0x00, /* length 4000 (whole datagram) */
	0, 0, 0, 0, 0, 0, 0, 0, /* first 8 data bytes */
};

static const uint8_t ip4_frag_later[] = {
	0x45, 0x00, 0x00, 0x1c, /* total length 28 */
	0xab, 0xcd, 0x00, 0x02, /* ID 0xabcd | offset 2 (16 bytes), last */
	0x40, 0x11, 0x00, 0x00, /* UDP */
	V4_ADDRS,
	0xff, 0xff, 0xff, 0xff, /* data that must not be read as ports */
	0xff, 0xff, 0xff, 0xff,
};

static const uint8_t ip4_gre[] = {
	0x45, 0x00, 0x00, 0x18, /* total length 24 */
	0x00, 0x03, 0x00, 0x00,
	0x40, 0x2f, 0x00, 0x00, /* GRE */
	V4_ADDRS,
	0x00, 0x00, 0x08, 0x00, /* GRE: no flags | IPv4 */
};

/* ---- malformed IPv4 -------------------------------------------------- */

static const uint8_t ip4_ihl4[] = {
	0x44, 0x00, 0x00, 0x1c, /* IHL 4: 16 bytes, less than the header */
	0x00, 0x04, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00,
	V4_ADDRS,
	0x13, 0x88, 0x13, 0x89,
	0x00, 0x08, 0x00, 0x00,
};

static const uint8_t ip4_ihl_past_data[] = {
	0x4f, 0x00, 0x00, 0x1c, /* IHL 15: 60 bytes | total length 28 */
	0x00, 0x05, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00,
	V4_ADDRS,
	0x13, 0x88, 0x13, 0x89,
	0x00, 0x08, 0x00, 0x00,
};

static const uint8_t ip4_len_gt_frame[] = {
	0x45, 0x00, 0x05, 0xdc, /* total length 1500 in a 28-byte packet */
	0x00, 0x06, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00,
	V4_ADDRS,
	0x13, 0x88, 0x13, 0x89,
	0x00, 0x08, 0x00, 0x00,
};

static const uint8_t ip4_len_lt_hdr[] = {
	0x45, 0x00, 0x00, 0x13, /* total length 19 < 20-byte header */
	0x00, 0x07, 0x00, 0x00,
	0x40, 0x11, 0x00, 0x00,
	V4_ADDRS,
	0x13, 0x88, 0x13, 0x89,
	0x00, 0x08, 0x00, 0x00,
};

/* A TSO super-segment as the sending host's capture shows it. */
static const uint8_t ip4_tso[] = {
	0x45, 0x00, 0x00, 0x00, /* total length 0 */
	0x00, 0x08, 0x40, 0x00,
	0x40, 0x06, 0x00, 0x00, /* TCP */
	V4_ADDRS,
	0xc3, 0x50, 0x01, 0xbb, /* sport 50000 | dport 443 */
	0x00, 0x00, 0x10, 0x00,
	0x00, 0x00, 0x20, 0x00,
	0x50, 0x18, 0xfa, 0xf0, /* PSH|ACK */
	0x00, 0x00, 0x00, 0x00,
};

static const uint8_t ip4_tcp_off3[] = {
	0x45, 0x00, 0x00, 0x28,
	0x00, 0x09, 0x00, 0x00,
	0x40, 0x06, 0x00, 0x00,
	V4_ADDRS,
	0x01, 0xbb, 0xc3, 0x50,
	0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x02,
	0x30, 0x02, 0xfa, 0xf0, /* data offset 3: 12 bytes < 20 | SYN */
	0x00, 0x00, 0x00, 0x00,
};

/* A tiny first fragment (RFC 1858) in a frame padded to 60 bytes: the IP
 * packet holds only 8 bytes of TCP; the padding looks like the rest of a
 * SYN and must not be read as one. */
static const uint8_t ip4_tiny_frag_padded[46] = {
	0x45, 0x00, 0x00, 0x1c, /* total length 28 */
	0x00, 0x0a, 0x20, 0x00, /* MF, offset 0 */
	0x40, 0x06, 0x00, 0x00, /* TCP */
	V4_ADDRS,
	0x01, 0xbb, 0xc3, 0x50, /* sport 443 | dport 50000 */
	0x00, 0x00, 0x00, 0x01, /* seq; the IP packet ends here */
	0x00, 0x00, 0x00, 0x00, /* Ethernet padding */
	0x50, 0x02, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00,
	0x00, 0x00,
};

/* ---- IPv6 packets: 2001:db8::1 -> 2001:db8::2 ------------------------ */

#define V6_ADDRS \
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, \
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02
/* version 6, class 0, flow label 0x12345 */
#define V6_VTF 0x60, 0x01, 0x23, 0x45

static const uint8_t ip6_udp[] = {
	V6_VTF,
	0x00, 0x08, 0x11, 0x40, /* payload length 8 | UDP | hop limit 64 */
	V6_ADDRS,
	0xc0, 0x00, 0x01, 0xbb, /* sport 49152 | dport 443 */
	0x00, 0x08, 0x00, 0x00,
};

static const uint8_t ip6_icmp6_echo[] = {
	V6_VTF,
	0x00, 0x08, 0x3a, 0x40, /* payload length 8 | ICMPv6 */
	V6_ADDRS,
	0x80, 0x00, 0x00, 0x00, /* echo request, code 0 | checksum */
	0x00, 0x07, 0x00, 0x01, /* id 7 | seq 1 */
};

static const uint8_t ip6_ext_tcp[] = {
	V6_VTF,
	0x00, 0x3c, 0x00, 0x40, /* payload length 60 | Hop-by-Hop */
	V6_ADDRS,
	0x2b, 0x00, 0x01, 0x04, /* HbH: next Routing, 8 bytes | PadN */
	0x00, 0x00, 0x00, 0x00,
	0x2c, 0x02, 0x04, 0x00, /* Routing: next Fragment, 24 bytes, SRH,
				 * segments left 0 */
	0x00, 0x00, 0x00, 0x00, /* last entry, flags, tag */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
	0x06, 0x00, 0x00, 0x01, /* Fragment: next TCP | offset 0, M */
	0x12, 0x34, 0x56, 0x78, /* Identification */
	0xd4, 0x31, 0x00, 0x16, /* sport 54321 | dport 22 */
	0x00, 0x00, 0x00, 0x01,
	0x00, 0x00, 0x00, 0x00,
	0x50, 0x02, 0xfa, 0xf0, /* data offset 5 | SYN */
	0x00, 0x00, 0x00, 0x00,
};

static const uint8_t ip6_frag_later[] = {
	V6_VTF,
	0x00, 0x10, 0x2c, 0x40, /* payload length 16 | Fragment */
	V6_ADDRS,
	0x11, 0x00, 0x05, 0xc8, /* next UDP | offset 185 (1480 bytes) */
	0x12, 0x34, 0x56, 0x78, /* Identification */
	0xff, 0xff, 0xff, 0xff, /* data that must not be read as ports */
	0xff, 0xff, 0xff, 0xff,
};

static const uint8_t ip6_ah_udp[] = {
	V6_VTF,
	0x00, 0x20, 0x33, 0x40, /* payload length 32 | AH */
	V6_ADDRS,
	0x11, 0x04, 0x00, 0x00, /* AH: next UDP, (4 + 2) * 4 = 24 bytes */
	0x00, 0x00, 0x01, 0x00, /* SPI */
	0x00, 0x00, 0x00, 0x01, /* sequence */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* ICV */
	0x13, 0x88, 0x13, 0x89, /* sport 5000 | dport 5001 */
	0x00, 0x08, 0x00, 0x00,
};

static const uint8_t ip6_esp[] = {
	V6_VTF,
	0x00, 0x10, 0x32, 0x40, /* payload length 16 | ESP */
	V6_ADDRS,
	0x00, 0x00, 0x01, 0x00, /* SPI */
	0x00, 0x00, 0x00, 0x01, /* sequence */
	0, 0, 0, 0, 0, 0, 0, 0, /* encrypted */
};

/* Destination Options of 8 bytes (PadN), next header nxt. */
#define DSTOPT(nxt) (nxt), 0x00, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00

static const uint8_t ip6_ext_eight[] = {
	V6_VTF,
	0x00, 0x40, 0x3c, 0x40, /* payload length 64 | Destination Options */
	V6_ADDRS,
	DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60),
	DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(59), /* 8th: No Next */
};

static const uint8_t ip6_ext_nine[] = {
	V6_VTF,
	0x00, 0x48, 0x3c, 0x40, /* payload length 72 | Destination Options */
	V6_ADDRS,
	DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60),
	DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60),
	DSTOPT(59), /* the 9th: one too many, though the chain ends */
};

static const uint8_t ip6_ext_endless[] = {
	V6_VTF,
	0x00, 0x48, 0x3c, 0x40, /* payload length 72 | Destination Options */
	V6_ADDRS,
	DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60),
	DSTOPT(60), DSTOPT(60), DSTOPT(60), DSTOPT(60),
	DSTOPT(60), /* the 9th, and it still points at another */
};

/* A 16-byte Hop-by-Hop header in an 8-byte payload, padded frame. */
static const uint8_t ip6_ext_past_payload[] = {
	V6_VTF,
	0x00, 0x08, 0x00, 0x40, /* payload length 8 | Hop-by-Hop */
	V6_ADDRS,
	0x3b, 0x01, 0x01, 0x0c, /* next none, (1 + 1) * 8 bytes | PadN */
	0x00, 0x00, 0x00, 0x00, /* the payload ends here */
	0x00, 0x00, 0x00, 0x00, /* Ethernet padding, same value as PadN */
	0x00, 0x00, 0x00, 0x00,
};

static const uint8_t ip6_plen_too_large[] = {
	V6_VTF,
	0x03, 0xe8, 0x11, 0x40, /* payload length 1000 in an 8-byte payload */
	V6_ADDRS,
	0xc0, 0x00, 0x01, 0xbb,
	0x00, 0x08, 0x00, 0x00,
};

static const uint8_t ip6_plen_zero[] = {
	V6_VTF,
	0x00, 0x00, 0x06, 0x40, /* payload length 0 (TSO) | TCP */
	V6_ADDRS,
	0xc3, 0x50, 0x01, 0xbb,
	0x00, 0x00, 0x10, 0x00,
	0x00, 0x00, 0x20, 0x00,
	0x50, 0x10, 0xfa, 0xf0, /* ACK */
	0x00, 0x00, 0x00, 0x00,
};

/* ---- frames and the decode helper ------------------------------------ */

struct tframe {
	const char *name;
	int dlt;
	const uint8_t *link;
	size_t link_len;
	const uint8_t *ip;
	size_t ip_len;
};

#define TF(dlt, l, i) {#l " + " #i, (dlt), (l), sizeof(l), (i), sizeof(i)}
#define TF_RAW(dlt, i) {#dlt " + " #i, (dlt), NULL, 0, (i), sizeof(i)}

#define FRAME_MAX 256

static uint32_t frame_len(const struct tframe *t)
{
	return (uint32_t)(t->link_len + t->ip_len);
}

/* Decodes the first caplen bytes of the frame, placed at the very end of a
 * stack buffer: a read one past the capture is an ASan error. */
static enum decode_result decode_tf(const struct tframe *t, uint32_t caplen,
				    uint32_t wirelen, struct pkt_meta *m)
{
	uint8_t full[FRAME_MAX], buf[FRAME_MAX];
	uint8_t *p;

	assert_true(frame_len(t) <= FRAME_MAX);
	assert_true(caplen <= frame_len(t));
	if (t->link_len > 0)
		memcpy(full, t->link, t->link_len);
	memcpy(full + t->link_len, t->ip, t->ip_len);
	p = buf + FRAME_MAX - caplen;
	memcpy(p, full, caplen);
	return decode_packet(t->dlt, caplen > 0 ? p : NULL, caplen, wirelen,
			     m);
}

static enum decode_result decode_full(const struct tframe *t,
				      struct pkt_meta *m)
{
	return decode_tf(t, frame_len(t), frame_len(t), m);
}

static void expect(const struct tframe *t, enum decode_result r,
		   enum decode_event ev, struct pkt_meta *m)
{
	enum decode_result got = decode_full(t, m);

	if (got != r || m->event != ev)
		print_error("%s: got %s/%s, want %s/%s\n", t->name,
			    decode_result_name(got),
			    decode_event_name((enum decode_event)m->event),
			    decode_result_name(r), decode_event_name(ev));
	assert_int_equal(got, r);
	assert_int_equal(m->event, ev);
	assert_int_equal(m->caplen, frame_len(t));
	assert_int_equal(m->wirelen, frame_len(t));
}

static void assert_v4_addrs(const struct pkt_meta *m)
{
	assert_int_equal(m->family, 4);
	assert_true(ip_addr_is_v4(&m->src));
	assert_int_equal(ip_addr_v4(&m->src), 0x0a000105);
	assert_int_equal(ip_addr_v4(&m->dst), 0x0a000207);
}

static void assert_v6_addrs(const struct pkt_meta *m)
{
	static const uint8_t src[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01};
	static const uint8_t dst[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x02};

	assert_int_equal(m->family, 6);
	assert_memory_equal(m->src.b, src, 16);
	assert_memory_equal(m->dst.b, dst, 16);
}

/* ---- names ----------------------------------------------------------- */

static void test_names(void **state)
{
	(void)state;
	for (int r = 0; r < DECODE_RESULT_COUNT; r++) {
		const char *n = decode_result_name((enum decode_result)r);

		assert_non_null(n);
		assert_string_not_equal(n, "unknown");
		for (int s = 0; s < r; s++)
			assert_string_not_equal(
				n, decode_result_name((enum decode_result)s));
	}
	for (int e = 0; e < EV_COUNT; e++) {
		const char *n = decode_event_name((enum decode_event)e);

		assert_non_null(n);
		assert_string_not_equal(n, "unknown");
		for (int s = 0; s < e; s++)
			assert_string_not_equal(
				n, decode_event_name((enum decode_event)s));
	}
	assert_string_equal(decode_result_name(DECODE_RESULT_COUNT),
			    "unknown");
	assert_string_equal(decode_event_name(EV_COUNT), "unknown");
	assert_string_equal(decode_event_name(EV_NONE), "none");
}

static void test_link_table(void **state)
{
	static const int ok[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2,
				 DLT_RAW, LINKTYPE_RAW, DLT_IPV4, DLT_IPV6,
				 DLT_NULL, DLT_LOOP};

	(void)state;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_true(decode_link_supported(ok[i]));
		assert_string_not_equal(decode_link_name(ok[i]), "unknown");
	}
	assert_string_equal(decode_link_name(DLT_EN10MB), "EN10MB");
	assert_string_equal(decode_link_name(DLT_LINUX_SLL2), "LINUX_SLL2");
	assert_false(decode_link_supported(DLT_IEEE802_11));
	assert_false(decode_link_supported(-1));
	assert_string_equal(decode_link_name(DLT_IEEE802_11), "unknown");
}

/* ---- Ethernet and VLAN ----------------------------------------------- */

static void test_eth_tcp_synack(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_tcp_synack);
	struct pkt_meta m;

	(void)state;
	/* Stale contents must not survive: the meta is zeroed first. */
	memset(&m, 0xa5, sizeof(m));
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_v4_addrs(&m);
	assert_int_equal(m.proto, 6);
	assert_int_equal(m.sport, 443);
	assert_int_equal(m.dport, 50000);
	assert_int_equal(m.tcp_flags, TH_SYN | TH_ACK);
	assert_int_equal(m.ip_len, 40);
	assert_int_equal(m.frag, FRAG_NONE);
	assert_int_equal(m.frag_id, 0x1c46);
	assert_int_equal(m.vlan_count, 0);
	assert_int_equal(m.icmp_type, 0);
}

static void test_eth_udp(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_udp);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_v4_addrs(&m);
	assert_int_equal(m.proto, 17);
	assert_int_equal(m.sport, 33333);
	assert_int_equal(m.dport, 53);
	assert_int_equal(m.tcp_flags, 0);
	assert_int_equal(m.ip_len, 32);
}

static void test_eth_padding(void **state)
{
	/* A 46-byte frame padded to the 60-byte Ethernet minimum: the IP
	 * length, not the frame, is the packet; L4 stops at the IP end. */
	uint8_t pad[sizeof(ip4_udp) + 14];
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, pad);
	struct pkt_meta m;

	(void)state;
	memset(pad, 0xee, sizeof(pad));
	memcpy(pad, ip4_udp, sizeof(ip4_udp));
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.ip_len, 32);
	assert_int_equal(m.dport, 53);
}

static void test_eth_icmp_echo(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_icmp_echo);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_v4_addrs(&m);
	assert_int_equal(m.proto, 1);
	assert_int_equal(m.ip_len, 84);
	assert_int_equal(m.icmp_type, 8);
	assert_int_equal(m.icmp_code, 0);
	assert_int_equal(m.sport, 0);
	assert_int_equal(m.dport, 0);
}

static void test_eth_gre(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_gre);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.proto, 47);
	assert_int_equal(m.ip_len, 24);
	assert_int_equal(m.sport, 0);
	assert_int_equal(m.dport, 0);
}

static void test_vlan_one(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_vlan1, ip4_udp);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.vlan_count, 1);
	assert_int_equal(m.vlan[0], 100); /* the PCP bits are masked off */
	assert_int_equal(m.dport, 53);
}

static void test_vlan_qinq(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_qinq, ip4_tcp_synack);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.vlan_count, 2);
	assert_int_equal(m.vlan[0], 200);
	assert_int_equal(m.vlan[1], 100);
	assert_int_equal(m.tcp_flags, TH_SYN | TH_ACK);
}

static void test_vlan_too_deep(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_vlan3, ip4_udp);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_MALFORMED, EV_VLAN_TOO_DEEP, &m);
	assert_int_equal(m.vlan_count, 2);
	assert_int_equal(m.vlan[0], 1);
	assert_int_equal(m.vlan[1], 2);
	/* The third tag is too many even when it was not captured. */
	assert_int_equal(decode_tf(&t, 22, frame_len(&t), &m),
			 DECODE_MALFORMED);
	assert_int_equal(m.event, EV_VLAN_TOO_DEEP);
}

static void test_not_ip(void **state)
{
	const struct tframe arp = TF_RAW(DLT_EN10MB, eth_arp);
	const struct tframe llc = TF_RAW(DLT_EN10MB, eth_8023);
	struct pkt_meta m;

	(void)state;
	expect(&arp, DECODE_UNSUPPORTED, EV_NOT_IP, &m);
	assert_int_equal(m.family, 0);
	expect(&llc, DECODE_UNSUPPORTED, EV_NOT_IP, &m);
}

/* ---- other link types ------------------------------------------------ */

static void test_sll(void **state)
{
	const struct tframe t = TF(DLT_LINUX_SLL, sll_ip4, ip4_tcp_synack);
	const struct tframe v = TF(DLT_LINUX_SLL, sll_vlan, ip4_udp);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_v4_addrs(&m);
	assert_int_equal(m.sport, 443);
	assert_int_equal(m.ip_len, 40);
	expect(&v, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.vlan_count, 1);
	assert_int_equal(m.vlan[0], 10);
	assert_int_equal(m.dport, 53);
}

static void test_sll2(void **state)
{
	const struct tframe t = TF(DLT_LINUX_SLL2, sll2_ip6, ip6_udp);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_v6_addrs(&m);
	assert_int_equal(m.proto, 17);
	assert_int_equal(m.sport, 49152);
	assert_int_equal(m.dport, 443);
	assert_int_equal(m.ip_len, 48);
}

static void test_raw(void **state)
{
	const struct tframe t[] = {
		TF_RAW(DLT_RAW, ip4_udp),
		TF_RAW(LINKTYPE_RAW, ip4_udp),
		TF_RAW(DLT_IPV4, ip4_udp),
	};
	const struct tframe t6[] = {
		TF_RAW(DLT_RAW, ip6_udp),
		TF_RAW(LINKTYPE_RAW, ip6_udp),
		TF_RAW(DLT_IPV6, ip6_udp),
	};
	const struct tframe bad = TF_RAW(DLT_RAW, eth_arp); /* nibble 0 */
	struct pkt_meta m;

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		expect(&t[i], DECODE_OK, EV_NONE, &m);
		assert_v4_addrs(&m);
		assert_int_equal(m.dport, 53);
		expect(&t6[i], DECODE_OK, EV_NONE, &m);
		assert_v6_addrs(&m);
		assert_int_equal(m.dport, 443);
	}
	expect(&bad, DECODE_UNSUPPORTED, EV_NOT_IP, &m);
	/* Raw IP with nothing captured: not even the version is known. */
	assert_int_equal(decode_packet(DLT_RAW, NULL, 0, 0, &m),
			 DECODE_TRUNCATED);
	assert_int_equal(m.event, EV_LINK_TRUNCATED);
}

static void test_null_loop(void **state)
{
	const struct tframe v4[] = {
		TF(DLT_NULL, null_le_inet, ip4_udp),
		TF(DLT_NULL, null_be_inet, ip4_udp),
		TF(DLT_LOOP, loop_inet, ip4_udp),
	};
	const struct tframe v6[] = {
		TF(DLT_NULL, null_be_inet6_darwin, ip6_udp),
		TF(DLT_NULL, null_le_inet6_linux, ip6_udp),
		TF(DLT_NULL, null_le_inet6_bsd, ip6_udp),
		TF(DLT_NULL, null_le_inet6_freebsd, ip6_udp),
	};
	const struct tframe other = TF(DLT_NULL, null_le_appletalk, ip4_udp);
	/* DLT_LOOP is network order only: a little-endian 2 is not AF_INET */
	const struct tframe loop_le = TF(DLT_LOOP, null_le_inet, ip4_udp);
	struct pkt_meta m;

	(void)state;
	for (size_t i = 0; i < sizeof(v4) / sizeof(v4[0]); i++) {
		expect(&v4[i], DECODE_OK, EV_NONE, &m);
		assert_v4_addrs(&m);
	}
	for (size_t i = 0; i < sizeof(v6) / sizeof(v6[0]); i++) {
		expect(&v6[i], DECODE_OK, EV_NONE, &m);
		assert_v6_addrs(&m);
	}
	expect(&other, DECODE_UNSUPPORTED, EV_NOT_IP, &m);
	expect(&loop_le, DECODE_UNSUPPORTED, EV_NOT_IP, &m);
}

static void test_link_unsupported(void **state)
{
	const struct tframe t = TF(DLT_IEEE802_11, eth_ip4, ip4_udp);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_UNSUPPORTED, EV_LINK_UNSUPPORTED, &m);
}

static void test_version_mismatch(void **state)
{
	const struct tframe t[] = {
		TF(DLT_EN10MB, eth_ip4, ip6_udp),
		TF(DLT_EN10MB, eth_ip6, ip4_udp),
		TF(DLT_LINUX_SLL, sll_ip4, ip6_udp),
		TF(DLT_NULL, null_le_inet6_linux, ip4_udp),
		TF_RAW(DLT_IPV4, ip6_udp),
		TF_RAW(DLT_IPV6, ip4_udp),
	};
	struct pkt_meta m;

	(void)state;
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		expect(&t[i], DECODE_MALFORMED, EV_IP_VERSION_MISMATCH, &m);
}

/* ---- IPv4 ------------------------------------------------------------ */

static void test_ipv4_options(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_opts_udp);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.sport, 5000);
	assert_int_equal(m.dport, 5001);
	assert_int_equal(m.ip_len, 32);
}

static void test_ipv4_fragments(void **state)
{
	const struct tframe first = TF(DLT_EN10MB, eth_ip4, ip4_frag_first);
	const struct tframe later = TF(DLT_EN10MB, eth_ip4, ip4_frag_later);
	struct pkt_meta m;

	(void)state;
	expect(&first, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.frag, FRAG_FIRST);
	assert_int_equal(m.frag_id, 0xabcd);
	assert_int_equal(m.sport, 5000);
	assert_int_equal(m.dport, 5001);
	assert_int_equal(m.ip_len, 36);

	expect(&later, DECODE_OK, EV_NONE, &m);
	assert_v4_addrs(&m);
	assert_int_equal(m.frag, FRAG_LATER);
	assert_int_equal(m.frag_id, 0xabcd);
	assert_int_equal(m.proto, 17);
	assert_int_equal(m.sport, 0);
	assert_int_equal(m.dport, 0);
	assert_int_equal(m.ip_len, 28);
}

static void test_ipv4_bad_ihl(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_ihl4);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_MALFORMED, EV_IPV4_BAD_IHL, &m);
}

static void test_ipv4_ihl_past_data(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_ihl_past_data);
	const struct tframe ok = TF(DLT_EN10MB, eth_ip4, ip4_opts_udp);
	struct pkt_meta m;

	(void)state;
	/* Fully captured: the header claims more than the packet holds. */
	expect(&t, DECODE_MALFORMED, EV_IPV4_BAD_LEN, &m);
	assert_v4_addrs(&m);
	/* Consistent lengths, options cut by the snaplen: only truncated. */
	assert_int_equal(decode_tf(&ok, 36, frame_len(&ok), &m),
			 DECODE_TRUNCATED);
	assert_int_equal(m.event, EV_IPV4_TRUNCATED);
	assert_v4_addrs(&m);
}

static void test_ipv4_bad_len(void **state)
{
	const struct tframe big = TF(DLT_EN10MB, eth_ip4, ip4_len_gt_frame);
	const struct tframe small = TF(DLT_EN10MB, eth_ip4, ip4_len_lt_hdr);
	const struct tframe ok = TF(DLT_EN10MB, eth_ip4, ip4_udp);
	struct pkt_meta m;

	(void)state;
	expect(&big, DECODE_MALFORMED, EV_IPV4_BAD_LEN, &m);
	/* What was decoded stays for the caller's counters. */
	assert_v4_addrs(&m);
	assert_int_equal(m.ip_len, 1500);
	expect(&small, DECODE_MALFORMED, EV_IPV4_BAD_LEN, &m);
	/* One byte more than the wire had is already a lie. */
	assert_int_equal(decode_tf(&ok, frame_len(&ok) - 1,
				   frame_len(&ok) - 1, &m),
			 DECODE_MALFORMED);
	assert_int_equal(m.event, EV_IPV4_BAD_LEN);
}

static void test_ipv4_tso(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_tso);
	struct pkt_meta m;

	(void)state;
	/* 2896 payload bytes on the wire, headers only in the capture */
	assert_int_equal(decode_tf(&t, frame_len(&t), 14 + 40 + 2896, &m),
			 DECODE_OK);
	assert_int_equal(m.ip_len, 40 + 2896);
	assert_int_equal(m.dport, 443);
	assert_int_equal(m.tcp_flags, TH_PSH | TH_ACK);
	/* Nothing beyond the capture on the wire: the frame is the packet. */
	assert_int_equal(decode_tf(&t, frame_len(&t), frame_len(&t), &m),
			 DECODE_OK);
	assert_int_equal(m.ip_len, 40);
}

static void test_caplen_over_wirelen(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_udp);
	struct pkt_meta m;

	(void)state;
	/* The source rejects such records; should one slip through, the
	 * captured bytes count as wire bytes. */
	assert_int_equal(decode_tf(&t, frame_len(&t), 0, &m), DECODE_OK);
	assert_int_equal(m.wirelen, 0);
	assert_int_equal(m.ip_len, 32);
}

static void test_ipv4_clamp(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_tiny_frag_padded);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_TRUNCATED, EV_TCP_TRUNCATED, &m);
	assert_int_equal(m.frag, FRAG_FIRST);
	assert_int_equal(m.ip_len, 28);
	assert_int_equal(m.sport, 443);
	assert_int_equal(m.tcp_flags, 0);
}

/* ---- IPv6 ------------------------------------------------------------ */

static void test_ipv6_icmp6(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip6, ip6_icmp6_echo);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_v6_addrs(&m);
	assert_int_equal(m.proto, 58);
	assert_int_equal(m.icmp_type, 128);
	assert_int_equal(m.icmp_code, 0);
	assert_int_equal(m.sport, 0);
	assert_int_equal(m.ip_len, 48);
	assert_int_equal(m.frag_id, 0);
}

static void test_ipv6_ext_chain(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip6, ip6_ext_tcp);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_v6_addrs(&m);
	assert_int_equal(m.proto, 6);
	assert_int_equal(m.frag, FRAG_FIRST);
	assert_int_equal(m.frag_id, 0x12345678);
	assert_int_equal(m.sport, 54321);
	assert_int_equal(m.dport, 22);
	assert_int_equal(m.tcp_flags, TH_SYN);
	assert_int_equal(m.ip_len, 100);
}

static void test_ipv6_frag_later(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip6, ip6_frag_later);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.frag, FRAG_LATER);
	assert_int_equal(m.frag_id, 0x12345678);
	assert_int_equal(m.proto, 17);
	assert_int_equal(m.sport, 0);
	assert_int_equal(m.dport, 0);
	assert_int_equal(m.ip_len, 56);
}

static void test_ipv6_ah_esp(void **state)
{
	const struct tframe ah = TF(DLT_EN10MB, eth_ip6, ip6_ah_udp);
	const struct tframe esp = TF(DLT_EN10MB, eth_ip6, ip6_esp);
	struct pkt_meta m;

	(void)state;
	expect(&ah, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.proto, 17);
	assert_int_equal(m.sport, 5000);
	assert_int_equal(m.dport, 5001);
	expect(&esp, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.proto, 50);
	assert_int_equal(m.sport, 0);
}

static void test_ipv6_ext_bound(void **state)
{
	const struct tframe eight = TF(DLT_EN10MB, eth_ip6, ip6_ext_eight);
	const struct tframe nine = TF(DLT_EN10MB, eth_ip6, ip6_ext_nine);
	const struct tframe endless = TF(DLT_EN10MB, eth_ip6, ip6_ext_endless);
	struct pkt_meta m;

	(void)state;
	expect(&eight, DECODE_OK, EV_NONE, &m);
	assert_int_equal(m.proto, 59);
	expect(&nine, DECODE_MALFORMED, EV_IPV6_EXT_TOO_MANY, &m);
	expect(&endless, DECODE_MALFORMED, EV_IPV6_EXT_TOO_MANY, &m);
	assert_v6_addrs(&m);
}

static void test_ipv6_clamp(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip6, ip6_ext_past_payload);
	struct pkt_meta m;

	(void)state;
	/* Captured but beyond the payload length: the header is cut off. */
	expect(&t, DECODE_TRUNCATED, EV_IPV6_EXT_TRUNCATED, &m);
	assert_int_equal(m.ip_len, 48);
}

static void test_ipv6_bad_len(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip6, ip6_plen_too_large);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_MALFORMED, EV_IPV6_BAD_LEN, &m);
	assert_v6_addrs(&m);
	assert_int_equal(m.ip_len, 1040);
}

static void test_ipv6_plen_zero(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip6, ip6_plen_zero);
	struct pkt_meta m;

	(void)state;
	assert_int_equal(decode_tf(&t, frame_len(&t), 14 + 40 + 9000, &m),
			 DECODE_OK);
	assert_int_equal(m.ip_len, 40 + 9000);
	assert_int_equal(m.dport, 443);
	assert_int_equal(m.tcp_flags, TH_ACK);
}

/* ---- TCP ------------------------------------------------------------- */

static void test_tcp_bad_off(void **state)
{
	const struct tframe t = TF(DLT_EN10MB, eth_ip4, ip4_tcp_off3);
	struct pkt_meta m;

	(void)state;
	expect(&t, DECODE_MALFORMED, EV_TCP_BAD_OFF, &m);
	/* Offset byte (TCP byte 12) captured, flags not: still malformed. */
	assert_int_equal(decode_tf(&t, 14 + 20 + 13, frame_len(&t), &m),
			 DECODE_MALFORMED);
	assert_int_equal(m.event, EV_TCP_BAD_OFF);
	/* Offset byte not captured: we cannot know. */
	assert_int_equal(decode_tf(&t, 14 + 20 + 12, frame_len(&t), &m),
			 DECODE_TRUNCATED);
	assert_int_equal(m.event, EV_TCP_TRUNCATED);
}

/* ---- every truncation point ------------------------------------------ */

/* Cut at caplen: below `below` the result is r/ev (the first entry whose
 * bound exceeds caplen wins); the last entry covers the rest. */
struct cut {
	uint32_t below;
	enum decode_result r;
	enum decode_event ev;
};

struct cut_case {
	struct tframe t;
	struct cut cuts[5];
};

#define T_ DECODE_TRUNCATED
#define ALL UINT32_MAX
static const struct cut_case cut_cases[] = {
	{TF(DLT_EN10MB, eth_ip4, ip4_tcp_synack),
	 {{14, T_, EV_LINK_TRUNCATED}, {34, T_, EV_IPV4_TRUNCATED},
	  {48, T_, EV_TCP_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_vlan1, ip4_udp),
	 {{14, T_, EV_LINK_TRUNCATED}, {18, T_, EV_VLAN_TRUNCATED},
	  {38, T_, EV_IPV4_TRUNCATED}, {42, T_, EV_UDP_TRUNCATED},
	  {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_qinq, ip4_udp),
	 {{14, T_, EV_LINK_TRUNCATED}, {22, T_, EV_VLAN_TRUNCATED},
	  {42, T_, EV_IPV4_TRUNCATED}, {46, T_, EV_UDP_TRUNCATED},
	  {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_ip4, ip4_opts_udp),
	 {{14, T_, EV_LINK_TRUNCATED}, {38, T_, EV_IPV4_TRUNCATED},
	  {42, T_, EV_UDP_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_ip4, ip4_icmp_echo),
	 {{14, T_, EV_LINK_TRUNCATED}, {34, T_, EV_IPV4_TRUNCATED},
	  {36, T_, EV_ICMP_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_ip4, ip4_frag_later),
	 {{14, T_, EV_LINK_TRUNCATED}, {34, T_, EV_IPV4_TRUNCATED},
	  {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_ip4, ip4_gre),
	 {{14, T_, EV_LINK_TRUNCATED}, {34, T_, EV_IPV4_TRUNCATED},
	  {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_ip6, ip6_icmp6_echo),
	 {{14, T_, EV_LINK_TRUNCATED}, {54, T_, EV_IPV6_TRUNCATED},
	  {56, T_, EV_ICMP_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_ip6, ip6_ext_tcp),
	 {{14, T_, EV_LINK_TRUNCATED}, {54, T_, EV_IPV6_TRUNCATED},
	  {94, T_, EV_IPV6_EXT_TRUNCATED}, {108, T_, EV_TCP_TRUNCATED},
	  {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_ip6, ip6_ah_udp),
	 {{14, T_, EV_LINK_TRUNCATED}, {54, T_, EV_IPV6_TRUNCATED},
	  {78, T_, EV_IPV6_EXT_TRUNCATED}, {82, T_, EV_UDP_TRUNCATED},
	  {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_EN10MB, eth_ip6, ip6_frag_later),
	 {{14, T_, EV_LINK_TRUNCATED}, {54, T_, EV_IPV6_TRUNCATED},
	  {62, T_, EV_IPV6_EXT_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_LINUX_SLL, sll_ip4, ip4_tcp_synack),
	 {{16, T_, EV_LINK_TRUNCATED}, {36, T_, EV_IPV4_TRUNCATED},
	  {50, T_, EV_TCP_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_LINUX_SLL2, sll2_ip6, ip6_udp),
	 {{20, T_, EV_LINK_TRUNCATED}, {60, T_, EV_IPV6_TRUNCATED},
	  {64, T_, EV_UDP_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_NULL, null_le_inet, ip4_udp),
	 {{4, T_, EV_LINK_TRUNCATED}, {24, T_, EV_IPV4_TRUNCATED},
	  {28, T_, EV_UDP_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF(DLT_LOOP, loop_inet, ip4_udp),
	 {{4, T_, EV_LINK_TRUNCATED}, {24, T_, EV_IPV4_TRUNCATED},
	  {28, T_, EV_UDP_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF_RAW(DLT_RAW, ip4_tcp_synack),
	 {{1, T_, EV_LINK_TRUNCATED}, {20, T_, EV_IPV4_TRUNCATED},
	  {34, T_, EV_TCP_TRUNCATED}, {ALL, DECODE_OK, EV_NONE}}},
	{TF_RAW(DLT_IPV4, ip4_udp),
	 {{20, T_, EV_IPV4_TRUNCATED}, {24, T_, EV_UDP_TRUNCATED},
	  {ALL, DECODE_OK, EV_NONE}}},
	{TF_RAW(DLT_IPV6, ip6_udp),
	 {{40, T_, EV_IPV6_TRUNCATED}, {44, T_, EV_UDP_TRUNCATED},
	  {ALL, DECODE_OK, EV_NONE}}},
};
#undef T_
#undef ALL

static void test_truncation_points(void **state)
{
	struct pkt_meta m;

	(void)state;
	for (size_t i = 0; i < sizeof(cut_cases) / sizeof(cut_cases[0]); i++) {
		const struct cut_case *cc = &cut_cases[i];
		uint32_t full = frame_len(&cc->t);

		for (uint32_t caplen = 0; caplen <= full; caplen++) {
			const struct cut *want = cc->cuts;
			enum decode_result r;

			while (caplen >= want->below)
				want++;
			r = decode_tf(&cc->t, caplen, full, &m);
			if (r != want->r || m.event != want->ev)
				print_error("%s at caplen %u: got %s/%s\n",
					    cc->t.name, caplen,
					    decode_result_name(r),
					    decode_event_name(
						(enum decode_event)m.event));
			assert_int_equal(r, want->r);
			assert_int_equal(m.event, want->ev);
			assert_int_equal(m.caplen, caplen);
		}
	}
}

/* ---- sweeps ---------------------------------------------------------- */

static const struct tframe valid[] = {
	TF(DLT_EN10MB, eth_ip4, ip4_tcp_synack),
	TF(DLT_EN10MB, eth_ip4, ip4_udp),
	TF(DLT_EN10MB, eth_ip4, ip4_icmp_echo),
	TF(DLT_EN10MB, eth_ip4, ip4_opts_udp),
	TF(DLT_EN10MB, eth_ip4, ip4_frag_first),
	TF(DLT_EN10MB, eth_ip4, ip4_frag_later),
	TF(DLT_EN10MB, eth_ip4, ip4_gre),
	TF(DLT_EN10MB, eth_ip4, ip4_tso),
	TF(DLT_EN10MB, eth_vlan1, ip4_udp),
	TF(DLT_EN10MB, eth_qinq, ip4_tcp_synack),
	TF(DLT_EN10MB, eth_ip6, ip6_udp),
	TF(DLT_EN10MB, eth_ip6, ip6_icmp6_echo),
	TF(DLT_EN10MB, eth_ip6, ip6_ext_tcp),
	TF(DLT_EN10MB, eth_ip6, ip6_frag_later),
	TF(DLT_EN10MB, eth_ip6, ip6_ah_udp),
	TF(DLT_EN10MB, eth_ip6, ip6_esp),
	TF(DLT_EN10MB, eth_ip6, ip6_ext_eight),
	TF(DLT_EN10MB, eth_ip6, ip6_plen_zero),
	TF(DLT_LINUX_SLL, sll_ip4, ip4_tcp_synack),
	TF(DLT_LINUX_SLL, sll_vlan, ip4_udp),
	TF(DLT_LINUX_SLL2, sll2_ip6, ip6_udp),
	TF(DLT_NULL, null_le_inet, ip4_udp),
	TF(DLT_NULL, null_be_inet6_darwin, ip6_udp),
	TF(DLT_LOOP, loop_inet, ip4_tcp_synack),
	TF_RAW(DLT_RAW, ip4_tcp_synack),
	TF_RAW(DLT_RAW, ip6_ext_tcp),
	TF_RAW(LINKTYPE_RAW, ip4_icmp_echo),
	TF_RAW(DLT_IPV4, ip4_udp),
	TF_RAW(DLT_IPV6, ip6_icmp6_echo),
};

#define N_VALID (sizeof(valid) / sizeof(valid[0]))

/* What holds for every decode, whatever the input. */
static void assert_sane(enum decode_result r, const struct pkt_meta *m)
{
	assert_in_range(r, DECODE_OK, DECODE_RESULT_COUNT - 1);
	assert_in_range(m->event, EV_NONE, EV_COUNT - 1);
	assert_true((r == DECODE_OK) == (m->event == EV_NONE));
	assert_in_range(m->vlan_count, 0, DECODE_MAX_VLAN);
	assert_in_range(m->frag, FRAG_NONE, FRAG_LATER);
	if (r == DECODE_OK)
		assert_true(m->family == 4 || m->family == 6);
	/* Ports only for TCP and UDP, never for a later fragment. */
	if ((m->proto != 6 && m->proto != 17) || m->frag == FRAG_LATER) {
		assert_int_equal(m->sport, 0);
		assert_int_equal(m->dport, 0);
	}
}

/* Every valid frame at every caplen from 0 to full, wirelen = full: only
 * OK or TRUNCATED can come out (nothing in a consistent frame is a lie),
 * and an OK decode of a cut frame is exactly the full decode. */
static void test_sweep_caplen(void **state)
{
	struct pkt_meta full, m;

	(void)state;
	for (size_t i = 0; i < N_VALID; i++) {
		const struct tframe *t = &valid[i];
		uint32_t len = frame_len(t);

		assert_int_equal(decode_full(t, &full), DECODE_OK);
		for (uint32_t caplen = 0; caplen <= len; caplen++) {
			enum decode_result r = decode_tf(t, caplen, len, &m);

			assert_sane(r, &m);
			assert_true(r == DECODE_OK || r == DECODE_TRUNCATED);
			if (r == DECODE_OK) {
				m.caplen = full.caplen;
				assert_memory_equal(&m, &full, sizeof(m));
			}
		}
	}
}

/* Every byte of every valid frame replaced by a few values, decoded whole
 * and with a snaplen cut: no crash (ASan/UBSan), a sane meta. */
static void test_sweep_mutate(void **state)
{
	uint8_t ipbuf[FRAME_MAX];
	struct pkt_meta m;

	(void)state;
	for (size_t i = 0; i < N_VALID; i++) {
		struct tframe t = valid[i];
		uint32_t len = frame_len(&t);

		/* Mutate a copy of the whole frame, passed as "link". */
		assert_true(len <= FRAME_MAX);
		if (t.link_len > 0)
			memcpy(ipbuf, t.link, t.link_len);
		memcpy(ipbuf + t.link_len, t.ip, t.ip_len);
		t.link = ipbuf;
		t.link_len = len;
		t.ip_len = 0;
		for (uint32_t pos = 0; pos < len; pos++) {
			const uint8_t orig = ipbuf[pos];
			const uint8_t vals[] = {
				0x00, 0xff, (uint8_t)(orig ^ 0x0f),
				(uint8_t)(orig ^ 0xf0), (uint8_t)(orig + 1),
			};

			for (size_t v = 0; v < sizeof(vals); v++) {
				ipbuf[pos] = vals[v];
				assert_sane(decode_tf(&t, len, len, &m), &m);
				assert_sane(decode_tf(&t, len / 2, len, &m),
					    &m);
			}
			ipbuf[pos] = orig;
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_link_table),
		cmocka_unit_test(test_eth_tcp_synack),
		cmocka_unit_test(test_eth_udp),
		cmocka_unit_test(test_eth_padding),
		cmocka_unit_test(test_eth_icmp_echo),
		cmocka_unit_test(test_eth_gre),
		cmocka_unit_test(test_vlan_one),
		cmocka_unit_test(test_vlan_qinq),
		cmocka_unit_test(test_vlan_too_deep),
		cmocka_unit_test(test_not_ip),
		cmocka_unit_test(test_sll),
		cmocka_unit_test(test_sll2),
		cmocka_unit_test(test_raw),
		cmocka_unit_test(test_null_loop),
		cmocka_unit_test(test_link_unsupported),
		cmocka_unit_test(test_version_mismatch),
		cmocka_unit_test(test_ipv4_options),
		cmocka_unit_test(test_ipv4_fragments),
		cmocka_unit_test(test_ipv4_bad_ihl),
		cmocka_unit_test(test_ipv4_ihl_past_data),
		cmocka_unit_test(test_ipv4_bad_len),
		cmocka_unit_test(test_ipv4_tso),
		cmocka_unit_test(test_caplen_over_wirelen),
		cmocka_unit_test(test_ipv4_clamp),
		cmocka_unit_test(test_ipv6_icmp6),
		cmocka_unit_test(test_ipv6_ext_chain),
		cmocka_unit_test(test_ipv6_frag_later),
		cmocka_unit_test(test_ipv6_ah_esp),
		cmocka_unit_test(test_ipv6_ext_bound),
		cmocka_unit_test(test_ipv6_clamp),
		cmocka_unit_test(test_ipv6_bad_len),
		cmocka_unit_test(test_ipv6_plen_zero),
		cmocka_unit_test(test_tcp_bad_off),
		cmocka_unit_test(test_truncation_points),
		cmocka_unit_test(test_sweep_caplen),
		cmocka_unit_test(test_sweep_mutate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
