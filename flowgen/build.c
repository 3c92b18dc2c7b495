/* build.c - packets to frames with libnet.
 *
 * Owns the libnet context of flowgen. Layers are built top down as libnet
 * wants (TCP options, TCP, IP, link), with every checksum left for libnet
 * to compute. A packet above its MTU is first built whole, so that its TCP,
 * UDP or ICMP checksum covers the whole datagram, and its IP payload is then
 * cut into fragments, each a new IP header over a slice of those bytes. */
#include "flowgen/build.h"

#include <libnet.h>
#include <stdio.h>
#include <string.h>

#define ETHERTYPE_V4	0x0800
#define ETHERTYPE_V6	0x86dd
#define ETHERTYPE_8021Q	0x8100
#define IPV6_FRAG_NH	44
#define DONT_FRAGMENT	0x4000
#define MORE_FRAGMENTS	0x2000

struct fg_builder {
	libnet_t *l;
	int frag6_host_order;	/* libnet_build_ipv6_frag() leaves the fields unswapped */
	uint8_t dgram[LIBNET_IPV6_H + 65535];	/* a datagram being fragmented */
};

/* libnet 1.1.6 copies the fragment header's offset and id into the packet
 * in host byte order; later releases swap them. Build one header and see. */
static int frag6_probe(libnet_t *l)
{
	uint8_t *pkt = NULL;
	uint32_t n = 0;
	int host_order = 0;

	if (libnet_build_ipv6_frag(IPPROTO_UDP, 0, 0x0008, 1, NULL, 0, l, 0) != -1 &&
	    libnet_pblock_coalesce(l, &pkt, &n) != -1 && n >= 8) {
		host_order = pkt[2] != 0x00 || pkt[3] != 0x08;
		libnet_adv_free_packet(l, pkt);
	}
	libnet_clear_packet(l);
	return host_order;
}

struct fg_builder *fg_builder_new(char *err, size_t errlen)
{
	char lerr[LIBNET_ERRBUF_SIZE];
	struct fg_builder *b = calloc(1, sizeof(*b));

	if (!b) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	/* LIBNET_NONE: construct only, no device, no privileges. */
	b->l = libnet_init(LIBNET_NONE, NULL, lerr);
	if (!b->l) {
		snprintf(err, errlen, "libnet: %s", lerr);
		free(b);
		return NULL;
	}
	b->frag6_host_order = frag6_probe(b->l);
	return b;
}

void fg_builder_free(struct fg_builder *b)
{
	if (!b)
		return;
	libnet_destroy(b->l);
	free(b);
}

static size_t l4_header_length(const struct fg_packet *p)
{
	switch (p->proto) {
	case IPPROTO_TCP:
		return LIBNET_TCP_H + p->tcp_optlen;
	case IPPROTO_UDP:
		return LIBNET_UDP_H;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		return 8;	/* type, code, checksum, 4 bytes (echo: id, seq) */
	default:
		return 0;
	}
}

size_t fg_ip_length(const struct fg_packet *p)
{
	return (p->family == 6 ? LIBNET_IPV6_H : LIBNET_IPV4_H) + l4_header_length(p) + p->paylen;
}

static uint32_t v4(const uint8_t *a)
{
	uint32_t n;

	memcpy(&n, a, 4);	/* libnet wants network byte order */
	return n;
}

static struct libnet_in6_addr v6(const uint8_t *a)
{
	struct libnet_in6_addr n;

	memcpy(&n, a, 16);
	return n;
}

static int libnet_failed(struct fg_builder *b, char *err, size_t errlen)
{
	snprintf(err, errlen, "libnet: %s", libnet_geterror(b->l));
	return -1;
}

/* The transport layer (and the payload it carries). */
static int build_l4(struct fg_builder *b, const struct fg_packet *p)
{
	libnet_t *l = b->l;
	uint32_t len = (uint32_t)(l4_header_length(p) + p->paylen);

	switch (p->proto) {
	case IPPROTO_TCP:
		if (p->tcp_optlen &&
		    libnet_build_tcp_options(p->tcp_opt, p->tcp_optlen, l, 0) == -1)
			return -1;
		return libnet_build_tcp(p->sport, p->dport, p->seq, p->ack, p->tcp_flags, p->win,
					0, 0, (uint16_t)len, p->payload, p->paylen, l, 0) == -1 ? -1 : 0;
	case IPPROTO_UDP:
		return libnet_build_udp(p->sport, p->dport, (uint16_t)len, 0,
					p->payload, p->paylen, l, 0) == -1 ? -1 : 0;
	case IPPROTO_ICMP:
		/* The echo builder writes type, code, checksum and four more
		 * header bytes: right for any ICMP type given id/seq as those. */
		return libnet_build_icmpv4_echo(p->icmp_type, p->icmp_code, 0, p->echo_id,
						p->echo_seq, p->payload, p->paylen, l, 0) == -1 ? -1 : 0;
	case IPPROTO_ICMPV6:
		/* libnet 1.1.6 declares this payload without const; it only copies it. */
		return libnet_build_icmpv6_echo(p->icmp_type, p->icmp_code, 0, p->echo_id,
						p->echo_seq, (uint8_t *)(uintptr_t)p->payload,
						p->paylen, l, 0) == -1 ? -1 : 0;
	default:
		return p->paylen ? (libnet_build_data(p->payload, p->paylen, l, 0) == -1 ? -1 : 0) : 0;
	}
}

static int build_link(struct fg_builder *b, const struct fg_packet *p)
{
	uint16_t type = p->family == 6 ? ETHERTYPE_V6 : ETHERTYPE_V4;

	if (p->vlan)
		return libnet_build_802_1q(p->dst_mac, p->src_mac, ETHERTYPE_8021Q, 0, 0, p->vlan,
					   type, NULL, 0, b->l, 0) == -1 ? -1 : 0;
	return libnet_build_ethernet(p->dst_mac, p->src_mac, type, NULL, 0, b->l, 0) == -1 ? -1 : 0;
}

/* libnet's libnet_adv_cull_packet() refuses a context without an open
 * link (LIBNET_LINK_ADV needs a device, hence root); it is a wrapper around
 * libnet_pblock_coalesce(), which libnet-functions.h declares, so flowgen
 * calls that. libnet_adv_free_packet() undoes the allocation either way. */
static int cull(struct fg_builder *b, fg_frame_fn fn, void *ctx, char *err, size_t errlen)
{
	uint8_t *frame = NULL;
	uint32_t len = 0;
	int r;

	if (libnet_pblock_coalesce(b->l, &frame, &len) == -1)
		return libnet_failed(b, err, errlen);
	r = fn(ctx, frame, len);
	libnet_adv_free_packet(b->l, frame);
	libnet_clear_packet(b->l);
	if (r < 0 && errlen && !err[0])	/* fn says why, when it can */
		snprintf(err, errlen, "the frame of %u bytes was refused", len);
	return r;
}

static int build_whole(struct fg_builder *b, const struct fg_packet *p, uint16_t frag,
		       fg_frame_fn fn, void *ctx, char *err, size_t errlen)
{
	uint32_t l4len = (uint32_t)(l4_header_length(p) + p->paylen);

	if (build_l4(b, p) == -1)
		goto fail;
	if (p->family == 6) {
		if (libnet_build_ipv6(0, 0, (uint16_t)l4len, p->proto, p->ttl, v6(p->src), v6(p->dst),
				      NULL, 0, b->l, 0) == -1)
			goto fail;
	} else if (libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + l4len), 0, p->ipid, frag, p->ttl,
				     p->proto, 0, v4(p->src), v4(p->dst), NULL, 0, b->l, 0) == -1) {
		goto fail;
	}
	if (fn && build_link(b, p) == -1)
		goto fail;
	if (fn)
		return cull(b, fn, ctx, err, errlen);
	return 0;
fail:
	libnet_clear_packet(b->l);
	return libnet_failed(b, err, errlen);
}

/* Copies the whole IP datagram that build_whole() left in the context. */
static int take_datagram(struct fg_builder *b, uint8_t *out, uint32_t *len, char *err,
			 size_t errlen)
{
	uint8_t *pkt = NULL;
	uint32_t n = 0;

	if (libnet_pblock_coalesce(b->l, &pkt, &n) == -1) {
		libnet_clear_packet(b->l);
		return libnet_failed(b, err, errlen);
	}
	memcpy(out, pkt, n);
	*len = n;
	libnet_adv_free_packet(b->l, pkt);
	libnet_clear_packet(b->l);
	return 0;
}

static int build_fragments(struct fg_builder *b, const struct fg_packet *p, fg_frame_fn fn,
			   void *ctx, char *err, size_t errlen)
{
	const uint8_t *dgram = b->dgram;
	size_t iph = p->family == 6 ? LIBNET_IPV6_H : LIBNET_IPV4_H;
	size_t per = ((size_t)p->mtu - iph - (p->family == 6 ? 8 : 0)) & ~(size_t)7;
	uint32_t n, off;

	if (p->mtu < iph + 16 || per == 0) {
		snprintf(err, errlen, "mtu %u is too small to fragment into", p->mtu);
		return -1;
	}
	if (build_whole(b, p, 0, NULL, NULL, err, errlen) == -1 ||
	    take_datagram(b, b->dgram, &n, err, errlen) == -1)
		return -1;
	/* Invariant: bytes [iph, iph + off) of the datagram are written; each
	 * pass writes min(per, rest) more and off grows, so the loop ends. */
	for (off = 0; iph + off < n; off += (uint32_t)per) {
		uint32_t len = (uint32_t)(n - iph - off) < per ? (uint32_t)(n - iph - off) : (uint32_t)per;
		int more = iph + off + len < n;
		const uint8_t *slice = dgram + iph + off;
		int r;

		if (p->family == 6) {
			uint16_t field = (uint16_t)(off | (more ? 1 : 0));
			uint32_t id = p->ipid;

			if (b->frag6_host_order) {
				field = htons(field);
				id = htonl(id);
			}
			r = libnet_build_ipv6_frag(p->proto, 0, field, id, slice, len, b->l, 0) == -1 ||
			    libnet_build_ipv6(0, 0, (uint16_t)(8 + len), IPV6_FRAG_NH, p->ttl, v6(p->src),
					      v6(p->dst), NULL, 0, b->l, 0) == -1;
		} else {
			r = libnet_build_ipv4((uint16_t)(LIBNET_IPV4_H + len), 0, p->ipid,
					      (uint16_t)(off / 8 | (more ? MORE_FRAGMENTS : 0)), p->ttl,
					      p->proto, 0, v4(p->src), v4(p->dst), slice, len, b->l, 0) == -1;
		}
		if (r || build_link(b, p) == -1) {
			libnet_clear_packet(b->l);
			return libnet_failed(b, err, errlen);
		}
		if (cull(b, fn, ctx, err, errlen) < 0)
			return -1;
	}
	return 0;
}

int fg_build(struct fg_builder *b, const struct fg_packet *p, fg_frame_fn fn, void *ctx,
	     char *err, size_t errlen)
{
	size_t iplen = fg_ip_length(p);

	if (iplen > (p->family == 6 ? LIBNET_IPV6_H + 65535u : 65535u)) {
		snprintf(err, errlen, "packet of %zu bytes is larger than IP allows", iplen);
		return -1;
	}
	if (p->mtu && iplen > p->mtu)
		return build_fragments(b, p, fn, ctx, err, errlen);
	return build_whole(b, p, p->family == 4 ? DONT_FRAGMENT : 0, fn, ctx, err, errlen);
}
