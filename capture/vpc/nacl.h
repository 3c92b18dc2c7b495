/* nacl.h - network ACLs, compiled for matching (spec 5.1).
 *
 * Each NetworkAcls item becomes two entry lists, inbound and outbound,
 * sorted by RuleNumber; the first entry that matches decides, and when
 * none does the packet is denied (AWS lists that "*" entry as rule 32767).
 * Stateless: replies are judged again like any packet. A subnet uses the
 * ACL associated with it, else its VPC's default ACL (IsDefault). */
#ifndef VFE_NACL_H
#define VFE_NACL_H

#include <stddef.h>
#include <stdint.h>

#include "capture/decode/decode.h"
#include "capture/vpc/rulematch.h"
#include "capture/vpc/topology.h"

struct nacl_entry {
	struct ip_block block;
	uint32_t pos;                 /* index in topo_acl.entries */
	uint16_t lo, hi;              /* destination port, or ICMP type */
	uint16_t rule;                /* RuleNumber */
	int16_t proto;                /* TOPO_PROTO_ALL or the protocol number */
	uint8_t clo, chi;             /* ICMP code; 0..255 otherwise */
};

#define NACL_NO_ENTRY UINT32_MAX

/* The packet classes entries are split into: an entry is in the lists
 * of the classes its protocol can match (-1: all four). */
enum nacl_class { NACL_TCP, NACL_UDP, NACL_ICMP, NACL_OTHER, NACL_CLASSES };

/* Per direction, family (0 IPv4, 1 IPv6) and class, by RuleNumber: an
 * entry only ever matches packets of its CIDR's family (one without a
 * CIDR none at all), and a packet only needs its class's entries. */
struct nacl {
	const struct topo_acl *t;
	struct nacl_entry *e[RULE_DIRS][2][NACL_CLASSES];
	uint32_t n[RULE_DIRS][2][NACL_CLASSES];
};

struct nacls {
	struct nacl *v;               /* one per topology.acls item, same order */
	size_t n;
};

/* 0, or -1 out of memory (a is then empty). */
int nacls_build(struct nacls *a, const struct topology *t);
void nacls_free(struct nacls *a);

/* The ACL of subnet: the first that lists it in Associations, else the
 * first default ACL of vpc; NULL when neither exists (no ACL evaluation). */
const struct nacl *nacls_for_subnet(const struct nacls *a, const char *subnet,
				    const char *vpc);

/* The first entry (by RuleNumber) of direction dir that matches m: its
 * index in acl->t->entries, or NACL_NO_ENTRY when none does (denied). */
uint32_t nacl_match(const struct nacl *acl, enum rule_dir dir, const struct pkt_meta *m);
/* The same for a probe already made (rule_probe_of(m, dir, q)). */
uint32_t nacl_match_probe(const struct nacl *acl, enum rule_dir dir, const struct rule_probe *q);

/* "acl-0123 inbound rule 100 (tcp 22, 0.0.0.0/0) allows": entry pos. */
void nacl_describe(const struct nacl *acl, uint32_t pos, char *buf, size_t cap);

#endif
