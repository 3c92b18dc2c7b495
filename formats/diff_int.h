/* diff_int.h - internals shared by diff.c (API), diff_intern.c (lookup
 * tables), diff_read.c (reading), diff_match.c (matching), diff_cause.c
 * (field verdicts, causes) and diff_report.c. Not part of the formats/ API. */
#ifndef VFE_DIFF_INT_H
#define VFE_DIFF_INT_H

#include <stddef.h>
#include <stdint.h>

#include "formats/addr.h"
#include "formats/diff.h"

#define DIFF_NCMP 10
extern const uint8_t diff_cmp_fields[DIFF_NCMP];

/* tcp-flags "-": above the 8 bits of any OR. */
#define DIFF_TCP_DASH 0x100u

/* Largest start/end accepted (year 36812): sums with slack cannot overflow. */
#define DIFF_TIME_MAX ((uint64_t)1 << 40)

/* The matching key: fixed size, zeroed, explicit padding, compared with
 * memcmp (an order that is consistent on both sides, not a display order). */
struct dkey {
	uint32_t iface;         /* canonical interned interface id */
	uint16_t sport, dport;
	uint8_t proto;
	uint8_t dir;            /* 0 none, 1 ingress, 2 egress; 0 when not matched on */
	uint8_t pad[2];
	struct ip_addr src, dst;
};

/* An interned value that differs between the records of one span. */
#define DIFF_MIXED UINT32_MAX

/* One flow record (log-status OK): ~104 bytes. Multi-valued fields are
 * bit sets so that a span's values merge with OR. */
struct drec {
	struct dkey k;
	int64_t start, end;
	uint64_t packets, bytes;
	uint32_t svc[2];        /* pkt-src/dst-aws-service: interned index + 1, 0 "-" */
	uint32_t pkt[2];        /* pkt-srcaddr/dstaddr: interned index + 1, 0 "-" */
	uint16_t path;          /* bit v for traffic-path v, bit 0 for "-" */
	uint16_t tcp;           /* OR of the flags, DIFF_TCP_DASH for "-" */
	uint8_t action;         /* bit 0 ACCEPT, 1 REJECT, 2 "-" */
	uint8_t type;           /* bit 0 IPv4, 1 IPv6, 2 EFA, 3 "-" */
};

/* One side's records of one span, merged. */
struct agg {
	uint64_t packets, bytes;
	uint64_t in_packets, in_bytes;  /* over records clear of the edge zones */
	uint16_t path, tcp, in_tcp;
	uint8_t action, type;
	uint32_t svc[2], pkt[2];
	uint8_t sets_differ;            /* a[0]: bit k, set field k is DIFF_MIXED on
					 * both sides with different values */
	size_t n;
	int edge;                       /* a record touches an edge zone */
};

/* The single-valued fields that can take several values in one span, by
 * index: 0 pkt-src-aws-service, 1 pkt-dst-aws-service, 2 pkt-srcaddr,
 * 3 pkt-dstaddr. */
#define DIFF_NSET 4

static inline uint32_t diff_set_value(const uint32_t svc[2], const uint32_t pkt[2], int k)
{
	return k < 2 ? svc[k] : pkt[k - 2];
}

struct side {
	struct drec *v;
	size_t n, cap;
};

/* A NODATA or SKIPDATA record. */
struct dstat {
	uint32_t iface;
	uint8_t side, skip;
	int64_t start, end;
};

struct strtab {
	char **s;
	uint32_t *canon;        /* --map-eni: index compared as */
	uint32_t *mapped_from;  /* (first 2*nmap entries) index + 1 mapped onto it */
	uint32_t n, cap;
	uint32_t *slots;
	size_t nslots;
	uint64_t seed;
};

struct addrtab {
	struct ip_addr *v;
	uint32_t n, cap;
	uint32_t *slots;
	size_t nslots;
	uint64_t seed;
};

struct diff_result {
	struct diff_options opt;
	const char *path[2];
	struct side sides[2];
	struct strtab ifaces, svc;
	struct addrtab addrs;
	uint64_t have[2];       /* fields present in every layout of the side */
	struct dstat *stat;
	size_t nstat, stat_cap;
	char **notes;
	size_t nnotes, notes_cap;
	char **names;           /* display name per interned interface */
	size_t nnames;
	struct diff_item *items;
	size_t nitems, items_cap;
	struct diff_eni_status *enis;
	size_t nenis;
	struct diff_summary sum;
};

/* diff_intern.c: index of s[0..n) (added when new), -1 when out of memory;
 * index + 1 of an address (0 is kept for "-"), -1 when out of memory. */
int64_t diff_strtab_intern(struct strtab *t, const char *s, size_t n);
void diff_strtab_free(struct strtab *t);
int64_t diff_addrtab_intern(struct addrtab *t, const struct ip_addr *a);
void diff_addrtab_free(struct addrtab *t);

/* diff_read.c: appends the records of one side's files to r. */
int diff_read_side(struct diff_result *r, int side, const char *path,
		   const struct log_format *layout, char *err, size_t errlen);

/* diff_match.c: sorts, matches, fills items, enis and sum. */
int diff_match(struct diff_result *r, char *err, size_t errlen);

/* diff_cause.c: a[0] expected, a[1] actual. */
int diff_field_differs(const struct diff_result *r, enum field_id f, const struct agg *a,
		       const char **cause);
/* a: the aggregate of the records v[0..nv); a set field with several
 * values lists them, in record order, joined by ','. */
void diff_fmt_value(const struct diff_result *r, enum field_id f, const struct agg *a,
		    const struct drec *v, size_t nv, char *buf, size_t n);
const char *diff_cause_reserved(const struct dkey *k);
const char *diff_cause_edge(void);

#endif
