/* scenario.c - the scenario text format: lines to struct fg_line.
 *
 * Owns the grammar documented in flowgen(1), SCENARIO FILES. One line is
 * one connection or packet train; every error names the scenario and the
 * line, and nothing half-parsed survives an error. */
#include "flowgen/scenario.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN	4096
#define MAX_TOKENS	32
#define MAX_COUNT	100000000u
#define DEFAULT_START	1768471200u	/* 2026-01-15 10:00:00 UTC */

struct parser {
	struct fg_scenario *s;
	unsigned lineno;
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(p->err, p->errlen, "%s:%u: %s", p->s->name, p->lineno, msg);
	return -1;
}

static int parse_u64(const char *t, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long n;

	if (*t < '0' || *t > '9')
		return -1;
	errno = 0;
	n = strtoull(t, &end, 10);
	if (errno || *end || n > max)
		return -1;
	*v = n;
	return 0;
}

/* "12", "12.5", "0.000095": seconds to microseconds, at most 6 decimals. */
static int parse_secs(const char *t, uint64_t *us)
{
	uint64_t whole = 0, frac = 0;
	const char *dot = strchr(t, '.');
	char buf[32];
	size_t n, i;

	if (dot) {
		n = (size_t)(dot - t);
		if (n == 0 || n >= sizeof(buf) || strlen(dot + 1) == 0 || strlen(dot + 1) > 6)
			return -1;
		memcpy(buf, t, n);
		buf[n] = '\0';
		if (parse_u64(buf, 100000000u, &whole) || parse_u64(dot + 1, 999999, &frac))
			return -1;
		for (i = strlen(dot + 1); i < 6; i++)
			frac *= 10;
	} else if (parse_u64(t, 100000000u, &whole)) {
		return -1;
	}
	*us = whole * 1000000u + frac;
	return 0;
}

static int parse_mac(const char *t, uint8_t mac[6])
{
	unsigned v[6];
	char tail;
	int i;

	if (sscanf(t, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5],
		   &tail) != 6)
		return -1;
	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 0;
}

static int parse_addr(const char *t, uint8_t a[16], int *family)
{
	memset(a, 0, 16);
	if (inet_pton(AF_INET, t, a) == 1) {
		*family = 4;
		return 0;
	}
	if (inet_pton(AF_INET6, t, a) == 1) {
		*family = 6;
		return 0;
	}
	return -1;
}

/* "ADDR:PORT" or "[ADDR6]:PORT" with a port; a bare address without. */
static int parse_endpoint(struct parser *p, const char *t, bool port, uint8_t a[16], int *family,
			  uint16_t *portv)
{
	char buf[80];
	const char *colon = strrchr(t, ':');
	uint64_t n;
	size_t len;

	if (!port) {
		if (parse_addr(t, a, family))
			return fail(p, "\"%s\": not an address (ports only with tcp and udp)", t);
		return 0;
	}
	if (!colon || colon == t)
		return fail(p, "\"%s\": give ADDRESS:PORT ([ADDRESS]:PORT for IPv6)", t);
	len = (size_t)(colon - t);
	if (t[0] == '[' && len >= 2 && t[len - 1] == ']') {
		t++;
		len -= 2;
	}
	if (len >= sizeof(buf))
		return fail(p, "address too long");
	memcpy(buf, t, len);
	buf[len] = '\0';
	if (parse_addr(buf, a, family))
		return fail(p, "\"%s\": not an address", buf);
	if (parse_u64(colon + 1, 65535, &n))
		return fail(p, "\"%s\": port must be 0 to 65535", colon + 1);
	*portv = (uint16_t)n;
	return 0;
}

static int parse_proto(const char *t, uint8_t *proto)
{
	static const struct { const char *name; uint8_t num; } names[] = {
		{ "tcp", 6 }, { "udp", 17 }, { "icmp", 1 }, { "icmp6", 58 }, { "icmpv6", 58 },
	};
	uint64_t n;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(t, names[i].name) == 0) {
			*proto = names[i].num;
			return 0;
		}
	if (parse_u64(t, 255, &n))
		return -1;
	*proto = (uint8_t)n;
	return 0;
}

static int parse_flags(const char *t, uint8_t *flags)
{
	static const char letters[] = "FSRPAUEC";	/* bit 0 .. bit 7 */
	const char *c;

	*flags = 0;
	if (strcmp(t, ".") == 0)
		return 0;
	for (; *t; t++) {
		c = strchr(letters, *t);
		if (!c || !*c)
			return -1;
		*flags |= (uint8_t)(1u << (c - letters));
	}
	return 0;
}

static int number(struct parser *p, const char *key, const char *val, uint64_t max, uint64_t *v)
{
	if (parse_u64(val, max, v))
		return fail(p, "%s=%s: give a whole number up to %llu", key, val,
			    (unsigned long long)max);
	return 0;
}

static int seconds(struct parser *p, const char *key, const char *val, uint64_t *us)
{
	if (parse_secs(val, us))
		return fail(p, "%s=%s: give seconds, e.g. 2 or 0.05", key, val);
	return 0;
}

#define REPLY_SAME	UINT32_MAX	/* reply=yes: as large as the request */

static int parse_reply(struct parser *p, struct fg_line *l, const char *val)
{
	uint64_t v = 0;

	l->reply_set = true;
	l->has_reply = strcmp(val, "no") != 0;
	if (!l->has_reply)
		return 0;
	if (strcmp(val, "yes") == 0) {
		l->reply = REPLY_SAME;
		return 0;
	}
	if (l->pattern == PAT_ECHO)
		return fail(p, "reply=%s: an echo reply mirrors its request; give yes or no", val);
	if (number(p, "reply", val, 65000, &v))
		return -1;
	l->reply = (uint32_t)v;
	return 0;
}

static int parse_option(struct parser *p, struct fg_line *l, char *opt)
{
	char *eq = strchr(opt, '=');
	const char *key = opt, *val;
	uint64_t v = 0;

	if (!eq || eq == opt || !eq[1])
		return fail(p, "\"%s\": options are key=value", opt);
	*eq = '\0';
	val = eq + 1;
	if (strcmp(key, "count") == 0) {
		if (number(p, key, val, MAX_COUNT, &v))
			return -1;
		if (v == 0)
			return fail(p, "count=0: give at least 1");
		l->count = (uint32_t)v;
	} else if (strcmp(key, "every") == 0) {
		return seconds(p, key, val, &l->every_us);
	} else if (strcmp(key, "rtt") == 0) {
		return seconds(p, key, val, &l->rtt_us);
	} else if (strcmp(key, "size") == 0) {
		if (number(p, key, val, 65000, &v))
			return -1;
		l->size = (uint32_t)v;
		l->size_set = true;
	} else if (strcmp(key, "reply") == 0) {
		return parse_reply(p, l, val);
	} else if (strcmp(key, "out") == 0) {
		return number(p, key, val, 1ull << 40, &l->out);
	} else if (strcmp(key, "in") == 0) {
		return number(p, key, val, 1ull << 40, &l->in);
	} else if (strcmp(key, "rounds") == 0) {
		if (number(p, key, val, MAX_COUNT, &v))
			return -1;
		if (v == 0)
			return fail(p, "rounds=0: give at least 1");
		l->rounds = (uint32_t)v;
	} else if (strcmp(key, "flags") == 0) {
		if (parse_flags(val, &l->flags))
			return fail(p, "flags=%s: use the letters FSRPAUEC, or . for none", val);
		l->flags_set = true;
	} else if (strcmp(key, "type") == 0 || strcmp(key, "code") == 0) {
		if (number(p, key, val, 255, &v))
			return -1;
		if (key[0] == 't')
			l->icmp_type = (uint8_t)v;
		else
			l->icmp_code = (uint8_t)v;
		l->icmp_set = true;
	} else if (strcmp(key, "id") == 0) {
		if (number(p, key, val, 65535, &v))
			return -1;
		l->icmp_id = (uint16_t)v;
	} else if (strcmp(key, "close") == 0) {
		if (strcmp(val, "fin") == 0)
			l->close = CLOSE_FIN;
		else if (strcmp(val, "rst") == 0)
			l->close = CLOSE_RST;
		else if (strcmp(val, "none") == 0)
			l->close = CLOSE_NONE;
		else
			return fail(p, "close=%s: give fin, rst or none", val);
	} else if (strcmp(key, "vlan") == 0) {
		if (number(p, key, val, 4094, &v))
			return -1;
		if (v == 0)
			return fail(p, "vlan=0: give 1 to 4094");
		l->vlan = (uint16_t)v;
	} else if (strcmp(key, "mtu") == 0) {
		if (number(p, key, val, 65535, &v))
			return -1;
		if (v < 68)
			return fail(p, "mtu=%s: at least 68", val);
		l->mtu = (uint16_t)v;
	} else if (strcmp(key, "ttl") == 0 || strcmp(key, "rttl") == 0) {
		if (number(p, key, val, 255, &v))
			return -1;
		if (v == 0)
			return fail(p, "%s=0: give 1 to 255", key);
		*(key[0] == 't' ? &l->ttl : &l->reply_ttl) = (uint8_t)v;
	} else if (strcmp(key, "sweep") == 0) {
		if (number(p, key, val, 65535, &v))
			return -1;
		if (v == 0)
			return fail(p, "sweep=0: give 1 to 65535 ports");
		l->sweep = (uint32_t)v;
	} else if (strcmp(key, "step") == 0) {
		return seconds(p, key, val, &l->step_us);
	} else if (strcmp(key, "opts") == 0) {
		if (strcmp(val, "yes") == 0)
			l->tcp_opts = 1;
		else if (strcmp(val, "no") == 0)
			l->tcp_opts = 0;
		else
			return fail(p, "opts=%s: give yes or no", val);
	} else {
		return fail(p, "unknown option \"%s\"", key);
	}
	return 0;
}

static int parse_pattern(struct parser *p, struct fg_line *l, const char *t)
{
	static const struct { const char *name; enum fg_pattern pat; uint8_t proto; } pats[] = {
		{ "packet", PAT_PACKET, 0 }, { "connect", PAT_CONNECT, 6 },
		{ "refused", PAT_REFUSED, 6 }, { "request", PAT_REQUEST, 17 },
		{ "echo", PAT_ECHO, 0 },
	};
	size_t i;

	for (i = 0; i < sizeof(pats) / sizeof(pats[0]); i++) {
		if (strcmp(t, pats[i].name) != 0)
			continue;
		l->pattern = pats[i].pat;
		if (pats[i].proto && pats[i].proto != l->proto)
			return fail(p, "\"%s\" is for %s", t, pats[i].proto == 6 ? "tcp" : "udp");
		if (l->pattern == PAT_ECHO && l->proto != 1 && l->proto != 58)
			return fail(p, "\"echo\" is for icmp and icmp6");
		return 0;
	}
	return fail(p, "\"%s\": the pattern is packet, connect, refused, request or echo", t);
}

/* The defaults that depend on the pattern, then the checks across fields. */
static int finish_line(struct parser *p, struct fg_line *l)
{
	if (l->proto == 1 && l->family != 4)
		return fail(p, "icmp is IPv4; use icmp6 for IPv6");
	if (l->proto == 58 && l->family != 6)
		return fail(p, "icmp6 is IPv6; use icmp for IPv4");
	if (l->sweep > 1 && l->proto != 6 && l->proto != 17)
		return fail(p, "sweep= walks destination ports: tcp and udp only");
	if ((uint32_t)l->dport + l->sweep - 1 > 65535)
		return fail(p, "sweep=%u from port %u passes 65535", l->sweep, l->dport);
	if (l->pattern == PAT_ECHO && !l->size_set)
		l->size = 56;	/* Linux ping */
	if (!l->reply_set) {
		l->has_reply = true;
		l->reply = REPLY_SAME;
	}
	if (l->reply == REPLY_SAME || l->pattern == PAT_ECHO)
		l->reply = l->size;
	if (l->pattern == PAT_PACKET && l->proto == 6 && !l->flags_set)
		l->flags = l->size ? 0x18 : 0x10;	/* PSH|ACK with data, else ACK */
	if (l->pattern == PAT_PACKET && !l->icmp_set)
		l->icmp_type = l->proto == 58 ? 128 : 8;
	return 0;
}

static int parse_line(struct parser *p, char **tok, int ntok)
{
	struct fg_scenario *s = p->s;
	struct fg_line l;
	bool ports;
	int fam2, i;
	void *grown;

	if (ntok < 5)
		return fail(p, "give TIME PROTO SRC DST PATTERN [key=value ...]");
	memset(&l, 0, sizeof(l));
	l.lineno = p->lineno;
	l.count = 1;
	l.rounds = 1;
	l.every_us = 1000000;
	l.rtt_us = 20000;
	l.tcp_opts = -1;
	l.sweep = 1;
	l.step_us = 1000;
	if (parse_secs(tok[0], &l.at_us))
		return fail(p, "\"%s\": the time is seconds after the start, e.g. 2 or 2.5", tok[0]);
	if (parse_proto(tok[1], &l.proto))
		return fail(p, "\"%s\": the protocol is tcp, udp, icmp, icmp6 or a number", tok[1]);
	ports = l.proto == 6 || l.proto == 17;
	if (parse_endpoint(p, tok[2], ports, l.src, &l.family, &l.sport) ||
	    parse_endpoint(p, tok[3], ports, l.dst, &fam2, &l.dport))
		return -1;
	if (l.family != fam2)
		return fail(p, "source and destination are not both IPv4 or both IPv6");
	if (parse_pattern(p, &l, tok[4]))
		return -1;
	for (i = 5; i < ntok; i++)
		if (parse_option(p, &l, tok[i]))
			return -1;
	if (finish_line(p, &l))
		return -1;
	grown = realloc(s->lines, (s->nlines + 1) * sizeof(*s->lines));
	if (!grown)
		return fail(p, "out of memory");
	s->lines = grown;
	s->lines[s->nlines++] = l;
	return 0;
}

static int parse_directive(struct parser *p, char **tok, int ntok)
{
	struct fg_scenario *s = p->s;
	struct fg_local loc;
	uint64_t v = 0;
	void *grown;

	if (strcmp(tok[0], "start") == 0) {
		if (ntok != 2 || parse_u64(tok[1], 4102444800u, &v))
			return fail(p, "start: give Unix seconds, e.g. start 1768471200");
		s->start = v;
	} else if (strcmp(tok[0], "gateway") == 0) {
		if (ntok != 2 || parse_mac(tok[1], s->gateway_mac))
			return fail(p, "gateway: give a MAC address, e.g. gateway 02:00:00:00:01:01");
	} else {	/* local ADDR [MAC] */
		memset(&loc, 0, sizeof(loc));
		if (ntok < 2 || ntok > 3 || parse_addr(tok[1], loc.addr, &loc.family))
			return fail(p, "local: give an address and optionally a MAC");
		if (ntok == 3 && parse_mac(tok[2], loc.mac))
			return fail(p, "local: \"%s\" is not a MAC address", tok[2]);
		if (ntok == 2) {	/* 02:00 and the address's last four bytes */
			loc.mac[0] = 0x02;
			memcpy(loc.mac + 2, loc.addr + (loc.family == 4 ? 0 : 12), 4);
		}
		grown = realloc(s->locals, (s->nlocals + 1) * sizeof(*s->locals));
		if (!grown)
			return fail(p, "out of memory");
		s->locals = grown;
		s->locals[s->nlocals++] = loc;
	}
	return 0;
}

static int parse_text_line(struct parser *p, char *line)
{
	char *tok[MAX_TOKENS], *save = NULL, *t, *hash = strchr(line, '#');
	int ntok = 0;

	if (hash)
		*hash = '\0';
	for (t = strtok_r(line, " \t\r", &save); t; t = strtok_r(NULL, " \t\r", &save)) {
		if (ntok == MAX_TOKENS)
			return fail(p, "more than %d words", MAX_TOKENS);
		tok[ntok++] = t;
	}
	if (ntok == 0)
		return 0;
	if (strcmp(tok[0], "start") == 0 || strcmp(tok[0], "local") == 0 ||
	    strcmp(tok[0], "gateway") == 0)
		return parse_directive(p, tok, ntok);
	return parse_line(p, tok, ntok);
}

int scenario_parse(struct fg_scenario *s, const char *name, const char *text, char *err,
		   size_t errlen)
{
	static const uint8_t gw[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };
	struct parser p = { s, 0, err, errlen };
	char line[LINE_MAX_LEN + 1];
	const char *nl;
	size_t len;

	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->start = DEFAULT_START;
	memcpy(s->gateway_mac, gw, 6);
	while (*text) {
		p.lineno++;
		nl = strchr(text, '\n');
		len = nl ? (size_t)(nl - text) : strlen(text);
		if (len > LINE_MAX_LEN) {
			fail(&p, "line longer than %d characters", LINE_MAX_LEN);
			goto bad;
		}
		memcpy(line, text, len);
		line[len] = '\0';
		if (parse_text_line(&p, line))
			goto bad;
		text += len + (nl != NULL);
	}
	if (s->nlines == 0) {
		snprintf(err, errlen, "%s: no traffic lines", s->name);
		goto bad;
	}
	return 0;
bad:
	scenario_free(s);
	return -1;
}

int scenario_load(struct fg_scenario *s, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int r;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len + 65536 + 1 > cap) {
			char *grown = realloc(text, cap = cap * 2 + 65536 + 1);

			if (!grown) {
				free(text);
				fclose(f);
				snprintf(err, errlen, "%s: out of memory", path);
				return -1;
			}
			text = grown;
		}
		n = fread(text + len, 1, 65536, f);
		len += n;
		if (n < 65536)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(text);
		fclose(f);
		return -1;
	}
	fclose(f);
	text[len] = '\0';
	if (strlen(text) != len) {
		snprintf(err, errlen, "%s: a NUL byte: not a scenario file", path);
		free(text);
		return -1;
	}
	r = scenario_parse(s, path, text, err, errlen);
	free(text);
	return r;
}

void scenario_free(struct fg_scenario *s)
{
	free(s->name);
	free(s->lines);
	free(s->locals);
	memset(s, 0, sizeof(*s));
}

const uint8_t *scenario_mac(const struct fg_scenario *s, int family, const uint8_t *addr)
{
	size_t i;

	for (i = 0; i < s->nlocals; i++)
		if (s->locals[i].family == family &&
		    memcmp(s->locals[i].addr, addr, family == 4 ? 4 : 16) == 0)
			return s->locals[i].mac;
	return s->gateway_mac;
}
