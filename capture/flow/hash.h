/* hash.h - keyed hashing of flow keys with a per-run seed. */
#ifndef VFE_HASH_H
#define VFE_HASH_H

#include <stdint.h>

#include "capture/flow/key.h"

/* A seed from the kernel's random source (time and pid if that fails). */
uint64_t hash_seed(void);
uint64_t hash_key(const struct flow_key *k, uint64_t seed);
/* The same mixing over any bytes (fragment cache, address autodetection). */
uint64_t hash_bytes(const void *p, size_t n, uint64_t seed);
/* 16 bytes (an address) in one multiply: for maps whose keys are
 * addresses. */
uint64_t hash_16(const void *p, uint64_t seed);

#endif
