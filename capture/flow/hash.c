/* hash.c - a small keyed hash for the flow table and address maps.
 *
 * Multiply-fold mixing of 64-bit words (the wyhash construction). The seed
 * is per run so crafted traffic cannot aim at one bucket; output order never
 * depends on it because records are sorted at flush. */
#include "capture/flow/hash.h"

#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define P0 0xa0761d6478bd642fULL
#define P1 0xe7037ed1a0b428dbULL
#define P2 0x8ebc6af09c88c6e3ULL

static inline uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t r = (__uint128_t)a * b;
	return (uint64_t)r ^ (uint64_t)(r >> 64);
}

static inline uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return v;
}

uint64_t hash_key(const struct flow_key *k, uint64_t seed)
{
	const uint8_t *p = (const uint8_t *)k;
	uint64_t h = seed ^ P0;

	h = mix(load64(p) ^ P1, load64(p + 8) ^ h);
	h = mix(load64(p + 16) ^ P1, load64(p + 24) ^ h);
	h = mix(load64(p + 32) ^ P1, load64(p + 40) ^ h);
	return mix(h ^ P2, sizeof(*k) ^ P1);
}

uint64_t hash_bytes(const void *data, size_t n, uint64_t seed)
{
	const uint8_t *p = data;
	const size_t total = n;
	uint64_t h = seed ^ P0;

	for (; n >= 16; n -= 16, p += 16)
		h = mix(load64(p) ^ P1, load64(p + 8) ^ h);
	if (n > 0) {
		uint8_t tail[16] = {0};
		memcpy(tail, p, n);
		h = mix(load64(tail) ^ P1, load64(tail + 8) ^ h);
	}
	return mix(h ^ P2, (uint64_t)total ^ P1);
}

uint64_t hash_16(const void *data, uint64_t seed)
{
	const uint8_t *p = data;

	return mix(load64(p) ^ seed ^ P1, load64(p + 8) ^ P0);
}

uint64_t hash_seed(void)
{
	uint64_t s;

	if (getrandom(&s, sizeof(s), GRND_NONBLOCK) == (ssize_t)sizeof(s))
		return s;
	uint64_t t = (uint64_t)time(NULL), pid = (uint64_t)getpid();
	return mix(t ^ P1, pid ^ P2);
}
