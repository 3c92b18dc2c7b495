/* action.h - ACCEPT or REJECT for one observation (a packet on one ENI in
 * one direction), and why (spec 5.1, PRODUCT.md section 3).
 *
 * Inbound: the subnet's network ACL, then the ENI's security groups.
 * Outbound: the security groups, then the network ACL. The ACL is skipped
 * when the other side is in the same subnet (it only filters traffic that
 * crosses the subnet's edge). Security groups allow the replies of tracked
 * connections whatever their rules say; the ACL judges every packet. */
#ifndef VFE_ACTION_H
#define VFE_ACTION_H

#include <stddef.h>
#include <stdint.h>

#include "capture/decode/decode.h"
#include "capture/vpc/conntrack.h"
#include "capture/vpc/eni.h"

struct vpc_model;

/* verdict.sg */
#define VERDICT_SG_NONE 0           /* the ENI has no security group to evaluate */
#define VERDICT_SG_REPLY 1          /* allowed as the reply to a tracked flow */
#define VERDICT_SG_NO_RULE 2        /* no rule of its groups allows it: REJECT */
#define VERDICT_SG_NOT_REACHED 3    /* inbound: the network ACL denied it first */
#define VERDICT_SG_RULE 16          /* + secgroups ref: that rule allows it */

/* verdict.acl */
#define VERDICT_ACL_NONE 0          /* no network ACL for the ENI's subnet */
#define VERDICT_ACL_SAME_SUBNET 1   /* the other side is in the subnet: not crossed */
#define VERDICT_ACL_NOT_REACHED 2   /* outbound: the security group denied it first */
#define VERDICT_ACL_NO_ENTRY 3      /* no entry matches: denied */
#define VERDICT_ACL_ENTRY 16        /* + index of the entry in topo_acl.entries */
#define VERDICT_ACL_LOST 0x7fff     /* an entry too far in to name */

/* Kept with each flow (its first packet's) for --explain. */
struct verdict {
	uint32_t sg;
	uint16_t acl;
	uint8_t action;               /* enum flow_action */
	uint8_t pad;
};

/* The observation's tracking key and hash (*k, returned), for
 * action_decide(); prefetches its bucket, a hint for a batch. 0 and *k
 * untouched when e has no security groups. */
uint32_t action_prefetch(const struct conntrack *ct, const struct eni *e, uint8_t dir,
			 const struct pkt_meta *m, struct ct_key *k);

/* The verdict of packet m seen on ENI e in direction dir at packet time
 * now. peer is the ENI at the other end when it is monitored too, else
 * NULL. k, h: from action_prefetch(), or NULL to compute them here. ct may
 * be NULL only when no ENI has security groups. */
void action_decide(struct conntrack *ct, const struct vpc_model *model, const struct eni *e,
		   uint8_t dir, const struct eni *peer, const struct pkt_meta *m, uint32_t now,
		   const struct ct_key *k, uint32_t h, struct verdict *v);

/* "; ACCEPT: network ACL acl-1 inbound rule 100 (...) allows; security
 * group sg-1 inbound rule 1 (tcp 22 from 0.0.0.0/0) allows", appended at
 * buf + *len (bounded by cap). */
void action_explain(const struct vpc_model *model, const struct eni *e, uint8_t dir,
		    const struct verdict *v, char *buf, size_t cap, size_t *len);

#endif
