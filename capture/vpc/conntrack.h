/* conntrack.h - security group connection tracking, one table for every
 * ENI (EC2 user guide, "Security group connection tracking"; spec 5.1).
 *
 * A connection is keyed on (local address and port, remote address and
 * port, protocol), local being the ENI's side, so both directions of it
 * find the same entry; no two ENIs share an address, so the local address
 * also names the ENI. The entry remembers which direction opened it and
 * the rule that allowed that. Time is packet time. Idle timeouts are EC2's
 * defaults where AWS documents one; the others are our choice
 * (vpcflowemu(1) lists them).
 *
 * Memory is bounded, stated in advance: at most max entries of 64 bytes
 * (one cache line: what every packet reads) and 12 bytes (the expiry
 * lists: touched when a connection opens, changes class or times out),
 * taken from two pools as connections need them, plus a bucket index that
 * doubles with the live entries up to the next power of two >= max words
 * (conntrack_bound()). A connection that finds the table full is not
 * tracked and is counted in refused; its replies meet the rules alone. */
#ifndef VFE_CONNTRACK_H
#define VFE_CONNTRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/decode/decode.h"
#include "formats/addr.h"

#define CT_TCP_ESTABLISHED 432000u  /* EC2 default tcpEstablishedTimeout, 5 days */
#define CT_TCP_CLOSED 10u           /* after a RST or a FIN each way; not refreshed */
#define CT_UDP 30u                  /* EC2 default udpTimeout: one way, or one
                                     * request and its response */
#define CT_UDP_STREAM 180u          /* EC2 default udpStreamTimeout: more than one
                                     * request-response transaction */
#define CT_ICMP 30u                 /* not documented: as udpTimeout */
#define CT_OTHER 600u               /* "other protocols ... within 600 seconds" */

enum ct_class { CTC_TCP, CTC_TCP_CLOSED, CTC_UDP, CTC_UDP_STREAM, CTC_ICMP, CTC_OTHER,
		CTC_COUNT };

struct ct_key {
	struct ip_addr local, remote; /* the ENI's side, the other side */
	uint16_t lport, rport;        /* 0 for protocols without ports */
	uint8_t proto;
	uint8_t pad[3];               /* always 0: keys are hashed whole */
};

_Static_assert(sizeof(struct ct_key) == 40, "ct_key has hidden padding");

/* The key's fields first, in the key's layout (ct_key's first 37 bytes). */
struct ct_entry {
	struct ip_addr local, remote;
	uint16_t lport, rport;
	uint8_t proto;
	uint8_t opener;               /* enum flow_dir of the opening packet */
	uint8_t cls;                  /* enum ct_class */
	uint8_t flags;                /* FIN seen each way, last was a reply, UDP turns */
	uint32_t chain;               /* next in the bucket: index + 1, 0 = end */
	uint32_t last;                /* packet time of the last packet (closing:
	                               * of the close) */
	uint32_t why;                 /* the rule that allowed the opening packet */
	uint16_t acl[2];              /* for action.c: per enum rule_dir, the network
	                               * ACL's verdict, cached; 0 = none yet */
	uint8_t spare[8];
};

_Static_assert(sizeof(struct ct_entry) == 64, "ct_entry is one cache line");

/* An entry's place in its class's list, by queued time. */
struct ct_link {
	uint32_t prev, next;          /* index + 1, 0 = end */
	uint32_t queued;              /* when it joined its list's tail */
};

struct conntrack {
	void *pool;                   /* as allocated */
	struct ct_entry *e;           /* max entries in it, 64-byte aligned */
	struct ct_link *link;         /* max, one per entry */
	uint32_t max;
	uint32_t top;                 /* pool entries ever used */
	uint32_t free_head;           /* index + 1, 0 = none */
	uint32_t count, peak;         /* live entries, and their most */
	uint32_t *bucket;             /* index + 1 of the first entry, 0 = empty */
	uint32_t mask;
	uint32_t max_buckets;
	uint32_t swept;               /* packet time of the last expiry sweep */
	uint64_t seed;
	uint32_t head[CTC_COUNT], tail[CTC_COUNT];
	uint64_t opened;              /* connections tracked */
	uint64_t refused;             /* connections not tracked: the table was full */
	uint64_t expired;             /* entries that timed out or closed */
};

/* max 1..2^30. 0, or -1 out of memory. */
int conntrack_init(struct conntrack *ct, uint32_t max, uint64_t seed);
void conntrack_free(struct conntrack *ct);

/* Bytes a table of max entries can take, at most. */
uint64_t conntrack_bound(uint32_t max);

/* The key of packet m seen on its ENI in direction dir (enum flow_dir). */
void conntrack_key(uint8_t dir, const struct pkt_meta *m, struct ct_key *k);
uint32_t conntrack_hash(const struct conntrack *ct, const struct ct_key *k);

/* Drops the entries idle past their timeout at time now, oldest first
 * (once per second of packet time; find() is exact in between). */
void conntrack_sweep(struct conntrack *ct, uint32_t now);

static inline void conntrack_expire(struct conntrack *ct, uint32_t now)
{
	if (now > ct->swept)
		conntrack_sweep(ct, now);
}

/* Hints for a batch: the bucket of h, then its first entry. Results never
 * depend on them. */
void conntrack_prefetch_bucket(const struct conntrack *ct, uint32_t h);
void conntrack_prefetch_entry(const struct conntrack *ct, uint32_t h);

/* The live entry of k, or NULL; one found timed out is dropped then. */
struct ct_entry *conntrack_find(struct conntrack *ct, const struct ct_key *k, uint32_t h,
				uint32_t now);

/* A new entry for k (not in the table), opened in direction dir by a
 * packet that rule why allowed. NULL, counted in refused, when full. The
 * opening packet still needs conntrack_seen(). */
struct ct_entry *conntrack_open(struct conntrack *ct, const struct ct_key *k, uint32_t h,
				uint8_t dir, uint32_t why, uint32_t now);

/* A packet of e in direction dir at now: refreshes it; a TCP RST, or a FIN
 * each way, closes it (CT_TCP_CLOSED from now on); UDP becomes a stream
 * after its second request-response transaction (three turns). */
void conntrack_seen(struct conntrack *ct, struct ct_entry *e, uint8_t dir, uint8_t tcp_flags,
		    uint32_t now);

/* Drops e now (a new connection reuses a closing one's 5-tuple). */
void conntrack_drop(struct conntrack *ct, struct ct_entry *e);

#endif
