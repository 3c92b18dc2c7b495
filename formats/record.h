/* record.h - the output data model: one VPC flow log record.
 *
 * capture/ fills a vpc_record; formats/ renders, writes, parses and compares
 * it. Field meanings follow spec/vpc-flow-logs.md section 2. A field that is
 * unknown renders as "-": NULL strings, FLD_UNSET numbers. */
#ifndef VFE_RECORD_H
#define VFE_RECORD_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/addr.h"

enum log_status { LOG_OK, LOG_NODATA, LOG_SKIPDATA };
enum flow_action { ACTION_ACCEPT, ACTION_REJECT };
enum flow_dir { DIR_NONE, DIR_INGRESS, DIR_EGRESS };

/* traffic-path 1..8 (spec 6.2); 0 renders "-". */
#define TRAFFIC_PATH_NONE 0

/* tcp-flags: 0..31 by the AWS rule (spec 4.2). */
#define TCP_FLAGS_UNSET 0xff

/* Metadata of the logged interface and of the flow log, shared by every
 * record of that ENI. Strings are NUL-terminated; NULL renders "-". */
struct eni_meta {
	/* render_seal_head(): the line's leading fields that are the same in
	 * every record of this ENI (version, ids, region...), as text for
	 * the format head_fmt. First, as every record reads them: an ENI
	 * (vpc/eni.h) keeps them on the cache line after its address. */
	const void *head_fmt;
	uint8_t head_fields;
	uint8_t head_len;
	bool head_then_default;         /* srcaddr..log-status follow the head */
	bool default_then_v5;           /* and then v5's four, to the end */
	char head[84];
	const char *account_id;
	const char *interface_id;
	const char *vpc_id;
	const char *subnet_id;
	const char *instance_id;
	const char *region;
	const char *az_id;
	const char *sublocation_type;
	const char *sublocation_id;
	const char *interface_type;     /* v11 interface-type */
	const char *resource_id;        /* v9 */
	const char *instance_tag[2];    /* v11 tag fields */
	const char *interface_tag[2];
	const char *asg_tag[2];
	const char *ecs[10];            /* v7, in spec order 2.5 */
	bool safe;                      /* render_seal_meta(): the ids, region and
					 * az-id need no %XX */
};

struct vpc_record {
	const struct eni_meta *meta;
	uint8_t status;                 /* enum log_status */
	uint8_t action;                 /* enum flow_action (OK records) */
	uint8_t direction;              /* enum flow_dir */
	uint8_t traffic_path;           /* TRAFFIC_PATH_NONE or 1..8 */
	uint8_t tcp_flags;              /* TCP_FLAGS_UNSET or the OR */
	uint8_t family;                 /* 4 or 6; type = IPv4 / IPv6 */
	uint8_t protocol;               /* IANA number */
	uint16_t srcport, dstport;
	struct ip_addr srcaddr, dstaddr;        /* ENI side substituted */
	struct ip_addr pkt_srcaddr, pkt_dstaddr;/* as in the IP header */
	uint64_t packets, bytes;
	int64_t start, end;             /* Unix seconds */
	const char *pkt_src_aws_service;/* NULL renders "-" */
	const char *pkt_dst_aws_service;
	const char *reject_reason;
	const char *next_hop[5];        /* v11 next-hop-* in spec order */
	int8_t encryption_status;       /* -1 renders "-" */
};

/* A record of no flow (NODATA, SKIPDATA): PRODUCT.md section 3 says which
 * fields are filled; render() prints "-" for the rest. */
static inline int record_is_flow(const struct vpc_record *r)
{
	return r->status == LOG_OK;
}

#endif
