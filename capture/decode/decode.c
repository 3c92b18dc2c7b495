/* decode.c - the decode_packet() driver: link, then IP, then L4, and the
 * names of results and events for counters and logs.
 * Pure: no allocation, no printing, no state between packets; every frame
 * ends in exactly one result and (unless OK) one event. Checksums are never
 * verified (offload on the capturing host). Spec: PRODUCT.md §3. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "capture/decode/layers.h"

static const char *const result_names[DECODE_RESULT_COUNT] = {
	[DECODE_OK] = "ok",
	[DECODE_TRUNCATED] = "truncated",
	[DECODE_MALFORMED] = "malformed",
	[DECODE_UNSUPPORTED] = "unsupported",
};

static const char *const event_names[EV_COUNT] = {
	[EV_NONE] = "none",
	[EV_LINK_TRUNCATED] = "link_truncated",
	[EV_LINK_UNSUPPORTED] = "link_unsupported",
	[EV_VLAN_TRUNCATED] = "vlan_truncated",
	[EV_VLAN_TOO_DEEP] = "vlan_too_deep",
	[EV_NOT_IP] = "not_ip",
	[EV_IP_VERSION_MISMATCH] = "ip_version_mismatch",
	[EV_IPV4_TRUNCATED] = "ipv4_truncated",
	[EV_IPV4_BAD_IHL] = "ipv4_bad_ihl",
	[EV_IPV4_BAD_LEN] = "ipv4_bad_len",
	[EV_IPV6_TRUNCATED] = "ipv6_truncated",
	[EV_IPV6_BAD_LEN] = "ipv6_bad_len",
	[EV_IPV6_EXT_TRUNCATED] = "ipv6_ext_truncated",
	[EV_IPV6_EXT_TOO_MANY] = "ipv6_ext_too_many",
	[EV_TCP_TRUNCATED] = "tcp_truncated",
	[EV_TCP_BAD_OFF] = "tcp_bad_off",
	[EV_UDP_TRUNCATED] = "udp_truncated",
	[EV_ICMP_TRUNCATED] = "icmp_truncated",
};

const char *decode_result_name(enum decode_result r)
{
	if ((unsigned)r >= DECODE_RESULT_COUNT || result_names[r] == NULL)
		return "unknown";
	return result_names[r];
}

const char *decode_event_name(enum decode_event e)
{
	if ((unsigned)e >= EV_COUNT || event_names[e] == NULL)
		return "unknown";
	return event_names[e];
}

enum decode_result decode_packet(int dlt, const uint8_t *data, uint32_t caplen,
				 uint32_t wirelen, struct pkt_meta *m)
{
	struct cursor c;
	enum decode_result r;
	unsigned ipver = 0;
	uint32_t wire, ip_wire;

	assert(m != NULL);
	assert(data != NULL || caplen == 0);
	memset(m, 0, sizeof(*m));
	m->caplen = caplen;
	m->wirelen = wirelen;
	/* The source rejects caplen > wirelen (STYLE habit 6); should one get
	 * here anyway, the captured bytes certainly were on the wire. */
	wire = wirelen > caplen ? wirelen : caplen;

	cur_init(&c, data, caplen);
	r = decode_link(dlt, &c, m, &ipver);
	if (r != DECODE_OK)
		return r;
	/* What the IP header's length may claim at most: the wire bytes
	 * after the link header (and VLAN tags). */
	ip_wire = wire - (caplen - (uint32_t)cur_left(&c));

	if (ipver == 4)
		r = decode_ipv4(&c, ip_wire, m);
	else
		r = decode_ipv6(&c, ip_wire, m);
	/* A later fragment has no upper-layer header; its ports stay 0 and
	 * the flow table matches it to its first fragment by frag_id. */
	if (r != DECODE_OK || m->frag == FRAG_LATER)
		return r;
	return decode_l4(&c, m);
}
