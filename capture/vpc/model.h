/* model.h - the VPC as the emulator sees it: monitored ENIs with their
 * metadata, route tables, security groups and network ACLs, AWS service
 * ranges, the VPC blocks and the traffic AWS never logs. Built once from
 * the topology and ip-ranges.json (or from --local-ip / --vpc-cidr), then
 * read-only but for the ENIs that --vpc-cidr makes on the fly. */
#ifndef VFE_MODEL_H
#define VFE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/decode/decode.h"
#include "capture/vpc/eni.h"
#include "capture/vpc/nacl.h"
#include "capture/vpc/routes.h"
#include "capture/vpc/secgroup.h"
#include "capture/vpc/services.h"
#include "capture/vpc/topology.h"

/* Why a packet is not logged (PRODUCT.md section 3, spec section 10). */
enum unlogged {
	UNLOGGED_NO,
	UNLOGGED_DNS,           /* Amazon DNS: VPC base + 2, 169.254.169.253, fd00:ec2::253 */
	UNLOGGED_METADATA,      /* 169.254.169.254, fd00:ec2::254 */
	UNLOGGED_TIME_SYNC,     /* 169.254.169.123, fd00:ec2::123 */
	UNLOGGED_DHCP,          /* UDP 67/68, 546/547 */
	UNLOGGED_ROUTER,        /* VPC or subnet base + 1 */
	UNLOGGED_COUNT
};

struct vpc_model {
	struct topology topo;
	bool have_topo;
	struct services svc;
	bool have_svc;
	struct route_tables rts;
	size_t unresolved_prefix_lists;
	struct ip_mask *vpc_cidrs;      /* every VPC block (topology or --vpc-cidr) */
	size_t nvpc_cidrs;
	struct ip_addr *router;         /* base + 1 of each VPC block and subnet */
	size_t nrouter;
	struct ip_addr *dns;            /* base + 2 of each VPC block */
	size_t ndns;
	uint64_t unlogged_last[4];      /* last bytes of router and dns, a bit each */
	const struct topo_flow_log *flow_log;  /* the one naming an ENI most closely, else the first */
	struct secgroups sgs;           /* SecurityGroups, compiled per set of groups */
	struct nacls acls;              /* NetworkAcls, compiled */
	struct ip_block *edges;         /* every Subnets block as a mask (with ACLs) */
	size_t *edge_of;                /* per Subnets item: its first in edges */
	uint32_t nsg_enis;              /* ENIs with security groups to evaluate */
	uint32_t nacl_enis;             /* ENIs whose subnet has a network ACL */
};

struct model_options {
	const char *const *topology_files;
	size_t ntopology_files;
	const char *ip_ranges;          /* -R, or NULL */
	uint32_t interval;              /* 0: the flow log's, 60 on Nitro */
	const struct ip_prefix *cidrs;  /* --vpc-cidr */
	size_t ncidrs;
};

/* Loads the files and builds the model and the topology's ENIs into enis.
 * -1 and err (naming the file and position) on an input error. */
int model_build(struct vpc_model *m, struct eni_table *enis, const struct model_options *o,
		char *err, size_t errlen);
void model_free(struct vpc_model *m);

/* The aggregation interval of the ENIs: the flag, else the flow log's
 * MaxAggregationInterval, else 600; Nitro instances 60 (spec 9.1). */
uint32_t model_interval(const struct vpc_model *m, uint32_t flag, bool nitro);

enum unlogged model_unlogged(const struct vpc_model *m, const struct pkt_meta *p);
const char *unlogged_name(enum unlogged u);

/* Region from an Availability Zone name: "us-east-1a" -> "us-east-1",
 * "us-west-2-lax-1a" -> "us-west-2". false if it has no region shape. */
bool region_of_az(const char *az, char *region, size_t len);

#endif
