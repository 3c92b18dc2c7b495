/* pktgen.c - deterministic classic-pcap writer and frame builder (CLI too).
 *
 * Owns: the pcap savefile (pcap-savefile(5): little-endian, microseconds,
 * LINKTYPE_ETHERNET unless pcap_open_link() says otherwise), Ethernet/802.1Q/IPv4/IPv6/TCP/UDP/ICMP framing and
 * checksums (RFC 791, 8200, 793, 768, 792, 4443). Links no library and uses
 * no rand(): the same arguments give the same bytes. Stand-in for flowgen. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pktgen.h"

#define OUTBUF_SIZE	(16u << 20)
#define SNAPLEN		262144u
#define MIN_FRAME	60	/* Ethernet minimum without FCS */

void put_be16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put_le16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

uint64_t splitmix64(uint64_t *state)
{
	*state += 0x9e3779b97f4a7c15ull;
	return mix64(*state);
}

uint64_t mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Internet checksum (RFC 1071): 16-bit big-endian words summed into a wide
 * accumulator, folded once at the end. Only the last chunk may be odd. */
uint64_t csum_add(uint64_t acc, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

uint16_t csum_fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)~acc;
}

size_t tcp_opts_syn(uint8_t *opt, uint16_t mss, uint32_t tsval, uint32_t tsecr)
{
	opt[0] = 2;			/* MSS */
	opt[1] = 4;
	put_be16(opt + 2, mss);
	opt[4] = 4;			/* SACK permitted */
	opt[5] = 2;
	opt[6] = 8;			/* timestamps */
	opt[7] = 10;
	put_be32(opt + 8, tsval);
	put_be32(opt + 12, tsecr);
	opt[16] = 1;			/* NOP */
	opt[17] = 3;			/* window scale 7 */
	opt[18] = 3;
	opt[19] = 7;
	return 20;
}

size_t tcp_opts_ts(uint8_t *opt, uint32_t tsval, uint32_t tsecr)
{
	opt[0] = 1;
	opt[1] = 1;
	opt[2] = 8;
	opt[3] = 10;
	put_be32(opt + 4, tsval);
	put_be32(opt + 8, tsecr);
	return 12;
}

/* Writes the transport header and payload at l4 with a zero checksum;
 * returns the segment length and the checksum field offset in *csum_off. */
static size_t build_l4(const struct pkt *p, uint8_t *l4, size_t *csum_off)
{
	size_t hl;

	switch (p->proto) {
	case PROTO_TCP:
		hl = 20 + p->tcp_optlen;
		put_be16(l4, p->sport);
		put_be16(l4 + 2, p->dport);
		put_be32(l4 + 4, p->seq);
		put_be32(l4 + 8, p->ack);
		l4[12] = (uint8_t)(hl / 4 << 4);
		l4[13] = p->tcp_flags;
		put_be16(l4 + 14, p->tcp_win);
		put_be16(l4 + 16, 0);
		put_be16(l4 + 18, 0);
		memcpy(l4 + 20, p->tcp_opt, p->tcp_optlen);
		*csum_off = 16;
		break;
	case PROTO_UDP:
		hl = 8;
		put_be16(l4, p->sport);
		put_be16(l4 + 2, p->dport);
		put_be16(l4 + 4, (uint32_t)(hl + p->paylen));
		put_be16(l4 + 6, 0);
		*csum_off = 6;
		break;
	default:			/* ICMP / ICMPv6 echo */
		hl = 8;
		l4[0] = p->icmp_type;
		l4[1] = 0;
		put_be16(l4 + 2, 0);
		put_be16(l4 + 4, p->sport);
		put_be16(l4 + 6, p->dport);
		*csum_off = 2;
		break;
	}
	memcpy(l4 + hl, p->payload, p->paylen);
	return hl + p->paylen;
}

/* Builds the whole frame at f; returns its length, *iplen the IP length. */
static size_t build_frame(const struct pkt *p, uint8_t *f, size_t *iplen)
{
	size_t off, hl, l4len, csum_off, flen;
	uint8_t *ip, *l4;
	uint64_t acc = 0;
	uint16_t ck;

	memcpy(f, p->dst_mac, 6);
	memcpy(f + 6, p->src_mac, 6);
	off = 12;
	if (p->vlan != 0) {
		put_be16(f + off, 0x8100);
		put_be16(f + off + 2, p->vlan & 0x0fffu);
		off += 4;
	}
	put_be16(f + off, p->family == 6 ? 0x86dd : 0x0800);
	off += 2;
	ip = f + off;
	hl = p->family == 6 ? 40 : 20;
	l4 = ip + hl;
	l4len = build_l4(p, l4, &csum_off);
	*iplen = hl + l4len;

	if (p->family == 6) {
		put_be32(ip, 6u << 28 | (uint32_t)(p->sport ^ p->dport) << 4);
		put_be16(ip + 4, (uint32_t)l4len);
		ip[6] = p->proto;
		ip[7] = p->ttl;
		memcpy(ip + 8, p->src, 16);
		memcpy(ip + 24, p->dst, 16);
		acc = csum_add(acc, ip + 8, 32);
		acc += (uint32_t)l4len + p->proto;
	} else {
		ip[0] = 0x45;
		ip[1] = 0;
		put_be16(ip + 2, (uint32_t)*iplen);
		put_be16(ip + 4, p->ip_id);
		put_be16(ip + 6, 0x4000);	/* DF, as Linux sends */
		ip[8] = p->ttl;
		ip[9] = p->proto;
		put_be16(ip + 10, 0);
		memcpy(ip + 12, p->src, 4);
		memcpy(ip + 16, p->dst, 4);
		put_be16(ip + 10, csum_fold(csum_add(0, ip, 20)));
		if (p->proto != PROTO_ICMP) {
			acc = csum_add(acc, ip + 12, 8);
			acc += (uint32_t)l4len + p->proto;
		}
	}
	ck = csum_fold(csum_add(acc, l4, l4len));
	/* UDP sends a computed 0 as 0xffff: 0 means "no checksum" (RFC 768). */
	if (p->proto == PROTO_UDP && ck == 0)
		ck = 0xffff;
	put_be16(l4 + csum_off, ck);

	flen = off + *iplen;
	if (flen < MIN_FRAME) {
		/* Short frames carry padding after the IP packet, as on the
		 * wire; the decoder must take bytes from the IP header. */
		memset(f + flen, 0, MIN_FRAME - flen);
		flen = MIN_FRAME;
	}
	return flen;
}

static int pcap_flush(struct pcap_out *o)
{
	if (o->len != 0 && fwrite(o->buf, 1, o->len, o->fp) != o->len)
		o->failed = errno != 0 ? errno : EIO;
	o->len = 0;
	return o->failed;
}

int pcap_open(struct pcap_out *o, const char *path)
{
	return pcap_open_link(o, path, 1);	/* LINKTYPE_ETHERNET */
}

int pcap_open_link(struct pcap_out *o, const char *path, uint32_t linktype)
{
	memset(o, 0, sizeof(*o));
	o->path = path;
	o->cap = OUTBUF_SIZE;
	o->buf = malloc(o->cap);
	if (o->buf == NULL)
		return ENOMEM;
	if (strcmp(path, "-") == 0)
		o->fp = stdout;
	else
		o->fp = fopen(path, "wb");
	if (o->fp == NULL) {
		int e = errno;

		free(o->buf);
		o->buf = NULL;
		return e;
	}
	put_le32(o->buf, 0xa1b2c3d4u);	/* microsecond timestamps */
	put_le16(o->buf + 4, 2);
	put_le16(o->buf + 6, 4);
	put_le32(o->buf + 8, 0);	/* thiszone */
	put_le32(o->buf + 12, 0);	/* sigfigs */
	put_le32(o->buf + 16, SNAPLEN);
	put_le32(o->buf + 20, linktype);
	o->len = 24;
	return 0;
}

size_t pcap_put(struct pcap_out *o, const struct pkt *p)
{
	uint8_t *rec;
	size_t flen, iplen;

	if (o->cap - o->len < 16 + FRAME_MAX)
		pcap_flush(o);
	rec = o->buf + o->len;
	flen = build_frame(p, rec + 16, &iplen);
	put_le32(rec, (uint32_t)(p->ts_us / 1000000));
	put_le32(rec + 4, (uint32_t)(p->ts_us % 1000000));
	put_le32(rec + 8, (uint32_t)flen);
	put_le32(rec + 12, (uint32_t)flen);
	o->len += 16 + flen;
	o->packets++;
	o->last_ts_us = p->ts_us;
	return iplen;
}

void pcap_put_raw(struct pcap_out *o, uint64_t ts_us, const uint8_t *data,
    size_t caplen, size_t wirelen)
{
	uint8_t *rec;

	if (o->cap - o->len < 16 + caplen)
		pcap_flush(o);
	rec = o->buf + o->len;
	put_le32(rec, (uint32_t)(ts_us / 1000000));
	put_le32(rec + 4, (uint32_t)(ts_us % 1000000));
	put_le32(rec + 8, (uint32_t)caplen);
	put_le32(rec + 12, (uint32_t)wirelen);
	memcpy(rec + 16, data, caplen);
	o->len += 16 + caplen;
	o->packets++;
	o->last_ts_us = ts_us;
}

int pcap_close(struct pcap_out *o)
{
	int err;

	pcap_flush(o);
	if (o->fp != stdout) {
		if (fclose(o->fp) != 0 && o->failed == 0)
			o->failed = errno;
	} else if (fflush(o->fp) != 0 && o->failed == 0) {
		o->failed = errno;
	}
	free(o->buf);
	err = o->failed;
	memset(o, 0, sizeof(*o));
	return err;
}

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: pktgen lab -w FILE\n"
	    "       pktgen bench -w FILE [--packets N] [--flows F] [--seed S] [--start EPOCH]\n"
#ifdef PKTGEN_KINDS
	    "       pktgen kinds -w DIR [NAME ...]\n"
#endif
#ifdef PKTGEN_VPC
	    "       pktgen vpc -w DIR [NAME ...]\n"
#endif
	    );
}

static int parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (s == NULL || *s < '0' || *s > '9')
		return -1;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return errno != 0 || *end != '\0' ? -1 : 0;
}

static int parse_args(int argc, char **argv, const char **path, struct bench_args *a)
{
	int i;
	uint64_t v;

	a->packets = 5000000;
	a->flows = 500000;
	a->seed = 1;
	a->start = 1768471200;	/* 2026-01-15 10:00:00 UTC */
	*path = NULL;
	/* every option takes a value */
	for (i = 2; i < argc; i += 2) {
		const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(opt, "-w") == 0 && val != NULL)
			*path = val;
		else if (strcmp(opt, "--packets") == 0 && parse_u64(val, &v) == 0)
			a->packets = v;
		else if (strcmp(opt, "--flows") == 0 && parse_u64(val, &v) == 0 &&
		    v <= UINT32_MAX)
			a->flows = (uint32_t)v;
		else if (strcmp(opt, "--seed") == 0 && parse_u64(val, &v) == 0)
			a->seed = v;
		else if (strcmp(opt, "--start") == 0 && parse_u64(val, &v) == 0 &&
		    v < UINT32_MAX - 3600)
			a->start = v;
		else
			return -1;
	}
	return *path == NULL ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct pcap_out o;
	struct bench_args a;
	const char *path;
	int lab, err;

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
#ifdef PKTGEN_KINDS
	if (argc >= 2 && strcmp(argv[1], "kinds") == 0)
		return kinds_main(argc, argv);
#endif
#ifdef PKTGEN_VPC
	if (argc >= 2 && strcmp(argv[1], "vpc") == 0)
		return vpc_main(argc, argv);
#endif
	if (argc < 2 || parse_args(argc, argv, &path, &a) != 0) {
		usage(stderr);
		return 2;
	}
	lab = strcmp(argv[1], "lab") == 0;
	if (!lab && strcmp(argv[1], "bench") != 0) {
		usage(stderr);
		return 2;
	}
	if (lab && argc != 4) {
		fprintf(stderr, "pktgen: lab takes only -w FILE\n");
		return 2;
	}
	if (!lab && (a.flows == 0 || a.packets < 2 * (uint64_t)a.flows)) {
		fprintf(stderr, "pktgen: need --flows >= 1 and --packets >= 2 x flows\n");
		return 2;
	}
	if ((err = pcap_open(&o, path)) != 0) {
		fprintf(stderr, "pktgen: %s: %s\n", path, strerror(err));
		return 1;
	}
	err = lab ? lab_write(&o) : bench_write(&o, &a);
	if (err != 0) {
		pcap_close(&o);
		return 1;
	}
	if ((err = pcap_close(&o)) != 0) {
		fprintf(stderr, "pktgen: %s: %s\n", path, strerror(err));
		return 1;
	}
	return 0;
}

struct conv *conv_find(struct convs *st, const uint8_t *src, const uint8_t *dst, size_t alen,
		       uint16_t sp, uint16_t dp, int *side)
{
	struct conv *c;
	size_t i;
	int d;

	for (i = 0; i < st->nconv; i++)
		for (d = 0, c = &st->conv[i]; d < 2; d++)
			if (memcmp(c->addr[d], src, alen) == 0 && memcmp(c->addr[1 - d], dst, alen) == 0 &&
			    c->port[d] == sp && c->port[1 - d] == dp) {
				*side = d;
				return c;
			}
	if (st->nconv == sizeof(st->conv) / sizeof(st->conv[0]))
		return NULL;
	c = &st->conv[st->nconv++];
	memset(c, 0, sizeof(*c));
	memcpy(c->addr[0], src, alen);
	memcpy(c->addr[1], dst, alen);
	for (d = 0; d < 2; d++) {
		c->port[d] = d == 0 ? sp : dp;
		c->seq[d] = (uint32_t)splitmix64(&st->rng);
		c->ipid[d] = (uint16_t)splitmix64(&st->rng);
		c->tsval[d] = 0;
	}
	*side = 0;
	return c;
}

int named_main(int argc, char **argv, size_t n, const char *(*name)(size_t i),
	       int (*write)(size_t i, const char *dir))
{
	size_t i;
	int j;

	if (argc < 4 || strcmp(argv[2], "-w") != 0) {
		fprintf(stderr, "usage: pktgen %s -w DIR [NAME ...]\n", argv[1]);
		return 2;
	}
	for (i = 0; argc == 4 && i < n; i++)
		if (write(i, argv[3]) != 0)
			return 1;
	for (j = 4; j < argc; j++) {
		for (i = 0; i < n && strcmp(name(i), argv[j]) != 0; i++)
			;
		if (i == n) {
			fprintf(stderr, "pktgen: %s: no capture named \"%s\"\n", argv[1], argv[j]);
			return 2;
		}
		if (write(i, argv[3]) != 0)
			return 1;
	}
	return 0;
}
