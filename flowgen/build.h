/* build.h - one packet description in, Ethernet frames out, built by libnet.
 *
 * The builder owns a libnet context that never opens a device, so writing a
 * capture needs no privileges. A packet larger than its MTU leaves as
 * IPv4 fragments or IPv6 fragment-header fragments; every other packet is
 * one frame. libnet computes every checksum. */
#ifndef FG_BUILD_H
#define FG_BUILD_H

#include <stddef.h>
#include <stdint.h>

#define FG_FRAME_MAX	(14 + 4 + 40 + 8 + 65535)

struct fg_packet {
	int family;                     /* 4 or 6 */
	uint8_t src_mac[6], dst_mac[6];
	uint16_t vlan;                  /* 802.1Q id, 0 = untagged */
	uint8_t src[16], dst[16];       /* IPv4 in the first 4 bytes */
	uint8_t ttl;
	uint16_t ipid;                  /* IPv4 id; IPv6 fragment id */
	uint8_t proto;
	uint16_t sport, dport;          /* TCP/UDP */
	uint8_t tcp_flags;
	uint32_t seq, ack;
	uint16_t win;
	const uint8_t *tcp_opt;         /* a multiple of 4 bytes, at most 40 */
	uint8_t tcp_optlen;
	uint8_t icmp_type, icmp_code;   /* ICMP / ICMPv6 */
	uint16_t echo_id, echo_seq;     /* echo: identifier, sequence */
	const uint8_t *payload;
	uint16_t paylen;
	uint16_t mtu;                   /* fragment IP packets above this size; 0 = never */
};

/* Receives each finished frame. Returns 0, or -1 to stop, having written
 * why into the err buffer given to fg_build(). */
typedef int (*fg_frame_fn)(void *ctx, const uint8_t *frame, size_t len);

struct fg_builder;

struct fg_builder *fg_builder_new(char *err, size_t errlen);
void fg_builder_free(struct fg_builder *b);

/* Builds p and hands its frames to fn. -1 and err on a libnet error or a
 * packet that cannot be built (too large, bad MTU); fn's -1 is passed on. */
int fg_build(struct fg_builder *b, const struct fg_packet *p, fg_frame_fn fn, void *ctx,
	     char *err, size_t errlen);

/* The IP length p gives before fragmentation (IPv6: 40 + payload length). */
size_t fg_ip_length(const struct fg_packet *p);

#endif
