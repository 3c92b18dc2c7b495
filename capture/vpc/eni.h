/* eni.h - the monitored network interfaces and their addresses.
 *
 * An ENI owns a set of addresses (the first IPv4 given is the primary
 * private IPv4 that AWS writes in srcaddr/dstaddr) and the metadata fields
 * of its records. Without a topology the ids are deterministic AWS-shaped
 * placeholders derived from the primary address (see vpcflowemu(1)). */
#ifndef VFE_ENI_H
#define VFE_ENI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/addr.h"
#include "formats/record.h"

struct vpc_route_table;
struct sg_set;
struct nacl;
struct topo_subnet;
struct ip_block;

/* An ENI starts on a cache line (eni.c allocates it so): its first line
 * is what counting reads, the next two what writing each of its records
 * reads, asked for ahead by emit_write.c. */
struct eni {
	uint32_t interval;        /* aggregation interval, seconds */
	uint32_t nedge;
	/* Security groups and network ACL (vpc/action.c); NULL: not evaluated. */
	const struct sg_set *sg;
	const struct nacl *acl;
	const struct ip_block *edge;        /* its subnet's blocks: the ACL's edge */
	const struct topo_subnet *subnet;   /* in Subnets, or NULL */
	void *block;              /* what eni.c allocated, to free */
	_Alignas(64) struct ip_addr primary;  /* ENI side of srcaddr/dstaddr for IPv4 */
	bool has_primary;
	bool nitro;
	const struct vpc_route_table *rt;   /* the subnet's route table (topology) */
	struct eni_meta meta;     /* its line head first, to the end of line 2 */
	char interface_id[24];    /* placeholders (meta points here without */
	char account_id[16];      /* a topology) */
	char vpc_id[24];
	char subnet_id[28];
	char instance_id[24];
	/* From the topology (vpc/model.c); zero without one. */
	const char *instance_type;
	const char *nitro_why;    /* for --explain */
	char region[32];
	char sublocation_id[64];
	/* NODATA: windows before idle_from are accounted for (emit.c). */
	bool seen;
	uint32_t idle_from;
};

_Static_assert(offsetof(struct eni, primary) == 64 &&
	       offsetof(struct eni, meta) + offsetof(struct eni_meta, head) +
	       sizeof(((struct eni_meta *)0)->head) <= 192,
	       "an ENI's record fields take lines 1 and 2");

struct eni_addr_slot {
	struct ip_addr addr;
	uint32_t eni;             /* index + 1; 0 = empty slot */
};

/* At most this many ENIs in all: a flow's tag (emit.h) packs its ENI's
 * index in 22 bits, and emit.c sorts by rank in as many. */
#define ENI_LIMIT (1u << 22)

struct eni_table {
	struct eni **v;
	uint32_t *interval_of;    /* v[i]->interval, dense: read for every packet */
	uint32_t n, cap;
	uint32_t max_enis;        /* bound for ENIs made on the fly */
	struct eni_addr_slot *map;/* address -> ENI, open addressing */
	uint32_t mask, used;
	struct ip_mask *cidrs;    /* --vpc-cidr: every address inside is an ENI */
	uint32_t ncidrs;
	uint32_t outside;         /* mapped addresses in none of the cidrs */
	uint32_t interval;        /* for ENIs made on the fly */
	uint64_t refused;         /* addresses past max_enis */
	char placeholder_vpc[24];     /* their vpc-id and account-id */
	char placeholder_account[16];
};

int eni_table_init(struct eni_table *t, uint32_t interval);

/* Sets ENI i's aggregation interval (in its struct and in interval_of). */
void eni_set_interval(struct eni_table *t, uint32_t i, uint32_t interval);
void eni_table_free(struct eni_table *t);

/* A new ENI owning addrs; the first IPv4 among them is the primary.
 * Returns its index, or -1 (out of memory, or an address already taken). */
int eni_add(struct eni_table *t, const struct ip_addr *addrs, size_t n);

/* Makes every address inside p an ENI of its own when first seen. */
int eni_add_cidr(struct eni_table *t, const struct ip_prefix *p);

/* The ENI that owns a, or -1. May create one (vpc-cidr mode). */
int eni_lookup(struct eni_table *t, const struct ip_addr *a);

/* The same in two steps, for a batch of packets: the hash and a prefetch
 * of its slot when a packet is staged, the lookup when it is counted. Only
 * the hash is kept in between: the map may grow (vpc-cidr mode). */
uint32_t eni_hash(const struct ip_addr *a);
int eni_lookup_hashed(struct eni_table *t, const struct ip_addr *a, uint32_t h);

/* Whether a lies in one of the n blocks at c (--vpc-cidr). */
static inline bool eni_in_blocks(const struct ip_mask *c, uint32_t n, const struct ip_addr *a)
{
	for (uint32_t i = 0; i < n; i++)
		if (ip_mask_contains(c + i, a))
			return true;
	return false;
}

/* What an address map (map, mask) with the --vpc-cidr blocks c[0..nc)
 * says of address a (eni_hash() h): its ENI's index; -1, nobody's (with
 * the blocks and no mapped address outside them, an address outside them,
 * the internet side of most packets, is known to be nobody's by a mask
 * test, without probing); or ENI_ASK, inside the blocks and not mapped:
 * the table makes it an ENI. The table and its copies (eni_snapshot.h)
 * answer through it. */
#define ENI_ASK (-2)

static inline int eni_map_answer(const struct eni_addr_slot *map, uint32_t mask,
				 const struct ip_mask *c, uint32_t nc, bool outside,
				 const struct ip_addr *a, uint32_t h)
{
	bool inside = nc && eni_in_blocks(c, nc, a);

	if (nc && !inside && !outside)
		return -1;
	for (uint32_t i = h & mask; map[i].eni; i = (i + 1) & mask)
		if (ip_addr_eq(&map[i].addr, a))
			return (int)map[i].eni - 1;
	return inside ? ENI_ASK : -1;
}

static inline void eni_prefetch(const struct eni_table *t, uint32_t h)
{
	__builtin_prefetch(t->map + (h & t->mask));
}

/* An address list "ADDR[,ADDR...]" or "CIDR[,CIDR...]"; -1 and err (naming
 * the bad item) on error. out must hold max entries. */
int parse_addr_list(const char *s, struct ip_addr *out, size_t max, size_t *n,
		    char *err, size_t errlen);
int parse_prefix_list(const char *s, struct ip_prefix *out, size_t max, size_t *n,
		      char *err, size_t errlen);

/* IPv4 and IPv6 addresses of a local interface (live capture without a
 * topology); link-local IPv6 is left out. Returns the count, -1 on error. */
int eni_interface_addrs(const char *ifname, struct ip_addr *out, size_t max);

#endif
