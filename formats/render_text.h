/* render_text.h - the line being written and the writers render.c builds
 * lines from: a bounded cursor (put_*: false when the line would not fit,
 * nothing written past end), unbounded writers for a line known to have
 * room (digits_*), decimal digits two at a time, addresses by
 * addr_text, strings with the bytes that would split a line as %XX.
 * Only render.c includes it. */
#ifndef VFE_RENDER_TEXT_H
#define VFE_RENDER_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/addr.h"

/* Output cursor: p advances, end is one past the last writable byte.
 * start is where this line's start field was written: near the end of
 * the line (render_field, with bound checks) end is copied from there
 * when it is the same second; with room, it is written again. */
struct out {
	char *p;
	char *end;
	const char *start;
	size_t start_len;
};

static const char digits2[201] =
	"00010203040506070809" "10111213141516171819"
	"20212223242526272829" "30313233343536373839"
	"40414243444546474849" "50515253545556575859"
	"60616263646566676869" "70717273747576777879"
	"80818283848586878889" "90919293949596979899";

static const char hexdig[16] = "0123456789ABCDEF";

static inline bool put(struct out *o, const char *s, size_t n)
{
	if (n > (size_t)(o->end - o->p))
		return false;
	memcpy(o->p, s, n);
	o->p += n;
	return true;
}

static inline bool put_c(struct out *o, char c)
{
	if (o->p == o->end)
		return false;
	*o->p++ = c;
	return true;
}

static inline bool put_dash(struct out *o)
{
	return put_c(o, '-');
}

static const uint64_t pow10_u64[20] = {
	1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
	10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL,
	100000000000ULL, 1000000000000ULL, 10000000000000ULL,
	100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL,
	100000000000000000ULL, 1000000000000000000ULL,
	10000000000000000000ULL,
};

/* Decimal digits of v > 0: log10 from the bit length (1233 / 4096 is just
 * under log10(2)), corrected by one comparison. UINT64_MAX has 20. */
static inline size_t ndigits(uint64_t v)
{
	size_t t = (size_t)((64 - __builtin_clzll(v)) * 1233) >> 12;

	return t + (v >= pow10_u64[t]);
}

/* The digits of v, right-aligned to end at q, two at a time. */
static inline void fill_u32(char *q, uint32_t v)
{
	for (; v >= 100; v /= 100) {
		q -= 2;
		memcpy(q, digits2 + v % 100 * 2, 2);
	}
	if (v >= 10)
		memcpy(q - 2, digits2 + v * 2, 2);
	else
		q[-1] = (char)('0' + v);
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The eight decimal digits of v < 10^8, leading zeros included, as byte
 * values 0-9 in the order they are written (the first in the low byte):
 * v splits into two 4-digit halves, each half into two 2-digit ones, each
 * of those into two digits, every lane of the word at once. A quotient
 * by 100 of n < 10^4 is n * 10486 >> 20, by 10 of n < 100 is n * 103 >>
 * 10; a lane's product never reaches the next lane. */
static inline uint64_t digit_bytes8(uint32_t v)
{
	/* v / 10^4 as a multiply, exact for every 32-bit v (checked for all
	 * of them): left to itself, the compiler may take quotient and
	 * remainder from one slow divide instruction. */
	uint32_t hi = (uint32_t)(((uint64_t)v * 3518437209u) >> 45);
	uint64_t x = hi | (uint64_t)(v - hi * 10000) << 32;
	uint64_t q = (x * 10486) >> 20 & 0x0000007f0000007fULL;
	x = q | (x - q * 100) << 16;
	q = (x * 103) >> 10 & 0x000f000f000f000fULL;
	return q | (x - q * 10) << 8;
}

#define ASCII_ZEROS 0x3030303030303030ULL

/* v >= 10^8 as its leading digits (v / 10^8, by a multiply exact for
 * every 32-bit v) and the text of its last eight. */
static inline uint32_t split_1e8(uint32_t v, uint64_t *low8)
{
	uint32_t hi = (uint32_t)(((uint64_t)v * 1441151881u) >> 57);

	*low8 = digit_bytes8(v - hi * 100000000) | ASCII_ZEROS;
	return hi;
}

/* Decimal digits straight into the line, without a bound check: the
 * caller has made room for 10 bytes (the digits are one 8-byte store,
 * after one or two leading ones above 10^8; the bytes past the last digit
 * are left for what follows to overwrite). Returns the end of the digits. */
static inline char *digits_u32(char *p, uint32_t v)
{
	if (v >= 100000000) {
		uint64_t x;
		uint32_t hi = split_1e8(v, &x);
		if (hi >= 10) {
			memcpy(p, digits2 + hi * 2, 2);
			p += 2;
		} else {
			*p++ = (char)('0' + hi);
		}
		memcpy(p, &x, sizeof(x));
		return p + 8;
	}
	uint64_t x = digit_bytes8(v);
	/* The leading zeros are the low zero bytes; 0 itself keeps one. */
	unsigned skip = x ? (unsigned)__builtin_ctzll(x) / 8 : 7;
	x = (x | ASCII_ZEROS) >> (8 * skip);
	memcpy(p, &x, sizeof(x));
	return p + 8 - skip;
}
#else
/* Decimal digits straight into the line, without a bound check (the
 * caller has made room for 10 bytes): counted first, then filled from the
 * right. Returns the end of the digits. */
static inline char *digits_u32(char *p, uint32_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	size_t n = (size_t)((32 - __builtin_clz(v)) * 1233) >> 12;
	n += v >= pow10_u64[n];
	fill_u32(p + n, v);
	return p + n;
}
#endif

/* A byte's decimal digits (a protocol number, a traffic path, a small
 * packet count) straight into the line, with room for 4 bytes: the address octets' text (addr.h),
 * one copy, its dot left for what follows to overwrite. */
static inline char *digits_u8(char *p, uint8_t v)
{
	memcpy(p, ip_octet_text[v], 4);
	return p + ip_octet_len[v] - 1;
}

/* "start end" of a line: the two are usually the same second, and every
 * second since 2001 has ten digits, so those are worked out once and
 * stored twice. */
static inline char *seconds_pair(char *p, uint32_t start, uint32_t end)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	if (start == end && start >= 1000000000) {
		uint64_t x;
		uint32_t hi = split_1e8(start, &x);
		memcpy(p, digits2 + hi * 2, 2);
		memcpy(p + 2, &x, sizeof(x));
		p[10] = ' ';
		memcpy(p + 11, digits2 + hi * 2, 2);
		memcpy(p + 13, &x, sizeof(x));
		return p + 21;
	}
#endif
	p = digits_u32(p, start);
	*p++ = ' ';
	return digits_u32(p, end);
}

/* Above 32 bits, out of line: packet and byte counts nearly never are. */
static char *digits_u64_big(char *p, uint64_t v)
{
	size_t n = ndigits(v);
	char *q = p + n;
	/* 64-bit divisions only until the rest fits 32 bits. */
	for (; v > UINT32_MAX; v /= 100) {
		q -= 2;
		memcpy(q, digits2 + v % 100 * 2, 2);
	}
	fill_u32(q, (uint32_t)v);
	return p + n;
}

/* The same for 64 bits: room for 20 bytes. */
static inline char *digits_u64(char *p, uint64_t v)
{
	if (v <= UINT32_MAX)
		return digits_u32(p, (uint32_t)v);
	return digits_u64_big(p, v);
}

/* The same with a bound check: near the end of the line, through a
 * buffer of its own. */
static inline bool put_u64(struct out *o, uint64_t v)
{
	char tmp[24];

	if ((size_t)(o->end - o->p) >= sizeof(tmp)) {
		o->p = digits_u64(o->p, v);
		return true;
	}
	return put(o, tmp, (size_t)(digits_u64(tmp, v) - tmp));
}

static inline bool put_i64(struct out *o, int64_t v)
{
	if (v >= 0)
		return put_u64(o, (uint64_t)v);
	/* 0 - (uint64_t)v is the magnitude even for INT64_MIN. */
	return put_c(o, '-') && put_u64(o, 0 - (uint64_t)v);
}

/* An address straight into the line, which has room for IP_ADDR_STRLEN
 * bytes: IPv4, nearly every address, without a call. Returns the end. */
static inline char *addr_text(char *p, const struct ip_addr *a)
{
	if (ip_addr_is_v4(a))
		return ip_addr_put_v4(p, a->b + 12);
	return p + ip_addr_format(a, p);
}

static inline bool put_addr(struct out *o, const struct ip_addr *a)
{
	char tmp[IP_ADDR_STRLEN];

	/* ip_addr_format writes up to IP_ADDR_STRLEN bytes with its NUL; with
	 * that much room it goes straight into the line and the NUL is
	 * overwritten by what follows. */
	if ((size_t)(o->end - o->p) >= IP_ADDR_STRLEN) {
		o->p += ip_addr_format(a, o->p);
		return true;
	}
	return put(o, tmp, ip_addr_format(a, tmp));
}

/* A byte that would split or end the line: it is written as %XX. */
static inline bool unsafe(unsigned char c)
{
	return c <= ' ' || c == 0x7f;
}

static inline bool put_encoded(struct out *o, const char *s)
{
	char esc[3];

	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (!unsafe(c)) {
			if (!put_c(o, (char)c))
				return false;
			continue;
		}
		esc[0] = '%';
		esc[1] = hexdig[c >> 4];
		esc[2] = hexdig[c & 0xf];
		if (!put(o, esc, sizeof(esc)))
			return false;
	}
	return true;
}

/* A text field: NULL or "" is "-" (an empty column would shift every
 * later one). Metadata strings are short, so a byte loop that checks and
 * copies in one pass beats strlen + memcpy; the first unsafe byte hands
 * the rest of the string to put_encoded. */
static inline bool put_str(struct out *o, const char *s)
{
	char *p = o->p;

	if (s == NULL || *s == '\0')
		return put_dash(o);
	for (; *s != '\0'; s++) {
		if (unsafe((unsigned char)*s))
			break;
		if (p == o->end)
			return false;
		*p++ = *s;
	}
	o->p = p;
	return *s == '\0' || put_encoded(o, s);
}

/* A string known to be safe: copied whole. */
static inline bool put_safe(struct out *o, const char *s)
{
	if (s == NULL || *s == '\0')
		return put_dash(o);
	return put(o, s, strlen(s));
}

static inline bool safe_str(const char *s)
{
	for (; s && *s; s++)
		if (unsafe((unsigned char)*s))
			return false;
	return true;
}

#endif
