/* pktgen.h - shared parts of the stand-in capture generator.
 *
 * pktgen.c owns the pcap writer and the frame builder; pktgen_lab.c and
 * pktgen_bench.c describe traffic as struct pkt and hand it to pcap_put(). */
#ifndef PKTGEN_H
#define PKTGEN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* TCP flag bits as on the wire (RFC 793, 3168). */
#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PSH	0x08
#define TH_ACK	0x10

#define PROTO_ICMP	1
#define PROTO_TCP	6
#define PROTO_UDP	17
#define PROTO_ICMPV6	58

/* Largest frame we build: Ethernet + 802.1Q + a 1500-byte IP packet. */
#define FRAME_MAX	(14 + 4 + 1500)

/* One packet to build. Addresses are in network order; IPv4 uses the first
 * four bytes of src/dst. For ICMP the ports carry the echo id and sequence. */
struct pkt {
	uint64_t ts_us;			/* microseconds since the Unix epoch */
	const uint8_t *src_mac;
	const uint8_t *dst_mac;
	uint16_t vlan;			/* 802.1Q VID, 0 = untagged */
	int family;			/* 4 or 6 */
	uint8_t src[16];
	uint8_t dst[16];
	uint8_t proto;
	uint8_t ttl;			/* TTL or hop limit */
	uint16_t ip_id;			/* IPv4 identification */
	uint16_t sport;			/* TCP/UDP port, ICMP echo id */
	uint16_t dport;			/* TCP/UDP port, ICMP echo sequence */
	uint8_t icmp_type;
	uint8_t tcp_flags;
	uint16_t tcp_win;
	uint32_t seq;
	uint32_t ack;
	uint8_t tcp_opt[40];
	size_t tcp_optlen;		/* multiple of 4 */
	const uint8_t *payload;
	size_t paylen;
};

struct pcap_out {
	FILE *fp;
	const char *path;
	uint8_t *buf;
	size_t len;
	size_t cap;
	uint64_t packets;
	uint64_t last_ts_us;
	int failed;
};

int pcap_open(struct pcap_out *o, const char *path);
int pcap_open_link(struct pcap_out *o, const char *path, uint32_t linktype);
/* Builds p and appends it; returns the IP total length written. */
size_t pcap_put(struct pcap_out *o, const struct pkt *p);
/* Appends a frame built by the caller; caplen may be below wirelen. */
void pcap_put_raw(struct pcap_out *o, uint64_t ts_us, const uint8_t *data,
    size_t caplen, size_t wirelen);
int pcap_close(struct pcap_out *o);

void put_be16(uint8_t *p, uint32_t v);
void put_be32(uint8_t *p, uint32_t v);

/* Internet checksum (RFC 1071): add big-endian words, then fold. */
uint64_t csum_add(uint64_t acc, const uint8_t *p, size_t n);
uint16_t csum_fold(uint64_t acc);

/* TCP options as Linux sends them (MSS, SACK-permitted, timestamps, window
 * scale on a SYN; NOP NOP timestamps otherwise). Return the option length. */
size_t tcp_opts_syn(uint8_t *opt, uint16_t mss, uint32_t tsval, uint32_t tsecr);
size_t tcp_opts_ts(uint8_t *opt, uint32_t tsval, uint32_t tsecr);

uint64_t splitmix64(uint64_t *state);
uint64_t mix64(uint64_t x);

int lab_write(struct pcap_out *o);

struct bench_args {
	uint64_t packets;
	uint32_t flows;
	uint64_t seed;
	uint64_t start;		/* Unix seconds */
};
int bench_write(struct pcap_out *o, const struct bench_args *a);

/* pktgen_kinds.c, built in with -DPKTGEN_KINDS: pktgen kinds -w DIR [NAME ...] */
int kinds_main(int argc, char **argv);

/* pktgen_vpc.c, built in with -DPKTGEN_VPC: pktgen vpc -w DIR [NAME ...] */
int vpc_main(int argc, char **argv);

/* TCP sequence state of one conversation; side 0 is whoever spoke first.
 * Addresses are alen bytes (4 or 16) at the start of addr[]. */
struct conv {
	uint8_t addr[2][16];
	uint16_t port[2], ipid[2];
	uint32_t seq[2], tsval[2];
};

struct convs {
	struct conv conv[16];
	size_t nconv;
	uint64_t rng;
};

/* The conversation of this packet, made (with random ISNs and IP IDs from
 * st->rng) when new; NULL when the table is full. *side: the sender's. */
struct conv *conv_find(struct convs *st, const uint8_t *src, const uint8_t *dst, size_t alen,
		       uint16_t sp, uint16_t dp, int *side);

/* pktgen CMD -w DIR [NAME ...]: DIR/NAME.pcap for each NAME of a table of
 * n captures, or for all of them. name(i) names capture i, write(i, dir)
 * writes it (0, or 1 after saying why). Returns the exit status. */
int named_main(int argc, char **argv, size_t n, const char *(*name)(size_t i),
	       int (*write)(size_t i, const char *dir));

#endif
