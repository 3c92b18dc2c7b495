/* pktgen.h - shared parts of pktgen, the generator of the decoder fixtures.
 *
 * pktgen.c owns the pcap writer, checksums, TCP options, the conversation
 * table and the CLI; pktgen_kinds.c builds the frames of the link-type,
 * fragment, extension-header and malformed captures in pcaps/ and hands
 * them to pcap_put_raw(). Everything else flowgen makes. */
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

int pcap_open_link(struct pcap_out *o, const char *path, uint32_t linktype);
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

/* pktgen_kinds.c: pktgen kinds -w DIR [NAME ...] */
int kinds_main(int argc, char **argv);

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
