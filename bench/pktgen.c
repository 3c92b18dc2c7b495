/* pktgen.c - deterministic classic-pcap writer and helpers (CLI too).
 *
 * Owns: the pcap savefile (pcap-savefile(5): little-endian, microseconds,
 * the link type pcap_open_link() is given), the Internet checksum (RFC
 * 1071), Linux's TCP options and the conversation table of the decoder
 * fixtures that pktgen_kinds.c builds (link types, tags, fragments,
 * options, extension headers, malformed frames: what flowgen cannot or
 * should not make). Links no library and uses no rand(): the same
 * arguments give the same bytes. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "pktgen.h"

#define OUTBUF_SIZE	(16u << 20)
#define SNAPLEN		262144u

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

static uint64_t splitmix64(uint64_t *state)
{
	uint64_t x = *state += 0x9e3779b97f4a7c15ull;

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

static int pcap_flush(struct pcap_out *o)
{
	if (o->len != 0 && fwrite(o->buf, 1, o->len, o->fp) != o->len)
		o->failed = errno != 0 ? errno : EIO;
	o->len = 0;
	return o->failed;
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
	fprintf(fp, "usage: pktgen kinds -w DIR [NAME ...]\n");
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	if (argc >= 2 && strcmp(argv[1], "kinds") == 0)
		return kinds_main(argc, argv);
	usage(stderr);
	return 2;
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
