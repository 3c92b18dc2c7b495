/* eni_snapshot.h - a copy of the ENI table's address map, for the reading
 * thread to look packets up in while the counting thread adds ENIs.
 *
 * An address, once mapped, keeps its ENI (ENIs made on the fly are only
 * ever added, and those of a topology are all there before the first
 * packet), so what a copy finds, the table would find too; an address
 * outside the --vpc-cidr blocks that the copy does not map is nobody's
 * now and later. Only an address inside the blocks that the copy lacks
 * is the table's to answer (it may become an ENI): ENI_ASK (eni.h). A
 * copy is never changed once made. */
#ifndef VFE_ENI_SNAPSHOT_H
#define VFE_ENI_SNAPSHOT_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/vpc/eni.h"

struct eni_snapshot {
	uint32_t gen;                   /* copies are made in this order */
	uint32_t used;                  /* addresses the table had */
	uint32_t mask;
	uint32_t ncidrs;
	const struct ip_mask *cidrs;    /* the table's own: set before reading */
	bool outside;                   /* some mapped address is outside them */
	struct eni_addr_slot slot[];
};

/* A copy of t's map, numbered gen; NULL without memory. Free with
 * vfe_free (formats/mem.h). */
struct eni_snapshot *eni_snapshot_make(const struct eni_table *t, uint32_t gen);

static inline void eni_snapshot_prefetch(const struct eni_snapshot *s, uint32_t h)
{
	__builtin_prefetch(s->slot + (h & s->mask));
}

/* The ENI index of address a (eni_hash() h), -1 for none, or ENI_ASK. */
int eni_snapshot_lookup(const struct eni_snapshot *s, const struct ip_addr *a, uint32_t h);

#endif
