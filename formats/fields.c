/* fields.c - the field table: token, version, Parquet type, Athena column.
 *
 * Pure constant data and lookups; no allocation, no state. The rows follow
 * spec/vpc-flow-logs.md section 2.9 (order) and sections 2.1-2.8 and 12.1
 * (types); enum field_id in fields.h must list the same rows. */
#include <string.h>

#include "formats/fields.h"

#define F(tok, ver, ft, col, at) \
	{ .token = tok, .version = ver, .type = ft, .athena_name = col, \
	  .athena_type = at }
#define S(tok, ver, col) F(tok, ver, FT_STRING, col, "string")

/* Designated by index so that a row out of step with the enum is a
 * duplicate-initializer diagnostic rather than a silent shift. */
static const struct field_info fields[FLD_COUNT] = {
	[FLD_VERSION] = F("version", 2, FT_INT32, "version", "int"),
	[FLD_ACCOUNT_ID] = S("account-id", 2, "account_id"),
	[FLD_INTERFACE_ID] = S("interface-id", 2, "interface_id"),
	[FLD_SRCADDR] = S("srcaddr", 2, "srcaddr"),
	[FLD_DSTADDR] = S("dstaddr", 2, "dstaddr"),
	[FLD_SRCPORT] = F("srcport", 2, FT_INT32, "srcport", "int"),
	[FLD_DSTPORT] = F("dstport", 2, FT_INT32, "dstport", "int"),
	/* INT_32 on the VPC page, bigint in AWS's Athena DDL (spec 2.1). */
	[FLD_PROTOCOL] = F("protocol", 2, FT_INT32, "protocol", "bigint"),
	[FLD_PACKETS] = F("packets", 2, FT_INT64, "packets", "bigint"),
	[FLD_BYTES] = F("bytes", 2, FT_INT64, "bytes", "bigint"),
	[FLD_START] = F("start", 2, FT_INT64, "start", "bigint"),
	[FLD_END] = F("end", 2, FT_INT64, "end", "bigint"),
	[FLD_ACTION] = S("action", 2, "action"),
	[FLD_LOG_STATUS] = S("log-status", 2, "log_status"),

	[FLD_VPC_ID] = S("vpc-id", 3, "vpc_id"),
	[FLD_SUBNET_ID] = S("subnet-id", 3, "subnet_id"),
	[FLD_INSTANCE_ID] = S("instance-id", 3, "instance_id"),
	[FLD_TCP_FLAGS] = F("tcp-flags", 3, FT_INT32, "tcp_flags", "int"),
	[FLD_TYPE] = S("type", 3, "type"),
	[FLD_PKT_SRCADDR] = S("pkt-srcaddr", 3, "pkt_srcaddr"),
	[FLD_PKT_DSTADDR] = S("pkt-dstaddr", 3, "pkt_dstaddr"),

	[FLD_REGION] = S("region", 4, "region"),
	[FLD_AZ_ID] = S("az-id", 4, "az_id"),
	[FLD_SUBLOCATION_TYPE] = S("sublocation-type", 4, "sublocation_type"),
	[FLD_SUBLOCATION_ID] = S("sublocation-id", 4, "sublocation_id"),

	[FLD_PKT_SRC_AWS_SERVICE] =
		S("pkt-src-aws-service", 5, "pkt_src_aws_service"),
	[FLD_PKT_DST_AWS_SERVICE] =
		S("pkt-dst-aws-service", 5, "pkt_dst_aws_service"),
	[FLD_FLOW_DIRECTION] = S("flow-direction", 5, "flow_direction"),
	[FLD_TRAFFIC_PATH] =
		F("traffic-path", 5, FT_INT32, "traffic_path", "int"),

	[FLD_ECS_CLUSTER_ARN] = S("ecs-cluster-arn", 7, "ecs_cluster_arn"),
	[FLD_ECS_CLUSTER_NAME] = S("ecs-cluster-name", 7, "ecs_cluster_name"),
	[FLD_ECS_CONTAINER_INSTANCE_ARN] = S("ecs-container-instance-arn", 7,
		"ecs_container_instance_arn"),
	[FLD_ECS_CONTAINER_INSTANCE_ID] = S("ecs-container-instance-id", 7,
		"ecs_container_instance_id"),
	[FLD_ECS_CONTAINER_ID] = S("ecs-container-id", 7, "ecs_container_id"),
	[FLD_ECS_SECOND_CONTAINER_ID] = S("ecs-second-container-id", 7,
		"ecs_second_container_id"),
	[FLD_ECS_SERVICE_NAME] = S("ecs-service-name", 7, "ecs_service_name"),
	[FLD_ECS_TASK_DEFINITION_ARN] = S("ecs-task-definition-arn", 7,
		"ecs_task_definition_arn"),
	[FLD_ECS_TASK_ARN] = S("ecs-task-arn", 7, "ecs_task_arn"),
	[FLD_ECS_TASK_ID] = S("ecs-task-id", 7, "ecs_task_id"),

	[FLD_REJECT_REASON] = S("reject-reason", 8, "reject_reason"),
	[FLD_RESOURCE_ID] = S("resource-id", 9, "resource_id"),
	/* INT_32 is assumed by the spec (2.7); int like the other flags. */
	[FLD_ENCRYPTION_STATUS] = F("encryption-status", 10, FT_INT32,
		"encryption_status", "int"),

	[FLD_INSTANCE_TAG] = S("instance-tag", 11, "instance_tag"),
	[FLD_INSTANCE_TAG_2] = S("instance-tag-2", 11, "instance_tag_2"),
	[FLD_INTERFACE_TAG] = S("interface-tag", 11, "interface_tag"),
	[FLD_INTERFACE_TAG_2] = S("interface-tag-2", 11, "interface_tag_2"),
	[FLD_ASG_TAG] = S("asg-tag", 11, "asg_tag"),
	[FLD_ASG_TAG_2] = S("asg-tag-2", 11, "asg_tag_2"),
	[FLD_INTERFACE_TYPE] = S("interface-type", 11, "interface_type"),
	[FLD_NEXT_HOP_INTERFACE_ID] = S("next-hop-interface-id", 11,
		"next_hop_interface_id"),
	[FLD_NEXT_HOP_SUBNET_ID] = S("next-hop-subnet-id", 11,
		"next_hop_subnet_id"),
	[FLD_NEXT_HOP_AZ_ID] = S("next-hop-az-id", 11, "next_hop_az_id"),
	[FLD_NEXT_HOP_VPC_ID] = S("next-hop-vpc-id", 11, "next_hop_vpc_id"),
	[FLD_NEXT_HOP_INTERFACE_TYPE] = S("next-hop-interface-type", 11,
		"next_hop_interface_type"),
};

const struct field_info *field_info(enum field_id id)
{
	if ((unsigned)id >= (unsigned)FLD_COUNT)
		return NULL;
	return &fields[id];
}

/* A linear scan: 54 short tokens, looked up only while parsing a format. */
int field_lookup(const char *token, size_t len)
{
	int i;

	if (token == NULL)
		return -1;
	for (i = 0; i < FLD_COUNT; i++) {
		const char *t = fields[i].token;

		if (strncmp(t, token, len) == 0 && t[len] == '\0')
			return i;
	}
	return -1;
}
