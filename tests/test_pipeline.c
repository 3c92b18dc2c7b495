/* test_pipeline.c - the pipeline end to end: a capture written here and a
 * topology in, records out, for the action of spec 5.1 - AWS's documented
 * cases (accepted ssh, rejected RDP, the ping whose reply the outbound
 * network ACL denies, a security group without ICMP), a reply allowed only
 * by tracking, a group referenced through UserIdGroupPairs, a packet
 * rejected on egress that never reaches the receiving ENI, ACCEPT and
 * REJECT of one 5-tuple in one window, TrafficType, and --explain. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture/config.h"
#include "capture/pipeline.h"
#include "tmpdir.h"

#define T0 1768471200u          /* a multiple of 600: one window for everything */
#define WEB "10.0.1.10"         /* eni-web, subnet-a, sg-web */
#define DB "10.0.2.20"          /* eni-db, subnet-b, sg-db */
#define CLIENT "198.51.100.7"
#define SERVER "203.0.113.80"
#define FMT "${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} " \
	    "${packets} ${action} ${flow-direction}"

#define SYN 0x02
#define RST 0x04
#define ACK 0x10
#define FIN 0x01

/* sg-web: ssh, http and echo requests in; https out, and postgres to the
 * members of sg-db. sg-db: postgres from the members of sg-web, nothing
 * out. subnet-a's ACL denies ICMP out; subnet-b has the VPC's default. */
static const char topo_head[] =
	"{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"OwnerId\": \"111122223333\",\n"
	"  \"CidrBlock\": \"10.0.0.0/16\"}],\n"
	" \"Subnets\": [\n"
	"  {\"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.1.0/24\"},\n"
	"  {\"SubnetId\": \"subnet-b\", \"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.2.0/24\"}],\n"
	" \"NetworkInterfaces\": [\n"
	"  {\"NetworkInterfaceId\": \"eni-web\", \"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\",\n"
	"   \"OwnerId\": \"111122223333\", \"PrivateIpAddress\": \"10.0.1.10\",\n"
	"   \"Groups\": [{\"GroupId\": \"sg-web\", \"GroupName\": \"web\"}]},\n"
	"  {\"NetworkInterfaceId\": \"eni-db\", \"SubnetId\": \"subnet-b\", \"VpcId\": \"vpc-1\",\n"
	"   \"OwnerId\": \"111122223333\", \"PrivateIpAddress\": \"10.0.2.20\",\n"
	"   \"Groups\": [{\"GroupId\": \"sg-db\", \"GroupName\": \"db\"}]}]";

static const char topo_rules[] =
	",\n \"SecurityGroups\": [\n"
	"  {\"GroupId\": \"sg-web\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [\n"
	"    {\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,\n"
	"     \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]},\n"
	"    {\"IpProtocol\": \"tcp\", \"FromPort\": 80, \"ToPort\": 80,\n"
	"     \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]},\n"
	"    {\"IpProtocol\": \"icmp\", \"FromPort\": 8, \"ToPort\": -1,\n"
	"     \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}],\n"
	"   \"IpPermissionsEgress\": [\n"
	"    {\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443,\n"
	"     \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]},\n"
	"    {\"IpProtocol\": \"tcp\", \"FromPort\": 5432, \"ToPort\": 5432,\n"
	"     \"UserIdGroupPairs\": [{\"GroupId\": \"sg-db\", \"UserId\": \"111122223333\"}]}]},\n"
	"  {\"GroupId\": \"sg-db\", \"VpcId\": \"vpc-1\", \"IpPermissions\": [\n"
	"    {\"IpProtocol\": \"tcp\", \"FromPort\": 5432, \"ToPort\": 5432,\n"
	"     \"UserIdGroupPairs\": [{\"GroupId\": \"sg-web\", \"UserId\": \"111122223333\"}]}],\n"
	"   \"IpPermissionsEgress\": []}],\n"
	" \"NetworkAcls\": [\n"
	"  {\"NetworkAclId\": \"acl-a\", \"VpcId\": \"vpc-1\", \"IsDefault\": false,\n"
	"   \"Associations\": [{\"NetworkAclId\": \"acl-a\", \"SubnetId\": \"subnet-a\"}],\n"
	"   \"Entries\": [\n"
	"    {\"RuleNumber\": 100, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Egress\": false,\n"
	"     \"CidrBlock\": \"0.0.0.0/0\"},\n"
	"    {\"RuleNumber\": 32767, \"Protocol\": \"-1\", \"RuleAction\": \"deny\", \"Egress\": false,\n"
	"     \"CidrBlock\": \"0.0.0.0/0\"},\n"
	"    {\"RuleNumber\": 90, \"Protocol\": \"1\", \"RuleAction\": \"deny\", \"Egress\": true,\n"
	"     \"CidrBlock\": \"0.0.0.0/0\", \"IcmpTypeCode\": {\"Type\": -1, \"Code\": -1}},\n"
	"    {\"RuleNumber\": 100, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Egress\": true,\n"
	"     \"CidrBlock\": \"0.0.0.0/0\"},\n"
	"    {\"RuleNumber\": 32767, \"Protocol\": \"-1\", \"RuleAction\": \"deny\", \"Egress\": true,\n"
	"     \"CidrBlock\": \"0.0.0.0/0\"}]},\n"
	"  {\"NetworkAclId\": \"acl-default\", \"VpcId\": \"vpc-1\", \"IsDefault\": true,\n"
	"   \"Entries\": [\n"
	"    {\"RuleNumber\": 100, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Egress\": false,\n"
	"     \"CidrBlock\": \"0.0.0.0/0\"},\n"
	"    {\"RuleNumber\": 100, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Egress\": true,\n"
	"     \"CidrBlock\": \"0.0.0.0/0\"}]}]";

/* ---- a capture, written here -------------------------------------------- */

struct pk {
	uint32_t t;                   /* seconds after T0 */
	const char *src, *dst;
	uint8_t proto;
	uint16_t sport, dport;        /* ICMP: type and code */
	uint8_t flags;                /* TCP */
};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Raw IPv4 (LINKTYPE_RAW), no payload; checksums are not read. */
static size_t frame(const struct pk *k, uint8_t *b)
{
	struct ip_addr s, d;
	size_t l4 = k->proto == 6 ? 20 : 8;

	assert_true(ip_addr_parse(k->src, &s) && ip_addr_parse(k->dst, &d));
	memset(b, 0, 20 + l4);
	b[0] = 0x45;
	put16(b + 2, (unsigned)(20 + l4));
	b[8] = 64;
	b[9] = k->proto;
	memcpy(b + 12, s.b + 12, 4);
	memcpy(b + 16, d.b + 12, 4);
	uint8_t *h = b + 20;
	if (k->proto == 1) {
		h[0] = (uint8_t)k->sport;
		h[1] = (uint8_t)k->dport;
	} else {
		put16(h, k->sport);
		put16(h + 2, k->dport);
	}
	if (k->proto == 6) {
		h[12] = 0x50;
		h[13] = k->flags;
	}
	return 20 + l4;
}

static void write_pcap(const char *path, const struct pk *v, size_t n)
{
	FILE *f = fopen(path, "wb");
	uint8_t hdr[24] = {0}, rec[16], b[64];

	assert_non_null(f);
	le32(hdr, 0xa1b2c3d4);
	hdr[4] = 2;
	hdr[6] = 4;
	le32(hdr + 16, 65535);
	le32(hdr + 20, 101);
	assert_int_equal(fwrite(hdr, 1, 24, f), 24);
	for (size_t i = 0; i < n; i++) {
		size_t len = frame(v + i, b);
		le32(rec, T0 + v[i].t);
		le32(rec + 4, (uint32_t)i);         /* keeps the order within a second */
		le32(rec + 8, (uint32_t)len);
		le32(rec + 12, (uint32_t)len);
		assert_int_equal(fwrite(rec, 1, 16, f), 16);
		assert_int_equal(fwrite(b, 1, len, f), len);
	}
	assert_int_equal(fclose(f), 0);
}

/* ---- running the pipeline ------------------------------------------------ */

static struct pipeline_stats stats;

/* The file's text; the last four results stay valid. */
static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	static char bufs[4][32768];
	static int k;
	char *buf = bufs[k = (k + 1) % 4];
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, sizeof(bufs[0]) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* vpcflowemu -r cap.pcap -t topo.json -f FMT --no-header ARGS..., its
 * stdout. The topology has the rules unless bare. */
static const char *run(bool rules, const char *extra_topo, const char **args)
{
	char *argv[32];
	int argc = 0;
	struct config cfg;
	char err[512] = "", notice[256];
	static volatile sig_atomic_t stop;
	char topo[8192];

	snprintf(topo, sizeof(topo), "%s%s%s}\n", topo_head, rules ? topo_rules : "",
		 extra_topo ? extra_topo : "");
	write_text(tpath("topo.json"), topo);
	static const char *const base[] = {"vpcflowemu", "-r", NULL, "-t", NULL, "-f", FMT,
					   "--no-header", "--max-flows", "1000"};
	for (size_t i = 0; i < sizeof(base) / sizeof(*base); i++)
		argv[argc++] = (char *)(uintptr_t)base[i];
	argv[2] = (char *)(uintptr_t)tpath("cap.pcap");
	argv[4] = (char *)(uintptr_t)tpath("topo.json");
	while (*args && argc < 31)
		argv[argc++] = (char *)(uintptr_t)*args++;
	argv[argc] = NULL;
	assert_int_equal(parse_args(argc, argv, &cfg), 0);

	/* The records go to standard output: into a file for this run. */
	int fd = open(tpath("out.txt"), O_CREAT | O_TRUNC | O_WRONLY, 0600);
	assert_true(fd >= 0);
	fflush(stdout);
	int saved = dup(1);
	dup2(fd, 1);
	close(fd);
	int rc = -1;
	struct pipeline *p = pipeline_open(&cfg, notice, sizeof(notice), err, sizeof(err));
	if (p) {
		rc = pipeline_run(p, &stop, err, sizeof(err));
		stats = *pipeline_stats(p);
		pipeline_close(p);
	}
	dup2(saved, 1);
	close(saved);
	config_free(&cfg);
	if (rc != 0)
		fail_msg("vpcflowemu: %s", err);
	return read_all(tpath("out.txt"));
}

#define RUN(...) run(true, NULL, (const char *[]){__VA_ARGS__, NULL})
#define NOARGS (const char *[]){NULL}

/* The --explain line after the record that starts with rec. */
static const char *why(const char *out, const char *rec)
{
	static char line[1024];
	const char *r = strstr(out, rec);

	if (!r)
		fail_msg("no record \"%s\" in:\n%s", rec, out);
	const char *x = strchr(r, '\n');
	assert_non_null(x);
	assert_memory_equal(x + 1, "# ", 2);
	size_t n = strcspn(x + 1, "\n");
	assert_true(n < sizeof(line));
	memcpy(line, x + 1, n);
	line[n] = '\0';
	return line;
}

static void assert_has(const char *s, const char *part)
{
	if (!strstr(s, part))
		fail_msg("\"%s\" not in \"%s\"", part, s);
}

/* ---- AWS's documented cases ---------------------------------------------- */

static const struct pk ssh[] = {
	{0, CLIENT, WEB, 6, 50000, 22, SYN},
	{0, WEB, CLIENT, 6, 22, 50000, SYN | ACK},
	{0, CLIENT, WEB, 6, 50000, 22, ACK},
	{1, CLIENT, WEB, 6, 50000, 22, ACK},
	{1, WEB, CLIENT, 6, 22, 50000, ACK},
	{2, CLIENT, WEB, 6, 50000, 22, FIN | ACK},
	{2, WEB, CLIENT, 6, 22, 50000, FIN | ACK},
	{2, CLIENT, WEB, 6, 50000, 22, ACK},
};

static void test_ssh_accepted(void **state)
{
	(void)state;
	write_pcap(tpath("cap.pcap"), ssh, 8);
	const char *out = RUN("--explain");
	assert_string_equal(
		run(true, NULL, NOARGS),
		"eni-web 10.0.1.10 198.51.100.7 22 50000 6 3 ACCEPT egress\n"
		"eni-web 198.51.100.7 10.0.1.10 50000 22 6 5 ACCEPT ingress\n");
	assert_has(why(out, "eni-web 198.51.100.7"),
		   "; ACCEPT: network ACL acl-a inbound rule 100 (all traffic, 0.0.0.0/0) allows; "
		   "security group sg-web inbound rule 1 (tcp 22 from 0.0.0.0/0) allows");
	/* sg-web has no outbound rule for port 50000: tracking lets it out. */
	assert_has(why(out, "eni-web 10.0.1.10 198.51.100.7"),
		   "; ACCEPT: security groups: reply to a tracked flow; network ACL acl-a outbound "
		   "rule 100 (all traffic, 0.0.0.0/0) allows");
	assert_int_equal(stats.rejected, 0);
	assert_int_equal(stats.tracked, 1);
}

static void test_rdp_rejected(void **state)
{
	static const struct pk rdp[] = {
		{0, CLIENT, WEB, 6, 50001, 3389, SYN},
		{1, CLIENT, WEB, 6, 50001, 3389, SYN},
		{3, CLIENT, WEB, 6, 50001, 3389, SYN},
	};
	(void)state;
	write_pcap(tpath("cap.pcap"), rdp, 3);
	const char *out = RUN("--explain");
	assert_string_equal(run(true, NULL, NOARGS),
			    "eni-web 198.51.100.7 10.0.1.10 50001 3389 6 3 REJECT ingress\n");
	assert_has(why(out, "eni-web"),
		   "; REJECT: network ACL acl-a inbound rule 100 (all traffic, 0.0.0.0/0) allows; "
		   "no inbound rule of sg-web allows it");
	assert_int_equal(stats.rejected, 3);
	/* Without rules in the topology: ACCEPT, as before. */
	out = run(false, NULL, (const char *[]){"--explain", NULL});
	assert_string_equal(out, "eni-web 198.51.100.7 10.0.1.10 50001 3389 6 3 ACCEPT ingress\n"
			    "# ingress on eni-web: destination 10.0.1.10 is its primary address; "
			    "traffic-path is - on ingress; ACCEPT: security groups and network ACLs "
			    "are not evaluated\n");
}

static const struct pk ping[] = {
	{0, CLIENT, WEB, 1, 8, 0, 0}, {0, WEB, CLIENT, 1, 0, 0, 0},
	{1, CLIENT, WEB, 1, 8, 0, 0}, {1, WEB, CLIENT, 1, 0, 0, 0},
	{2, CLIENT, WEB, 1, 8, 0, 0}, {2, WEB, CLIENT, 1, 0, 0, 0},
	{3, CLIENT, WEB, 1, 8, 0, 0}, {3, WEB, CLIENT, 1, 0, 0, 0},
};

/* Inbound ping allowed by the security group and the ACL, the reply
 * denied by the outbound ACL: two records, ACCEPT in, REJECT out. */
static void test_ping_reply_denied_by_acl(void **state)
{
	(void)state;
	write_pcap(tpath("cap.pcap"), ping, 8);
	const char *out = RUN("--explain");
	assert_string_equal(run(true, NULL, NOARGS),
			    "eni-web 10.0.1.10 198.51.100.7 0 0 1 4 REJECT egress\n"
			    "eni-web 198.51.100.7 10.0.1.10 0 0 1 4 ACCEPT ingress\n");
	assert_has(why(out, "eni-web 10.0.1.10"),
		   "; REJECT: security groups: reply to a tracked flow; network ACL acl-a outbound "
		   "rule 90 (icmp all types, 0.0.0.0/0) denies");
	assert_has(why(out, "eni-web 198.51.100.7"),
		   "security group sg-web inbound rule 3 (icmp type 8 from 0.0.0.0/0) allows");
}

/* A security group without ICMP: one REJECT record, and no reply. */
static void test_sg_without_icmp(void **state)
{
	static const struct pk p[] = {
		{0, CLIENT, DB, 1, 8, 0, 0}, {1, CLIENT, DB, 1, 8, 0, 0},
		{2, CLIENT, DB, 1, 8, 0, 0}, {3, CLIENT, DB, 1, 8, 0, 0},
	};
	(void)state;
	write_pcap(tpath("cap.pcap"), p, 4);
	assert_string_equal(run(true, NULL, NOARGS),
			    "eni-db 198.51.100.7 10.0.2.20 0 0 1 4 REJECT ingress\n");
}

/* ---- tracking, groups, the egress side ------------------------------------ */

static const struct pk https[] = {
	{0, WEB, SERVER, 6, 41000, 443, SYN},
	{0, SERVER, WEB, 6, 443, 41000, SYN | ACK},
	{0, WEB, SERVER, 6, 41000, 443, ACK},
	{1, SERVER, WEB, 6, 443, 41000, ACK},
	{2, SERVER, WEB, 6, 443, 41000, RST},
	{20, SERVER, WEB, 6, 443, 41000, ACK},       /* after the connection ended */
};

/* No inbound rule allows 443 -> 41000: tracking alone lets the replies in. */
static void test_reply_only_by_tracking(void **state)
{
	(void)state;
	write_pcap(tpath("cap.pcap"), https, 5);
	const char *out = RUN("--explain");
	assert_string_equal(run(true, NULL, NOARGS),
			    "eni-web 10.0.1.10 203.0.113.80 41000 443 6 2 ACCEPT egress\n"
			    "eni-web 203.0.113.80 10.0.1.10 443 41000 6 3 ACCEPT ingress\n");
	assert_has(why(out, "eni-web 203.0.113.80"),
		   "network ACL acl-a inbound rule 100 (all traffic, 0.0.0.0/0) allows; "
		   "security groups: reply to a tracked flow");
	assert_has(why(out, "eni-web 10.0.1.10"),
		   "; ACCEPT: security group sg-web outbound rule 1 (tcp 443 to 0.0.0.0/0) allows");
}

/* The same 5-tuple, ACCEPT and REJECT in one window: the packet after
 * the RST (and its 10 s) meets the rules alone. */
static void test_accept_and_reject_one_window(void **state)
{
	(void)state;
	write_pcap(tpath("cap.pcap"), https, 6);
	char all[1024];
	snprintf(all, sizeof(all), "%s", run(true, NULL, NOARGS));
	const char *out = all;
	assert_string_equal(out,
			    "eni-web 10.0.1.10 203.0.113.80 41000 443 6 2 ACCEPT egress\n"
			    "eni-web 203.0.113.80 10.0.1.10 443 41000 6 3 ACCEPT ingress\n"
			    "eni-web 203.0.113.80 10.0.1.10 443 41000 6 1 REJECT ingress\n");
	/* TrafficType: the flag, and the flow log's. */
	assert_string_equal(RUN("--traffic-type", "REJECT"),
			    "eni-web 203.0.113.80 10.0.1.10 443 41000 6 1 REJECT ingress\n");
	assert_int_equal(stats.filtered, 2);
	assert_string_equal(RUN("--traffic-type", "ACCEPT"),
			    "eni-web 10.0.1.10 203.0.113.80 41000 443 6 2 ACCEPT egress\n"
			    "eni-web 203.0.113.80 10.0.1.10 443 41000 6 3 ACCEPT ingress\n");
	assert_string_equal(RUN("--traffic-type", "ALL"), out);
	static const char flow_log[] =
		",\n \"FlowLogs\": [{\"FlowLogId\": \"fl-1\", \"ResourceId\": \"vpc-1\","
		" \"TrafficType\": \"REJECT\"}]";
	assert_string_equal(run(true, flow_log, NOARGS),
			    "eni-web 203.0.113.80 10.0.1.10 443 41000 6 1 REJECT ingress\n");
	assert_string_equal(run(true, flow_log, (const char *[]){"--traffic-type", "ALL", NULL}),
			    out);
}

/* sg-web may reach the members of sg-db on 5432, and sg-db admits the
 * members of sg-web: four ACCEPT records over two ENIs. A host in no
 * group is refused; eni-db may send nothing, and what it sends never
 * reaches eni-web. */
static void test_group_pairs(void **state)
{
	static const struct pk p[] = {
		{0, WEB, DB, 6, 41000, 5432, SYN},
		{0, DB, WEB, 6, 5432, 41000, SYN | ACK},
		{0, WEB, DB, 6, 41000, 5432, ACK},
		{1, "10.0.3.30", DB, 6, 42000, 5432, SYN},
		{2, DB, WEB, 6, 43000, 80, SYN},
	};
	(void)state;
	write_pcap(tpath("cap.pcap"), p, 5);
	const char *out = RUN("--explain");
	assert_string_equal(run(true, NULL, NOARGS),
			    "eni-db 10.0.1.10 10.0.2.20 41000 5432 6 2 ACCEPT ingress\n"
			    "eni-db 10.0.2.20 10.0.1.10 5432 41000 6 1 ACCEPT egress\n"
			    "eni-web 10.0.1.10 10.0.2.20 41000 5432 6 2 ACCEPT egress\n"
			    "eni-web 10.0.2.20 10.0.1.10 5432 41000 6 1 ACCEPT ingress\n"
			    "eni-db 10.0.3.30 10.0.2.20 42000 5432 6 1 REJECT ingress\n"
			    "eni-db 10.0.2.20 10.0.1.10 43000 80 6 1 REJECT egress\n");
	assert_has(why(out, "eni-db 10.0.1.10"),
		   "security group sg-db inbound rule 1 (tcp 5432 from sg-web) allows");
	assert_has(why(out, "eni-web 10.0.1.10"),
		   "; ACCEPT: security group sg-web outbound rule 2 (tcp 5432 to sg-db) allows; "
		   "network ACL acl-a outbound rule 100 (all traffic, 0.0.0.0/0) allows");
	assert_has(why(out, "eni-db 10.0.2.20 10.0.1.10 43000"),
		   "; REJECT: no outbound rule of sg-db allows it");
	assert_int_equal(stats.rejected, 2);
	assert_int_equal(stats.never_arrived, 1);
	assert_int_equal(stats.tracked, 2);
}

/* The tracking table holds --max-flows connections: three opened in the
 * first window fill it for the next (TCP stays tracked for days), so the
 * fourth connection is not tracked and its reply meets the rules alone. */
static void test_tracking_table_full(void **state)
{
	static const struct pk p[] = {
		{0, WEB, SERVER, 6, 41001, 443, SYN},
		{0, WEB, SERVER, 6, 41002, 443, SYN},
		{0, WEB, SERVER, 6, 41003, 443, SYN},
		{602, WEB, SERVER, 6, 41004, 443, SYN},     /* past the grace second */
		{602, SERVER, WEB, 6, 443, 41004, SYN | ACK},
	};
	(void)state;
	write_pcap(tpath("cap.pcap"), p, 5);
	assert_string_equal(RUN("--max-flows", "3"),
			    "eni-web 10.0.1.10 203.0.113.80 41001 443 6 1 ACCEPT egress\n"
			    "eni-web 10.0.1.10 203.0.113.80 41002 443 6 1 ACCEPT egress\n"
			    "eni-web 10.0.1.10 203.0.113.80 41003 443 6 1 ACCEPT egress\n"
			    "eni-web 10.0.1.10 203.0.113.80 41004 443 6 1 ACCEPT egress\n"
			    "eni-web 203.0.113.80 10.0.1.10 443 41004 6 1 REJECT ingress\n");
	assert_int_equal(stats.track_max, 3);
	assert_int_equal(stats.tracked, 3);
	assert_int_equal(stats.untracked, 1);
	assert_int_equal(stats.track_peak, 3);
	assert_int_equal(stats.skipdata, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_ssh_accepted, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_rdp_rejected, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_ping_reply_denied_by_acl, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_sg_without_icmp, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_reply_only_by_tracking, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_accept_and_reject_one_window, setup_tmp,
						teardown_tmp),
		cmocka_unit_test_setup_teardown(test_group_pairs, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_tracking_table_full, setup_tmp, teardown_tmp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
