/* eni_snapshot.c - copies of the ENI table's address map (eni_snapshot.h). */
#include "capture/vpc/eni_snapshot.h"

#include <string.h>

#include "formats/mem.h"

struct eni_snapshot *eni_snapshot_make(const struct eni_table *t, uint32_t gen)
{
	size_t slots = (size_t)t->mask + 1;
	struct eni_snapshot *s = vfe_malloc(sizeof(*s) + slots * sizeof(s->slot[0]));

	if (!s)
		return NULL;
	s->gen = gen;
	s->used = t->used;
	s->mask = t->mask;
	s->ncidrs = t->ncidrs;
	s->cidrs = t->cidrs;
	s->outside = t->outside != 0;
	memcpy(s->slot, t->map, slots * sizeof(s->slot[0]));
	return s;
}

int eni_snapshot_lookup(const struct eni_snapshot *s, const struct ip_addr *a, uint32_t h)
{
	return eni_map_answer(s->slot, s->mask, s->cidrs, s->ncidrs, s->outside, a, h);
}
