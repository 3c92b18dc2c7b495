/* test_render.c - formats/render.c: AWS example lines reproduced byte for
 * byte (spec/vpc-flow-logs.md 3.3, 5.2; corpus lines named at each test),
 * NODATA layout, "-" rules, integer limits and the capacity contract. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "formats/render.h"

static const struct eni_meta doc_meta = {
	.account_id = "123456789010",
	.interface_id = "eni-1235b8ca123456789",
};

static void addr(struct ip_addr *a, const char *s)
{
	assert_true(ip_addr_parse(s, a));
}

static struct log_format fmt(const char *s)
{
	struct log_format f;
	char err[128];

	assert_int_equal(format_parse(s, &f, err, sizeof(err)), 0);
	return f;
}

/* A record with every optional field at its "unknown" value. */
static struct vpc_record blank_record(const struct eni_meta *m)
{
	struct vpc_record r;

	memset(&r, 0, sizeof(r));
	r.meta = m;
	r.tcp_flags = TCP_FLAGS_UNSET;
	r.encryption_status = -1;
	return r;
}

/* r with a copy of its metadata whose line head is sealed for f: every
 * line must come out the same with the head as without it. */
static struct vpc_record with_head(const struct log_format *f, const struct vpc_record *r,
				   struct eni_meta *m)
{
	struct vpc_record h = *r;

	if (r->meta) {
		*m = *r->meta;
		render_seal_head(m, f);
		h.meta = m;
	}
	return h;
}

/* Renders r with f, with and without a sealed line head; the result must
 * be want plus '\n', and the same bytes must come out when cap is exactly
 * that long. */
static void check_line(const struct log_format *f, const struct vpc_record *r,
		       const char *want)
{
	char buf[RENDER_MAX_LINE];
	size_t n, wn = strlen(want);
	struct eni_meta m;
	struct vpc_record h = with_head(f, r, &m);

	for (int pass = 0; pass < 2; pass++) {
		const struct vpc_record *x = pass ? &h : r;

		n = render_record(f, x, buf, sizeof(buf));
		assert_int_equal(n, wn + 1);
		assert_memory_equal(buf, want, wn);
		assert_int_equal(buf[wn], '\n');
		assert_int_equal(render_record(f, x, buf, wn + 1), wn + 1);
		assert_memory_equal(buf, want, wn);
	}
}

/* Spec 3.3, byte for byte. */
static void test_default_header(void **state)
{
	static const char want[] = "version account-id interface-id srcaddr "
		"dstaddr srcport dstport protocol packets bytes start end "
		"action log-status\n";
	struct log_format f = fmt("default");
	char buf[256];

	(void)state;
	assert_int_equal(render_header(&f, buf, sizeof(buf)), sizeof(want) - 1);
	assert_memory_equal(buf, want, sizeof(want) - 1);
	assert_int_equal(render_header(&f, buf, sizeof(want) - 1),
			 sizeof(want) - 1);
	assert_int_equal(render_header(&f, buf, sizeof(want) - 2), 0);
	assert_int_equal(render_header(&f, buf, 0), 0);
}

/* The v5 layout of grafana__vpc-flow-logs-analyzer/aws-test_flow_logs.log
 * (REAL-REDACTED, a NAT-gateway ENI); its line 1 is the header. */
static const char grafana_format[] = "${version} ${account-id} ${interface-id} "
	"${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} "
	"${packets} ${bytes} ${start} ${end} ${action} ${log-status} "
	"${pkt-srcaddr} ${pkt-dstaddr} ${pkt-src-aws-service} "
	"${pkt-dst-aws-service}";

static void test_custom_header(void **state)
{
	static const char want[] = "version account-id interface-id srcaddr "
		"dstaddr srcport dstport protocol packets bytes start end "
		"action log-status pkt-srcaddr pkt-dstaddr pkt-src-aws-service "
		"pkt-dst-aws-service\n";
	struct log_format f = fmt(grafana_format);
	char buf[512];

	(void)state;
	assert_int_equal(render_header(&f, buf, sizeof(buf)), sizeof(want) - 1);
	assert_memory_equal(buf, want, sizeof(want) - 1);
}

/* AWS examples page, accepted SSH (spec 1; corpus elastic__beats). */
static void test_default_accept(void **state)
{
	struct log_format f = fmt("default");
	struct vpc_record r = blank_record(&doc_meta);

	(void)state;
	r.family = 4;
	addr(&r.srcaddr, "172.31.16.139");
	addr(&r.dstaddr, "172.31.16.21");
	r.srcport = 20641;
	r.dstport = 22;
	r.protocol = 6;
	r.packets = 20;
	r.bytes = 4249;
	r.start = 1418530010;
	r.end = 1418530070;
	check_line(&f, &r, "2 123456789010 eni-1235b8ca123456789 "
		   "172.31.16.139 172.31.16.21 20641 22 6 20 4249 "
		   "1418530010 1418530070 ACCEPT OK");
	r.action = ACTION_REJECT;
	check_line(&f, &r, "2 123456789010 eni-1235b8ca123456789 "
		   "172.31.16.139 172.31.16.21 20641 22 6 20 4249 "
		   "1418530010 1418530070 REJECT OK");
}

/* Spec 5.2: NODATA and SKIPDATA keep only version, ENI, window, status,
 * whatever the record holds in its other fields. */
static void test_nodata_skipdata(void **state)
{
	struct log_format f = fmt("default");
	struct vpc_record r = blank_record(&doc_meta);

	(void)state;
	addr(&r.srcaddr, "172.31.16.139");
	addr(&r.dstaddr, "172.31.16.21");
	r.srcport = 1;
	r.protocol = 6;
	r.packets = 1;
	r.start = 1431280876;
	r.end = 1431280934;
	r.status = LOG_NODATA;
	check_line(&f, &r, "2 123456789010 eni-1235b8ca123456789 - - - - - - "
		   "- 1431280876 1431280934 - NODATA");
	r.status = LOG_SKIPDATA;
	check_line(&f, &r, "2 123456789010 eni-1235b8ca123456789 - - - - - - "
		   "- 1431280876 1431280934 - SKIPDATA");
}

/* AWS examples page, IPv6 (corpus elastic__beats/ipv6.log). */
static void test_ipv6_record(void **state)
{
	struct log_format f = fmt("default");
	struct vpc_record r = blank_record(&doc_meta);

	(void)state;
	r.family = 6;
	addr(&r.srcaddr, "2001:db8:1234:a100:8d6e:3477:df66:f105");
	addr(&r.dstaddr, "2001:db8:1234:a102:3304:8879:34cf:4071");
	r.srcport = 34892;
	r.dstport = 22;
	r.protocol = 6;
	r.packets = 54;
	r.bytes = 8855;
	r.start = 1477913708;
	r.end = 1477913820;
	check_line(&f, &r, "2 123456789010 eni-1235b8ca123456789 "
		   "2001:db8:1234:a100:8d6e:3477:df66:f105 "
		   "2001:db8:1234:a102:3304:8879:34cf:4071 34892 22 6 54 8855 "
		   "1477913708 1477913820 ACCEPT OK");
	addr(&r.srcaddr, "2001:0db8:0000:0000:0000:0000:0000:0001");
	addr(&r.dstaddr, "::ffff:10.0.0.5");
	check_line(&f, &r, "2 123456789010 eni-1235b8ca123456789 2001:db8::1 "
		   "10.0.0.5 34892 22 6 54 8855 1477913708 1477913820 "
		   "ACCEPT OK");
}

static const struct eni_meta s3_meta = {
	.account_id = "123456789012",
	.interface_id = "eni-1235b8ca123456789",
	.vpc_id = "vpc-abcdefab012345678",
	.subnet_id = "subnet-aaaaaaaa012345678",
	.instance_id = "i-0c50d5961bcb2d47b",
	.region = "ap-southeast-2",
	.az_id = "apse2-az3",
};

/* AWS examples page, "traffic path" (instance to S3 over an internet
 * gateway); corpus elastic__beats/aws-vpc-flow-logs.yml lines 57-60. */
static void test_v5_traffic_path_example(void **state)
{
	struct log_format f = fmt("${version} ${srcaddr} ${dstaddr} "
		"${srcport} ${dstport} ${protocol} ${start} ${end} ${type} "
		"${packets} ${bytes} ${account-id} ${vpc-id} ${subnet-id} "
		"${instance-id} ${interface-id} ${region} ${az-id} "
		"${sublocation-type} ${sublocation-id} ${action} ${tcp-flags} "
		"${pkt-srcaddr} ${pkt-dstaddr} ${pkt-src-aws-service} "
		"${pkt-dst-aws-service} ${traffic-path} ${flow-direction} "
		"${log-status}");
	struct vpc_record r = blank_record(&s3_meta);

	(void)state;
	r.family = 4;
	r.protocol = 6;
	r.start = 1616729292;
	r.end = 1616729349;
	addr(&r.srcaddr, "52.95.128.179");
	addr(&r.dstaddr, "10.0.0.71");
	r.pkt_srcaddr = r.srcaddr;
	r.pkt_dstaddr = r.dstaddr;
	r.srcport = 80;
	r.dstport = 34210;
	r.packets = 14;
	r.bytes = 15044;
	r.tcp_flags = 19;
	r.direction = DIR_INGRESS;
	r.pkt_src_aws_service = "S3";
	check_line(&f, &r, "5 52.95.128.179 10.0.0.71 80 34210 6 1616729292 "
		   "1616729349 IPv4 14 15044 123456789012 vpc-abcdefab012345678 "
		   "subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b "
		   "eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT "
		   "19 52.95.128.179 10.0.0.71 S3 - - ingress OK");

	addr(&r.srcaddr, "10.0.0.71");
	addr(&r.dstaddr, "52.95.128.179");
	r.pkt_srcaddr = r.srcaddr;
	r.pkt_dstaddr = r.dstaddr;
	r.srcport = 34210;
	r.dstport = 80;
	r.packets = 7;
	r.bytes = 471;
	r.tcp_flags = 3;
	r.direction = DIR_EGRESS;
	r.traffic_path = 8;
	r.pkt_src_aws_service = NULL;
	r.pkt_dst_aws_service = "S3";
	check_line(&f, &r, "5 10.0.0.71 52.95.128.179 34210 80 6 1616729292 "
		   "1616729349 IPv4 7 471 123456789012 vpc-abcdefab012345678 "
		   "subnet-aaaaaaaa012345678 i-0c50d5961bcb2d47b "
		   "eni-1235b8ca123456789 ap-southeast-2 apse2-az3 - - ACCEPT "
		   "3 10.0.0.71 52.95.128.179 - S3 8 egress OK");
}

/* All 29 fields of version 5 in AWS order; corpus
 * SEKOIA-IO__intake-formats/aws-flow-logs-tests/custom.json. */
static void test_v5_all_fields_line(void **state)
{
	static const struct eni_meta m = {
		.account_id = "424805057484",
		.interface_id = "eni-1235b8ca123456789",
		.vpc_id = "vpc-abcdefab012345678",
		.subnet_id = "subnet-aaaaaaaa012345678",
		.region = "eu-west-1",
		.az_id = "euw1-az3",
	};
	struct log_format f;
	struct vpc_record r = blank_record(&m);
	int i;

	(void)state;
	f.n = 29;
	for (i = 0; i < 29; i++)
		f.ids[i] = (uint8_t)i;
	f.version = 5;
	r.family = 4;
	addr(&r.srcaddr, "52.95.128.179");
	addr(&r.dstaddr, "10.0.0.71");
	r.pkt_srcaddr = r.srcaddr;
	r.pkt_dstaddr = r.dstaddr;
	r.srcport = 46945;
	r.dstport = 53;
	r.protocol = 17;
	r.packets = 1;
	r.bytes = 73;
	r.start = 1658131186;
	r.end = 1658131216;
	r.tcp_flags = 0;
	r.direction = DIR_EGRESS;
	r.traffic_path = 8;
	check_line(&f, &r, "5 424805057484 eni-1235b8ca123456789 "
		   "52.95.128.179 10.0.0.71 46945 53 17 1 73 1658131186 "
		   "1658131216 ACCEPT OK vpc-abcdefab012345678 "
		   "subnet-aaaaaaaa012345678 - 0 IPv4 52.95.128.179 10.0.0.71 "
		   "eu-west-1 euw1-az3 - - - - egress 8");
}

/* Lines 4 and 3 of the grafana file. */
static void test_v5_nat_gateway_lines(void **state)
{
	static const struct eni_meta m = {
		.account_id = "123456789012",
		.interface_id = "eni-0d6bdc1a4942cb767",
	};
	struct log_format f = fmt(grafana_format);
	struct vpc_record r = blank_record(&m);

	(void)state;
	f.version = 5;  /* the file declares 5 for this layout */
	addr(&r.srcaddr, "10.63.37.34");
	addr(&r.dstaddr, "10.60.155.242");
	addr(&r.pkt_srcaddr, "3.78.206.74");
	r.pkt_dstaddr = r.dstaddr;
	r.srcport = 443;
	r.dstport = 54428;
	r.protocol = 6;
	r.packets = 16;
	r.bytes = 6942;
	r.start = 1754321693;
	r.end = 1754321724;
	r.pkt_src_aws_service = "AMAZON";
	check_line(&f, &r, "5 123456789012 eni-0d6bdc1a4942cb767 10.63.37.34 "
		   "10.60.155.242 443 54428 6 16 6942 1754321693 1754321724 "
		   "ACCEPT OK 3.78.206.74 10.60.155.242 AMAZON -");
	r.start = 1754324989;
	r.end = 1754325020;
	r.status = LOG_NODATA;
	check_line(&f, &r, "5 123456789012 eni-0d6bdc1a4942cb767 - - - - - - "
		   "- 1754324989 1754325020 - NODATA - - - -");
}

/* The v7 ECS layout of the AWS ECS launch blog; corpus
 * elastic__beats/aws-vpc-flow-logs.yml line 96 (it declares 5; the fields
 * make it 7, so only the rest of the line is compared). */
static void test_v7_ecs_order(void **state)
{
	static const struct eni_meta m = {
		.account_id = "64111117617",
		.interface_id = "eni-069xxxxxb7a490",
		.ecs = {
			"arn:aws:ecs:us-east-1:123456789012:cluster/DEMOGO-ECS",
			"DEMOGO-ECS",
			"arn:aws:ecs:us-east-1:123456789012:container-instance/"
			"DEMOGO-ECS/39623aba81594d79b596c0c5f556d47b",
			"39623aba81594d79b596c0c5f556d47b",
			"0c5c6db7540ca5c4dbc692a53c1d7bab0a4e17e9cf44fc9167659c"
			"8687fd13df",
			NULL,
			"cats",
			"arn:aws:ecs:us-east-1:123456789012:task-definition/"
			"catsdef:2",
			"arn:aws:ecs:us-east-1:123456789012:task/DEMOGO-ECS/"
			"b9ad2f8a90b24f7bbce4b0341034852f",
			"b9ad2f8a90b24f7bbce4b0341034852f",
		},
	};
	struct log_format f = fmt("${version} ${account-id} ${interface-id} "
		"${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} "
		"${packets} ${bytes} ${start} ${end} ${action} ${log-status} "
		"${ecs-task-id} ${ecs-task-arn} ${ecs-task-definition-arn} "
		"${ecs-cluster-name} ${ecs-cluster-arn} "
		"${ecs-container-instance-id} ${ecs-container-instance-arn} "
		"${ecs-container-id} ${ecs-second-container-id} "
		"${ecs-service-name}");
	struct vpc_record r = blank_record(&m);
	char buf[RENDER_MAX_LINE];
	size_t n;

	(void)state;
	assert_int_equal(f.version, 7);
	addr(&r.srcaddr, "89.160.20.156");
	addr(&r.dstaddr, "10.200.0.0");
	r.srcport = 50041;
	r.dstport = 33004;
	r.protocol = 17;
	r.packets = 52;
	r.bytes = 1;
	r.start = 1616729292;
	r.end = 1616729349;
	r.action = ACTION_REJECT;
	n = render_record(&f, &r, buf, sizeof(buf));
	assert_true(n > 2);
	buf[n - 1] = '\0';
	assert_string_equal(buf, "7 64111117617 eni-069xxxxxb7a490 "
		"89.160.20.156 10.200.0.0 50041 33004 17 52 1 1616729292 "
		"1616729349 REJECT OK b9ad2f8a90b24f7bbce4b0341034852f "
		"arn:aws:ecs:us-east-1:123456789012:task/DEMOGO-ECS/"
		"b9ad2f8a90b24f7bbce4b0341034852f "
		"arn:aws:ecs:us-east-1:123456789012:task-definition/catsdef:2 "
		"DEMOGO-ECS arn:aws:ecs:us-east-1:123456789012:cluster/DEMOGO-ECS "
		"39623aba81594d79b596c0c5f556d47b "
		"arn:aws:ecs:us-east-1:123456789012:container-instance/"
		"DEMOGO-ECS/39623aba81594d79b596c0c5f556d47b "
		"0c5c6db7540ca5c4dbc692a53c1d7bab0a4e17e9cf44fc9167659c8687fd13df"
		" - cats");
}

static const struct eni_meta full_meta = {
	.account_id = "123456789012",
	.interface_id = "eni-0123456789abcdef0",
	.vpc_id = "vpc-0123456789abcdef0",
	.subnet_id = "subnet-0123456789abcdef0",
	.instance_id = "i-0123456789abcdef0",
	.region = "us-east-1",
	.az_id = "use1-az1",
	.sublocation_type = "outpost",
	.sublocation_id = "op-0123456789abcdef0",
	.interface_type = "nat_gateway",
	.resource_id = "rnat-0123",
	.instance_tag = { "web", "prod" },
	.interface_tag = { "if1", "if2" },
	.asg_tag = { "asg1", "asg2" },
	.ecs = { "e0", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "e8", "e9" },
};

static struct vpc_record full_record(void)
{
	struct vpc_record r = blank_record(&full_meta);

	r.family = 6;
	r.action = ACTION_REJECT;
	r.direction = DIR_EGRESS;
	r.traffic_path = 7;
	r.tcp_flags = 18;
	r.protocol = 58;
	r.srcport = 0;
	r.dstport = 65535;
	addr(&r.srcaddr, "2001:db8::10");
	addr(&r.dstaddr, "2001:db8:ffff:ffff:ffff:ffff:ffff:ffff");
	addr(&r.pkt_srcaddr, "fe80::1");
	addr(&r.pkt_dstaddr, "::");
	r.packets = 0;
	r.bytes = UINT64_MAX;
	r.start = 0;
	r.end = INT64_MAX;
	r.pkt_src_aws_service = "EC2";
	r.pkt_dst_aws_service = "DYNAMODB";
	r.reject_reason = "BPA";
	r.next_hop[0] = "eni-nh";
	r.next_hop[1] = "subnet-nh";
	r.next_hop[2] = "use1-az2";
	r.next_hop[3] = "vpc-nh";
	r.next_hop[4] = "transit_gateway";
	r.encryption_status = 3;
	return r;
}

static const char full_line[] =
	"11 123456789012 eni-0123456789abcdef0 2001:db8::10 "
	"2001:db8:ffff:ffff:ffff:ffff:ffff:ffff 0 65535 58 0 "
	"18446744073709551615 0 9223372036854775807 REJECT OK "
	"vpc-0123456789abcdef0 subnet-0123456789abcdef0 i-0123456789abcdef0 "
	"18 IPv6 fe80::1 :: us-east-1 use1-az1 outpost op-0123456789abcdef0 "
	"EC2 DYNAMODB egress 7 e0 e1 e2 e3 e4 e5 e6 e7 e8 e9 BPA rnat-0123 3 "
	"web prod if1 if2 asg1 asg2 nat_gateway eni-nh subnet-nh use1-az2 "
	"vpc-nh transit_gateway";

/* Every field lands in its column (spec 2.9 order), limits included. */
static void test_all_fields(void **state)
{
	struct log_format f = fmt("all");
	struct vpc_record r = full_record();

	(void)state;
	check_line(&f, &r, full_line);
}

/* PRODUCT.md 3: NODATA keeps version, status, window, ENI metadata. */
static void test_all_fields_nodata(void **state)
{
	struct log_format f = fmt("all");
	struct vpc_record r = full_record();

	(void)state;
	r.status = LOG_SKIPDATA;
	r.start = 1700000000;
	r.end = 1700000060;
	check_line(&f, &r, "11 123456789012 eni-0123456789abcdef0 - - - - - - "
		   "- 1700000000 1700000060 - SKIPDATA vpc-0123456789abcdef0 "
		   "subnet-0123456789abcdef0 i-0123456789abcdef0 - - - - "
		   "us-east-1 use1-az1 outpost op-0123456789abcdef0 - - - - "
		   "- - - - - - - - - - - - - - - - - - - - - - - - -");
}

static void test_unknown_values_dash(void **state)
{
	struct log_format f = fmt("${account-id} ${tcp-flags} ${type} "
		"${flow-direction} ${traffic-path} ${encryption-status} "
		"${pkt-src-aws-service} ${reject-reason} ${instance-tag-2} "
		"${ecs-task-id} ${next-hop-az-id} ${resource-id} ${action} "
		"${log-status}");
	struct vpc_record r = blank_record(NULL);

	(void)state;
	r.action = 9;
	r.status = LOG_OK;
	r.family = 0;
	r.direction = DIR_NONE;
	check_line(&f, &r, "- - - - - - - - - - - - - OK");
	r.meta = &doc_meta;     /* NULL strings inside the meta as well */
	r.tcp_flags = 0;
	r.encryption_status = 0;
	r.family = 4;
	r.direction = DIR_INGRESS;
	r.traffic_path = 1;
	r.action = ACTION_ACCEPT;
	check_line(&f, &r, "123456789010 0 IPv4 ingress 1 0 - - - - - - "
		   "ACCEPT OK");
	r.status = 7;
	check_line(&f, &r, "123456789010 - - - - - - - - - - - - -");
}

/* An empty string or a blank inside one would shift the columns. */
static void test_string_escaping(void **state)
{
	struct eni_meta m = doc_meta;
	struct log_format f = fmt("${account-id} ${interface-tag} "
				  "${interface-tag-2} ${asg-tag}");
	struct vpc_record r;

	(void)state;
	m.account_id = "";
	m.interface_tag[0] = "a b\tc\nd";
	m.interface_tag[1] = "50%25\x7f\x01";
	m.asg_tag[0] = "caf\xc3\xa9";
	r = blank_record(&m);
	check_line(&f, &r, "- a%20b%09c%0Ad 50%25%7F%01 caf\xc3\xa9");
}

static void test_integers(void **state)
{
	struct log_format f = fmt("${srcport} ${dstport} ${packets} "
				  "${bytes} ${start} ${end} ${protocol}");
	struct vpc_record r = blank_record(&doc_meta);
	uint64_t v = 1;
	char want[128];
	int i;

	(void)state;
	r.start = INT64_MIN;
	r.end = -1;
	r.protocol = 255;
	r.dstport = 9;
	check_line(&f, &r, "0 9 0 0 -9223372036854775808 -1 255");
	/* Every power of ten and its predecessor, through the digit pairs. */
	for (i = 0; i < 19; i++, v *= 10) {
		r.packets = v;
		r.bytes = v - 1;
		r.start = (int64_t)v;
		r.end = (int64_t)(v * 9 + v - 1);
		snprintf(want, sizeof(want), "0 9 %llu %llu %lld %lld 255",
			 (unsigned long long)r.packets,
			 (unsigned long long)r.bytes,
			 (long long)r.start, (long long)r.end);
		check_line(&f, &r, want);
	}
	/* Around 2^32, where a line with room changes routine, and start ==
	 * end, where end is copied from start. */
	static const int64_t edge[] = {
		0, 9, 10, 4294967295, 4294967296, 99999999999, INT64_MIN, INT64_MAX,
	};
	for (i = 0; i < (int)(sizeof(edge) / sizeof(edge[0])); i++) {
		r.start = r.end = edge[i];
		r.packets = (uint64_t)edge[i] ^ 1;
		r.bytes = (uint64_t)edge[i];
		snprintf(want, sizeof(want), "0 9 %llu %llu %lld %lld 255",
			 (unsigned long long)r.packets, (unsigned long long)r.bytes,
			 (long long)r.start, (long long)r.end);
		check_line(&f, &r, want);
	}
	/* Numbers of every length with every digit in every place: the
	 * digits are worked out eight at a time, in lanes of one word. */
	uint64_t x = 88172645463325252ull;
	for (i = 0; i < 200000; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		r.packets = (x & 0xffffffff) >> (x >> 59);
		r.bytes = x >> (x & 63);
		r.start = r.end = (int64_t)(uint32_t)(x >> 16);
		r.dstport = (uint16_t)x;
		snprintf(want, sizeof(want), "0 %u %llu %llu %lld %lld 255", (unsigned)r.dstport,
			 (unsigned long long)r.packets, (unsigned long long)r.bytes,
			 (long long)r.start, (long long)r.end);
		check_line(&f, &r, want);
	}
}

/* For every cap below the line length render returns 0 and writes
 * nothing at or after buf + cap. */
static void cap_sweep_one(const struct log_format *f, const struct vpc_record *r)
{
	char buf[RENDER_MAX_LINE + 64];
	size_t full, cap, i;

	full = render_record(f, r, buf, RENDER_MAX_LINE);
	assert_true(full > 0);
	for (cap = 0; cap < full; cap++) {
		memset(buf, '#', sizeof(buf));
		assert_int_equal(render_record(f, r, buf, cap), 0);
		for (i = cap; i < sizeof(buf); i++)
			assert_int_equal(buf[i], '#');
	}
	memset(buf, '#', sizeof(buf));
	assert_int_equal(render_record(f, r, buf, full), full);
	assert_int_equal(buf[full], '#');
	assert_int_equal(render_record(f, r, NULL, 0), 0);
}

/* The capacity contract, with and without a sealed line head. */
static void cap_sweep(const struct log_format *f, const struct vpc_record *r)
{
	struct eni_meta m;
	struct vpc_record h = with_head(f, r, &m);

	cap_sweep_one(f, r);
	cap_sweep_one(f, &h);
}

/* A line head followed by the default format's fields is written in one
 * run of code (render_default_tail); check_line() renders each line with
 * and without the head, so both paths must give these bytes: numbers
 * around 2^32 and 10^19, start == end (end copied) and not, seconds
 * outside 32 bits (the field-by-field path), the longest IPv6 text, an
 * unknown action, and the default fields followed by v5's four (their
 * own run when no service is named). */
static void test_default_tail(void **state)
{
	struct log_format def = fmt("default");
	struct log_format v5 = fmt("v5");
	struct vpc_record r = blank_record(&doc_meta);
	static const uint64_t big[] = {0, 9, 4294967295ull, 4294967296ull, UINT64_MAX};
	static const int64_t secs[][2] = {
		{0, 0}, {1418530010, 1418530010}, {1418530010, 1418530070},
		{4294967295, 4294967295}, {4294967296, 4294967296}, {-1, 5}, {5, -1},
	};
	char want[512], tail[256];

	(void)state;
	r.family = 4;
	addr(&r.srcaddr, "255.255.255.255");
	addr(&r.dstaddr, "0.0.0.0");
	r.srcport = 65535;
	r.protocol = 17;
	for (size_t i = 0; i < sizeof(big) / sizeof(big[0]); i++)
		for (size_t k = 0; k < sizeof(secs) / sizeof(secs[0]); k++) {
			r.packets = big[i];
			r.bytes = big[(i + 1) % 5];
			r.start = secs[k][0];
			r.end = secs[k][1];
			snprintf(tail, sizeof(tail), "255.255.255.255 0.0.0.0 65535 0 17 %llu %llu "
				 "%lld %lld ACCEPT OK", (unsigned long long)r.packets,
				 (unsigned long long)r.bytes, (long long)r.start,
				 (long long)r.end);
			snprintf(want, sizeof(want), "2 123456789010 eni-1235b8ca123456789 %s", tail);
			check_line(&def, &r, want);
		}
	/* Every protocol number, each one copy of a byte's text. */
	r.packets = 1;
	r.bytes = 40;
	r.start = r.end = 1418530010;
	for (unsigned v = 0; v < 256; v++) {
		r.protocol = (uint8_t)v;
		snprintf(want, sizeof(want), "2 123456789010 eni-1235b8ca123456789 255.255.255.255 "
			 "0.0.0.0 65535 0 %u 1 40 1418530010 1418530010 ACCEPT OK", v);
		check_line(&def, &r, want);
	}
	r.protocol = 17;
	/* Packet counts around the byte's text and the general writer. */
	for (unsigned v = 0; v < 1100; v++) {
		r.packets = v;
		snprintf(want, sizeof(want), "2 123456789010 eni-1235b8ca123456789 255.255.255.255 "
			 "0.0.0.0 65535 0 17 %u 40 1418530010 1418530010 ACCEPT OK", v);
		check_line(&def, &r, want);
	}
	r.family = 6;
	addr(&r.srcaddr, "1111:2222:3333:4444:5555:6666:7777:8888");
	addr(&r.dstaddr, "::ffff:0:1.2.3.4");
	r.start = r.end = 1418530010;
	r.packets = 4294967296ull;
	r.bytes = UINT64_MAX;
	r.action = 7;       /* no word: "-" */
	check_line(&def, &r, "2 123456789010 eni-1235b8ca123456789 "
		   "1111:2222:3333:4444:5555:6666:7777:8888 ::ffff:0:102:304 65535 0 17 "
		   "4294967296 18446744073709551615 1418530010 1418530010 - OK");
	r.action = ACTION_REJECT;
	r.direction = DIR_EGRESS;
	check_line(&v5, &r, "5 123456789010 eni-1235b8ca123456789 "
		   "1111:2222:3333:4444:5555:6666:7777:8888 ::ffff:0:102:304 65535 0 17 "
		   "4294967296 18446744073709551615 1418530010 1418530010 REJECT OK - - egress -");
	/* v5's four after them: in one run too when no service is named,
	 * field by field when one is; a path, a direction without a word. */
	const char *head = "5 123456789010 eni-1235b8ca123456789 "
			   "1111:2222:3333:4444:5555:6666:7777:8888 ::ffff:0:102:304 65535 0 17 "
			   "4294967296 18446744073709551615 1418530010 1418530010 REJECT OK ";
	for (unsigned v = 1; v < 256; v++) {
		r.traffic_path = (uint8_t)v;
		snprintf(want, sizeof(want), "%s- - egress %u", head, v);
		check_line(&v5, &r, want);
	}
	r.traffic_path = 8;
	r.pkt_dst_aws_service = "AMAZON";
	r.direction = DIR_INGRESS;
	r.traffic_path = TRAFFIC_PATH_NONE;
	snprintf(want, sizeof(want), "%s- AMAZON ingress -", head);
	check_line(&v5, &r, want);
	r.pkt_dst_aws_service = NULL;
	r.pkt_src_aws_service = "S3";
	r.direction = 9;
	snprintf(want, sizeof(want), "%sS3 - - -", head);
	check_line(&v5, &r, want);
	cap_sweep(&v5, &r);
	r.pkt_src_aws_service = NULL;
	cap_sweep(&v5, &r);
	cap_sweep(&def, &r);
}

static void test_capacity(void **state)
{
	struct log_format all = fmt("all");
	struct log_format addrs = fmt("${srcaddr} ${dstaddr} ${pkt-srcaddr} "
				      "${pkt-dstaddr}");
	struct vpc_record r = full_record();
	struct eni_meta m = full_meta;

	(void)state;
	cap_sweep(&all, &r);
	cap_sweep(&addrs, &r);
	m.instance_tag[0] = "a b c";
	r.meta = &m;
	cap_sweep(&all, &r);
	r.status = LOG_NODATA;
	cap_sweep(&all, &r);
}

/* Which leading fields a line head holds: all the constant ones at the
 * start of the format, none when the format starts with another, and only
 * those that fit in the head's 84 bytes. */
static void test_head(void **state)
{
	struct log_format v5 = fmt("v5");
	struct log_format custom = fmt("${srcaddr} ${version} ${account-id}");
	struct log_format ids = fmt("${version} ${account-id} ${interface-id} ${vpc-id} "
				    "${subnet-id} ${srcaddr}");
	struct eni_meta m = doc_meta;

	(void)state;
	render_seal_head(&m, &v5);
	assert_ptr_equal(m.head_fmt, &v5);
	assert_int_equal(m.head_fields, 3);
	assert_int_equal(m.head_len, strlen("5 123456789010 eni-1235b8ca123456789"));
	assert_memory_equal(m.head, "5 123456789010 eni-1235b8ca123456789", m.head_len);
	render_seal_head(&m, &custom);
	assert_null(m.head_fmt);
	m.vpc_id = "vpc-0123456789abcdef0-a-long-made-up-name-that-fills-the-head";
	m.subnet_id = "subnet-0123456789abcdef0";
	render_seal_head(&m, &ids);
	assert_int_equal(m.head_fields, 3);	/* vpc-id would pass 84 bytes */
}

static void test_header_all(void **state)
{
	struct log_format f = fmt("all");
	char buf[RENDER_MAX_LINE];
	size_t n, i, spaces = 0;

	(void)state;
	n = render_header(&f, buf, sizeof(buf));
	assert_true(n > 0);
	assert_int_equal(buf[n - 1], '\n');
	for (i = 0; i < n; i++)
		spaces += buf[i] == ' ';
	assert_int_equal(spaces, 53);
	assert_memory_equal(buf, "version account-id ", 19);
	assert_memory_equal(buf + n - 25, " next-hop-interface-type\n", 25);
	for (i = 0; i < n; i++) {
		memset(buf, 0, sizeof(buf));
		assert_int_equal(render_header(&f, buf, i), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_header),
		cmocka_unit_test(test_custom_header),
		cmocka_unit_test(test_default_accept),
		cmocka_unit_test(test_nodata_skipdata),
		cmocka_unit_test(test_ipv6_record),
		cmocka_unit_test(test_v5_traffic_path_example),
		cmocka_unit_test(test_v5_all_fields_line),
		cmocka_unit_test(test_v5_nat_gateway_lines),
		cmocka_unit_test(test_v7_ecs_order),
		cmocka_unit_test(test_all_fields),
		cmocka_unit_test(test_all_fields_nodata),
		cmocka_unit_test(test_unknown_values_dash),
		cmocka_unit_test(test_string_escaping),
		cmocka_unit_test(test_integers),
		cmocka_unit_test(test_default_tail),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_head),
		cmocka_unit_test(test_header_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
