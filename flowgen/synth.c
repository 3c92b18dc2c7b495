/* synth.c - lines to packets: the patterns, then the stack state.
 *
 * Two passes. The first turns every line (and every --scale copy of it)
 * into events: time, direction, TCP flags, payload size. The events are
 * sorted by time, ties kept in the order they were made. The second pass
 * walks them in that order and keeps what a TCP/IP stack keeps per
 * conversation, so that lines about the same conversation (a connection
 * written packet by packet) number their segments as one stream. */
#include "flowgen/synth.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_EVENTS	50000000u
#define GAP_US		100u	/* between segments sent back to back */
#define ACK_DELAY_US	40u	/* a receiver's ACK after the segment it answers */
#define OPT_NONE	0
#define OPT_SYN		1	/* MSS, SACK permitted, timestamps, NOP, window scale */
#define OPT_TS		2	/* NOP, NOP, timestamps */

#define TH_FIN	0x01
#define TH_SYN	0x02
#define TH_RST	0x04
#define TH_PUSH	0x08
#define TH_ACK	0x10

struct event {
	uint64_t t_us;		/* after the scenario's start */
	uint32_t order;		/* generation order: breaks ties */
	uint32_t line;
	uint32_t copy;
	uint16_t port_step;	/* sweep: added to the destination port */
	uint16_t paylen;
	uint16_t icmp_seq;
	uint8_t dir;		/* 0: from the line's source, 1: back to it */
	uint8_t flags;
	uint8_t opts;
	uint8_t icmp_type;
	uint8_t icmp_code;
};

struct events {
	struct event *v;
	size_t n, cap;
	int full;
};

uint64_t fg_random(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static struct event *add(struct events *ev, uint64_t t, uint8_t dir, uint16_t paylen)
{
	struct event *e;

	if (ev->n >= MAX_EVENTS) {
		ev->full = 1;
		return NULL;
	}
	if (ev->n == ev->cap) {
		size_t cap = ev->cap ? ev->cap * 2 : 1024;
		void *grown = realloc(ev->v, cap * sizeof(*ev->v));

		if (!grown)
			return NULL;
		ev->v = grown;
		ev->cap = cap;
	}
	e = &ev->v[ev->n];
	memset(e, 0, sizeof(*e));
	e->t_us = t;
	e->order = (uint32_t)ev->n;
	e->dir = dir;
	e->paylen = paylen;
	ev->n++;
	return e;
}

static uint8_t tcp_opts(const struct fg_line *l, uint8_t flags)
{
	if (l->tcp_opts == 0 || (flags & TH_RST))
		return OPT_NONE;
	return flags & TH_SYN ? OPT_SYN : OPT_TS;
}

static int tcp(struct events *ev, const struct fg_line *l, uint64_t t, uint8_t dir,
	       uint8_t flags, uint16_t paylen)
{
	struct event *e = add(ev, t, dir, paylen);

	if (!e)
		return -1;
	e->flags = flags;
	e->opts = tcp_opts(l, flags);
	return 0;
}

/* The MSS a 1500-byte MTU gives: what the SYN offers; segments carrying
 * timestamps hold 12 bytes less. */
static uint16_t mss_of(int family)
{
	return family == 6 ? 1440 : 1460;
}

/* Sends n bytes from dir in MSS-sized segments, PSH on the last; the peer
 * ACKs every second segment and the last. Returns the time of the last. */
static int send_data(struct events *ev, const struct fg_line *l, uint64_t *t, uint8_t dir,
		     uint64_t n)
{
	uint64_t mss = (uint64_t)mss_of(l->family) - (l->tcp_opts == 0 ? 0u : 12u), seg = 0;

	while (n) {
		uint16_t len = (uint16_t)(n < mss ? n : mss);

		n -= len;
		if (tcp(ev, l, *t, dir, (uint8_t)(TH_ACK | (n ? 0 : TH_PUSH)), len))
			return -1;
		seg++;
		if ((seg % 2 == 0 || n == 0) &&
		    tcp(ev, l, *t + ACK_DELAY_US, (uint8_t)!dir, TH_ACK, 0))
			return -1;
		*t += GAP_US;
	}
	return 0;
}

/* SYN, SYN-ACK, ACK; rounds of out then in; then the close. */
static int gen_connect(struct events *ev, const struct fg_line *l)
{
	uint64_t t = l->at_us, rtt = l->rtt_us;
	uint32_t r;

	if (tcp(ev, l, t, 0, TH_SYN, 0) || tcp(ev, l, t + rtt, 1, TH_SYN | TH_ACK, 0) ||
	    tcp(ev, l, t + rtt + GAP_US, 0, TH_ACK, 0))
		return -1;
	t += rtt + 2 * GAP_US;
	for (r = 0; r < l->rounds; r++) {
		uint64_t round_at = l->at_us + rtt + 2 * GAP_US + (uint64_t)r * l->every_us;

		if (round_at > t)
			t = round_at;
		if (send_data(ev, l, &t, 0, l->out))
			return -1;
		if (l->in) {
			t += rtt;
			if (send_data(ev, l, &t, 1, l->in))
				return -1;
		}
	}
	t += rtt;
	if (l->close == CLOSE_RST)
		return tcp(ev, l, t, 0, TH_RST | TH_ACK, 0);
	if (l->close == CLOSE_FIN)
		return tcp(ev, l, t, 0, TH_FIN | TH_ACK, 0) ||
		       tcp(ev, l, t + rtt, 1, TH_FIN | TH_ACK, 0) ||
		       tcp(ev, l, t + rtt + GAP_US, 0, TH_ACK, 0) ? -1 : 0;
	return 0;
}

static int gen_line(struct events *ev, const struct fg_line *l)
{
	uint32_t i;

	if (l->pattern == PAT_CONNECT)
		return gen_connect(ev, l);
	for (i = 0; i < l->count; i++) {
		uint64_t t = l->at_us + (uint64_t)i * l->every_us;
		struct event *e;

		switch (l->pattern) {
		case PAT_REFUSED:
			if (tcp(ev, l, t, 0, TH_SYN, 0) ||
			    tcp(ev, l, t + l->rtt_us, 1, TH_RST | TH_ACK, 0))
				return -1;
			break;
		case PAT_REQUEST:
			if (!add(ev, t, 0, (uint16_t)l->size) ||
			    (l->has_reply && !add(ev, t + l->rtt_us, 1, (uint16_t)l->reply)))
				return -1;
			break;
		case PAT_ECHO:
			if (!(e = add(ev, t, 0, (uint16_t)l->size)))
				return -1;
			e->icmp_type = l->proto == 58 ? 128 : 8;
			e->icmp_seq = (uint16_t)(i + 1);
			if (!l->has_reply)
				break;
			if (!(e = add(ev, t + l->rtt_us, 1, (uint16_t)l->size)))
				return -1;
			e->icmp_type = l->proto == 58 ? 129 : 0;
			e->icmp_seq = (uint16_t)(i + 1);
			break;
		default:	/* PAT_PACKET */
			if (!(e = add(ev, t, 0, (uint16_t)l->size)))
				return -1;
			e->flags = l->proto == 6 ? l->flags : 0;
			e->opts = l->proto == 6 ? tcp_opts(l, l->flags) : OPT_NONE;
			e->icmp_type = l->icmp_type;
			e->icmp_code = l->icmp_code;
			e->icmp_seq = (uint16_t)(i + 1);
			break;
		}
	}
	return 0;
}

/* One line, copy c: every port of its sweep. */
static int gen_copies(struct events *ev, const struct fg_line *line, uint32_t li, uint32_t c)
{
	struct fg_line l = *line;
	uint32_t k;
	size_t first;

	for (k = 0; k < line->sweep; k++) {
		l.at_us = line->at_us + k * line->step_us;
		first = ev->n;
		if (gen_line(ev, &l))
			return -1;
		for (; first < ev->n; first++) {
			ev->v[first].line = li;
			ev->v[first].copy = c;
			ev->v[first].port_step = (uint16_t)k;
		}
	}
	return 0;
}

static int by_time(const void *a, const void *b)
{
	const struct event *x = a, *y = b;

	if (x->t_us != y->t_us)
		return x->t_us < y->t_us ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* A conversation, keyed by both endpoints in a fixed order (side 0 is the
 * smaller address, then port), so both directions and every line about
 * it find the same state. */
struct conv_key {
	uint8_t a[16], b[16];
	uint16_t pa, pb;
	uint32_t copy;
	uint16_t vlan;
	uint8_t proto;
	uint8_t family;
};

struct conv {
	struct conv_key key;
	int used;
	uint32_t seq[2];	/* next sequence number each side sends */
	uint32_t tsval[2];	/* last timestamp each side sent, 0 = none */
	uint32_t tsoff[2];
	uint16_t ipid[2];
	uint32_t sent[2];	/* packets each side sent */
	uint8_t last_side;	/* of the last packet */
	uint16_t echo_seq;	/* of the last echo request */
	uint64_t req_us;	/* the last echo or NTP request */
};

struct convs {
	struct conv *v;
	size_t mask;
	uint64_t seed;
};

static uint64_t hash_key(const struct conv_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < sizeof(*k); i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* Finds or makes the conversation of key; *side is the sender's side.
 * The table has twice as many slots as there can be conversations. */
static struct conv *conv_get(struct convs *c, const struct conv_key *k)
{
	uint64_t h = hash_key(k), rng;
	size_t i = (size_t)h & c->mask;
	int d;

	while (c->v[i].used && memcmp(&c->v[i].key, k, sizeof(*k)) != 0)
		i = (i + 1) & c->mask;
	if (!c->v[i].used) {
		struct conv *n = &c->v[i];

		n->used = 1;
		n->key = *k;
		rng = c->seed ^ h;
		for (d = 0; d < 2; d++) {
			n->seq[d] = (uint32_t)fg_random(&rng);
			n->tsoff[d] = (uint32_t)fg_random(&rng);
			n->ipid[d] = (uint16_t)fg_random(&rng);
		}
	}
	return &c->v[i];
}

static int endpoint_less(int family, const uint8_t *a, uint16_t pa, const uint8_t *b,
			 uint16_t pb)
{
	int c = memcmp(a, b, family == 4 ? 4 : 16);

	return c < 0 || (c == 0 && pa < pb);
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint8_t make_opts(uint8_t *o, uint8_t kind, uint16_t mss, uint32_t tsval, uint32_t tsecr)
{
	static const uint8_t syn[20] = { 2, 4, 0, 0, 4, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0,
					 1, 3, 3, 7 };
	static const uint8_t ts[12] = { 1, 1, 8, 10 };

	if (kind == OPT_NONE)
		return 0;
	memcpy(o, kind == OPT_SYN ? syn : ts, kind == OPT_SYN ? 20 : 12);
	if (kind == OPT_SYN) {
		o[2] = (uint8_t)(mss >> 8);
		o[3] = (uint8_t)mss;
	}
	put_be32(o + (kind == OPT_SYN ? 8 : 4), tsval);
	put_be32(o + (kind == OPT_SYN ? 12 : 8), tsecr);
	return kind == OPT_SYN ? 20 : 12;
}

static bool is_echo(const struct fg_packet *p)
{
	return (p->proto == 1 && (p->icmp_type == 0 || p->icmp_type == 8)) ||
	       (p->proto == 58 && (p->icmp_type == 128 || p->icmp_type == 129));
}

/* NTP 64-bit timestamp (RFC 5905): seconds since 1900, binary fraction. */
static void ntp_time(uint8_t *p, uint64_t us)
{
	put_be32(p, (uint32_t)(us / 1000000 + 2208988800u));
	put_be32(p + 4, (uint32_t)(((us % 1000000) << 32) / 1000000));
}

/* What the bytes of a payload look like: an echo carries Linux ping's
 * timeval and counting bytes, NTP an NTP header, anything else noise. */
static void fill_payload(uint8_t *pay, const struct fg_packet *p, uint64_t ts, int reply,
			 const struct conv *cv, uint64_t rng)
{
	uint64_t w = 0, req = reply ? cv->req_us : ts;
	size_t i;

	memset(pay, 0, p->paylen);
	if (is_echo(p)) {
		for (i = 0; i < p->paylen; i++)
			pay[i] = (uint8_t)i;
		for (i = 0; i < 8 && i + 8 < p->paylen; i++) {
			pay[i] = (uint8_t)((req / 1000000) >> (8 * i));
			pay[8 + i] = (uint8_t)((req % 1000000) >> (8 * i));
		}
		return;
	}
	if (p->proto == 17 && (p->sport == 123 || p->dport == 123) && p->paylen >= 48) {
		pay[0] = reply ? 0x24 : 0x23;	/* version 4, mode 4 server / 3 client */
		if (reply) {
			pay[1] = 2;
			ntp_time(pay + 24, cv->req_us);
			ntp_time(pay + 32, ts - 10);
		}
		ntp_time(pay + 40, ts);
		return;
	}
	for (i = 0; i < p->paylen; i++) {
		if (i % 8 == 0)
			w = fg_random(&rng);
		pay[i] = (uint8_t)(w >> (8 * (i % 8)));
	}
}

struct emitter {
	const struct fg_scenario *s;
	const struct fg_synth_options *o;
	struct convs convs;
	fg_packet_fn fn;
	void *ctx;
	uint8_t opt[40];
	uint8_t pay[65536];
};

/* Port plus copy, 65535 wrapping to 1 (0 is no port). */
static uint16_t copy_port(uint16_t port, uint32_t copy)
{
	return (uint16_t)(((uint32_t)port + copy + 65534u) % 65535u + 1u);
}

/* --scale copy c of a conversation moves its higher port (the client's
 * ephemeral port, as a rule; the greater address on a tie), whichever line
 * of the conversation a packet comes from. */
static void scale_ports(struct fg_packet *p, uint32_t copy)
{
	if (copy == 0)
		return;
	if (p->sport > p->dport ||
	    (p->sport == p->dport && !endpoint_less(p->family, p->src, 0, p->dst, 0)))
		p->sport = copy_port(p->sport, copy);
	else
		p->dport = copy_port(p->dport, copy);
}

/* One event to one packet: addresses and ports by direction, then the
 * conversation's numbers. */
static int emit_event(struct emitter *m, const struct event *e)
{
	const struct fg_line *l = &m->s->lines[e->line];
	const uint8_t *src = e->dir ? l->dst : l->src, *dst = e->dir ? l->src : l->dst;
	uint16_t server_port = (uint16_t)(l->dport + e->port_step);
	uint64_t ts = m->s->start * 1000000u + e->t_us;
	struct conv_key k;
	struct fg_packet p;
	struct conv *cv;
	int side, reply;

	memset(&p, 0, sizeof(p));
	p.family = l->family;
	p.proto = l->proto;
	memcpy(p.src, src, 16);
	memcpy(p.dst, dst, 16);
	memcpy(p.src_mac, scenario_mac(m->s, l->family, src), 6);
	memcpy(p.dst_mac, scenario_mac(m->s, l->family, dst), 6);
	p.vlan = l->vlan;
	p.mtu = l->mtu;
	p.sport = e->dir ? server_port : l->sport;
	p.dport = e->dir ? l->sport : server_port;
	if (p.proto == 6 || p.proto == 17)
		scale_ports(&p, e->copy);
	p.ttl = e->dir ? l->reply_ttl : l->ttl;
	if (!p.ttl)
		p.ttl = scenario_mac(m->s, l->family, src) == m->s->gateway_mac ? 52 : 64;
	p.icmp_type = e->icmp_type;
	p.icmp_code = e->icmp_code;
	p.echo_id = (uint16_t)((l->icmp_id ? l->icmp_id : 0x1c00 + l->lineno) + e->copy);
	p.echo_seq = e->icmp_seq;
	if (p.proto != 6 && p.proto != 17)
		p.sport = p.dport = p.echo_id;	/* the conversation key */

	memset(&k, 0, sizeof(k));
	side = endpoint_less(l->family, p.src, p.sport, p.dst, p.dport) ? 0 : 1;
	memcpy(side ? k.b : k.a, p.src, 16);
	memcpy(side ? k.a : k.b, p.dst, 16);
	k.pa = side ? p.dport : p.sport;
	k.pb = side ? p.sport : p.dport;
	k.copy = e->copy;	/* sweeps differ by port already */
	k.vlan = l->vlan;
	k.proto = l->proto;
	k.family = (uint8_t)l->family;
	cv = conv_get(&m->convs, &k);

	/* A packet line is a reply when the conversation's last packet came
	 * from the other side; the patterns know which packets are replies. */
	reply = l->pattern == PAT_PACKET ? cv->sent[!side] && cv->last_side != side : e->dir;
	if (l->pattern == PAT_PACKET && is_echo(&p))	/* requests count, replies echo */
		p.echo_seq = p.icmp_type == 8 || p.icmp_type == 128 ? ++cv->echo_seq : cv->echo_seq;
	p.ipid = cv->ipid[side]++;
	if (p.proto == 6) {
		uint32_t tsval = (uint32_t)(ts / 1000) + cv->tsoff[side];

		p.tcp_flags = e->flags;
		/* A reset answering a SYN that reached no socket has seq 0. */
		p.seq = e->flags & TH_RST && !cv->sent[side] ? 0 : cv->seq[side];
		p.ack = e->flags & TH_ACK ? cv->seq[!side] : 0;
		p.win = e->flags & TH_SYN ? (e->flags & TH_ACK ? 65160 : 64240) : 502;
		p.tcp_optlen = make_opts(m->opt, e->opts, mss_of(l->family), tsval,
					 e->flags & TH_ACK ? cv->tsval[!side] : 0);
		p.tcp_opt = m->opt;
		cv->tsval[side] = tsval;
		cv->seq[side] += e->paylen + (e->flags & TH_SYN ? 1u : 0u) + (e->flags & TH_FIN ? 1u : 0u);
	}
	if (!reply)
		cv->req_us = ts;
	cv->sent[side]++;
	cv->last_side = (uint8_t)side;
	p.paylen = e->paylen;
	p.payload = m->pay;
	fill_payload(m->pay, &p, ts, reply, cv, m->o->seed ^ ((uint64_t)e->order << 20));
	return m->fn(m->ctx, ts, &p);
}

int synth_run(const struct fg_scenario *s, const struct fg_synth_options *o, fg_packet_fn fn,
	      void *ctx, char *err, size_t errlen)
{
	struct events ev = { 0 };
	struct emitter *m = NULL;
	size_t i, nconv, slots = 2;
	uint32_t c;
	int r = -1;

	if (errlen)
		err[0] = '\0';
	for (i = 0; i < s->nlines; i++) {
		for (c = 0; c < o->scale; c++) {
			if (gen_copies(&ev, &s->lines[i], (uint32_t)i, c))
				goto out;
		}
	}
	qsort(ev.v, ev.n, sizeof(*ev.v), by_time);
	for (i = 0, nconv = 0; i < s->nlines; i++)
		nconv += s->lines[i].sweep * (size_t)o->scale;
	while (slots < 2 * nconv)
		slots *= 2;
	m = calloc(1, sizeof(*m));
	if (!m || !(m->convs.v = calloc(slots, sizeof(*m->convs.v))))
		goto out;
	m->convs.mask = slots - 1;
	m->convs.seed = o->seed;
	m->s = s;
	m->o = o;
	m->fn = fn;
	m->ctx = ctx;
	for (i = 0; i < ev.n; i++)
		if (emit_event(m, &ev.v[i]))
			goto out;
	r = 0;
out:
	if (r && ev.full)
		snprintf(err, errlen, "%s: more than %u packets; use the bench scenario for large "
			 "captures", s->name, MAX_EVENTS);
	else if (r && !*err)
		snprintf(err, errlen, "out of memory");
	if (m)
		free(m->convs.v);
	free(m);
	free(ev.v);
	return r;
}
