/* diff_cause.c - the verdict on one matched span, field by field: whether
 * the two sides' merged values differ (within --tolerance), the likely
 * cause, and the values as text. Pure functions of the aggregates: must not
 * allocate, match records or print. Spec vpc-flow-logs.md 4.2 (tcp-flags
 * OR), 6.2 (traffic-path 2/7/8), 9.2 (lag), 10 (unlogged traffic). */
#include <stdio.h>
#include <string.h>

#include "formats/diff_int.h"

static int within(const struct diff_options *o, uint64_t a, uint64_t b)
{
	uint64_t d = a > b ? a - b : b - a;
	uint64_t m = a > b ? a : b;

	if (o->tol_is_pct)
		return (double)d * 100.0 <= o->tol_pct * (double)m;
	return d <= o->tol_abs;
}


/* The AWS-reserved address of spec section 10 in the key, or NULL. The
 * VPC's base is not known here; Amazon DNS is taken as port 53 on an IPv4
 * address whose low 4 bits are 2 (a VPC base is at least /28-aligned). */
const char *diff_cause_reserved(const struct dkey *k)
{
	const struct ip_addr *a[2] = {&k->src, &k->dst};
	uint16_t port[2] = {k->sport, k->dport};
	static const uint8_t ec2v6[8] = {0xfd, 0x00, 0x0e, 0xc2, 0, 0, 0, 0};
	int i;

	if (k->proto == 17 && (port[0] == 67 || port[0] == 68) && (port[1] == 67 || port[1] == 68))
		return "DHCP";
	for (i = 0; i < 2; i++) {
		if (ip_addr_is_v4(a[i])) {
			uint32_t v = ip_addr_v4(a[i]);

			if (v == 0xa9fea9feu)
				return "instance metadata 169.254.169.254";
			if (v == 0xa9fea97bu)
				return "Amazon Time Sync 169.254.169.123";
			if (v == 0xa9fea9fdu)
				return "Amazon DNS 169.254.169.253";
			if ((v >> 16) == 0xa9feu)
				return "link-local 169.254.0.0/16";
			if (port[i] == 53 && (v & 0xfu) == 2 && (v >> 24) == 10)
				return "Amazon DNS at the VPC base + 2";
			if (port[i] == 53 && (v & 0xfu) == 2 &&
			    ((v >> 20) == 0xac1u || (v >> 16) == 0xc0a8u))
				return "Amazon DNS at the VPC base + 2";
		} else {
			if (memcmp(a[i]->b, ec2v6, 8) == 0)
				return "the fd00:ec2::/64 services (metadata, DNS, time)";
			if (a[i]->b[0] == 0xfe && (a[i]->b[1] & 0xc0) == 0x80)
				return "link-local fe80::/10";
		}
	}
	return NULL;
}

static const char *cause_path(uint16_t pe, uint16_t pa)
{
	uint16_t b2 = 1u << 2, b7 = 1u << 7, b8 = 1u << 8;

	if ((pe == b8 && pa == b7) || (pe == b7 && pa == b8))
		return "a gateway endpoint route on one side only (7 = gateway endpoint, 8 = internet gateway)";
	if ((pe == b2 && pa != 0 && (pa & ~(b7 | b8)) == 0) ||
	    (pa == b2 && pe != 0 && (pe & ~(b7 | b8)) == 0))
		return "a non-Nitro instance on the side that logs 2 (Nitro instances log 7 or 8)";
	return NULL;
}

const char *diff_cause_edge(void)
{
	return "capture start/stop edges (the gap is in the first or last window only)";
}

static void fmt_bits(char *buf, size_t n, unsigned bits, const char *const *words, size_t nw)
{
	size_t i, len = 0;

	buf[0] = '\0';
	for (i = 0; i < nw && len < n; i++)
		if (bits & (1u << i))
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "," : "", words[i]);
}

static void fmt_path(char *buf, size_t n, uint16_t bits)
{
	size_t len = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < 16 && len < n; i++)
		if (bits & (1u << i)) {
			if (i == 0)
				len += (size_t)snprintf(buf + len, n - len, "%s-", len ? "," : "");
			else
				len += (size_t)snprintf(buf + len, n - len, "%s%u", len ? "," : "", i);
		}
}

/* One interned value of a set field: 0 is "-". */
static void fmt_one(const struct diff_result *r, int k, uint32_t v, char *buf, size_t n)
{
	char t[IP_ADDR_STRLEN];

	if (v == 0) {
		snprintf(buf, n, "-");
	} else if (k < 2) {
		snprintf(buf, n, "%s", r->svc.s[v - 1]);
	} else {
		ip_addr_format(&r->addrs.v[v - 1], t);
		snprintf(buf, n, "%s", t);
	}
}

static int set_index(enum field_id f)
{
	return f == FLD_PKT_SRC_AWS_SERVICE ? 0 : f == FLD_PKT_DST_AWS_SERVICE ? 1 :
	       f == FLD_PKT_SRCADDR ? 2 : 3;
}

/* The distinct values of set field k over n records, in record order,
 * joined by ','; "..." ends a list that does not fit. */
static void fmt_set(const struct diff_result *r, int k, const struct drec *v, size_t n, char *buf,
		    size_t size)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		uint32_t x = diff_set_value(v[i].svc, v[i].pkt, k);
		size_t j = 0;
		char one[IP_ADDR_STRLEN + 64];

		while (j < i && diff_set_value(v[j].svc, v[j].pkt, k) != x)
			j++;
		if (j < i)
			continue;       /* listed already */
		fmt_one(r, k, x, one, sizeof(one));
		if (len + strlen(one) + 5 > size) {
			snprintf(buf + len, size - len, "%s...", len ? "," : "");
			return;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? "," : "", one);
	}
}

void diff_fmt_value(const struct diff_result *r, enum field_id f, const struct agg *a,
		    const struct drec *recs, size_t nrecs, char *buf, size_t n)
{
	static const char *const act[] = {"ACCEPT", "REJECT", "-"};
	static const char *const typ[] = {"IPv4", "IPv6", "EFA", "-"};
	uint32_t v;

	switch (f) {
	case FLD_PACKETS: snprintf(buf, n, "%llu", (unsigned long long)a->packets); return;
	case FLD_BYTES: snprintf(buf, n, "%llu", (unsigned long long)a->bytes); return;
	case FLD_ACTION: fmt_bits(buf, n, a->action, act, 3); return;
	case FLD_TYPE: fmt_bits(buf, n, a->type, typ, 4); return;
	case FLD_TRAFFIC_PATH: fmt_path(buf, n, a->path); return;
	case FLD_TCP_FLAGS:
		if (a->tcp == DIFF_TCP_DASH)
			snprintf(buf, n, "-");
		else
			snprintf(buf, n, "%u%s", a->tcp & 0xffu, a->tcp & DIFF_TCP_DASH ? ",-" : "");
		return;
	case FLD_PKT_SRC_AWS_SERVICE:
	case FLD_PKT_DST_AWS_SERVICE:
	case FLD_PKT_SRCADDR:
	case FLD_PKT_DSTADDR:
		v = diff_set_value(a->svc, a->pkt, set_index(f));
		if (v == DIFF_MIXED)
			fmt_set(r, set_index(f), recs, nrecs, buf, n);
		else
			fmt_one(r, set_index(f), v, buf, n);
		return;
	default:
		snprintf(buf, n, "?");
	}
}

/* 1 when field f differs; *cause set to its likely cause. */
int diff_field_differs(const struct diff_result *r, enum field_id f, const struct agg *a,
		       const char **cause)
{
	const struct diff_options *o = &r->opt;
	int edge = a[0].edge || a[1].edge;

	*cause = NULL;
	switch (f) {
	case FLD_PACKETS:
	case FLD_BYTES: {
		int p = f == FLD_PACKETS;

		if (within(o, p ? a[0].packets : a[0].bytes, p ? a[1].packets : a[1].bytes))
			return 0;
		if (edge && within(o, p ? a[0].in_packets : a[0].in_bytes,
				   p ? a[1].in_packets : a[1].in_bytes))
			*cause = diff_cause_edge();
		return 1;
	}
	case FLD_ACTION:
		*cause = "a security group or network ACL rule";
		return a[0].action != a[1].action;
	case FLD_TRAFFIC_PATH:
		*cause = cause_path(a[0].path, a[1].path);
		return a[0].path != a[1].path;
	case FLD_TCP_FLAGS:
		if (edge && a[0].in_tcp == a[1].in_tcp)
			*cause = diff_cause_edge();
		return a[0].tcp != a[1].tcp;
	case FLD_PKT_SRC_AWS_SERVICE:
	case FLD_PKT_DST_AWS_SERVICE:
	case FLD_PKT_SRCADDR:
	case FLD_PKT_DSTADDR: {
		int k = set_index(f);
		if (k < 2)
			*cause = "different AWS ip-ranges.json data on the two sides";
		return diff_set_value(a[0].svc, a[0].pkt, k) != diff_set_value(a[1].svc, a[1].pkt, k) ||
		       (a[0].sets_differ >> k & 1);
	}
	case FLD_TYPE:
		return a[0].type != a[1].type;
	default:
		return 0;
	}
}
