/* bench.c - the bench scenario: millions of packets a second, still libnet's.
 *
 * libnet builds one template frame per (kind, family, VLAN, role) once;
 * each packet is then its template with addresses, ports, sequence numbers
 * and ids written in place and the IPv4 and transport checksums adjusted
 * for every 16-bit word changed (RFC 1624), so no packet is summed twice.
 *
 * A conversation's kind, family, VLAN, endpoints and packet count are a
 * pure function of (seed, conversation number); a window of ACTIVE
 * conversations is open at once and each packet goes to a random one of
 * them, so flows interleave as on a busy host. Packet counts pair up
 * (base + d, base - d) so the capture has exactly --packets packets. */
#include "flowgen/bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowgen/build.h"
#include "flowgen/synth.h"

#define ACTIVE		4096u
#define SPAN_S		600u		/* ten minutes of capture time, by default */
#define DEFAULT_START	1768471200u
#define HOSTS		2000u		/* internal hosts */

enum kind { K_WEB, K_INBOUND, K_EAST, K_DNS, K_NTP, K_PING, NKINDS };
enum role { R_SYN, R_SYNACK, R_ACK, R_REQ, R_RESP, R_FIN, NROLES };

static const uint16_t req_size[NKINDS] = { 517, 36, 120, 44, 48, 56 };
static const uint16_t resp_size[NKINDS] = { 1400, 180, 300, 60, 48, 56 };

struct template {
	uint8_t frame[1600];
	uint16_t len, l3, l4;		/* frame length, IP and transport offsets */
	uint8_t *ipsum, *l4sum;		/* checksum fields, NULL when absent */
};

struct shape {
	enum kind kind;
	int family;
	uint16_t vlan;
	uint8_t addr[2][16];
	uint16_t port[2];		/* ICMP: identifier */
};

struct conv {
	struct shape s;
	uint32_t id;			/* conversation number */
	uint32_t total, sent;
	uint32_t seq[2];
	uint16_t ipid[2];
};

struct bench {
	const struct fg_bench_options *o;
	struct template t[NKINDS][2][2][NROLES];	/* kind, IPv6, VLAN, role */
	struct conv active[ACTIVE];
	uint64_t base, extra;		/* packets per conversation */
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* HC' = ~(~HC + ~m + m') (RFC 1624, equation 3). */
static void sum_fix(uint8_t *sum, uint16_t old, uint16_t now)
{
	uint32_t s;

	if (!sum)
		return;
	s = (uint32_t)(uint16_t)~be16(sum) + (uint16_t)~old + now;
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	put16(sum, (uint16_t)~s);
}

/* Writes the 16-bit word at p, keeping both checksums right. */
static void set16(uint8_t *p, uint16_t v, uint8_t *sum1, uint8_t *sum2)
{
	uint16_t old = be16(p);

	put16(p, v);
	sum_fix(sum1, old, v);
	sum_fix(sum2, old, v);
}

static void set_bytes(uint8_t *p, const uint8_t *v, size_t n, uint8_t *sum1, uint8_t *sum2)
{
	size_t i;

	for (i = 0; i < n; i += 2)
		set16(p + i, (uint16_t)(v[i] << 8 | v[i + 1]), sum1, sum2);
}

static int keep_template(void *ctx, const uint8_t *frame, size_t len)
{
	struct template *t = ctx;

	if (len > sizeof(t->frame))
		return -1;
	memcpy(t->frame, frame, len);
	t->len = (uint16_t)len;
	return 0;
}

static uint8_t proto_of(enum kind k, int v6)
{
	if (k == K_PING)
		return v6 ? 58 : 1;
	return k == K_DNS || k == K_NTP ? 17 : 6;
}

static int build_template(struct fg_builder *fb, struct template *t, enum kind k, int v6,
			  int vlan, enum role r, char *err, size_t errlen)
{
	static const uint8_t ts_opt[12] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 1 };
	static const uint8_t zero[1500];
	static const uint8_t tcp_flags[NROLES] = { 0x02, 0x12, 0x10, 0x18, 0x18, 0x11 };
	struct fg_packet p;

	memset(&p, 0, sizeof(p));
	p.family = v6 ? 6 : 4;
	p.vlan = vlan ? 100 : 0;
	p.src_mac[0] = p.dst_mac[0] = 0x02;
	p.ttl = 64;
	p.proto = proto_of(k, v6);
	p.payload = zero;
	p.paylen = r == R_REQ ? req_size[k] : r == R_RESP ? resp_size[k] : 0;
	if (p.proto == 6) {
		p.tcp_flags = tcp_flags[r];
		p.win = 502;
		p.tcp_opt = ts_opt;
		p.tcp_optlen = sizeof(ts_opt);
	} else if (p.proto != 17) {
		p.icmp_type = r == R_REQ ? (v6 ? 128 : 8) : (v6 ? 129 : 0);
	}
	if (fg_build(fb, &p, keep_template, t, err, errlen))
		return -1;
	t->l3 = vlan ? 18 : 14;
	t->l4 = (uint16_t)(t->l3 + (v6 ? 40 : 20));
	t->ipsum = v6 ? NULL : t->frame + t->l3 + 10;
	t->l4sum = t->frame + t->l4 + (p.proto == 6 ? 16 : p.proto == 17 ? 6 : 2);
	return 0;
}

static int build_templates(struct bench *b, char *err, size_t errlen)
{
	struct fg_builder *fb = fg_builder_new(err, errlen);
	int k, v6, vlan, r, rc = 0;

	if (!fb)
		return -1;
	for (k = 0; k < NKINDS && !rc; k++)
		for (v6 = 0; v6 < 2 && !rc; v6++)
			for (vlan = 0; vlan < 2 && !rc; vlan++)
				for (r = 0; r < NROLES && !rc; r++)
					rc = build_template(fb, &b->t[k][v6][vlan][r], (enum kind)k,
							    v6, vlan, (enum role)r, err, errlen);
	fg_builder_free(fb);
	return rc;
}

static uint64_t mix(uint64_t seed, uint64_t x)
{
	uint64_t s = seed ^ (x * 0xd6e8feb86659fd93ull);

	return fg_random(&s);
}

static enum kind kind_of(uint64_t h)
{
	static const uint16_t upto[NKINDS] = { 450, 600, 700, 850, 920, 1000 };
	uint64_t r = h % 1000;
	int k = 0;

	while (r >= upto[k])
		k++;
	return (enum kind)k;
}

/* Internal host h: 10.0.(4 + h/250).(4 + h%250) or 2001:db8:a:(4 + h/250)::(4 + h%250),
 * never a VPC router (.1) or resolver (.2). External: a public-looking
 * IPv4 address or one in 2600:1f00::/24. */
static void host(uint8_t *a, int v6, int internal, uint64_t x)
{
	uint32_t h = (uint32_t)(x % HOSTS), sub = 4 + h / 250, n = 4 + h % 250;

	memset(a, 0, 16);
	if (internal && !v6) {
		a[0] = 10;
		a[2] = (uint8_t)sub;
		a[3] = (uint8_t)n;
	} else if (internal) {
		memcpy(a, "\x20\x01\x0d\xb8\x00\x0a\x00", 7);
		a[7] = (uint8_t)sub;
		a[15] = (uint8_t)n;
	} else if (!v6) {
		a[0] = (uint8_t)(11 + x % 116);
		a[0] = a[0] == 100 ? 101 : a[0];
		a[1] = (uint8_t)(x >> 8);
		a[2] = (uint8_t)(x >> 16);
		a[3] = (uint8_t)(1 + (x >> 24) % 254);
	} else {
		memcpy(a, "\x26\x00\x1f", 3);
		memcpy(a + 3, &x, 5);
		a[15] = (uint8_t)(1 + (x >> 40) % 254);
	}
}

static void shape_of(const struct bench *b, uint32_t id, struct shape *s)
{
	static const uint16_t in_ports[4] = { 22, 443, 80, 8080 };
	static const uint16_t east_ports[3] = { 5432, 6379, 3306 };
	uint64_t h = mix(b->o->seed, id), h2 = mix(h, 1), h3 = mix(h, 2);

	s->kind = kind_of(h);
	s->family = h2 % 100 < 10 ? 6 : 4;
	s->vlan = (h2 >> 8) % 100 < 10 ? (uint16_t)(100 + (h2 >> 16) % 8) : 0;
	s->port[0] = (uint16_t)(32768 + (h3 >> 48) % 28232);
	host(s->addr[0], s->family == 6, s->kind != K_INBOUND, h2 >> 20);
	host(s->addr[1], s->family == 6, s->kind == K_INBOUND || s->kind == K_EAST, h3);
	switch (s->kind) {
	case K_WEB: s->port[1] = (h3 >> 20) % 5 == 0 ? 80 : 443; break;
	case K_INBOUND: s->port[1] = in_ports[(h3 >> 24) % 4]; break;
	case K_EAST: s->port[1] = east_ports[(h3 >> 24) % 3]; break;
	case K_DNS: s->port[1] = 53; break;
	case K_NTP: s->port[1] = 123; break;
	default: s->port[1] = 0; break;
	}
}

/* Packet k of a conversation of n: its role and the side (0 client,
 * 1 server) that sends it. TCP: SYN, SYN-ACK, ACK, then requests and
 * responses, and with six packets or more FIN, FIN, ACK at the end. */
static enum role plan(enum kind kind, uint32_t n, uint32_t k, int *side)
{
	static const enum role open[3] = { R_SYN, R_SYNACK, R_ACK };
	static const enum role close[3] = { R_FIN, R_FIN, R_ACK };

	if (kind == K_DNS || kind == K_NTP || kind == K_PING) {
		*side = (int)(k % 2);
		return k % 2 ? R_RESP : R_REQ;
	}
	if (k < 3) {
		*side = (int)(k % 2);
		return open[k];
	}
	if (n >= 6 && k >= n - 3) {
		*side = (int)((k - (n - 3)) % 2);
		return close[k - (n - 3)];
	}
	*side = (int)((k - 3) % 2);
	return (k - 3) % 2 ? R_RESP : R_REQ;
}

static void new_conv(struct bench *b, struct conv *c, uint32_t id)
{
	uint64_t d = b->base > 1 ? mix(b->o->seed ^ 0x5eed, id / 2) % b->base : 0;
	uint64_t h = mix(b->o->seed ^ 0x15e9, id);

	memset(c, 0, sizeof(*c));
	c->id = id;
	/* Pairs (2i, 2i + 1) get base + d and base - d: the sum stays exact. */
	c->total = (uint32_t)(b->base + (id % 2 ? -d : d) + (id < b->extra));
	if (id % 2 == 0 && id + 1 == b->o->flows)
		c->total = (uint32_t)(b->base + (id < b->extra));	/* an odd count: no partner */
	c->seq[0] = (uint32_t)h;
	c->seq[1] = (uint32_t)(h >> 32);
	c->ipid[0] = (uint16_t)(h >> 16);
	c->ipid[1] = (uint16_t)(h >> 40);
	shape_of(b, id, &c->s);
}

static void fill(struct template *t, const struct shape *s, struct conv *c, enum role r, int side)
{
	uint8_t *f = t->frame, *l4 = f + t->l4, *ipsum = t->ipsum, *l4sum = t->l4sum;
	int v6 = s->family == 6;
	uint8_t proto = proto_of(s->kind, v6);

	if (s->vlan)
		set16(f + 14, s->vlan, NULL, NULL);
	/* IPv4's transport checksums cover the addresses; ICMPv4's does not. */
	set_bytes(f + t->l3 + (v6 ? 8 : 12), s->addr[side], v6 ? 16 : 4, ipsum,
		  proto == 1 ? NULL : l4sum);
	set_bytes(f + t->l3 + (v6 ? 24 : 16), s->addr[!side], v6 ? 16 : 4, ipsum,
		  proto == 1 ? NULL : l4sum);
	if (!v6)
		set16(f + t->l3 + 4, c->ipid[side]++, ipsum, NULL);
	if (proto == 6 || proto == 17) {
		set16(l4, s->port[side], l4sum, NULL);
		set16(l4 + 2, s->port[!side], l4sum, NULL);
	} else {
		set16(l4 + 4, s->port[0], l4sum, NULL);
		set16(l4 + 6, (uint16_t)(c->sent / 2 + 1), l4sum, NULL);
	}
	if (proto == 6) {
		uint32_t ack = r == R_SYN ? 0 : c->seq[!side];

		set16(l4 + 4, (uint16_t)(c->seq[side] >> 16), l4sum, NULL);
		set16(l4 + 6, (uint16_t)c->seq[side], l4sum, NULL);
		set16(l4 + 8, (uint16_t)(ack >> 16), l4sum, NULL);
		set16(l4 + 10, (uint16_t)ack, l4sum, NULL);
		c->seq[side] += (r == R_REQ ? req_size[s->kind] : r == R_RESP ? resp_size[s->kind] : 0u) +
				(r == R_SYN || r == R_SYNACK || r == R_FIN ? 1u : 0u);
	}
	if (proto == 17 && be16(l4sum) == 0)
		put16(l4sum, 0xffff);	/* 0 means "no checksum" in UDP */
}

int bench_run(const struct fg_bench_options *o, struct fg_out *out, char *err, size_t errlen)
{
	struct bench *b;
	uint64_t i, next = 0, start = o->start ? o->start : DEFAULT_START, span_us;
	uint64_t rng = o->seed, nactive;
	int rc = 0;

	if (o->packets < o->flows) {
		snprintf(err, errlen, "bench: --packets (%llu) must be at least --flows (%llu)",
			 (unsigned long long)o->packets, (unsigned long long)o->flows);
		return -1;
	}
	if (o->flows > UINT32_MAX || o->packets / o->flows > UINT32_MAX / 4) {
		snprintf(err, errlen, "bench: too many flows or packets per flow");
		return -1;
	}
	if (!(b = calloc(1, sizeof(*b)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	span_us = (o->span ? o->span : SPAN_S) * 1000000ull;
	b->o = o;
	b->base = o->packets / o->flows;
	b->extra = o->packets % o->flows;
	if (build_templates(b, err, errlen)) {
		free(b);
		return -1;
	}
	nactive = o->flows < ACTIVE ? o->flows : ACTIVE;
	for (; next < nactive; next++)
		new_conv(b, &b->active[next], (uint32_t)next);
	/* Invariant: every active slot has a packet left to send; a finished
	 * conversation's slot takes the next one, or the last slot's, so the
	 * loop sends exactly o->packets packets. */
	for (i = 0; i < o->packets && nactive; i++) {
		struct conv *c = &b->active[fg_random(&rng) % nactive];
		const struct shape *s = &c->s;
		struct template *t;
		enum role r;
		int side;

		r = plan(s->kind, c->total, c->sent, &side);
		t = &b->t[s->kind][s->family == 6][s->vlan != 0][r];
		fill(t, s, c, r, side);
		c->sent++;
		uint64_t at = (uint64_t)((unsigned __int128)i * span_us / o->packets);
		if (fg_out_write(out, start * 1000000u + at, t->frame, t->len,
				 err, errlen)) {
			rc = -1;
			break;
		}
		if (c->sent == c->total) {
			if (next < o->flows)
				new_conv(b, c, (uint32_t)next++);
			else
				*c = b->active[--nactive];
		}
	}
	free(b);
	return rc;
}
