/* addr.h - one address type for IPv4 and IPv6.
 *
 * IPv4 is stored IPv4-mapped (::ffff:a.b.c.d, RFC 4291 2.5.5.2) so flow keys
 * have one fixed size and one comparison; the family travels separately. */
#ifndef VFE_ADDR_H
#define VFE_ADDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct ip_addr {
	uint8_t b[16];
};

/* Longest text form: IPv6 with an embedded IPv4 (INET6_ADDRSTRLEN). */
#define IP_ADDR_STRLEN 46

/* ::ffff:a.b.c.d, stored as two 8-byte halves: an address is hashed and
 * compared 8 bytes at a time right after it is made, and a load that
 * spans several smaller stores waits for them to reach the cache. */
static inline void ip_addr_from_v4(struct ip_addr *a, const uint8_t v4[4])
{
	const uint64_t lo = 0;
	uint32_t v;
	uint64_t hi;

	memcpy(&v, v4, 4);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	hi = (uint64_t)v << 32 | 0xffff0000u;
#else
	hi = 0xffffull << 32 | v;
#endif
	memcpy(a->b, &lo, 8);
	memcpy(a->b + 8, &hi, 8);
}

static inline bool ip_addr_is_v4(const struct ip_addr *a)
{
	static const uint8_t prefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	return memcmp(a->b, prefix, 12) == 0;
}

/* The dotted quad of IPv4 address b[0..3] at p, which has room for 16
 * bytes (a dot follows the last octet, for what comes next to
 * overwrite): four 4-byte copies from addr.c's table of octets, each
 * with its dot. Returns the end of the text. */
extern const char ip_octet_text[256][4];
extern const uint8_t ip_octet_len[256];

static inline char *ip_addr_put_v4(char *p, const uint8_t *b)
{
	for (int i = 0; i < 4; i++) {
		memcpy(p, ip_octet_text[b[i]], 4);
		p += ip_octet_len[b[i]];
	}
	return p - 1;
}

static inline uint32_t ip_addr_v4(const struct ip_addr *a)
{
	return (uint32_t)a->b[12] << 24 | (uint32_t)a->b[13] << 16 |
	       (uint32_t)a->b[14] << 8 | (uint32_t)a->b[15];
}

/* memcmp() order, as two big-endian 64-bit halves: no call (records are
 * sorted by their addresses). */
static inline int ip_addr_cmp(const struct ip_addr *a, const struct ip_addr *b)
{
	uint64_t x[2], y[2];

	memcpy(x, a->b, sizeof(x));
	memcpy(y, b->b, sizeof(y));
	for (int i = 0; i < 2; i++) {
		if (x[i] != y[i]) {
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			x[i] = __builtin_bswap64(x[i]);
			y[i] = __builtin_bswap64(y[i]);
#endif
			return x[i] < y[i] ? -1 : 1;
		}
	}
	return 0;
}

static inline bool ip_addr_eq(const struct ip_addr *a, const struct ip_addr *b)
{
	return memcmp(a->b, b->b, 16) == 0;
}

/* Text form: dotted quad for IPv4, RFC 5952 for IPv6. Writes the NUL and
 * returns the length without it. buf must hold IP_ADDR_STRLEN bytes. */
size_t ip_addr_format(const struct ip_addr *a, char *buf);

/* Parses a dotted quad or an IPv6 address. Returns false on anything else. */
bool ip_addr_parse(const char *s, struct ip_addr *a);

/* An address block; for IPv4 the prefix length counts from bit 96 of the
 * mapped form, so "10.0.0.0/8" is stored as len 104. */
struct ip_prefix {
	struct ip_addr addr;
	uint8_t len;
};

/* Parses "a.b.c.d/n" or "x::/n"; host bits are cleared. */
bool ip_prefix_parse(const char *s, struct ip_prefix *p);
bool ip_prefix_contains(const struct ip_prefix *p, const struct ip_addr *a);

/* A prefix as a value and a mask over the address's two 8-byte halves,
 * in memory order: for testing every packet against a few blocks, one
 * load, xor and and per half. Same answers as ip_prefix_contains() for
 * every prefix ip_prefix_parse() makes (lengths up to 128); a longer
 * length, which only a hand-made prefix can have, counts as 128 here
 * where ip_prefix_contains() matches nothing. */
struct ip_mask {
	uint64_t v[2], m[2];
};

void ip_mask_of(struct ip_mask *m, const struct ip_prefix *p);

static inline bool ip_mask_contains(const struct ip_mask *m, const struct ip_addr *a)
{
	uint64_t x[2];

	memcpy(x, a->b, sizeof(x));
	return (((x[0] ^ m->v[0]) & m->m[0]) | ((x[1] ^ m->v[1]) & m->m[1])) == 0;
}

#endif
