/* topology_items.c - what each `aws ec2 describe-*` item means (PRODUCT.md 4).
 *
 * Reads the keys listed in topology.h from jansson's tree into the scratch
 * topology of topology_load(), through topology_int.h so that every bad
 * value is reported at its position. Shapes are the EC2 API's (Describe*
 * responses as the AWS CLI prints them). Decides nothing about packets. */
#include "capture/vpc/topology_int.h"

#include <string.h>

#include "formats/mem.h"

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* *dst = copy of src, unless dst is set already or there is no src. */
static int inherit(struct topo_ld *ld, char **dst, const char *src)
{
	if (*dst != NULL || src == NULL)
		return 0;
	if ((*dst = topo_strdup(src)) == NULL)
		return topo_oom(ld);
	return 0;
}

/* obj[key][sub], a string inside an optional object. */
static int sub_cstr(struct topo_ld *ld, json_t *obj, const char *key,
                    const char *sub, const char **out)
{
	json_t *o;
	int r = topo_member(ld, obj, key, JSON_OBJECT, &o);

	if (r <= 0)
		return r;
	if (topo_cstr(ld, o, sub, out) < 0)
		return -1;
	topo_pop(ld);
	return 0;
}

static int sub_str(struct topo_ld *ld, json_t *obj, const char *key,
                   const char *sub, char **out)
{
	const char *s = NULL;

	if (sub_cstr(ld, obj, key, sub, &s) < 0)
		return -1;
	return inherit(ld, out, s);
}

static int add_str(struct topo_ld *ld, char ***arr, size_t *n, const char *s)
{
	char **slot;

	if (TOPO_APPEND(ld, *arr, *n, slot) < 0)
		return -1;
	if ((*slot = topo_strdup(s)) == NULL)
		return topo_oom(ld);
	return 0;
}

/* describe-vpcs repeats CidrBlock in CidrBlockAssociationSet: keep one. */
static int add_cidr(struct topo_ld *ld, struct ip_prefix **arr, size_t *n,
                    const struct ip_prefix *p)
{
	struct ip_prefix *slot;

	for (size_t i = 0; i < *n; i++)
		if ((*arr)[i].len == p->len && ip_addr_eq(&(*arr)[i].addr, &p->addr))
			return 0;
	if (TOPO_APPEND(ld, *arr, *n, slot) < 0)
		return -1;
	*slot = *p;
	return 0;
}

/* ---- NetworkInterfaces[] ------------------------------------------------ */

struct v4_ctx {
	struct topo_eni *e;
	size_t primary;
	bool have_primary;
};

static int eni_private_ip(struct topo_ld *ld, json_t *item, void *arg)
{
	struct v4_ctx *c = arg;
	struct ip_addr a, *slot;
	bool have, primary = false;

	if (topo_member_addr(ld, item, "PrivateIpAddress", FAM_V4, &a, &have) < 0 ||
	    topo_bool(ld, item, "Primary", &primary) < 0)
		return -1;
	if (!have)
		return 0;
	if (TOPO_APPEND(ld, c->e->v4, c->e->nv4, slot) < 0)
		return -1;
	*slot = a;
	if (primary && !c->have_primary) {
		c->primary = c->e->nv4 - 1;
		c->have_primary = true;
	}
	return 0;
}

static int eni_ipv6(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topo_eni *e = arg;
	struct ip_addr a, *slot;
	bool have;

	if (topo_member_addr(ld, item, "Ipv6Address", FAM_V6, &a, &have) < 0)
		return -1;
	if (!have)
		return 0;
	if (TOPO_APPEND(ld, e->v6, e->nv6, slot) < 0)
		return -1;
	*slot = a;
	return 0;
}

static int eni_group(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topo_eni *e = arg;
	const char *id = NULL;

	if (topo_cstr(ld, item, "GroupId", &id) < 0)
		return -1;
	return id != NULL ? add_str(ld, &e->groups, &e->ngroups, id) : 0;
}

static const struct topo_field eni_fields[] = {
	{"NetworkInterfaceId", offsetof(struct topo_eni, id)},
	{"OwnerId", offsetof(struct topo_eni, owner)},
	{"SubnetId", offsetof(struct topo_eni, subnet)},
	{"VpcId", offsetof(struct topo_eni, vpc)},
	{"AvailabilityZone", offsetof(struct topo_eni, az)},
	{"InterfaceType", offsetof(struct topo_eni, interface_type)},
};

/* The same keys serve describe-network-interfaces and the NetworkInterfaces
 * of describe-instances. The list PrivateIpAddresses wins over the lone
 * PrivateIpAddress, which is still checked; the Primary address goes first
 * and the others keep their order. */
static int read_eni(struct topo_ld *ld, json_t *o, struct topo_eni *e)
{
	struct v4_ctx c = {.e = e};
	struct ip_addr a, *slot;
	bool have;

	if (topo_strs(ld, o, eni_fields, NELEMS(eni_fields), e) < 0 ||
	    topo_bool(ld, o, "RequesterManaged", &e->requester_managed) < 0 ||
	    topo_member_addr(ld, o, "PrivateIpAddress", FAM_V4, &a, &have) < 0 ||
	    sub_str(ld, o, "Attachment", "InstanceId", &e->instance) < 0 ||
	    topo_each(ld, o, "PrivateIpAddresses", JSON_OBJECT, eni_private_ip, &c) < 0 ||
	    topo_each(ld, o, "Ipv6Addresses", JSON_OBJECT, eni_ipv6, e) < 0 ||
	    topo_each(ld, o, "Groups", JSON_OBJECT, eni_group, e) < 0)
		return -1;
	if (c.have_primary && c.primary > 0) {
		struct ip_addr p = e->v4[c.primary];

		memmove(e->v4 + 1, e->v4, c.primary * sizeof(*e->v4));
		e->v4[0] = p;
	}
	if (e->nv4 == 0 && have) {
		if (TOPO_APPEND(ld, e->v4, e->nv4, slot) < 0)
			return -1;
		*slot = a;
	}
	return 0;
}

static int eni_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topology *t = arg;
	struct topo_eni *e;

	if (TOPO_APPEND(ld, t->enis, t->nenis, e) < 0)
		return -1;
	return read_eni(ld, item, e);
}

/* ---- Reservations[].Instances[], Instances[] ----------------------------- */

struct inst_ctx {
	struct topology *t;
	const char *owner;            /* Reservations[].OwnerId */
};

struct inst_eni_ctx {
	struct topo_instance *in;
	const char *subnet, *vpc;     /* the instance's SubnetId, VpcId */
};

static int instance_eni(struct topo_ld *ld, json_t *item, void *arg)
{
	struct inst_eni_ctx *c = arg;
	struct topo_eni *e;

	if (TOPO_APPEND(ld, c->in->enis, c->in->nenis, e) < 0 ||
	    read_eni(ld, item, e) < 0 ||
	    inherit(ld, &e->subnet, c->subnet) < 0 ||
	    inherit(ld, &e->vpc, c->vpc) < 0 ||
	    inherit(ld, &e->owner, c->in->owner) < 0 ||
	    inherit(ld, &e->az, c->in->az) < 0 ||
	    inherit(ld, &e->instance, c->in->id) < 0)
		return -1;
	return 0;
}

static int instance_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct inst_ctx *c = arg;
	struct inst_eni_ctx ec = {0};
	struct topo_instance *in;

	if (TOPO_APPEND(ld, c->t->instances, c->t->ninstances, in) < 0 ||
	    topo_str(ld, item, "InstanceId", &in->id) < 0 ||
	    topo_str(ld, item, "InstanceType", &in->type) < 0 ||
	    sub_str(ld, item, "Placement", "AvailabilityZone", &in->az) < 0 ||
	    topo_cstr(ld, item, "SubnetId", &ec.subnet) < 0 ||
	    topo_cstr(ld, item, "VpcId", &ec.vpc) < 0 ||
	    inherit(ld, &in->owner, c->owner) < 0)
		return -1;
	ec.in = in;
	return topo_each(ld, item, "NetworkInterfaces", JSON_OBJECT, instance_eni, &ec);
}

static int reservation_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct inst_ctx c = {.t = arg};

	if (topo_cstr(ld, item, "OwnerId", &c.owner) < 0)
		return -1;
	return topo_each(ld, item, "Instances", JSON_OBJECT, instance_item, &c);
}

static int flat_instance_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct inst_ctx c = {.t = arg};

	return instance_item(ld, item, &c);
}

/* ---- Vpcs[], Subnets[] --------------------------------------------------- */

struct cidr_ctx {
	struct ip_prefix **arr;
	size_t *n;
	const char *key;              /* CidrBlock or Ipv6CidrBlock */
	const char *state;            /* CidrBlockState or Ipv6CidrBlockState */
	int fam;
};

static int assoc_cidr(struct topo_ld *ld, json_t *item, void *arg)
{
	struct cidr_ctx *c = arg;
	const char *state = NULL;
	struct ip_prefix p;
	bool have;

	if (sub_cstr(ld, item, c->state, "State", &state) < 0 ||
	    topo_member_prefix(ld, item, c->key, c->fam, &p, &have) < 0)
		return -1;
	/* A block given back stays listed for a while as disassociated. */
	if (!have || (state != NULL && (strcmp(state, "disassociated") == 0 ||
	                                strcmp(state, "failed") == 0)))
		return 0;
	return add_cidr(ld, c->arr, c->n, &p);
}

/* CidrBlock, then the association sets named v4set (may be NULL) and
 * Ipv6CidrBlockAssociationSet. */
static int read_cidrs(struct topo_ld *ld, json_t *o, const char *v4set,
                      struct ip_prefix **arr, size_t *n)
{
	struct cidr_ctx c4 = {arr, n, "CidrBlock", "CidrBlockState", FAM_V4};
	struct cidr_ctx c6 = {arr, n, "Ipv6CidrBlock", "Ipv6CidrBlockState", FAM_V6};
	struct ip_prefix p;
	bool have;

	if (topo_member_prefix(ld, o, "CidrBlock", FAM_V4, &p, &have) < 0 ||
	    (have && add_cidr(ld, arr, n, &p) < 0) ||
	    (v4set != NULL &&
	     topo_each(ld, o, v4set, JSON_OBJECT, assoc_cidr, &c4) < 0) ||
	    topo_each(ld, o, "Ipv6CidrBlockAssociationSet", JSON_OBJECT,
	              assoc_cidr, &c6) < 0)
		return -1;
	return 0;
}

static int vpc_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topology *t = arg;
	struct topo_vpc *v;

	if (TOPO_APPEND(ld, t->vpcs, t->nvpcs, v) < 0 ||
	    topo_str(ld, item, "VpcId", &v->id) < 0 ||
	    topo_str(ld, item, "OwnerId", &v->owner) < 0)
		return -1;
	return read_cidrs(ld, item, "CidrBlockAssociationSet", &v->cidrs, &v->ncidrs);
}

static const struct topo_field subnet_fields[] = {
	{"SubnetId", offsetof(struct topo_subnet, id)},
	{"VpcId", offsetof(struct topo_subnet, vpc)},
	{"AvailabilityZone", offsetof(struct topo_subnet, az)},
	{"AvailabilityZoneId", offsetof(struct topo_subnet, az_id)},
	{"OutpostArn", offsetof(struct topo_subnet, outpost_arn)},
};

static int subnet_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topology *t = arg;
	struct topo_subnet *s;

	if (TOPO_APPEND(ld, t->subnets, t->nsubnets, s) < 0 ||
	    topo_strs(ld, item, subnet_fields, NELEMS(subnet_fields), s) < 0)
		return -1;
	return read_cidrs(ld, item, NULL, &s->cidrs, &s->ncidrs);
}

/* ---- RouteTables[] ------------------------------------------------------- */

/* Checked in this order, the first present names the target: a route to a
 * NAT instance carries both NetworkInterfaceId and InstanceId. GatewayId's
 * kind comes from its prefix (RT_UNKNOWN here). */
static const struct {
	const char *key;
	enum route_target kind;
} route_targets[] = {
	{"GatewayId", RT_UNKNOWN},
	{"NatGatewayId", RT_NAT},
	{"TransitGatewayId", RT_TGW},
	{"LocalGatewayId", RT_LGW},
	{"VpcPeeringConnectionId", RT_PCX},
	{"EgressOnlyInternetGatewayId", RT_EIGW},
	{"CarrierGatewayId", RT_CARRIER},
	{"CoreNetworkArn", RT_CORE_NETWORK},
	{"NetworkInterfaceId", RT_ENI},
	{"InstanceId", RT_ENI},
};

static enum route_target gateway_kind(const char *id)
{
	if (strcmp(id, "local") == 0)
		return RT_LOCAL;
	if (strncmp(id, "igw-", 4) == 0)
		return RT_IGW;
	if (strncmp(id, "vpce-", 5) == 0)
		return RT_VPCE;
	if (strncmp(id, "vgw-", 4) == 0)
		return RT_VGW;
	return RT_UNKNOWN;
}

static int route_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topo_route_table *rt = arg;
	struct topo_route *r;
	struct ip_prefix p6;
	const char *state = NULL;
	bool have6;

	if (TOPO_APPEND(ld, rt->routes, rt->nroutes, r) < 0 ||
	    topo_member_prefix(ld, item, "DestinationCidrBlock", FAM_V4,
	                       &r->dst, &r->has_dst) < 0 ||
	    topo_member_prefix(ld, item, "DestinationIpv6CidrBlock", FAM_V6,
	                       &p6, &have6) < 0 ||
	    topo_str(ld, item, "DestinationPrefixListId", &r->prefix_list) < 0 ||
	    topo_cstr(ld, item, "State", &state) < 0)
		return -1;
	if (have6 && !r->has_dst) {
		r->dst = p6;
		r->has_dst = true;
	}
	r->blackhole = state != NULL && strcmp(state, "blackhole") == 0;
	for (size_t i = 0; i < NELEMS(route_targets); i++) {
		const char *id = NULL;

		if (topo_cstr(ld, item, route_targets[i].key, &id) < 0)
			return -1;
		if (id == NULL || r->target != NULL)
			continue;
		if ((r->target = topo_strdup(id)) == NULL)
			return topo_oom(ld);
		r->kind = route_targets[i].kind != RT_UNKNOWN ?
		          route_targets[i].kind : gateway_kind(id);
	}
	return 0;
}

static int association_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topo_route_table *rt = arg;
	const char *subnet = NULL, *state = NULL;
	bool main = false;

	if (topo_bool(ld, item, "Main", &main) < 0 ||
	    topo_cstr(ld, item, "SubnetId", &subnet) < 0 ||
	    sub_cstr(ld, item, "AssociationState", "State", &state) < 0)
		return -1;
	if (state != NULL && strcmp(state, "disassociated") == 0)
		return 0;
	rt->main = rt->main || main;
	return subnet != NULL ? add_str(ld, &rt->subnets, &rt->nsubnets, subnet) : 0;
}

static int route_table_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topology *t = arg;
	struct topo_route_table *rt;

	if (TOPO_APPEND(ld, t->route_tables, t->nroute_tables, rt) < 0 ||
	    topo_str(ld, item, "RouteTableId", &rt->id) < 0 ||
	    topo_str(ld, item, "VpcId", &rt->vpc) < 0 ||
	    topo_each(ld, item, "Associations", JSON_OBJECT, association_item, rt) < 0)
		return -1;
	return topo_each(ld, item, "Routes", JSON_OBJECT, route_item, rt);
}

/* ---- PrefixLists[], VpcPeeringConnections[], FlowLogs[] ------------------ */

static int prefix_list_cidr(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topo_prefix_list *pl = arg;
	struct ip_prefix p;

	if (topo_prefix(ld, json_string_value(item), "Cidrs", FAM_ANY, &p) < 0)
		return -1;
	return add_cidr(ld, &pl->cidrs, &pl->ncidrs, &p);
}

static int prefix_list_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topology *t = arg;
	struct topo_prefix_list *pl;

	if (TOPO_APPEND(ld, t->prefix_lists, t->nprefix_lists, pl) < 0 ||
	    topo_str(ld, item, "PrefixListId", &pl->id) < 0 ||
	    topo_str(ld, item, "PrefixListName", &pl->name) < 0)
		return -1;
	return topo_each(ld, item, "Cidrs", JSON_STRING, prefix_list_cidr, pl);
}

static int peering_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topology *t = arg;
	struct topo_peering *p;

	if (TOPO_APPEND(ld, t->peerings, t->npeerings, p) < 0 ||
	    topo_str(ld, item, "VpcPeeringConnectionId", &p->id) < 0 ||
	    sub_str(ld, item, "AccepterVpcInfo", "VpcId", &p->accepter_vpc) < 0 ||
	    sub_str(ld, item, "AccepterVpcInfo", "Region", &p->accepter_region) < 0 ||
	    sub_str(ld, item, "RequesterVpcInfo", "VpcId", &p->requester_vpc) < 0 ||
	    sub_str(ld, item, "RequesterVpcInfo", "Region", &p->requester_region) < 0)
		return -1;
	return 0;
}

/* 60 or 600 seconds are the only values EC2 accepts. */
static int flow_interval(struct topo_ld *ld, json_t *item, uint32_t *out)
{
	static const char key[] = "MaxAggregationInterval";
	json_t *v;
	double d;
	int r = topo_member(ld, item, key, JSON_INTEGER, &v);

	if (r <= 0)
		return r;
	d = json_number_value(v);
	if (d == 60 || d == 600) {
		*out = (uint32_t)d;
		topo_pop(ld);
		return 0;
	}
	if (json_is_integer(v))
		return topo_fail(ld, "%" JSON_INTEGER_FORMAT " is not 60 or 600 for \"%s\"",
		                 json_integer_value(v), key);
	return topo_fail(ld, "%g is not 60 or 600 for \"%s\"", d, key);
}

static const struct topo_field flow_log_fields[] = {
	{"FlowLogId", offsetof(struct topo_flow_log, id)},
	{"ResourceId", offsetof(struct topo_flow_log, resource)},
	{"LogFormat", offsetof(struct topo_flow_log, format)},
	{"TrafficType", offsetof(struct topo_flow_log, traffic_type)},
};

static int flow_log_item(struct topo_ld *ld, json_t *item, void *arg)
{
	struct topology *t = arg;
	struct topo_flow_log *f;
	json_t *opt;
	int r;

	if (TOPO_APPEND(ld, t->flow_logs, t->nflow_logs, f) < 0 ||
	    topo_strs(ld, item, flow_log_fields, NELEMS(flow_log_fields), f) < 0 ||
	    flow_interval(ld, item, &f->max_interval) < 0 ||
	    (r = topo_member(ld, item, "DestinationOptions", JSON_OBJECT, &opt)) < 0)
		return -1;
	if (r == 0)
		return 0;
	if (topo_str(ld, opt, "FileFormat", &f->file_format) < 0 ||
	    topo_bool(ld, opt, "HiveCompatiblePartitions", &f->hive) < 0 ||
	    topo_bool(ld, opt, "PerHourPartition", &f->per_hour) < 0)
		return -1;
	topo_pop(ld);
	return 0;
}

/* ---- the top level ------------------------------------------------------- */

static const struct {
	const char *key;
	topo_item_fn fn;
} top_keys[] = {
	{"NetworkInterfaces", eni_item},
	{"Reservations", reservation_item},
	{"Instances", flat_instance_item},
	{"Vpcs", vpc_item},
	{"Subnets", subnet_item},
	{"RouteTables", route_table_item},
	{"PrefixLists", prefix_list_item},
	{"VpcPeeringConnections", peering_item},
	{"FlowLogs", flow_log_item},
	{"SecurityGroups", topo_sg_item},
	{"NetworkAcls", topo_acl_item},
};

int topo_load_root(struct topo_ld *ld, json_t *root, struct topology *t)
{
	for (size_t i = 0; i < NELEMS(top_keys); i++)
		if (topo_each(ld, root, top_keys[i].key, JSON_OBJECT,
		              top_keys[i].fn, t) < 0)
			return -1;
	return 0;
}
