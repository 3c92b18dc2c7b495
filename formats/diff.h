/* diff.h - compares two sets of flow logs (EXPECTED, usually emulated, and
 * ACTUAL, usually delivered by AWS) and explains why they differ.
 *
 * PRODUCT.md section 6; spec/vpc-flow-logs.md 4 (tcp-flags OR), 6
 * (traffic-path), 9.2 (windows, up to 60 s of lag), 10 (never logged). */
#ifndef VFE_DIFF_H
#define VFE_DIFF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "formats/addr.h"
#include "formats/fields.h"
#include "formats/format.h"

struct diff_eni_map {
	const char *from;       /* interface id as it appears in a log */
	const char *to;         /* the id it is compared as */
};

struct diff_options {
	/* Layout of headerless files (-f); NULL: the header or AWS default. */
	const struct log_format *layout_expected, *layout_actual;
	int64_t slack;          /* seconds of lag and window skew; 60 by default */
	uint64_t tol_abs;       /* packets/bytes tolerance, absolute ... */
	double tol_pct;         /* ... or percent of the larger side when tol_is_pct */
	int tol_is_pct;
	uint64_t ignore;        /* bit (1 << field_id): fields not compared */
	const struct diff_eni_map *map;
	size_t nmap;
};

/* Defaults: slack 60, exact, nothing ignored, no map. */
void diff_options_init(struct diff_options *o);

/* "N" (absolute) or "N%" (N may have a fraction). 0 or -1 with err. */
int diff_tolerance_parse(const char *s, struct diff_options *o, char *err, size_t errlen);

/* Sets the ignore bit of the field token s. 0 or -1 with err (unknown
 * field, or one that diff matches on and cannot ignore). */
int diff_ignore_parse(const char *s, struct diff_options *o, char *err, size_t errlen);

enum diff_kind {
	DIFF_ONLY_EXPECTED,     /* flow present only in EXPECTED */
	DIFF_ONLY_ACTUAL,       /* flow present only in ACTUAL */
	DIFF_FIELD,             /* flow in both; field differs */
};

/* One difference. Values are text as a flow log shows them, several values
 * of the span joined by ','. */
struct diff_item {
	enum diff_kind kind;
	enum field_id field;            /* DIFF_FIELD only */
	int incomplete;                 /* a SKIPDATA window covers it: not counted */
	const char *interface_id;       /* "A=B" when --map-eni paired them */
	struct ip_addr srcaddr, dstaddr;
	uint16_t srcport, dstport;
	uint8_t protocol;
	uint8_t direction;              /* 0 unknown/not matched on, 1 ingress, 2 egress */
	int64_t start, end;             /* the span compared, over both sides */
	uint64_t packets[2], bytes[2];  /* [0] EXPECTED, [1] ACTUAL, over the span */
	char value[2][64];              /* DIFF_FIELD: the two values */
	const char *cause;              /* likely cause, or NULL */
};

/* Per interface and side: records of no flow (spec 5.2). */
struct diff_eni_status {
	const char *interface_id;
	int side;                       /* 0 EXPECTED, 1 ACTUAL */
	uint64_t nodata, skipdata;
	int64_t skip_start, skip_end;   /* range covered by its SKIPDATA windows */
};

struct diff_summary {
	uint64_t records[2];            /* flow records read */
	uint64_t nodata[2], skipdata[2];
	uint64_t outside[2];            /* records outside the common time range */
	int64_t common_start, common_end;
	uint64_t matched;               /* spans present on both sides */
	uint64_t only[2];               /* spans on one side only (counted) */
	uint64_t differing;             /* matched spans with >= 1 differing field */
	uint64_t by_field[FLD_COUNT];   /* differing matched spans, per field */
	uint64_t incomplete;            /* differences under SKIPDATA, not counted */
	uint64_t compared;              /* bit (1 << field_id) of compared fields */
	int direction_matched;          /* 1 when flow-direction is part of the key */
	uint64_t matched_on;            /* bit (1 << field_id) of the key fields used:
					 * those of interface-id, srcaddr, dstaddr,
					 * srcport, dstport, protocol, flow-direction
					 * that both sides have */
};

struct diff_result;

/* Reads both sides fully and compares them. Returns 0 and *out, or -1 with
 * a one-line message in err ("PATH:LINE: ..." for malformed input). */
int diff_run(const char *expected, const char *actual, const struct diff_options *o,
	     struct diff_result **out, char *err, size_t errlen);

/* 1 when nothing counted differs (SKIPDATA-covered differences aside). */
int diff_equivalent(const struct diff_result *r);
const struct diff_summary *diff_get_summary(const struct diff_result *r);
/* Differences in output order: interface, addresses, ports, protocol,
 * direction, start, kind, field. */
size_t diff_item_count(const struct diff_result *r);
const struct diff_item *diff_get_item(const struct diff_result *r, size_t i);
size_t diff_eni_count(const struct diff_result *r);
const struct diff_eni_status *diff_get_eni(const struct diff_result *r, size_t i);
/* The path given for side 0 (EXPECTED) or 1 (ACTUAL). */
const char *diff_get_path(const struct diff_result *r, int side);
/* Reader notes (skipped files) of both sides, "PATH: skipped, ...". */
size_t diff_note_count(const struct diff_result *r);
const char *diff_get_note(const struct diff_result *r, size_t i);
void diff_free(struct diff_result *r);

/* diff_report.c: the readable report, or one JSON document. 0, or -1 on a
 * write error. */
int diff_print_text(const struct diff_result *r, FILE *f);
int diff_print_json(const struct diff_result *r, FILE *f);

#endif
