/* pktgen_kinds.c - small captures of the packet kinds a decoder must handle.
 *
 * Owns the event tables behind the decoder fixtures in pcaps/ (the lab
 * captures are flowgen's): VLAN and QinQ tags, Linux cooked (SLL, SLL2), raw IP, BSD null and loop
 * link types, IPv4 and IPv6 fragments, IPv4 options, IPv6 extension
 * headers, GRE, a secondary IP, two ENIs and malformed frames
 * (pcaps/README.md derives every record from these tables):
 * pktgen kinds -w DIR [NAME ...]
 * Each row states the IP total length it must produce; a table that
 * disagrees with the builder or whose times do not increase is refused. */
#include <arpa/inet.h>
#include <string.h>

#include "pktgen.h"

#define KSTART		1768471200u	/* 2026-01-15 10:00:00 UTC */
#define PROTO_GRE	47
#define KBUF		4096

/* LINKTYPE_* values (pcap-linktype(7)). */
enum { LT_NULL = 0, LT_ETHERNET = 1, LT_RAW = 101, LT_LOOP = 108, LT_SLL = 113,
	LT_IPV4 = 228, LT_IPV6 = 229, LT_SLL2 = 276 };

/* What a row adds to (or breaks in) a plain packet. */
enum kx {
	X_NONE,
	X_Q1,		/* one 802.1Q tag, VID 100 */
	X_QQ,		/* 802.1ad S-tag VID 200 (0x88a8), then 802.1Q VID 300 */
	X_QQQ,		/* three tags: 0x88a8 VID 200, 0x8100 VID 300, 0x8100 VID 400 */
	X_V4OPT,	/* IPv4 options: Record Route (11 bytes, 2 hops) + EOL, IHL 8 */
	X_V6EXT,	/* IPv6 Hop-by-Hop, Destination Options, Routing (type 0) */
	X_FRAG,		/* a fragment: foff, flen, fid */
	X_IHL4,		/* IPv4 header length field 4 (16 bytes) */
	X_LONGLEN,	/* IPv4 total length 1500 in a minimum frame */
	X_SNAP,		/* snap-truncated inside the TCP header (before the flags) */
	X_ARP,		/* ARP request from src for dst */
	X_LLC,		/* 802.3 length field + LLC: a spanning tree BPDU */
};

/* One packet. Addresses are text; the family follows from them. */
struct kev {
	uint32_t sec, usec;	/* after KSTART */
	const char *src, *dst;
	uint8_t proto;
	uint16_t sport, dport;	/* TCP/UDP ports; ICMP echo id and sequence */
	uint8_t flags;		/* TCP flags; ICMP type; GRE: inner ICMP type;
				 * UDP port 53: the DNS query type */
	uint16_t pay;		/* transport payload of the whole datagram */
	uint16_t iplen;		/* IP total length (IPv6: 40 + payload length) */
	enum kx x;
	uint16_t foff, flen;	/* X_FRAG: bytes of the IP payload carried */
	uint32_t fid;		/* X_FRAG: IPv4 ID / IPv6 Identification */
};

/* Rows leave out the fields they do not use (zero). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define S	TH_SYN
#define A	TH_ACK
#define P	TH_PSH
#define F	TH_FIN
#define R	TH_RST
#define TCP	PROTO_TCP
#define UDP	PROTO_UDP
#define ICMP6	PROTO_ICMPV6
#define GRE	PROTO_GRE

/* TCP: SYN and SYN-ACK carry 20 option bytes (MSS, SACK-permitted,
 * timestamps, window scale), RST none, every other segment NOP NOP
 * timestamps (12). So IPv4: SYN 60, RST 40, others 52 + payload; IPv6:
 * SYN 80, RST 60, others 72 + payload. */

static const struct kev ev_vlan[] = {
	/* sec   usec  src               dst                proto sport  dport flags pay iplen */
	{  5,      0, "198.51.100.7",   "10.0.1.10",        TCP, 51500, 80,  S,     0,  60, X_Q1 },
	{  5,     80, "10.0.1.10",      "198.51.100.7",     TCP, 80, 51500,  S|A,   0,  60, X_Q1 },
	{  5,  31000, "198.51.100.7",   "10.0.1.10",        TCP, 51500, 80,  A,     0,  52, X_Q1 },
	{  5,  31500, "198.51.100.7",   "10.0.1.10",        TCP, 51500, 80,  P|A,  78, 130, X_Q1 },
	{  5,  31900, "10.0.1.10",      "198.51.100.7",     TCP, 80, 51500,  A,     0,  52, X_Q1 },
	{  5,  32400, "10.0.1.10",      "198.51.100.7",     TCP, 80, 51500,  P|A, 512, 564, X_Q1 },
	{  5,  63000, "198.51.100.7",   "10.0.1.10",        TCP, 51500, 80,  R|A,   0,  40, X_Q1 },
	{ 65,      0, "2001:db8:1::10", "2001:db8:ffff::80", TCP, 40200, 443, S,    0,  80, X_QQ },
	{ 65,  12000, "2001:db8:ffff::80", "2001:db8:1::10", TCP, 443, 40200, S|A,  0,  80, X_QQ },
	{ 65,  12100, "2001:db8:1::10", "2001:db8:ffff::80", TCP, 40200, 443, A,    0,  72, X_QQ },
	{ 65,  12300, "2001:db8:1::10", "2001:db8:ffff::80", TCP, 40200, 443, P|A, 200, 272, X_QQ },
	{ 65,  24000, "2001:db8:ffff::80", "2001:db8:1::10", TCP, 443, 40200, R,    0,  60, X_QQ },
};

/* DNS over UDP: query 12 + 13 (example.com) + 4 = 29; answer A +16, AAAA +28. */
static const struct kev ev_dns[] = {
	{ 10,      0, "10.0.1.10",  "192.0.2.53", UDP, 53000, 53, 1,  29, 57 },
	{ 10,    150, "10.0.1.10",  "192.0.2.53", UDP, 53001, 53, 28, 29, 57 },
	{ 10,  11000, "192.0.2.53", "10.0.1.10",  UDP, 53, 53000, 1,  45, 73 },
	{ 10,  11400, "192.0.2.53", "10.0.1.10",  UDP, 53, 53001, 28, 57, 85 },
};

/* NTP client 8 + 48 (76); ICMPv6 echo 40 + 8 + 56 (104). */
static const struct kev ev_l3[] = {
	{ 20,      0, "10.0.1.10",      "192.0.2.123",     UDP,   41000, 123, 0,   48,  76 },
	{ 20,  18000, "192.0.2.123",    "10.0.1.10",       UDP,   123, 41000, 0,   48,  76 },
	{ 21,      0, "2001:db8:1::10", "2001:db8:ffff::1", ICMP6, 0x2d3c, 1, 128, 56, 104 },
	{ 21,  21000, "2001:db8:ffff::1", "2001:db8:1::10", ICMP6, 0x2d3c, 1, 129, 56, 104 },
};

/* UDP 8 + 2992 = 3000 bytes in fragments of 1480, 1480, 40 (IPv4) and
 * 8 + 1792 = 1800 in 1232 + 568 (IPv6, 8-byte Fragment header each). */
static const struct kev ev_frag[] = {
	{ 30,      0, "198.51.100.30", "10.0.1.10", UDP, 5004, 5004, 0, 2992, 1500, X_FRAG, 0, 1480, 0x4a11 },
	{ 30,     50, "198.51.100.30", "10.0.1.10", UDP, 5004, 5004, 0, 2992, 1500, X_FRAG, 1480, 1480, 0x4a11 },
	{ 30,    100, "198.51.100.30", "10.0.1.10", UDP, 5004, 5004, 0, 2992,   60, X_FRAG, 2960, 40, 0x4a11 },
	{ 30, 200000, "10.0.1.10", "198.51.100.30", UDP, 5004, 5004, 0,  100,  128 },
	{ 30, 500000, "198.51.100.30", "10.0.1.10", UDP, 5004, 5004, 0, 1672,  220, X_FRAG, 1480, 200, 0x4a0f },
	{ 31,      0, "2001:db8:1::10", "2001:db8:ffff::99", UDP, 40000, 5004, 0, 1792, 1280, X_FRAG, 0, 1232, 0x0badf00d },
	{ 31,     40, "2001:db8:1::10", "2001:db8:ffff::99", UDP, 40000, 5004, 0, 1792,  616, X_FRAG, 1232, 568, 0x0badf00d },
};

/* IPv4 + 12 option bytes: SYN 72, ACK 64. IPv6 + 8 + 8 + 24 extension
 * bytes: SYN 120, ACK 112. GRE: 20 + 4 + inner ICMP echo 84 = 108. */
static const struct kev ev_ext[] = {
	{ 40,      0, "198.51.100.9",   "10.0.1.10",        TCP, 50000, 8080, S,   0,  72, X_V4OPT },
	{ 40,     90, "10.0.1.10",      "198.51.100.9",     TCP, 8080, 50000, S|A, 0,  60 },
	{ 40,  25000, "198.51.100.9",   "10.0.1.10",        TCP, 50000, 8080, A,   0,  64, X_V4OPT },
	{ 41,      0, "2001:db8:1::10", "2001:db8:ffff::22", TCP, 40300, 22, S,    0, 120, X_V6EXT },
	{ 41,  15000, "2001:db8:ffff::22", "2001:db8:1::10", TCP, 22, 40300, S|A,  0,  80 },
	{ 41,  15100, "2001:db8:1::10", "2001:db8:ffff::22", TCP, 40300, 22, A,    0, 112, X_V6EXT },
	{ 42,      0, "10.0.1.10",      "203.0.113.200",    GRE, 0x11, 1, 8,      56, 108 },
	{ 42,  30000, "203.0.113.200",  "10.0.1.10",        GRE, 0x11, 1, 0,      56, 108 },
	{ 43,      0, "2001:db8:1::10", "2001:db8:ffff::1", ICMP6, 0x3e4f, 1, 128, 56, 104 },
	{ 43,  20000, "2001:db8:ffff::1", "2001:db8:1::10", ICMP6, 0x3e4f, 1, 129, 56, 104 },
};

static const struct kev ev_secondary[] = {
	{ 50,      0, "198.51.100.7", "10.0.1.11",    TCP, 51600, 443, S,     0,  60 },
	{ 50,    100, "10.0.1.11",    "198.51.100.7", TCP, 443, 51600, S|A,   0,  60 },
	{ 50,  20000, "198.51.100.7", "10.0.1.11",    TCP, 51600, 443, A,     0,  52 },
	{ 50,  20500, "198.51.100.7", "10.0.1.11",    TCP, 51600, 443, P|A, 100, 152 },
	{ 50,  20800, "10.0.1.11",    "198.51.100.7", TCP, 443, 51600, A,     0,  52 },
	{ 50, 500000, "198.51.100.7", "10.0.1.10",    TCP, 51600, 443, S,     0,  60 },
	{ 50, 500100, "10.0.1.10",    "198.51.100.7", TCP, 443, 51600, S|A,   0,  60 },
	{ 51,      0, "10.0.1.11",    "192.0.2.200",  UDP, 33000, 9999, 0,   20,  48 },
	{ 51,  10000, "192.0.2.200",  "10.0.1.11",    UDP, 9999, 33000, 0,   20,  48 },
};

static const struct kev ev_two_enis[] = {
	{ 55,      0, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, S,     0,  60 },
	{ 55,    200, "10.0.1.20", "10.0.1.10",    TCP, 5432, 45000, S|A,   0,  60 },
	{ 55,    300, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, A,     0,  52 },
	{ 55,    500, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, P|A, 120, 172 },
	{ 55,   1500, "10.0.1.20", "10.0.1.10",    TCP, 5432, 45000, P|A, 300, 352 },
	{ 55,   1600, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, A,     0,  52 },
	{ 56,      0, "10.0.1.20", "203.0.113.80", TCP, 38000, 443,  S,     0,  60 },
};

/* Bad rows give the IP length in their header (0 when not IP). */
static const struct kev ev_malformed[] = {
	{ 58,      0, "10.0.1.10",     "192.0.2.10",  UDP, 42000, 7, 0, 32, 60 },
	{ 58,   1000, "192.0.2.10",    "10.0.1.10",   UDP, 7, 42000, 0, 32, 60 },
	{ 58, 100000, "10.0.1.10",     "10.0.1.1",    0,   0, 0, 0,  0,    0, X_ARP },
	{ 58, 200000, "10.0.1.10",     "10.0.1.10",   0,   0, 0, 0,  0,    0, X_LLC },
	{ 58, 300000, "198.51.100.66", "10.0.1.10",   TCP, 51900, 80, S, 0,  60, X_IHL4 },
	{ 58, 400000, "198.51.100.67", "10.0.1.10",   UDP, 1234, 80, 0, 10, 1500, X_LONGLEN },
	{ 58, 500000, "198.51.100.68", "10.0.1.10",   TCP, 51700, 22, S, 0,  60, X_SNAP },
	{ 58, 600000, "198.51.100.69", "10.0.1.10",   UDP, 40001, 9000, 0, 20, 48, X_QQQ },
	{ 61,      0, "198.51.100.7",  "10.0.1.10",   TCP, 51800, 22, S,   0, 60 },
	{ 61,    100, "10.0.1.10",     "198.51.100.7", TCP, 22, 51800, S|A, 0, 60 },
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

struct kcap {
	const char *name;
	uint32_t linktype;
	const struct kev *ev;
	size_t n;
	int family;		/* only rows of this family; 0 = all */
};

static const struct kcap kcaps[] = {
	{ "vlan",			LT_ETHERNET, ev_vlan,      N(ev_vlan),      0 },
	{ "sll",			LT_SLL,      ev_dns,       N(ev_dns),       0 },
	{ "sll2",			LT_SLL2,     ev_dns,       N(ev_dns),       0 },
	{ "raw",			LT_RAW,      ev_l3,        N(ev_l3),        0 },
	{ "ipv4",			LT_IPV4,     ev_l3,        N(ev_l3),        4 },
	{ "ipv6",			LT_IPV6,     ev_l3,        N(ev_l3),        6 },
	{ "null",			LT_NULL,     ev_l3,        N(ev_l3),        0 },
	{ "loop",			LT_LOOP,     ev_l3,        N(ev_l3),        0 },
	{ "fragments",			LT_ETHERNET, ev_frag,      N(ev_frag),      0 },
	{ "ipv4-options-ipv6-ext",	LT_ETHERNET, ev_ext,       N(ev_ext),       0 },
	{ "secondary-ip",		LT_ETHERNET, ev_secondary, N(ev_secondary), 0 },
	{ "two-enis",			LT_ETHERNET, ev_two_enis,  N(ev_two_enis),  0 },
	{ "malformed-mix",		LT_ETHERNET, ev_malformed, N(ev_malformed), 0 },
};

static const uint8_t mac_gw[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };
static const uint8_t mac_stp[6] = { 0x01, 0x80, 0xc2, 0x00, 0x00, 0x00 };

/* example.com A (1) or AAAA (28): the query (29 bytes), or the response
 * with one answer, TTL 300: 192.0.2.14 (45 bytes) or 2001:db8::e (57). */
static size_t dns_msg(uint8_t *p, uint16_t id, uint8_t qtype, int response)
{
	memcpy(p, "ID\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07" "example\x03" "com\x00\x00T\x00\x01", 29);
	put_be16(p, id);
	p[26] = qtype;
	if (!response)
		return 29;
	memcpy(p + 2, "\x81\x80\x00\x01\x00\x01", 6);	/* QR RD RA, 1 answer */
	memcpy(p + 29, "\xc0\x0c\x00T\x00\x01\x00\x00\x01\x2c", 10);
	p[29 + 3] = qtype;
	if (qtype == 28) {
		memcpy(p + 39, "\x00\x10\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x0e", 18);
		return 57;
	}
	memcpy(p + 39, "\x00\x04\xc0\x00\x02\x0e", 6);
	return 45;
}

/* The transport payload of row e at pay; returns its length. */
static size_t payload(const struct kev *e, uint8_t *pay)
{
	size_t i;

	for (i = 0; i < e->pay; i++)		/* ICMPv6, GRE: as ping's pattern */
		pay[i] = (uint8_t)(e->proto == PROTO_ICMPV6 || e->proto == PROTO_GRE ?
		    0x10 + i : i * 7 + e->sport + e->sec);
	if (e->proto == PROTO_UDP && (e->sport == 53 || e->dport == 53))
		return dns_msg(pay, (uint16_t)(0x1a2b + e->flags), e->flags, e->sport == 53);
	if (e->proto == PROTO_UDP && (e->sport == 123 || e->dport == 123)) {
		memset(pay, 0, e->pay);
		pay[0] = e->dport == 123 ? 0x23 : 0x24;		/* NTPv4 client, server */
		pay[1] = e->dport == 123 ? 0 : 2;		/* stratum */
		put_be32(pay + 40, (uint32_t)(KSTART + e->sec + 2208988800u));
		return e->pay;
	}
	return e->pay;
}

/* Pseudo-header sum (RFC 768/793 over IPv4, RFC 8200 8.1 over IPv6). */
static uint64_t pseudo(int fam, const uint8_t *src, const uint8_t *dst,
    uint8_t proto, size_t len)
{
	size_t al = fam == 6 ? 16 : 4;
	uint64_t acc = csum_add(0, src, al);

	acc = csum_add(acc, dst, al);
	return acc + proto + len;
}

/* GRE (no checksum, key or sequence) carrying an IPv4 ICMP echo between
 * 192.168.10.1 (request) and 192.168.20.1 (reply), TTL 64. */
static size_t gre_inner(const struct kev *e, uint8_t *p, const uint8_t *pay, size_t paylen)
{
	uint8_t *ip = p + 4, *ic = ip + 20;
	int req = e->flags == 8;

	memcpy(p, "\0\0\x08\0\x45\0LLII\0\0\x40\x01\0\0", 16);
	memcpy(ip + 12, req ? "\xc0\xa8\x0a\x01\xc0\xa8\x14\x01" : "\xc0\xa8\x14\x01\xc0\xa8\x0a\x01", 8);
	put_be16(ip + 2, (uint32_t)(28 + paylen));
	put_be16(ip + 4, req ? 0x1111 : 0x2222);
	put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
	memcpy(ic, "\0\0\0\0", 4);
	ic[0] = e->flags;
	put_be16(ic + 4, e->sport);
	put_be16(ic + 6, e->dport);
	memcpy(ic + 8, pay, paylen);
	put_be16(ic + 2, csum_fold(csum_add(0, ic, 8 + paylen)));
	return 4 + 28 + paylen;
}

/* The whole transport segment/datagram of row e at l4, checksummed. */
static size_t build_l4(const struct kev *e, int fam, const uint8_t *src,
    const uint8_t *dst, struct convs *st, uint8_t *l4)
{
	uint8_t pay[KBUF];
	size_t paylen = payload(e, pay), hl = 8, coff = 6;
	uint64_t acc;
	uint16_t ck;

	switch (e->proto) {
	case PROTO_TCP: {
		int side;
		struct conv *c = conv_find(st, src, dst, 16, e->sport, e->dport, &side);
		uint32_t tsval = (uint32_t)(e->sec * 1000 + e->usec / 1000) + (side ? 0x7c2e1000u : 0x3a1b0000u);

		if (c == NULL)
			return 0;
		hl = e->flags & TH_SYN ? 40 : e->flags & TH_RST ? 20 : 32;
		memset(l4, 0, hl);
		put_be16(l4, e->sport);
		put_be16(l4 + 2, e->dport);
		put_be32(l4 + 4, c->seq[side]);
		put_be32(l4 + 8, e->flags & TH_ACK ? c->seq[1 - side] : 0);
		l4[12] = (uint8_t)(hl / 4 << 4);
		l4[13] = e->flags;
		put_be16(l4 + 14, e->flags & TH_RST ? 0 : e->flags == TH_SYN ? 64240 :
		    e->flags & TH_SYN ? 65160 : 502);
		if (hl == 40)
			tcp_opts_syn(l4 + 20, fam == 6 ? 1440 : 1460, tsval, c->tsval[1 - side]);
		else if (hl == 32)
			tcp_opts_ts(l4 + 20, tsval, c->tsval[1 - side]);
		c->tsval[side] = tsval;
		c->seq[side] += (uint32_t)paylen + ((e->flags & (TH_SYN | TH_FIN)) != 0);
		coff = 16;
		break;
	}
	case PROTO_UDP:					/* ports, length, checksum */
		put_be16(l4, e->sport);
		put_be16(l4 + 2, e->dport);
		put_be16(l4 + 4, (uint32_t)(8 + paylen));
		break;
	case PROTO_ICMPV6:				/* type, code, checksum, id, seq */
		put_be16(l4, (uint32_t)e->flags << 8);
		put_be16(l4 + 4, e->sport);
		put_be16(l4 + 6, e->dport);
		coff = 2;
		break;
	case PROTO_GRE:
		return gre_inner(e, l4, pay, paylen);
	default:
		return 0;
	}
	put_be16(l4 + coff, 0);
	memcpy(l4 + hl, pay, paylen);
	acc = pseudo(fam, src, dst, e->proto, hl + paylen);
	ck = csum_fold(csum_add(acc, l4, hl + paylen));
	if (e->proto == PROTO_UDP && ck == 0)
		ck = 0xffff;
	put_be16(l4 + coff, ck);
	return hl + paylen;
}

/* The IP packet of row e at ip; returns its IP total length (header). */
static size_t build_ip(const struct kev *e, int fam, const uint8_t *src,
    const uint8_t *dst, int local, struct convs *st, uint8_t *ip)
{
	static uint8_t seg[KBUF];
	size_t l4len, hl, ext = 0, carried;
	uint8_t *p;
	int side = 0;
	struct conv *c = conv_find(st, src, dst, 16, e->sport, e->dport, &side);

	if (c == NULL || (l4len = build_l4(e, fam, src, dst, st, seg)) == 0 ||
	    (e->x == X_FRAG && (size_t)e->foff + e->flen > l4len))
		return 0;
	carried = e->x == X_FRAG ? e->flen : l4len;
	if (fam == 4) {
		hl = e->x == X_V4OPT ? 32 : 20;
		memset(ip, 0, hl);
		ip[0] = (uint8_t)(0x40 | hl / 4);
		put_be16(ip + 2, (uint32_t)(hl + carried));
		put_be16(ip + 4, e->x == X_FRAG ? e->fid : c->ipid[side]++);
		put_be16(ip + 6, e->x != X_FRAG ? 0x4000u :		/* DF, or MF | offset */
		    (uint32_t)(e->foff / 8) | ((size_t)e->foff + e->flen < l4len ? 0x2000u : 0));
		ip[8] = local ? 64 : 52;
		ip[9] = e->proto;
		memcpy(ip + 12, src, 4);
		memcpy(ip + 16, dst, 4);
		if (e->x == X_V4OPT)				/* RR: 2 hops recorded */
			memcpy(ip + 20, "\x07\x0b\x0c\xcb\x00\x71\x01\x0a\x00\x01\x01\x00", 12);
		put_be16(ip + 10, csum_fold(csum_add(0, ip, hl)));
		memcpy(ip + hl, seg + (e->x == X_FRAG ? e->foff : 0), carried);
		return hl + carried;
	}
	put_be32(ip, 6u << 28 | (uint32_t)(e->sport ^ e->dport) << 4);
	ip[7] = local ? 64 : 52;
	memcpy(ip + 8, src, 16);
	memcpy(ip + 24, dst, 16);
	p = ip + 40;
	if (e->x == X_V6EXT) {
		ip[6] = 0;					/* Hop-by-Hop */
		memcpy(p, "\x3c\x00\x01\x04\x00\x00\x00\x00", 8);	/* -> DstOpts, PadN */
		memcpy(p + 8, "\x2b\x00\x01\x04\x00\x00\x00\x00", 8);	/* -> Routing, PadN */
		/* -> TCP, 2 x 8 + 8 = 24 bytes, type 0, 0 segments left */
		memcpy(p + 16, "\x06\x02\0\0\0\0\0\0", 8);
		p[16] = e->proto;
		memcpy(p + 24, dst, 16);			/* the final destination */
		ext = 40;
	} else if (e->x == X_FRAG) {
		ip[6] = 44;
		put_be16(p, (uint32_t)e->proto << 8);
		put_be16(p + 2, (uint32_t)e->foff | ((size_t)e->foff + e->flen < l4len ? 1u : 0));
		put_be32(p + 4, e->fid);
		ext = 8;
	} else {
		ip[6] = e->proto;
	}
	put_be16(ip + 4, (uint32_t)(ext + carried));
	memcpy(ip + 40 + ext, seg + (e->x == X_FRAG ? e->foff : 0), carried);
	return 40 + ext + carried;
}

/* 10.0.1.x has 02:00:00:00:01:x (2001:db8:1::10 that of 10.0.1.10);
 * packets from elsewhere come from the gateway, 02:00:00:00:01:01. */
static void mac_of(const uint8_t *a, int fam, int local, uint8_t *mac)
{
	memcpy(mac, mac_gw, 6);
	if (local)
		mac[5] = fam == 6 ? 0x0a : a[3];
}

/* The link header for row e at f; returns its length. */
static size_t link_hdr(uint32_t lt, const struct kev *e, int fam, int slocal,
    int dlocal, const uint8_t *src, const uint8_t *dst, uint8_t *f)
{
	uint16_t et = fam == 6 ? 0x86dd : 0x0800;
	uint8_t smac[6];
	size_t off = 12, t;

	mac_of(src, fam, slocal, smac);
	switch (lt) {
	case LT_SLL:		/* packet type (4 outgoing, 0 to us), ARPHRD_ETHER, 6 */
		memcpy(f, "\0\0\0\x01\0\x06" "MACMAC" "\0\0", 14);
		f[1] = slocal ? 4 : 0;
		memcpy(f + 6, smac, 6);
		put_be16(f + 14, et);
		return 16;
	case LT_SLL2:		/* ethertype, 0, ifindex 2, ARPHRD_ETHER, type, 6 */
		memcpy(f, "ET\0\0\0\0\0\x02\0\x01T\x06" "MACMAC" "\0\0", 20);
		put_be16(f, et);
		f[10] = slocal ? 4 : 0;
		memcpy(f + 12, smac, 6);
		return 20;
	case LT_NULL:					/* little-endian host, macOS AF_INET6 */
		memset(f, 0, 4);
		f[0] = fam == 6 ? 30 : 2;
		return 4;
	case LT_LOOP:					/* network order, OpenBSD AF_INET6 */
		put_be32(f, fam == 6 ? 24 : 2);
		return 4;
	case LT_ETHERNET:
		break;
	default:
		return 0;
	}
	mac_of(dst, fam, dlocal, f);
	if (e->x == X_LLC)
		memcpy(f, mac_stp, 6);
	if (e->x == X_ARP)
		memset(f, 0xff, 6);			/* broadcast */
	memcpy(f + 6, smac, 6);
	for (t = 0; t < (e->x == X_Q1 ? 1 : e->x == X_QQ ? 2 : e->x == X_QQQ ? 3 : 0); t++) {
		put_be16(f + off, e->x != X_Q1 && t == 0 ? 0x88a8 : 0x8100);
		put_be16(f + off + 2, e->x == X_Q1 ? 100 : (uint32_t)(200 + 100 * t));	/* VID */
		off += 4;
	}
	put_be16(f + off, e->x == X_ARP ? 0x0806 : e->x == X_LLC ? 38 : et);
	return off + 2;
}

/* Non-IP payloads after an Ethernet header: ARP request, STP BPDU. */
static size_t non_ip(const struct kev *e, const uint8_t *src, const uint8_t *dst, uint8_t *p)
{
	uint8_t mac[6];

	mac_of(src, 4, 1, mac);
	if (e->x == X_ARP) {
		memcpy(p, "\x00\x01\x08\x00\x06\x04\x00\x01", 8);
		memcpy(p + 8, mac, 6);
		memcpy(p + 14, src, 4);
		memset(p + 18, 0, 6);
		memcpy(p + 24, dst, 4);
		return 28;
	}
	/* LLC (STP, UI), config BPDU: root and bridge 8000.mac, port 8001,
	 * max age 20 s, hello 2 s, forward delay 15 s (1/256 s units). */
	memcpy(p, "\x42\x42\x03\0\0\0\0\0\x80\0" "012345" "\0\0\0\0\x80\0" "012345"
	    "\x80\x01\0\0\x14\0\x02\0\x0f\0", 38);
	memcpy(p + 10, mac, 6);
	memcpy(p + 22, mac, 6);
	return 38;
}

static int is_local(int fam, const uint8_t *a)
{
	static const uint8_t v6[14] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01 };

	return fam == 4 ? a[0] == 10 && a[1] == 0 && a[2] == 1 : memcmp(a, v6, 14) == 0;
}

static int kinds_write(const struct kcap *k, struct pcap_out *o)
{
	static uint8_t frame[KBUF];
	struct convs st;
	uint64_t prev = 0;
	size_t i;

	memset(&st, 0, sizeof(st));
	st.rng = 0x6b696e6473ull;
	for (i = 0; i < k->n; i++) {
		const struct kev *e = &k->ev[i];
		uint8_t src[16] = { 0 }, dst[16] = { 0 };
		int fam = strchr(e->src, ':') != NULL ? 6 : 4, sl;
		size_t lh, iplen, flen, caplen;
		uint64_t ts = (uint64_t)(KSTART + e->sec) * 1000000 + e->usec;

		if (k->family != 0 && k->family != fam)
			continue;
		if (inet_pton(fam == 6 ? AF_INET6 : AF_INET, e->src, src) != 1 ||
		    inet_pton(fam == 6 ? AF_INET6 : AF_INET, e->dst, dst) != 1 ||
		    ts <= prev || e->usec >= 1000000) {
			fprintf(stderr, "pktgen: %s row %zu: bad address or time\n", k->name, i);
			return -1;
		}
		prev = ts;
		sl = is_local(fam, src);
		lh = link_hdr(k->linktype, e, fam, sl, is_local(fam, dst), src, dst, frame);
		if (e->x == X_ARP || e->x == X_LLC)
			iplen = 0, flen = lh + non_ip(e, src, dst, frame + lh);
		else if ((iplen = build_ip(e, fam, src, dst, sl, &st, frame + lh)) == 0)
			return -1;
		else
			flen = lh + iplen;
		if (e->x == X_IHL4 || e->x == X_LONGLEN) {	/* checksum still right */
			if (e->x == X_IHL4)
				frame[lh] = 0x44;
			else
				put_be16(frame + lh + 2, (uint32_t)(iplen = 1500));
			put_be16(frame + lh + 10, 0);
			put_be16(frame + lh + 10, csum_fold(csum_add(0, frame + lh, 20)));
		}
		if (iplen != e->iplen) {
			fprintf(stderr, "pktgen: %s row %zu: IP length %zu, table says %u\n",
			    k->name, i, iplen, e->iplen);
			return -1;
		}
		if (k->linktype == LT_ETHERNET && flen < 60) {	/* padding, as on the wire */
			memset(frame + flen, 0, 60 - flen);
			flen = 60;
		}
		caplen = e->x == X_SNAP ? lh + 20 + 12 : flen;	/* TCP cut before its flags */
		pcap_put_raw(o, ts, frame, caplen, flen);
	}
	return 0;
}

static int kinds_one(const struct kcap *k, const char *dir)
{
	char path[4096];
	struct pcap_out o;
	int err;

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, k->name);
	if ((err = pcap_open_link(&o, path, k->linktype)) != 0 ||
	    (err = kinds_write(k, &o)) != 0 || (err = pcap_close(&o)) != 0) {
		if (o.fp != NULL)
			pcap_close(&o);
		fprintf(stderr, "pktgen: %s: %s\n", path, err > 0 ? strerror(err) : "not written");
		return 1;
	}
	return 0;
}

static const char *kinds_name(size_t i)
{
	return kcaps[i].name;
}

static int kinds_write_at(size_t i, const char *dir)
{
	return kinds_one(&kcaps[i], dir);
}

/* pktgen kinds -w DIR [NAME ...]: DIR/NAME.pcap for each NAME, or all. */
int kinds_main(int argc, char **argv)
{
	return named_main(argc, argv, N(kcaps), kinds_name, kinds_write_at);
}
