/* pktgen_bench.c - the benchmark mix: N packets over F conversations.
 *
 * Owns the shape of bench/out/bench.pcap. A conversation's kind, family,
 * VLAN and endpoints are a pure function of (seed, conversation number), so
 * only 16 bytes of state are kept per conversation; packets of the active
 * conversations are interleaved over ten minutes of capture time. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "pktgen.h"

#define SPAN_US		600000000ull	/* ten minutes of capture time */
#define ACTIVE_MAX	8192u		/* conversations open at once */
#define FILLER_SIZE	4096u

enum kind { K_WEB, K_INBOUND, K_EAST, K_DNS, K_NTP, K_PING };

/* Index 0 is the client (initiator), 1 the server (responder). */
struct shape {
	enum kind kind;
	int family;
	int rst;		/* TCP: the server resets instead of FIN/FIN/ACK */
	uint16_t vlan;
	uint8_t addr[2][16];
	uint8_t mac[2][6];
	uint16_t port[2];
	uint8_t ttl[2];
	uint32_t tsoff[2];
};

struct bflow {
	uint32_t total;		/* packets this conversation will have */
	uint32_t sent;
	uint32_t seq[2];	/* next TCP sequence number per side */
};

struct bench {
	uint64_t seed;
	uint32_t hosts;		/* internal hosts in 10.0.0.0/16 */
	uint8_t filler[FILLER_SIZE];
	uint8_t pay[1500];
	uint64_t v6, vlan, proto[3], bytes;
};

static const uint8_t mac_gw[6] = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x01 };

static int kind_is_tcp(enum kind k)
{
	return k == K_WEB || k == K_INBOUND || k == K_EAST;
}

static enum kind conv_kind(uint64_t h)
{
	uint64_t r = h % 1000;

	if (r < 450)
		return K_WEB;
	if (r < 600)
		return K_INBOUND;
	if (r < 700)
		return K_EAST;
	if (r < 850)
		return K_DNS;
	if (r < 920)
		return K_NTP;
	return K_PING;
}

static uint64_t conv_hash(const struct bench *b, uint32_t f)
{
	return mix64(b->seed * 0x9e3779b97f4a7c15ull ^ ((uint64_t)f + 1) * 0xd6e8feb86659fd93ull);
}

/* Internal host h: 10.0.(4 + h/250).(4 + h%250), 2001:db8:a:(4 + h/250)::(4 + h%250);
 * never the VPC router (.1) or Amazon DNS (.2). */
static void internal_host(struct shape *s, int side, uint32_t h)
{
	uint8_t *a = s->addr[side], *m = s->mac[side];
	uint32_t sub = 4 + h / 250, host = 4 + h % 250;

	memset(a, 0, 16);
	if (s->family == 4) {
		a[0] = 10;
		a[2] = (uint8_t)sub;
		a[3] = (uint8_t)host;
	} else {
		memcpy(a, "\x20\x01\x0d\xb8\x00\x0a", 6);
		a[6] = (uint8_t)(sub >> 8);
		a[7] = (uint8_t)sub;
		a[15] = (uint8_t)host;
	}
	m[0] = 0x02;
	m[1] = 0x0a;
	m[2] = 0;
	m[3] = (uint8_t)(h >> 16);
	m[4] = (uint8_t)(h >> 8);
	m[5] = (uint8_t)h;
	s->ttl[side] = 64;
}

/* External peer x: public-looking IPv4 (first octet 11..126 but not 100) or
 * an address in 2600:1f00::/24. */
static void external_host(struct shape *s, int side, uint64_t x)
{
	uint8_t *a = s->addr[side];
	int i;

	x = mix64(x);
	memset(a, 0, 16);
	if (s->family == 4) {
		a[0] = (uint8_t)(11 + x % 116);
		if (a[0] == 100)
			a[0] = 101;
		a[1] = (uint8_t)(x >> 8);
		a[2] = (uint8_t)(x >> 16);
		a[3] = (uint8_t)(1 + (x >> 24) % 254);
	} else {
		a[0] = 0x26;
		a[1] = 0x00;
		a[2] = 0x1f;
		for (i = 3; i < 8; i++)
			a[i] = (uint8_t)(x >> (8 * i));
		a[14] = (uint8_t)(x >> 56);
		a[15] = (uint8_t)(1 + (x >> 40) % 254);
	}
	memcpy(s->mac[side], mac_gw, 6);
	s->ttl[side] = (uint8_t)(40 + (x >> 32) % 80);
}

static void conv_shape(const struct bench *b, uint32_t f, struct shape *s)
{
	static const uint16_t in_ports[4] = { 22, 443, 80, 8080 };
	static const uint16_t east_ports[3] = { 5432, 6379, 3306 };
	uint64_t h = conv_hash(b, f), h2 = mix64(h), h3 = mix64(h2);
	uint32_t hi = (uint32_t)((h2 >> 32) % b->hosts), hj;
	uint16_t eph = (uint16_t)(32768 + (h3 >> 48) % 28232);

	s->kind = conv_kind(h);
	s->family = h2 % 100 < 16 ? 6 : 4;
	s->vlan = (h2 >> 8) % 100 < 14 ? (uint16_t)(100 + (h2 >> 16) % 8) : 0;
	s->rst = (h2 >> 24) % 32 == 0;
	s->tsoff[0] = (uint32_t)h3;
	s->tsoff[1] = (uint32_t)(h3 >> 32);
	switch (s->kind) {
	case K_WEB:
		internal_host(s, 0, hi);
		external_host(s, 1, 0x11 + h3 % 50000 * 8);
		s->port[0] = eph;
		s->port[1] = (h3 >> 20) % 5 == 0 ? 80 : 443;
		break;
	case K_INBOUND:
		external_host(s, 0, 0x12 + (h3 & 0xffffffu) * 8);
		internal_host(s, 1, hi);
		s->port[0] = eph;
		s->port[1] = in_ports[(h3 >> 24) % 4];
		break;
	case K_EAST:
		hj = b->hosts > 1 ? (uint32_t)((hi + 1 + (h3 >> 8) % (b->hosts - 1)) % b->hosts) : hi;
		internal_host(s, 0, hi);
		internal_host(s, 1, hj);
		s->port[0] = eph;
		s->port[1] = east_ports[(h3 >> 24) % 3];
		break;
	case K_DNS:
		internal_host(s, 0, hi);
		external_host(s, 1, 0x13 + h3 % 16 * 8);
		s->port[0] = eph;
		s->port[1] = 53;
		break;
	case K_NTP:
		internal_host(s, 0, hi);
		external_host(s, 1, 0x14 + h3 % 64 * 8);
		s->port[0] = eph;	/* chrony's default: a random source port */
		s->port[1] = 123;
		break;
	case K_PING:
		internal_host(s, 0, hi);
		external_host(s, 1, 0x15 + (h3 & 0xffffffu) * 8);
		s->port[0] = (uint16_t)(h3 >> 32);	/* echo identifier */
		s->port[1] = 0;
		break;
	}
}

/* Which side sends packet k of p (0 client, 1 server), with which flags and
 * payload. TCP with p >= 6: SYN, SYN-ACK, ACK, request, data..., FIN-ACK,
 * FIN-ACK, ACK, or a server RST last; with p < 6 (only when --packets is
 * short): SYN then RST-ACK (p = 2), or a handshake reset by the client. */
static int tcp_plan(const struct shape *s, uint32_t p, uint32_t k, uint64_t r,
    uint8_t *flags, size_t *pay)
{
	size_t maxpay = s->family == 4 ? 1448 : 1428;
	int d = 0;

	*pay = 0;
	*flags = TH_ACK;
	if (k == 0) {
		*flags = TH_SYN;
	} else if (k == 1) {
		*flags = p == 2 ? TH_RST | TH_ACK : TH_SYN | TH_ACK;
		d = 1;
	} else if (p < 6) {
		if (k == p - 1 && p >= 4)
			*flags = TH_RST | TH_ACK;
	} else if (k == 2) {
		/* the handshake's ACK */
	} else if (s->rst && k == p - 1) {
		*flags = TH_RST;
		d = 1;
	} else if (!s->rst && k == p - 3) {
		*flags = TH_FIN | TH_ACK;
	} else if (!s->rst && k == p - 2) {
		*flags = TH_FIN | TH_ACK;
		d = 1;
	} else if (!s->rst && k == p - 1) {
		/* the last ACK */
	} else if (k == 3) {
		*pay = 100 + r % 600;
		*flags = TH_PSH | TH_ACK;
	} else if (r % 100 < 62) {
		*pay = (r >> 8) % 10 < 7 ? maxpay : 1 + (r >> 16) % maxpay;
		*flags = *pay == maxpay ? TH_ACK : TH_PSH | TH_ACK;
		d = 1;
	} else if ((r >> 8) % 3 == 0) {
		*pay = 20 + (r >> 16) % 300;
		*flags = TH_PSH | TH_ACK;
	}
	return d;
}

/* A DNS query for one label of length L, type A, or its response with n
 * A records (RFC 1035 4.1): 18 + L bytes, plus 16 per answer. r is the same
 * for a query and its response, so the two carry the same id and question. */
static size_t dns_message(uint8_t *m, const uint8_t *filler, uint64_t r, int reply)
{
	size_t len = 6 + (r >> 8) % 40, n = reply ? 1 + (r >> 16) % 20 : 0, i, off;

	m[0] = (uint8_t)(r >> 40);
	m[1] = (uint8_t)(r >> 32);
	m[2] = reply ? 0x81 : 0x01;		/* QR, RD (and RA) */
	m[3] = reply ? 0x80 : 0x00;
	memcpy(m + 4, "\x00\x01\x00\x00\x00\x00\x00\x00", 8);
	m[7] = (uint8_t)n;
	m[12] = (uint8_t)len;
	for (i = 0; i < len; i++)
		m[13 + i] = (uint8_t)('a' + filler[i + (r >> 24) % 1024] % 26);
	off = 13 + len;
	memcpy(m + off, "\x00\x00\x01\x00\x01", 5);	/* root, type A, class IN */
	off += 5;
	for (i = 0; i < n; i++, off += 16) {
		memcpy(m + off, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04", 12);
		memcpy(m + off + 12, filler + 2048 + 4 * i + (r >> 32) % 1024, 4);
	}
	return off;
}

static void bench_packet(struct bench *b, uint32_t f, struct bflow *fl,
    uint64_t ts, struct pcap_out *o)
{
	struct shape s;
	struct pkt p;
	uint64_t r = mix64(conv_hash(b, f) ^ fl->sent);
	uint32_t k = fl->sent, ms = (uint32_t)(ts / 1000);
	size_t pay = 0;
	int d = (int)(k & 1);

	conv_shape(b, f, &s);
	memset(&p, 0, sizeof(p));
	p.ts_us = ts;
	p.family = s.family;
	p.vlan = s.vlan;
	p.ip_id = (uint16_t)(r >> 48);
	switch (s.kind) {
	case K_DNS:
		p.proto = PROTO_UDP;
		pay = dns_message(b->pay, b->filler, mix64(conv_hash(b, f) ^ k / 2), d);
		break;
	case K_NTP:
		p.proto = PROTO_UDP;
		pay = 48;
		break;
	case K_PING:
		p.proto = s.family == 4 ? PROTO_ICMP : PROTO_ICMPV6;
		p.icmp_type = (uint8_t)(s.family == 4 ? (d == 0 ? 8 : 0) : (d == 0 ? 128 : 129));
		pay = 56;
		break;
	default:
		p.proto = PROTO_TCP;
		d = tcp_plan(&s, fl->total, k, r, &p.tcp_flags, &pay);
		p.seq = fl->seq[d];
		p.ack = p.tcp_flags & TH_ACK ? fl->seq[1 - d] : 0;
		if (p.tcp_flags & TH_SYN) {
			p.tcp_win = d == 0 ? 64240 : 65160;
			p.tcp_optlen = tcp_opts_syn(p.tcp_opt, s.family == 4 ? 1460 : 1440,
			    ms + s.tsoff[d], d == 0 ? 0 : ms - 1 + s.tsoff[0]);
		} else if (p.tcp_flags & TH_RST) {
			/* a bare 40-byte RST: its frame needs Ethernet padding */
			p.tcp_win = 0;
		} else {
			p.tcp_win = 502;
			p.tcp_optlen = tcp_opts_ts(p.tcp_opt, ms + s.tsoff[d],
			    ms - 1 + s.tsoff[1 - d]);
		}
		fl->seq[d] += (uint32_t)pay + (uint32_t)((p.tcp_flags & TH_SYN) != 0) +
		    (uint32_t)((p.tcp_flags & TH_FIN) != 0);
		break;
	}
	memcpy(p.src, s.addr[d], 16);
	memcpy(p.dst, s.addr[1 - d], 16);
	p.src_mac = s.mac[d];
	p.dst_mac = s.mac[1 - d];
	p.ttl = s.ttl[d];
	if (p.proto == PROTO_ICMP || p.proto == PROTO_ICMPV6) {
		p.sport = s.port[0];
		p.dport = (uint16_t)(k / 2 + 1);
	} else {
		p.sport = s.port[d];
		p.dport = s.port[1 - d];
	}
	/* Payload bytes come from the filler at an even offset; NTP gets its
	 * mode byte so that tcpdump prints it sensibly. */
	if (s.kind != K_DNS)
		memcpy(b->pay, b->filler + ((r >> 20) % (FILLER_SIZE - 1500) & ~1ull), pay);
	if (s.kind == K_NTP)
		b->pay[0] = d == 0 ? 0x23 : 0x24;	/* NTPv4 client / server */
	p.payload = b->pay;
	p.paylen = pay;
	b->bytes += pcap_put(o, &p);
	b->v6 += s.family == 6;
	b->vlan += s.vlan != 0;
	b->proto[p.proto == PROTO_TCP ? 0 : p.proto == PROTO_UDP ? 1 : 2]++;
}

/* Packets per conversation: TCP at least 6 (handshake and close), others 2;
 * the rest of N is shared by weight: 70% small, 25% medium, 5% large. */
static int assign_totals(const struct bench *b, const struct bench_args *a, struct bflow *fl)
{
	uint64_t minsum = 0, wsum = 0, sum = 0, rest, f, left;
	uint32_t *w = malloc(a->flows * sizeof(*w));
	int tcp_min = 6;

	if (w == NULL)
		return -1;
	for (f = 0; f < a->flows; f++)
		minsum += kind_is_tcp(conv_kind(conv_hash(b, (uint32_t)f))) ? 6 : 2;
	if (minsum > a->packets) {
		tcp_min = 2;	/* too few packets: short TCP is refused or reset */
		minsum = 2 * (uint64_t)a->flows;
	}
	for (f = 0; f < a->flows; f++) {
		uint64_t h = mix64(conv_hash(b, (uint32_t)f) + 7), c = h % 100;

		w[f] = (uint32_t)(c < 70 ? 1 + (h >> 8) % 8 : c < 95 ? 10 + (h >> 8) % 50 :
		    100 + (h >> 8) % 500);
		wsum += w[f];
	}
	rest = a->packets - minsum;
	for (f = 0; f < a->flows; f++) {
		int tcp = kind_is_tcp(conv_kind(conv_hash(b, (uint32_t)f)));

		fl[f].total = (uint32_t)((tcp ? (uint64_t)tcp_min : 2) + rest / wsum * w[f] +
		    rest % wsum * w[f] / wsum);
		fl[f].seq[0] = (uint32_t)mix64(conv_hash(b, (uint32_t)f) + 1);
		fl[f].seq[1] = (uint32_t)mix64(conv_hash(b, (uint32_t)f) + 2);
		sum += fl[f].total;
	}
	/* Each conversation lost less than one packet to rounding. */
	for (left = a->packets - sum, f = 0; left > 0; left--, f++)
		fl[f].total++;
	free(w);
	return 0;
}

int bench_write(struct pcap_out *o, const struct bench_args *a)
{
	struct bench *b = calloc(1, sizeof(*b));
	struct bflow *fl = calloc(a->flows, sizeof(*fl));
	uint32_t *slot = malloc(ACTIVE_MAX * sizeof(*slot));
	uint64_t i, rng = a->seed, span = SPAN_US;
	uint32_t live = 0, next = 0, j, f;
	int err = -1;

	if (b == NULL || fl == NULL || slot == NULL)
		goto out;
	b->seed = a->seed;
	b->hosts = a->flows / 100 < 16 ? 16 : a->flows / 100 > 60000 ? 60000 : a->flows / 100;
	for (i = 0; i < FILLER_SIZE; i += 8) {
		uint64_t x = splitmix64(&rng);

		memcpy(b->filler + i, &x, 8);
	}
	if (assign_totals(b, a, fl) != 0)
		goto out;
	if (span < a->packets)
		span = a->packets;	/* keep timestamps strictly increasing */

	/*
	 * slot[0..live) holds the open conversations. Each step sends the next
	 * packet of a random open one; a finished one is replaced by the next
	 * unopened conversation, or removed once all are open. The totals sum
	 * to a->packets, so while i < a->packets some conversation still has a
	 * packet to send and live > 0; the loop ends after exactly N packets.
	 */
	while (live < ACTIVE_MAX && next < a->flows)
		slot[live++] = next++;
	for (i = 0; i < a->packets; i++) {
		j = (uint32_t)(splitmix64(&rng) % live);
		f = slot[j];
		bench_packet(b, f, &fl[f], a->start * 1000000 + i * span / a->packets, o);
		if (++fl[f].sent == fl[f].total)
			slot[j] = next < a->flows ? next++ : slot[--live];
	}
	if (o->failed == 0) {
		fprintf(stderr, "pktgen: bench: %" PRIu64 " packets, %" PRIu32 " conversations, "
		    "%" PRIu32 " internal hosts; IPv6 %.1f%%, VLAN %.1f%%, TCP %.1f%%, "
		    "UDP %.1f%%, ICMP %.1f%%; %.0f IP bytes/packet\n",
		    a->packets, a->flows, b->hosts, 100.0 * (double)b->v6 / (double)a->packets,
		    100.0 * (double)b->vlan / (double)a->packets,
		    100.0 * (double)b->proto[0] / (double)a->packets,
		    100.0 * (double)b->proto[1] / (double)a->packets,
		    100.0 * (double)b->proto[2] / (double)a->packets,
		    (double)b->bytes / (double)a->packets);
		err = 0;
	}
out:
	free(slot);
	free(fl);
	free(b);
	return err;
}
