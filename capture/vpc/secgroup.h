/* secgroup.h - security group rules, compiled for matching (spec 5.1).
 *
 * The groups an ENI carries (NetworkInterfaces[].Groups) that SecurityGroups
 * describes are compiled once into a set: per direction and per protocol
 * class (TCP, UDP, ICMP, ICMPv6, another protocol, all protocols) a list of
 * atoms, one per source of a rule: a CIDR, each CIDR of a prefix list, or
 * the members of a referenced group (UserIdGroupPairs: the private
 * addresses of the described ENIs that carry that group). ENIs with the
 * same groups share a set. Matching is stateless: any atom allows; tracking
 * is conntrack.c's, the order of checks action.c's. */
#ifndef VFE_SECGROUP_H
#define VFE_SECGROUP_H

#include <stddef.h>
#include <stdint.h>

#include "capture/decode/decode.h"
#include "capture/vpc/rulematch.h"
#include "capture/vpc/topology.h"

struct services;

enum sg_class { SGC_TCP, SGC_UDP, SGC_ICMP, SGC_ICMPV6, SGC_OTHER, SGC_ALL, SGC_COUNT };

enum sg_source { SGS_CIDR, SGS_PREFIX_LIST, SGS_GROUP };

/* Where an atom came from: what --explain names. */
struct sg_ref {
	uint32_t group;               /* index in topology.sgs */
	uint32_t rule;                /* index in its IpPermissions / IpPermissionsEgress */
	uint32_t src;                 /* index in the rule's cidrs, prefix_lists or groups */
	uint8_t dir;                  /* enum rule_dir */
	uint8_t kind;                 /* enum sg_source */
};

#define SG_NO_MEMBERS UINT32_MAX

struct sg_atom {
	struct ip_block block;        /* CIDR atoms */
	uint32_t members;             /* SG_NO_MEMBERS, or a secgroups.members index */
	uint32_t ref;                 /* index in secgroups.refs */
	uint16_t lo, hi;              /* destination port, or ICMP type */
	uint8_t clo, chi;             /* ICMP code; 0..255 otherwise */
	uint8_t family;               /* 4 or 6; 0 for members (either) */
	uint8_t proto;                /* SGC_OTHER: the protocol number */
};

/* Atoms in ref order, and an index on the destination port (or ICMP
 * type): segment k is [cut[k], cut[k + 1]) and the atoms whose range holds
 * all of it are v[at[first[k]]], ..., v[at[first[k + 1] - 1]], still in
 * ref order. cut is NULL (scan every atom) when the index would pass
 * SG_INDEX_MAX(n) entries: many wide ranges over many narrow ones. */
struct sg_list {
	struct sg_atom *v;
	uint32_t n, cap;
	uint32_t *cut;                /* ncut + 1 values, 0 .. 65536 */
	uint32_t *first;              /* ncut + 1 offsets into at */
	uint32_t *at;
	uint32_t ncut;
};

#define SG_INDEX_MAX(n) (64u * (n) + 4096u)

struct sg_set {
	uint32_t *groups;             /* indexes in topology.sgs, in the ENI's order */
	uint32_t ngroups;
	struct sg_list l[RULE_DIRS][SGC_COUNT];
};

/* The private addresses of the described ENIs that carry group id. */
struct sg_members {
	const char *group;
	struct ip_addr *v;            /* sorted, no repeats */
	size_t n;
};

struct secgroups {
	const struct topology *topo;
	const struct services *svc;   /* ip-ranges.json for prefix lists, or NULL */
	struct sg_set **sets;
	size_t nsets;
	struct sg_ref *refs;
	size_t nrefs, caprefs;
	struct sg_members *members;
	size_t nmembers;
	size_t unresolved;            /* PrefixListIds that resolve to no CIDR */
	size_t atoms;                 /* in every set */
};

void secgroups_init(struct secgroups *s, const struct topology *t, const struct services *svc);
void secgroups_free(struct secgroups *s);

/* The set of the groups te names that SecurityGroups describes (the first
 * description of an id; repeated ids once). *out is NULL when it names none
 * of them: that ENI has no security group evaluation. -1 out of memory. */
int secgroups_for_eni(struct secgroups *s, const struct topo_eni *te,
		      const struct sg_set **out);

/* The first atom of set (groups in the ENI's order, then rules, then
 * sources) that allows m in direction dir: its ref index + 1; 0 when none
 * does. IPv4 blocks never match IPv6 packets, nor the reverse. */
uint32_t sg_match(const struct secgroups *s, const struct sg_set *set, enum rule_dir dir,
		  const struct pkt_meta *m);
/* The same for a probe already made (rule_probe_of(m, dir, q)). */
uint32_t sg_match_probe(const struct secgroups *s, const struct sg_set *set, enum rule_dir dir,
			const struct rule_probe *q);

/* "sg-0123 inbound rule 2 (tcp 22 from 0.0.0.0/0)": the text of ref. */
void sg_describe(const struct secgroups *s, uint32_t ref, char *buf, size_t cap);

/* "tcp 22", "udp 1024-65535", "icmp type 8", "all traffic": the protocol
 * and range part shared with nacl.c. */
void rule_proto_text(int proto, int from, int to, char *buf, size_t cap);

#endif
