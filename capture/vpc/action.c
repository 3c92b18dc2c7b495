/* action.c - the order AWS applies security groups and network ACLs in,
 * for one observation, and the words --explain uses for the outcome
 * (spec 5.1; EC2 user guide, "Security group connection tracking"; VPC
 * user guide, "Network ACLs").
 *
 * Owns the order and the same-subnet rule only: rules are secgroup.c's
 * and nacl.c's, connection state conntrack.c's. Never prints. */
#include "capture/vpc/action.h"

#include <stdio.h>
#include <string.h>

#include "capture/vpc/model.h"
#include "capture/vpc/nacl.h"
#include "capture/vpc/secgroup.h"
#include "formats/errbuf.h"

/* What the rules compare, made once per observation and only when some
 * rule is looked at (a tracked connection's packets often need none). */
struct probe {
	const struct pkt_meta *m;
	enum rule_dir d;
	bool made;
	struct rule_probe q;
};

static const struct rule_probe *probe(struct probe *p)
{
	if (!p->made) {
		rule_probe_of(p->m, p->d, &p->q);
		p->made = true;
	}
	return &p->q;
}

/* Network ACLs filter what enters or leaves the subnet: traffic between
 * two addresses of one subnet never meets them. The subnet's blocks when
 * Subnets describes it; else, two monitored ENIs with one SubnetId. */
static bool same_subnet(const struct eni *e, const struct rule_probe *q,
			const struct eni *peer)
{
	if (e->nedge > 0) {
		for (uint32_t i = 0; i < e->nedge; i++)
			if (ip_block_has(e->edge + i, q->a))
				return true;
		return false;
	}
	return peer && peer->meta.subnet_id && e->meta.subnet_id &&
	       strcmp(peer->meta.subnet_id, e->meta.subnet_id) == 0;
}

#define ACL_ALLOWS 0x8000u            /* in ct_entry.acl: the cached verdict allows */

/* The ACL's verdict on a packet of connection c: its addresses, ports and
 * protocol decide it, so it is worked out once per direction and kept in
 * c - except for ICMP, where type and code (not in the key) also count. */
static bool acl_stage(const struct eni *e, const struct eni *peer, struct probe *p,
		      struct ct_entry *c, struct verdict *v)
{
	bool ok = true;

	if (!e->acl) {
		v->acl = VERDICT_ACL_NONE;
		return true;
	}
	bool cache = c && !proto_is_icmp(p->m->proto);
	if (cache && c->acl[p->d]) {
		v->acl = (uint16_t)(c->acl[p->d] & ~ACL_ALLOWS);
		return (c->acl[p->d] & ACL_ALLOWS) != 0;
	}
	const struct rule_probe *q = probe(p);
	if (same_subnet(e, q, peer)) {
		v->acl = VERDICT_ACL_SAME_SUBNET;
	} else {
		uint32_t i = nacl_match_probe(e->acl, p->d, q);
		/* Past 32750 entries in one ACL (EC2 allows 40 per direction)
		 * the explanation can no longer name the entry. */
		v->acl = i == NACL_NO_ENTRY ? VERDICT_ACL_NO_ENTRY :
			 i < VERDICT_ACL_LOST - VERDICT_ACL_ENTRY ?
			 (uint16_t)(i + VERDICT_ACL_ENTRY) : VERDICT_ACL_LOST;
		ok = i != NACL_NO_ENTRY && e->acl->t->entries[i].allow;
	}
	if (cache)
		c->acl[p->d] = (uint16_t)(v->acl | (ok ? ACL_ALLOWS : 0));
	return ok;
}

/* The tracked connection of the packet, or NULL. */
static struct ct_entry *tracked(struct conntrack *ct, const struct pkt_meta *m, uint8_t dir,
				uint32_t now, const struct ct_key *k, uint32_t h)
{
	struct ct_key own;

	if (!k) {
		conntrack_key(dir, m, &own);
		k = &own;
		h = conntrack_hash(ct, k);
	}
	conntrack_expire(ct, now);
	struct ct_entry *c = conntrack_find(ct, k, h, now);
	/* A new connection on the 5-tuple of a closing one starts afresh. */
	if (c && c->cls == CTC_TCP_CLOSED && m->proto == 6 &&
	    (m->tcp_flags & (TH_SYN | TH_ACK)) == TH_SYN) {
		conntrack_drop(ct, c);
		c = NULL;
	}
	return c;
}

/* false when no rule allows the packet and no tracked connection does;
 * *cp: the connection, opened here if the rules allow a new one. */
static bool sg_stage(struct conntrack *ct, const struct vpc_model *model, const struct eni *e,
		     uint8_t dir, struct probe *p, uint32_t now, const struct ct_key *k,
		     uint32_t h, struct ct_entry **cp, struct verdict *v)
{
	struct ct_entry *c = *cp;
	struct ct_key own;

	if (c) {
		v->sg = dir == c->opener ? VERDICT_SG_RULE + c->why : VERDICT_SG_REPLY;
		conntrack_seen(ct, c, dir, p->m->tcp_flags, now);
		return true;
	}
	uint32_t ref = sg_match_probe(&model->sgs, e->sg, p->d, probe(p));
	if (ref == 0) {
		v->sg = VERDICT_SG_NO_RULE;
		return false;
	}
	v->sg = VERDICT_SG_RULE + ref - 1;
	if (!k) {
		conntrack_key(dir, p->m, &own);
		k = &own;
		h = conntrack_hash(ct, k);
	}
	/* Full table: the packet passes, its connection is not tracked. */
	if ((c = conntrack_open(ct, k, h, dir, ref - 1, now)) != NULL)
		conntrack_seen(ct, c, dir, p->m->tcp_flags, now);
	*cp = c;
	return true;
}

uint32_t action_prefetch(const struct conntrack *ct, const struct eni *e, uint8_t dir,
			 const struct pkt_meta *m, struct ct_key *k)
{
	if (!e->sg)
		return 0;
	conntrack_key(dir, m, k);
	uint32_t h = conntrack_hash(ct, k);
	conntrack_prefetch_bucket(ct, h);
	return h;
}

void action_decide(struct conntrack *ct, const struct vpc_model *model, const struct eni *e,
		   uint8_t dir, const struct eni *peer, const struct pkt_meta *m, uint32_t now,
		   const struct ct_key *k, uint32_t h, struct verdict *v)
{
	struct probe p;
	struct ct_entry *c = NULL;
	bool ok;

	memset(v, 0, sizeof(*v));
	if (!e->sg && !e->acl)
		return;
	p.m = m;
	p.d = dir == DIR_EGRESS ? RULE_OUT : RULE_IN;
	p.made = false;
	if (!e->sg) {
		ok = acl_stage(e, peer, &p, NULL, v);
	} else if (p.d == RULE_IN) {
		/* Looking the connection up changes nothing: it may come
		 * before the ACL, whose cached verdict it holds. */
		c = tracked(ct, m, dir, now, k, h);
		bool known = c != NULL;
		ok = acl_stage(e, peer, &p, c, v);
		if (!ok)
			v->sg = VERDICT_SG_NOT_REACHED;
		else
			ok = sg_stage(ct, model, e, dir, &p, now, k, h, &c, v);
		/* A connection opened now: keep the ACL's verdict that let it. */
		if (ok && !known && c && e->acl && !proto_is_icmp(m->proto))
			c->acl[p.d] = (uint16_t)(v->acl | ACL_ALLOWS);
	} else {
		c = tracked(ct, m, dir, now, k, h);
		ok = sg_stage(ct, model, e, dir, &p, now, k, h, &c, v);
		if (!ok)
			v->acl = e->acl ? VERDICT_ACL_NOT_REACHED : VERDICT_ACL_NONE;
		else
			ok = acl_stage(e, peer, &p, c, v);
	}
	v->action = ok ? ACTION_ACCEPT : ACTION_REJECT;
}

/* ---- --explain ------------------------------------------------------------ */

static void acl_text(const struct eni *e, enum rule_dir d, uint16_t why, char *buf, size_t cap,
		     size_t *len)
{
	const char *id = e->acl && e->acl->t->id ? e->acl->t->id : "(no NetworkAclId)";
	char t[256];

	switch (why) {
	case VERDICT_ACL_NONE:
		errbuf_append(buf, cap, len, "no network ACL for %s",
		    e->meta.subnet_id ? e->meta.subnet_id : "its subnet");
		break;
	case VERDICT_ACL_SAME_SUBNET:
		errbuf_append(buf, cap, len, "network ACL %s not crossed (%s in the same subnet)", id,
		    d == RULE_IN ? "source" : "destination");
		break;
	case VERDICT_ACL_NO_ENTRY:
		errbuf_append(buf, cap, len, "no %s entry of network ACL %s matches (denied)",
		    d == RULE_IN ? "inbound" : "outbound", id);
		break;
	case VERDICT_ACL_LOST:
		errbuf_append(buf, cap, len, "network ACL %s: an entry too far into it to name", id);
		break;
	default:
		nacl_describe(e->acl, (uint32_t)why - VERDICT_ACL_ENTRY, t, sizeof(t));
		errbuf_append(buf, cap, len, "network ACL %s", t);
	}
}

static void sg_text(const struct vpc_model *model, const struct eni *e, enum rule_dir d,
		    uint32_t why, char *buf, size_t cap, size_t *len)
{
	char t[256];

	switch (why) {
	case VERDICT_SG_NONE:
		errbuf_append(buf, cap, len, "security groups not evaluated (no group of the interface "
		    "is in SecurityGroups)");
		break;
	case VERDICT_SG_REPLY:
		errbuf_append(buf, cap, len, "security groups: reply to a tracked flow");
		break;
	case VERDICT_SG_NO_RULE:
		errbuf_append(buf, cap, len, "no %s rule of", d == RULE_IN ? "inbound" : "outbound");
		for (uint32_t i = 0; i < e->sg->ngroups; i++) {
			const char *id = model->topo.sgs[e->sg->groups[i]].id;
			errbuf_append(buf, cap, len, "%s %s", i ? "," : "", id ? id : "(no GroupId)");
		}
		errbuf_append(buf, cap, len, " allows it");
		break;
	default:
		sg_describe(&model->sgs, why - VERDICT_SG_RULE, t, sizeof(t));
		errbuf_append(buf, cap, len, "security group %s allows", t);
	}
}

void action_explain(const struct vpc_model *model, const struct eni *e, uint8_t dir,
		    const struct verdict *v, char *buf, size_t cap, size_t *len)
{
	enum rule_dir d = dir == DIR_EGRESS ? RULE_OUT : RULE_IN;
	bool acl = v->acl != VERDICT_ACL_NOT_REACHED, sg = v->sg != VERDICT_SG_NOT_REACHED;

	errbuf_append(buf, cap, len, "; %s: ", v->action == ACTION_REJECT ? "REJECT" : "ACCEPT");
	if (!e->sg && !e->acl) {
		errbuf_append(buf, cap, len, "security groups and network ACLs are not evaluated");
		return;
	}
	/* In the order they were met; a stage the packet never reached is
	 * left out. */
	if (d == RULE_IN && acl)
		acl_text(e, d, v->acl, buf, cap, len);
	if (d == RULE_OUT && sg)
		sg_text(model, e, d, v->sg, buf, cap, len);
	if (acl && sg)
		errbuf_append(buf, cap, len, "; ");
	if (d == RULE_IN && sg)
		sg_text(model, e, d, v->sg, buf, cap, len);
	if (d == RULE_OUT && acl)
		acl_text(e, d, v->acl, buf, cap, len);
}
