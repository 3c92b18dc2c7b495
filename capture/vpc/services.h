/* services.h - AWS ip-ranges.json: which AWS service an address belongs to
 * (pkt-src-aws-service / pkt-dst-aws-service, spec section 7).
 *
 * The longest matching prefix among specific services wins; AMAZON is the
 * answer only when no specific service's prefix contains the address
 * (spec 7.2). Among specific services listed for the same prefix, the one
 * listed first in the file wins. */
#ifndef VFE_SERVICES_H
#define VFE_SERVICES_H

#include <stddef.h>
#include <stdint.h>

#include "formats/addr.h"

struct trie;

struct services {
	struct trie *specific;      /* every service but AMAZON */
	struct trie *amazon;        /* AMAZON */
	char **names;               /* interned service names; value = index */
	uint32_t nnames;
	struct svc_prefix *prefixes;/* every entry, for region lookups */
	size_t nprefixes;
	char sync_token[32];
	char create_date[32];
};

struct svc_prefix {
	struct ip_prefix prefix;
	uint32_t service;           /* index into names */
	uint32_t region;            /* index into names (regions interned too) */
};

/* Loads an ip-ranges.json. -1 and err ("FILE:LINE:COL: message" for JSON
 * syntax errors, "FILE: prefixes[12].ip_prefix: expected a string" for
 * wrong types) on error. Unknown keys are ignored. */
int services_load(struct services *s, const char *path, char *err, size_t errlen);
void services_free(struct services *s);

/* The service name for a, or NULL (renders "-"). matched (may be NULL)
 * receives the prefix that decided. */
const char *services_lookup(const struct services *s, const struct ip_addr *a,
			    struct ip_prefix *matched);

/* Calls fn for every prefix of service (e.g. "S3") in region (e.g.
 * "us-east-1"): what a gateway endpoint's prefix list
 * com.amazonaws.REGION.s3 holds. Returns how many. */
size_t services_region_prefixes(const struct services *s, const char *service,
				const char *region,
				void (*fn)(void *ctx, const struct ip_prefix *p), void *ctx);

#endif
