/* pktgen_lab.c - the seed lab: a small EC2 lab as seen on the instance's ENI.
 *
 * Owns the event table behind pcaps/seed-lab.pcap and pcaps/seed-lab.expected
 * (pcaps/README.md derives every record from it). Each row states the IP
 * total length it must produce; lab_write() refuses to write a table whose
 * rows disagree with the builder or whose times do not strictly increase. */
#include <arpa/inet.h>
#include <string.h>

#include "pktgen.h"

#define LAB_START	1768471200u	/* 2026-01-15 10:00:00 UTC */

static const uint8_t mac_eni[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x0a };
static const uint8_t mac_gw[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };

enum lab_flow_id { SSH, HTTPS, PING, NTP, PING6, LAB_NFLOWS };

/* A conversation: '>' rows go initiator -> responder, '<' rows come back.
 * For ICMP, init_port is the echo identifier. */
struct lab_flow {
	int family;
	uint8_t proto;
	const char *init;
	const char *resp;
	uint16_t init_port;
	uint16_t resp_port;
	int init_local;		/* the initiator is the instance */
	uint8_t remote_ttl;	/* TTL/hop limit of packets from the peer */
};

static const struct lab_flow lab_flows[LAB_NFLOWS] = {
	[SSH] =   { 4, PROTO_TCP,    "198.51.100.7",   "10.0.1.10",        51234, 22,  0, 52 },
	[HTTPS] = { 4, PROTO_TCP,    "10.0.1.10",      "203.0.113.80",     40110, 443, 1, 50 },
	[PING] =  { 4, PROTO_ICMP,   "10.0.1.10",      "203.0.113.80",     0x1c2b, 0,  1, 50 },
	[NTP] =   { 4, PROTO_UDP,    "10.0.1.10",      "192.0.2.123",      123,   123, 1, 55 },
	[PING6] = { 6, PROTO_ICMPV6, "2001:db8:1::10", "2001:db8:ffff::1", 0x2d3c, 0,  1, 58 },
};

struct lab_event {
	uint32_t sec;		/* seconds after LAB_START */
	uint32_t usec;
	enum lab_flow_id flow;
	char dir;
	uint8_t flags;		/* TCP only */
	uint16_t paylen;	/* TCP/UDP payload, ICMP echo data */
	uint16_t iplen;		/* IP total length (IPv6: 40 + payload length) */
};

#define S	TH_SYN
#define A	TH_ACK
#define P	TH_PSH
#define F	TH_FIN

/* TCP rows: SYN and SYN-ACK carry 20 option bytes (60 = 20 IP + 40 TCP),
 * every other segment NOP NOP timestamps (52 + payload). ICMP echo as Linux
 * ping: 8 + 56 data (84). NTP: 8 + 48 (76). ICMPv6: 40 + 8 + 56 (104).
 * Windows are 60 s from LAB_START: w0 = +0..59, w1 = +60..119, w2 = +120..179. */
static const struct lab_event lab_events[] = {
	/* sec    usec  flow   dir flags   pay  iplen */
	/* --- window 0 --- */
	{   2,      0, SSH,   '>', S,       0,   60 },	/* ssh handshake */
	{   2,     95, SSH,   '<', S|A,     0,   60 },
	{   2,  48311, SSH,   '>', A,       0,   52 },
	{   2,  52001, SSH,   '<', P|A,    41,   93 },	/* server banner */
	{   2, 100417, SSH,   '>', P|A,    41,   93 },	/* client banner */
	{   2, 100950, SSH,   '<', P|A,  1080, 1132 },	/* KEXINIT */
	{   2, 149120, SSH,   '>', P|A,  1392, 1444 },
	{   2, 149300, SSH,   '<', A,       0,   52 },
	{  10, 250000, NTP,   '>', 0,      48,   76 },	/* NTP request 1 */
	{  10, 268731, NTP,   '<', 0,      48,   76 },
	{  15, 500000, SSH,   '>', P|A,    36,   88 },	/* keystroke */
	{  15, 500201, SSH,   '<', P|A,    36,   88 },	/* echo */
	{  15, 548677, SSH,   '>', A,       0,   52 },
	{  44, 999999, PING6, '>', 0,      56,  104 },	/* ICMPv6 echo request */
	{  45,  21337, PING6, '<', 0,      56,  104 },	/* ... reply, next second */
	{  57, 990000, PING,  '>', 0,      56,   84 },	/* ping seq 1 */
	{  58,   1503, PING,  '<', 0,      56,   84 },
	{  58, 990000, PING,  '>', 0,      56,   84 },	/* ping seq 2 */
	{  59,   1503, PING,  '<', 0,      56,   84 },
	{  59, 990000, PING,  '>', 0,      56,   84 },	/* ping seq 3 */
	{  59, 999999, SSH,   '>', P|A,    36,   88 },	/* last microsecond of w0 */
	/* --- window 1 --- */
	{  60,      0, SSH,   '<', P|A,    36,   88 },	/* first microsecond of w1 */
	{  60,   1503, PING,  '<', 0,      56,   84 },	/* reply to seq 3 */
	{  60,  48500, SSH,   '>', A,       0,   52 },
	{  60, 990000, PING,  '>', 0,      56,   84 },	/* ping seq 4 */
	{  61,   1503, PING,  '<', 0,      56,   84 },
	{  61, 200000, SSH,   '>', P|A,    36,   88 },	/* command */
	{  61, 200180, SSH,   '<', P|A,   180,  232 },	/* its output */
	{  61, 248900, SSH,   '>', A,       0,   52 },
	{  74, 250000, NTP,   '>', 0,      48,   76 },	/* NTP request 2, 64 s later */
	{  74, 268731, NTP,   '<', 0,      48,   76 },
	{ 103,      0, SSH,   '>', F|A,     0,   52 },	/* client closes */
	{ 103,    150, SSH,   '<', F|A,     0,   52 },
	{ 103,  48400, SSH,   '>', A,       0,   52 },
	/* --- window 2 --- */
	{ 120, 500000, HTTPS, '>', S,       0,   60 },	/* https handshake */
	{ 120, 511800, HTTPS, '<', S|A,     0,   60 },
	{ 120, 511900, HTTPS, '>', A,       0,   52 },
	{ 120, 512300, HTTPS, '>', P|A,   517,  569 },	/* ClientHello */
	{ 120, 523700, HTTPS, '<', A,       0,   52 },
	{ 120, 524100, HTTPS, '<', A,    1448, 1500 },	/* ServerHello... */
	{ 120, 524150, HTTPS, '<', P|A,  1220, 1272 },
	{ 120, 524400, HTTPS, '>', A,       0,   52 },
	{ 120, 530000, HTTPS, '>', P|A,   126,  178 },	/* Finished */
	{ 120, 541800, HTTPS, '<', P|A,   287,  339 },	/* tickets */
	{ 120, 542000, HTTPS, '>', P|A,   420,  472 },	/* GET */
	{ 120, 601000, HTTPS, '<', P|A,  1448, 1500 },	/* response */
	{ 120, 601300, HTTPS, '>', A,       0,   52 },
	{ 149, 988000, HTTPS, '>', F|A,     0,   52 },	/* client FIN */
	{ 149, 999999, HTTPS, '<', F|A,     0,   52 },	/* server FIN */
	{ 150,    100, HTTPS, '>', A,       0,   52 },
};

#undef S
#undef A
#undef P
#undef F

#define NEVENTS	(sizeof(lab_events) / sizeof(lab_events[0]))

/* Per-conversation state; index 0 = '>' side, 1 = '<' side. */
struct lab_state {
	uint8_t addr[2][16];
	uint32_t seq[2];	/* next TCP sequence number to send */
	uint32_t tsval[2];	/* last TCP timestamp sent, 0 = none yet */
	uint16_t ipid[2];
	uint16_t echo_seq;
	uint64_t req_us;	/* time of the last echo / NTP request */
};

/* NTP 64-bit timestamp (RFC 5905): seconds since 1900, binary fraction. */
static void ntp_ts(uint8_t *p, uint64_t us)
{
	uint64_t sec = us / 1000000 + 2208988800u;
	uint64_t frac = ((us % 1000000) << 32) / 1000000;
	int i;

	for (i = 0; i < 4; i++) {
		p[i] = (uint8_t)(sec >> (24 - 8 * i));
		p[4 + i] = (uint8_t)(frac >> (24 - 8 * i));
	}
}

static void lab_payload(const struct lab_event *e, struct lab_state *st,
    uint64_t ts, uint8_t *pay, uint64_t *rng)
{
	uint64_t w = 0;
	size_t i;

	memset(pay, 0, e->paylen);
	switch (lab_flows[e->flow].proto) {
	case PROTO_ICMP:
	case PROTO_ICMPV6:
		/* Linux ping: a struct timeval of the request, then 0x10.. */
		for (i = 0; i < 8; i++) {
			pay[i] = (uint8_t)((st->req_us / 1000000) >> (8 * i));
			pay[8 + i] = (uint8_t)((st->req_us % 1000000) >> (8 * i));
		}
		for (i = 16; i < e->paylen; i++)
			pay[i] = (uint8_t)i;
		break;
	case PROTO_UDP:
		if (e->dir == '>') {
			pay[0] = 0x23;		/* LI 0, version 4, client */
			ntp_ts(pay + 40, ts);	/* transmit */
		} else {
			pay[0] = 0x24;		/* server */
			pay[1] = 2;		/* stratum */
			pay[2] = 6;
			pay[3] = 0xe9;
			memcpy(pay + 12, "\xc0\x00\x02\x01", 4);
			ntp_ts(pay + 16, ts - 600000000u);	/* reference */
			ntp_ts(pay + 24, st->req_us);		/* origin */
			ntp_ts(pay + 32, ts - 9000);		/* receive */
			ntp_ts(pay + 40, ts - 8990);		/* transmit */
		}
		break;
	default:
		for (i = 0; i < e->paylen; i++) {
			if (i % 8 == 0)
				w = splitmix64(rng);	/* looks encrypted */
			pay[i] = (uint8_t)(w >> (8 * (i % 8)));
		}
		break;
	}
}

static void lab_tcp(const struct lab_event *e, struct lab_state *st, int d,
    struct pkt *p)
{
	uint32_t ms = (uint32_t)((p->ts_us / 1000) & 0xffffffffu);
	uint32_t tsval = ms + (d == 0 ? 0x3a1b0000u : 0x7c2e1000u);

	p->tcp_flags = e->flags;
	p->seq = st->seq[d];
	p->ack = e->flags & TH_ACK ? st->seq[1 - d] : 0;
	if (e->flags & TH_SYN) {
		p->tcp_win = d == 0 ? 64240 : 65160;
		p->tcp_optlen = tcp_opts_syn(p->tcp_opt, 1460, tsval, st->tsval[1 - d]);
	} else {
		p->tcp_win = 502;
		p->tcp_optlen = tcp_opts_ts(p->tcp_opt, tsval, st->tsval[1 - d]);
	}
	st->tsval[d] = tsval;
	st->seq[d] += e->paylen;
	st->seq[d] += (uint32_t)((e->flags & TH_SYN) != 0) + (uint32_t)((e->flags & TH_FIN) != 0);
}

int lab_write(struct pcap_out *o)
{
	struct lab_state st[LAB_NFLOWS];
	uint8_t pay[1500];
	uint64_t rng = 0x5eed1abull, prev = 0;
	size_t i, iplen;
	int f, d;

	memset(st, 0, sizeof(st));
	for (f = 0; f < LAB_NFLOWS; f++) {
		const struct lab_flow *lf = &lab_flows[f];
		int af = lf->family == 6 ? AF_INET6 : AF_INET;

		if (inet_pton(af, lf->init, st[f].addr[0]) != 1 ||
		    inet_pton(af, lf->resp, st[f].addr[1]) != 1)
			return -1;
		for (d = 0; d < 2; d++) {
			st[f].seq[d] = (uint32_t)splitmix64(&rng);
			st[f].ipid[d] = (uint16_t)splitmix64(&rng);
		}
	}
	for (i = 0; i < NEVENTS; i++) {
		const struct lab_event *e = &lab_events[i];
		const struct lab_flow *lf = &lab_flows[e->flow];
		struct lab_state *s = &st[e->flow];
		struct pkt p;
		int local;

		memset(&p, 0, sizeof(p));
		d = e->dir == '>' ? 0 : 1;
		local = (d == 0) == (lf->init_local != 0);	/* sent by the instance */
		p.ts_us = (uint64_t)(LAB_START + e->sec) * 1000000 + e->usec;
		if (p.ts_us <= prev || e->usec >= 1000000) {
			fprintf(stderr, "pktgen: lab row %zu: time does not increase\n", i);
			return -1;
		}
		prev = p.ts_us;
		p.src_mac = local ? mac_eni : mac_gw;
		p.dst_mac = local ? mac_gw : mac_eni;
		p.family = lf->family;
		memcpy(p.src, s->addr[d], 16);
		memcpy(p.dst, s->addr[1 - d], 16);
		p.proto = lf->proto;
		p.ttl = local ? 64 : lf->remote_ttl;
		p.ip_id = s->ipid[d]++;
		p.sport = d == 0 ? lf->init_port : lf->resp_port;
		p.dport = d == 0 ? lf->resp_port : lf->init_port;
		if (lf->proto == PROTO_ICMP || lf->proto == PROTO_ICMPV6) {
			if (d == 0) {
				s->echo_seq++;
				s->req_us = p.ts_us;
			}
			p.sport = lf->init_port;
			p.dport = s->echo_seq;
			if (lf->proto == PROTO_ICMP)
				p.icmp_type = d == 0 ? 8 : 0;
			else
				p.icmp_type = d == 0 ? 128 : 129;
		} else if (lf->proto == PROTO_UDP && d == 0) {
			s->req_us = p.ts_us;
		}
		lab_payload(e, s, p.ts_us, pay, &rng);
		if (lf->proto == PROTO_TCP)
			lab_tcp(e, s, d, &p);
		p.payload = pay;
		p.paylen = e->paylen;
		iplen = pcap_put(o, &p);
		if (iplen != e->iplen) {
			fprintf(stderr, "pktgen: lab row %zu: IP length %zu, table says %u\n",
			    i, iplen, e->iplen);
			return -1;
		}
	}
	return 0;
}
