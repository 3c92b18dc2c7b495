/* scenario.h - a lab's traffic as lines of text (flowgen(1), SCENARIO FILES).
 *
 * A scenario is a list of lines, each one connection or packet train:
 *
 *   TIME PROTO SRC DST PATTERN [key=value ...]
 *
 * plus a few directives (start, local, gateway). The parser owns the text
 * format and its errors (NAME:LINE: message); synth.c turns lines into
 * packets. */
#ifndef FG_SCENARIO_H
#define FG_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum fg_pattern {
	PAT_PACKET,     /* count packets SRC -> DST, nothing back */
	PAT_CONNECT,    /* TCP handshake, rounds of request/response, close */
	PAT_REFUSED,    /* TCP SYN answered by RST|ACK */
	PAT_REQUEST,    /* UDP request, optional reply */
	PAT_ECHO,       /* ICMP / ICMPv6 echo request, optional reply */
};

enum fg_close { CLOSE_FIN, CLOSE_RST, CLOSE_NONE };

struct fg_line {
	unsigned lineno;
	uint64_t at_us;                 /* after the scenario's start */
	int family;                     /* 4 or 6 */
	uint8_t proto;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	enum fg_pattern pattern;
	uint32_t count;                 /* packets, requests or echoes */
	uint64_t every_us;              /* between them (and between rounds) */
	uint32_t size;                  /* payload per packet */
	bool size_set;
	bool has_reply;                 /* request, echo: the peer answers */
	uint32_t reply;                 /* ... with this much payload */
	bool reply_set;
	uint64_t out, in;               /* connect: bytes each way per round */
	uint32_t rounds;
	uint64_t rtt_us;
	uint8_t flags;                  /* packet: TCP flags */
	bool flags_set;
	uint8_t icmp_type, icmp_code;   /* packet: ICMP type and code */
	bool icmp_set;
	uint16_t icmp_id;
	enum fg_close close;
	uint16_t vlan;
	uint16_t mtu;
	uint8_t ttl, reply_ttl;
	int tcp_opts;                   /* -1 automatic, 0 none, 1 on */
	uint32_t sweep;                 /* the line for this many destination ports */
	uint64_t step_us;               /* ... each this much after the last */
};

struct fg_local {
	uint8_t addr[16];
	int family;
	uint8_t mac[6];
};

struct fg_scenario {
	char *name;                     /* file name or built-in name, for errors */
	uint64_t start;                 /* Unix seconds */
	uint8_t gateway_mac[6];
	struct fg_local *locals;
	size_t nlocals;
	struct fg_line *lines;
	size_t nlines;
};

/* Parses text (NUL-terminated) named name. -1 and err "name:line: ..." on
 * the first error; s is then freed. */
int scenario_parse(struct fg_scenario *s, const char *name, const char *text, char *err,
		   size_t errlen);
int scenario_load(struct fg_scenario *s, const char *path, char *err, size_t errlen);
void scenario_free(struct fg_scenario *s);

/* The MAC address frames from addr carry: a local's, else the gateway's. */
const uint8_t *scenario_mac(const struct fg_scenario *s, int family, const uint8_t *addr);

#endif
