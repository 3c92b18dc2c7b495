/* addr.c - text form of struct ip_addr and address-block matching.
 *
 * Owns formatting (dotted quad by hand for IPv4, RFC 5952 for IPv6) and
 * parsing of addresses and prefixes. Must not allocate or print: it sits on
 * the record path of render.c. Spec: vpc-flow-logs.md §2.1 (srcaddr), §8. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "formats/addr.h"

/* Every octet in decimal followed by its dot, padded with dots to four
 * bytes ("7...", "42..", "255."), and how many of those bytes it takes:
 * a dotted quad is four 4-byte copies (addr.h, ip_addr_put_v4). */
#define D0(n) ((n) >= 100 ? '0' + (n) / 100 : (n) >= 10 ? '0' + (n) / 10 : '0' + (n))
#define D1(n) ((n) >= 100 ? '0' + (n) / 10 % 10 : (n) >= 10 ? '0' + (n) % 10 : '.')
#define D2(n) ((n) >= 100 ? '0' + (n) % 10 : '.')
#define OCT(n) {(char)D0(n), (char)D1(n), (char)D2(n), '.'}
#define OCT4(n) OCT(n), OCT((n) + 1), OCT((n) + 2), OCT((n) + 3)
#define OCT16(n) OCT4(n), OCT4((n) + 4), OCT4((n) + 8), OCT4((n) + 12)
#define OCT64(n) OCT16(n), OCT16((n) + 16), OCT16((n) + 32), OCT16((n) + 48)
#define LEN(n) (2 + ((n) >= 10) + ((n) >= 100))
#define LEN4(n) LEN(n), LEN((n) + 1), LEN((n) + 2), LEN((n) + 3)
#define LEN16(n) LEN4(n), LEN4((n) + 4), LEN4((n) + 8), LEN4((n) + 12)
#define LEN64(n) LEN16(n), LEN16((n) + 16), LEN16((n) + 32), LEN16((n) + 48)

const char ip_octet_text[256][4] = {OCT64(0), OCT64(64), OCT64(128), OCT64(192)};
const uint8_t ip_octet_len[256] = {LEN64(0), LEN64(64), LEN64(128), LEN64(192)};

static size_t format_v4(const uint8_t *b, char *buf)
{
	char *p = ip_addr_put_v4(buf, b);

	*p = '\0';            /* over the last octet's dot */
	return (size_t)(p - buf);
}

/* Every byte as two lower-case hex digits, for a group's four in two
 * lookups. */
#define HEXC(d) (char)((d) < 10 ? '0' + (d) : 'a' - 10 + (d))
#define HX(n) HEXC((n) >> 4), HEXC((n) & 15)
#define HX4(n) HX(n), HX((n) + 1), HX((n) + 2), HX((n) + 3)
#define HX16(n) HX4(n), HX4((n) + 4), HX4((n) + 8), HX4((n) + 12)
#define HX64(n) HX16(n), HX16((n) + 16), HX16((n) + 32), HX16((n) + 48)
static const char hex_pair[512] = {HX64(0), HX64(64), HX64(128), HX64(192)};

/* One 16-bit group (bytes hi, lo) in lower-case hex without leading zeros
 * (RFC 5952 4.1, 4.3): its four digits, from the first that counts,
 * copied as 4 bytes (p has room for them; what follows overwrites the
 * rest). */
static char *put_group(char *p, unsigned hi, unsigned lo)
{
	unsigned g = hi << 8 | lo;
	unsigned n = g ? (32u - (unsigned)__builtin_clz(g) + 3) / 4 : 1;
	char d[8] = {0};        /* what follows the digits is written, if not kept */

	memcpy(d, hex_pair + 2 * hi, 2);
	memcpy(d + 2, hex_pair + 2 * lo, 2);
	memcpy(p, d + 4 - n, 4);
	return p + n;
}

/* RFC 5952 4.2: "::" replaces the longest run of two or more zero groups;
 * on a tie the first run wins; a single zero group is never compressed.
 * zero has bit i set when group i is 0; runs are found a run at a time. */
static void longest_zero_run(unsigned zero, int *best, int *best_len)
{
	*best = -1;
	*best_len = 1;
	while (zero) {
		int at = __builtin_ctz(zero);
		int len = __builtin_ctz(~(zero >> at));
		if (len > *best_len) {
			*best = at;
			*best_len = len;
		}
		zero &= ~0u << (at + len);
	}
	if (*best < 0)
		*best_len = 0;
}

static size_t format_v6(const uint8_t *b, char *buf)
{
	unsigned zero = 0;
	int i, best, best_len;
	char *p = buf;

	for (i = 0; i < 8; i++)
		zero |= (unsigned)((b[2 * i] | b[2 * i + 1]) == 0) << i;
	longest_zero_run(zero, &best, &best_len);
	for (i = 0; i < 8; i++) {
		if (i == best) {
			*p++ = ':';
			*p++ = ':';
			i += best_len - 1;
			continue;
		}
		/* A separator unless this group follows "::" or starts. */
		if (i > 0 && i != best + best_len)
			*p++ = ':';
		p = put_group(p, b[2 * i], b[2 * i + 1]);
	}
	*p = '\0';
	return (size_t)(p - buf);
}

size_t ip_addr_format(const struct ip_addr *a, char *buf)
{
	/* IPv4 travels mapped; AWS prints it as a plain dotted quad. */
	if (ip_addr_is_v4(a))
		return format_v4(a->b + 12, buf);
	return format_v6(a->b, buf);
}

bool ip_addr_parse(const char *s, struct ip_addr *a)
{
	uint8_t v4[4];

	if (s == NULL)
		return false;
	if (inet_pton(AF_INET, s, v4) == 1) {
		ip_addr_from_v4(a, v4);
		return true;
	}
	return inet_pton(AF_INET6, s, a->b) == 1;
}

/* Decimal prefix length: 1 to 3 digits and nothing else. */
static bool parse_len(const char *s, unsigned *len)
{
	unsigned v = 0;
	int n = 0;

	for (; *s != '\0'; s++, n++) {
		if (*s < '0' || *s > '9' || n == 3)
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (n == 0)
		return false;
	*len = v;
	return true;
}

static void clear_host_bits(struct ip_addr *a, unsigned len)
{
	unsigned i;

	for (i = 0; i < 16; i++) {
		if (len >= 8 * (i + 1))
			continue;
		if (len <= 8 * i)
			a->b[i] = 0;
		else
			a->b[i] &= (uint8_t)(0xffu << (8 * (i + 1) - len));
	}
}

bool ip_prefix_parse(const char *s, struct ip_prefix *p)
{
	char host[IP_ADDR_STRLEN];
	const char *slash;
	struct ip_addr a;
	unsigned len, max;
	bool v4;

	if (s == NULL || (slash = strchr(s, '/')) == NULL)
		return false;
	if ((size_t)(slash - s) >= sizeof(host))
		return false;
	memcpy(host, s, (size_t)(slash - s));
	host[slash - s] = '\0';
	if (!ip_addr_parse(host, &a) || !parse_len(slash + 1, &len))
		return false;
	/* The notation, not the stored form, says which length scale applies:
	 * "::ffff:10.0.0.0/104" is an IPv6 prefix that covers 10/8. */
	v4 = strchr(host, ':') == NULL;
	max = v4 ? 32 : 128;
	if (len > max)
		return false;
	if (v4)
		len += 96;
	clear_host_bits(&a, len);
	p->addr = a;
	p->len = (uint8_t)len;
	return true;
}

/* Once: the read loop keeps its blocks as ip_mask and tests those. */
bool ip_prefix_contains(const struct ip_prefix *p, const struct ip_addr *a)
{
	struct ip_mask m;

	if (p->len > 128)
		return false;
	ip_mask_of(&m, p);
	return ip_mask_contains(&m, a);
}

void ip_mask_of(struct ip_mask *m, const struct ip_prefix *p)
{
	uint8_t mask[16], v[16];
	unsigned len = p->len > 128 ? 128 : p->len;

	for (unsigned i = 0; i < 16; i++) {
		unsigned bits = len > 8 * i ? len - 8 * i : 0;
		mask[i] = (uint8_t)(bits >= 8 ? 0xffu : 0xff00u >> bits);
		v[i] = (uint8_t)(p->addr.b[i] & mask[i]);
	}
	memcpy(m->m, mask, sizeof(mask));
	memcpy(m->v, v, sizeof(v));
}
