/* trie.h - longest-prefix match over IPv4 and IPv6 (IPv4 mapped, addr.h).
 *
 * One trie holds both families: an IPv4 prefix of length n is stored at
 * depth 96 + n under ::ffff:0:0/96. Values are small integers chosen by the
 * caller (an index into its own table). Used for ip-ranges.json services,
 * route tables and prefix lists. */
#ifndef VFE_TRIE_H
#define VFE_TRIE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/addr.h"

struct trie;

struct trie *trie_new(void);
void trie_free(struct trie *t);

/* Sets the value of prefix p. An identical prefix inserted again keeps its
 * first value (returns 1); 0 when inserted; -1 out of memory. */
int trie_insert(struct trie *t, const struct ip_prefix *p, uint32_t value);

/* The value of the longest prefix that contains a. false when none does.
 * matched (may be NULL) receives that prefix. */
bool trie_lookup(const struct trie *t, const struct ip_addr *a, uint32_t *value,
		 struct ip_prefix *matched);

/* Number of prefixes stored. */
size_t trie_count(const struct trie *t);

#endif
