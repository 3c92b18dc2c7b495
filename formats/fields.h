/* fields.h - the flow log field table (spec/vpc-flow-logs.md section 2).
 *
 * One entry per token AWS documents for VPC flow logs, versions 2 to 11, in
 * the order of spec section 2.9. The enum order is that order: "all" renders
 * fields in enum order, and DDL columns follow it. */
#ifndef VFE_FIELDS_H
#define VFE_FIELDS_H

#include <stddef.h>
#include <stdint.h>

enum field_id {
	/* v2: the AWS default format */
	FLD_VERSION,
	FLD_ACCOUNT_ID,
	FLD_INTERFACE_ID,
	FLD_SRCADDR,
	FLD_DSTADDR,
	FLD_SRCPORT,
	FLD_DSTPORT,
	FLD_PROTOCOL,
	FLD_PACKETS,
	FLD_BYTES,
	FLD_START,
	FLD_END,
	FLD_ACTION,
	FLD_LOG_STATUS,
	/* v3 */
	FLD_VPC_ID,
	FLD_SUBNET_ID,
	FLD_INSTANCE_ID,
	FLD_TCP_FLAGS,
	FLD_TYPE,
	FLD_PKT_SRCADDR,
	FLD_PKT_DSTADDR,
	/* v4 */
	FLD_REGION,
	FLD_AZ_ID,
	FLD_SUBLOCATION_TYPE,
	FLD_SUBLOCATION_ID,
	/* v5 */
	FLD_PKT_SRC_AWS_SERVICE,
	FLD_PKT_DST_AWS_SERVICE,
	FLD_FLOW_DIRECTION,
	FLD_TRAFFIC_PATH,
	/* v7: ECS, in the order of eni_meta.ecs[] */
	FLD_ECS_CLUSTER_ARN,
	FLD_ECS_CLUSTER_NAME,
	FLD_ECS_CONTAINER_INSTANCE_ARN,
	FLD_ECS_CONTAINER_INSTANCE_ID,
	FLD_ECS_CONTAINER_ID,
	FLD_ECS_SECOND_CONTAINER_ID,
	FLD_ECS_SERVICE_NAME,
	FLD_ECS_TASK_DEFINITION_ARN,
	FLD_ECS_TASK_ARN,
	FLD_ECS_TASK_ID,
	/* v8, v9, v10 */
	FLD_REJECT_REASON,
	FLD_RESOURCE_ID,
	FLD_ENCRYPTION_STATUS,
	/* v11 */
	FLD_INSTANCE_TAG,
	FLD_INSTANCE_TAG_2,
	FLD_INTERFACE_TAG,
	FLD_INTERFACE_TAG_2,
	FLD_ASG_TAG,
	FLD_ASG_TAG_2,
	FLD_INTERFACE_TYPE,
	FLD_NEXT_HOP_INTERFACE_ID,      /* next_hop[0] .. [4] in this order */
	FLD_NEXT_HOP_SUBNET_ID,
	FLD_NEXT_HOP_AZ_ID,
	FLD_NEXT_HOP_VPC_ID,
	FLD_NEXT_HOP_INTERFACE_TYPE,
	FLD_COUNT
};

/* Number of fields of the AWS default format (FLD_VERSION..FLD_LOG_STATUS). */
#define FIELD_DEFAULT_COUNT 14

/* Parquet physical type per spec section 2 (plain text is all strings). */
enum field_type { FT_INT32, FT_INT64, FT_STRING };

struct field_info {
	const char *token;              /* "log-status", as inside ${...} */
	uint8_t version;                /* version that introduced it */
	enum field_type type;
	const char *athena_name;        /* "log_status" */
	const char *athena_type;        /* text-table DDL type (spec 12.1) */
};

/* The entry of id, or NULL when id is not below FLD_COUNT. */
const struct field_info *field_info(enum field_id id);

/* The field_id of the token s[0..len) (without "${" "}"), or -1 when no
 * field has that token. Case-sensitive, as AWS is. */
int field_lookup(const char *token, size_t len);

#endif
