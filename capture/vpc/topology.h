/* topology.h - what `aws ec2 describe-*` printed, as plain C structs.
 *
 * topology_load() reads one JSON file (the AWS CLI output, unchanged) and
 * merges its top-level keys into the model; several files merge. Only the
 * keys of PRODUCT.md section 4 are read, unknown keys are ignored. Nothing
 * here decides anything about packets: vpc/model.c does. Every string is
 * owned by the topology (vfe_malloc) and freed by topology_free(). */
#ifndef VFE_TOPOLOGY_H
#define VFE_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "formats/addr.h"

struct topo_eni {                 /* NetworkInterfaces[] */
	char *id;                     /* NetworkInterfaceId */
	char *owner;                  /* OwnerId -> account-id */
	char *subnet;                 /* SubnetId */
	char *vpc;                    /* VpcId */
	char *az;                     /* AvailabilityZone, e.g. us-east-1a */
	char *instance;               /* Attachment.InstanceId, or NULL */
	char *interface_type;         /* InterfaceType: interface, nat_gateway, ... */
	bool requester_managed;       /* RequesterManaged */
	struct ip_addr *v4;           /* PrivateIpAddresses[]: the Primary one first */
	size_t nv4;
	struct ip_addr *v6;           /* Ipv6Addresses[].Ipv6Address */
	size_t nv6;
	char **groups;                /* Groups[].GroupId */
	size_t ngroups;
};

struct topo_instance {            /* Reservations[].Instances[] or Instances[] */
	char *id;                     /* InstanceId */
	char *type;                   /* InstanceType, e.g. t3.micro */
	char *az;                     /* Placement.AvailabilityZone */
	char *owner;                  /* Reservations[].OwnerId when present */
	struct topo_eni *enis;        /* NetworkInterfaces[] (same keys as above;
	                               * SubnetId/VpcId/AZ inherited if absent) */
	size_t nenis;
};

struct topo_vpc {                 /* Vpcs[] */
	char *id;                     /* VpcId */
	char *owner;                  /* OwnerId */
	struct ip_prefix *cidrs;      /* CidrBlock + CidrBlockAssociationSet[].CidrBlock
	                               * + Ipv6CidrBlockAssociationSet[].Ipv6CidrBlock */
	size_t ncidrs;
};

struct topo_subnet {              /* Subnets[] */
	char *id;                     /* SubnetId */
	char *vpc;                    /* VpcId */
	char *az;                     /* AvailabilityZone */
	char *az_id;                  /* AvailabilityZoneId -> az-id */
	char *outpost_arn;            /* OutpostArn -> sublocation outpost */
	struct ip_prefix *cidrs;      /* CidrBlock + Ipv6CidrBlockAssociationSet[] */
	size_t ncidrs;
};

enum route_target {
	RT_UNKNOWN,
	RT_LOCAL,                     /* GatewayId "local" */
	RT_IGW,                       /* GatewayId igw-... */
	RT_EIGW,                      /* EgressOnlyInternetGatewayId eigw-... */
	RT_VPCE,                      /* GatewayId vpce-... (gateway endpoint) */
	RT_VGW,                       /* GatewayId vgw-... */
	RT_NAT,                       /* NatGatewayId */
	RT_TGW,                       /* TransitGatewayId */
	RT_LGW,                       /* LocalGatewayId */
	RT_PCX,                       /* VpcPeeringConnectionId */
	RT_ENI,                       /* NetworkInterfaceId or InstanceId */
	RT_CARRIER,                   /* CarrierGatewayId */
	RT_CORE_NETWORK,              /* CoreNetworkArn */
};

struct topo_route {               /* RouteTables[].Routes[] */
	struct ip_prefix dst;         /* DestinationCidrBlock / DestinationIpv6CidrBlock */
	bool has_dst;
	char *prefix_list;            /* DestinationPrefixListId, or NULL */
	enum route_target kind;
	char *target;                 /* the id named by the target key */
	bool blackhole;               /* State "blackhole" */
};

struct topo_route_table {         /* RouteTables[] */
	char *id;                     /* RouteTableId */
	char *vpc;                    /* VpcId */
	bool main;                    /* Associations[].Main */
	char **subnets;               /* Associations[].SubnetId */
	size_t nsubnets;
	struct topo_route *routes;
	size_t nroutes;
};

struct topo_prefix_list {         /* PrefixLists[] */
	char *id;                     /* PrefixListId */
	char *name;                   /* PrefixListName, e.g. com.amazonaws.us-east-1.s3 */
	struct ip_prefix *cidrs;      /* Cidrs[] */
	size_t ncidrs;
};

struct topo_peering {             /* VpcPeeringConnections[] */
	char *id;                     /* VpcPeeringConnectionId */
	char *accepter_vpc, *accepter_region;    /* AccepterVpcInfo.VpcId / .Region */
	char *requester_vpc, *requester_region;  /* RequesterVpcInfo.VpcId / .Region */
};

struct topo_flow_log {            /* FlowLogs[] */
	char *id;                     /* FlowLogId */
	char *resource;               /* ResourceId */
	char *format;                 /* LogFormat */
	char *traffic_type;           /* TrafficType: ACCEPT, REJECT, ALL */
	uint32_t max_interval;        /* MaxAggregationInterval; 0 = absent */
	char *file_format;            /* DestinationOptions.FileFormat */
	bool hive;                    /* DestinationOptions.HiveCompatiblePartitions */
	bool per_hour;                /* DestinationOptions.PerHourPartition */
};

/* IpProtocol (security groups) and Protocol (network ACLs): "-1" is every
 * protocol; names and numbers become the IP protocol number. */
#define TOPO_PROTO_ALL (-1)

struct topo_sg_rule {             /* IpPermissions[] / IpPermissionsEgress[] */
	int proto;                    /* IpProtocol: TOPO_PROTO_ALL or 0..255 */
	int from, to;                 /* FromPort, ToPort (ICMP: type, code); -1 = all
	                               * or absent */
	struct ip_prefix *cidrs;      /* IpRanges[].CidrIp, Ipv6Ranges[].CidrIpv6 */
	size_t ncidrs;
	char **prefix_lists;          /* PrefixListIds[].PrefixListId */
	size_t nprefix_lists;
	char **groups;                /* UserIdGroupPairs[].GroupId */
	size_t ngroups;
};

struct topo_sg {                  /* SecurityGroups[] */
	char *id;                     /* GroupId */
	char *vpc;                    /* VpcId */
	struct topo_sg_rule *in;      /* IpPermissions */
	size_t nin;
	struct topo_sg_rule *out;     /* IpPermissionsEgress */
	size_t nout;
};

struct topo_acl_entry {           /* NetworkAcls[].Entries[] */
	uint16_t rule;                /* RuleNumber, 1..32767 (32767 is AWS's "*") */
	bool egress;                  /* Egress */
	bool allow;                   /* RuleAction "allow"; "deny" otherwise */
	int proto;                    /* Protocol: TOPO_PROTO_ALL or 0..255 */
	struct ip_prefix cidr;        /* CidrBlock or Ipv6CidrBlock */
	bool has_cidr;                /* neither given: the entry matches nothing */
	int from, to;                 /* PortRange.From/.To; -1 = absent */
	int icmp_type, icmp_code;     /* IcmpTypeCode.Type/.Code; -1 = all or absent */
};

struct topo_acl {                 /* NetworkAcls[] */
	char *id;                     /* NetworkAclId */
	char *vpc;                    /* VpcId */
	bool is_default;              /* IsDefault: the VPC's default ACL */
	char **subnets;               /* Associations[].SubnetId */
	size_t nsubnets;
	struct topo_acl_entry *entries;   /* Entries[], in file order */
	size_t nentries;
};

struct topology {
	struct topo_eni *enis;                size_t nenis;
	struct topo_instance *instances;      size_t ninstances;
	struct topo_vpc *vpcs;                size_t nvpcs;
	struct topo_subnet *subnets;          size_t nsubnets;
	struct topo_route_table *route_tables; size_t nroute_tables;
	struct topo_prefix_list *prefix_lists; size_t nprefix_lists;
	struct topo_peering *peerings;        size_t npeerings;
	struct topo_flow_log *flow_logs;      size_t nflow_logs;
	struct topo_sg *sgs;                  size_t nsgs;
	struct topo_acl *acls;                size_t nacls;
};

/* Merges the file's keys into t. 0, or -1 and err, one line:
 *   "topo.json:12:5: expected a string for \"SubnetId\"" (a wrong type,
 *       at the value's position in the file),
 *   "topo.json:3:14: JSON syntax: <jansson's text>",
 *   "topo.json:8:27: \"10.0.0.300/24\" is not a CIDR block for \"CidrBlock\"",
 *   "topo.json: No such file or directory". */
int topology_load(struct topology *t, const char *path, char *err, size_t errlen);
void topology_free(struct topology *t);

#endif
