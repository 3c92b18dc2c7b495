/* test_flowgen.c - flowgen as a user runs it, read back with libpcap.
 *
 * Every built-in scenario is written to a pcap and decoded here on its own
 * (not with capture/'s decoder, so the two check each other): packet
 * counts per scenario as the scenario text implies them, TCP flags, and
 * every IPv4 header, TCP, UDP, ICMP and ICMPv6 checksum, fragments
 * reassembled first. Then vpcflowemu reads each capture with the topology
 * flowgen wrote and must give the kinds of records the scenario is for.
 *
 * argv: flowgen, vpcflowemu, the pcaps/ directory (for ip-ranges.json). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/pcap.h>

#include "tests/runcmd.h"
#include "tests/tmpdir.h"

static const char *flowgen, *vpcflowemu, *pcaps;

struct tally {
	unsigned packets, v6, vlan, tcp, udp, icmp, frags;
	unsigned syn, synack, fin, rst;
	unsigned bad_sums;
	uint64_t first_ts, last_ts;
	unsigned char frag_buf[70000];	/* one datagram being reassembled */
	size_t frag_len;
};

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t sum_bytes(uint32_t s, const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		s += be16(p + i);
	if (n % 2)
		s += (uint32_t)p[n - 1] << 8;
	return s;
}

static uint16_t fold(uint32_t s)
{
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint16_t)~s;
}

/* The transport checksum of a whole datagram's payload l4 (n bytes). */
static int l4_sum_ok(int v6, const uint8_t *ip, uint8_t proto, const uint8_t *l4, size_t n)
{
	uint32_t s = 0;

	if (proto == 1)
		return fold(sum_bytes(0, l4, n)) == 0;
	s = sum_bytes(s, ip + (v6 ? 8 : 12), v6 ? 32 : 8);
	s += proto + (uint32_t)n;
	return fold(sum_bytes(s, l4, n)) == 0;
}

static void count_l4(struct tally *t, uint8_t proto, const uint8_t *l4, size_t n)
{
	uint8_t f;

	if (proto == 6 && n >= 20) {
		t->tcp++;
		f = l4[13];
		t->syn += (f & 0x12) == 0x02;
		t->synack += (f & 0x12) == 0x12;
		t->fin += (f & 0x01) != 0;
		t->rst += (f & 0x04) != 0;
	} else if (proto == 17) {
		t->udp++;
	} else if (proto == 1 || proto == 58) {
		t->icmp++;
	}
}

/* IPv4 or IPv6 (with a fragment header or not) at ip, n bytes. */
static void ip_packet(struct tally *t, const uint8_t *ip, size_t n)
{
	int v6 = ip[0] >> 4 == 6;
	size_t hl = v6 ? 40 : (size_t)(ip[0] & 15) * 4;
	uint8_t proto = v6 ? ip[6] : ip[9];
	uint32_t off = 0;
	int more = 0;

	assert_true(n >= hl);
	if (!v6 && fold(sum_bytes(0, ip, hl)) != 0)
		t->bad_sums++;
	if (!v6) {
		assert_int_equal(be16(ip + 2), n);
		off = (uint32_t)(be16(ip + 6) & 0x1fff) * 8;
		more = (be16(ip + 6) & 0x2000) != 0;
	} else {
		assert_int_equal(be16(ip + 4) + 40, n);
		if (proto == 44) {
			off = be16(ip + 42) & 0xfff8;
			more = ip[43] & 1;
			proto = ip[40];
			hl += 8;
		}
	}
	if (off || more) {	/* fragments come in order here */
		t->frags++;
		assert_int_equal(off, t->frag_len);
		memcpy(t->frag_buf + off, ip + hl, n - hl);
		t->frag_len = off + n - hl;
		if (more)
			return;
		count_l4(t, proto, t->frag_buf, t->frag_len);
		if (!l4_sum_ok(v6, ip, proto, t->frag_buf, t->frag_len))
			t->bad_sums++;
		t->frag_len = 0;
		return;
	}
	count_l4(t, proto, ip + hl, n - hl);
	if (proto != 1 && proto != 6 && proto != 17 && proto != 58)
		return;
	if (!l4_sum_ok(v6, ip, proto, ip + hl, n - hl))
		t->bad_sums++;
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *b)
{
	struct tally *t = (struct tally *)user;
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec;
	size_t off = 14;
	uint16_t type;

	assert_int_equal(h->caplen, h->len);
	assert_true(h->caplen >= 34);
	if (t->packets == 0)
		t->first_ts = ts;
	assert_true(ts >= t->last_ts);	/* time order */
	t->last_ts = ts;
	t->packets++;
	type = be16(b + 12);
	if (type == 0x8100) {
		t->vlan++;
		type = be16(b + 16);
		off = 18;
	}
	assert_true(type == 0x0800 || type == 0x86dd);
	t->v6 += type == 0x86dd;
	ip_packet(t, b + off, h->caplen - off);
}

static void read_back(const char *path, struct tally *t)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);

	memset(t, 0, sizeof(*t));
	assert_non_null(p);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	assert_int_equal(pcap_loop(p, -1, on_packet, (u_char *)t), 0);
	pcap_close(p);
	assert_int_equal(t->bad_sums, 0);
	assert_int_equal(t->frag_len, 0);	/* no datagram left half done */
}

/* Runs prog with the NULL-terminated arguments in ap. */
static void run_args(struct cmd_result *r, const char *prog, va_list ap)
{
	char *argv[16];
	const char *a;
	int n = 0;

	argv[n++] = (char *)(uintptr_t)prog;
	while ((a = va_arg(ap, const char *)) != NULL && n < 15)
		argv[n++] = (char *)(uintptr_t)a;
	argv[n] = NULL;
	assert_int_equal(cmd_run(argv, NULL, NULL, r), 0);
}

/* Runs flowgen with the arguments (NULL-terminated); asserts exit code. */
static void run_flowgen(int want, struct cmd_result *r, ...)
{
	va_list ap;

	va_start(ap, r);
	run_args(r, flowgen, ap);
	va_end(ap);
	if (r->status != want)
		fprintf(stderr, "flowgen stderr: %s\n", r->err);
	assert_int_equal(r->status, want);
}

/* Runs vpcflowemu with the arguments (NULL-terminated). */
static void run_emu(struct cmd_result *r, ...)
{
	va_list ap;

	va_start(ap, r);
	run_args(r, vpcflowemu, ap);
	va_end(ap);
}

/* What each built-in scenario's text implies (flowgen(1), PATTERNS):
 * e.g. long-flow = handshake 3 + 6 rounds x (14 segments of 20000 bytes
 * + 7 ACKs + 1 response + its ACK) + close 3 = 144. */
struct expect {
	const char *name;
	unsigned packets, tcp, udp, icmp, v6, vlan, frags, syn, synack, fin, rst;
	const char *record;	/* a substring of vpcflowemu's records */
};

static const struct expect scenarios[] = {
	/* name          pkts tcp udp icmp v6 vlan frag syn s-a fin rst */
	{ "seed-lab",      69, 51,  8,  10, 2,  0,   0,  3,  3,  6,  0, " S3 egress 8" },
	{ "s3-endpoint",   26, 26,  0,   0, 0,  0,   0,  2,  2,  4,  0, " S3 egress 7" },
	{ "sg-reject",     48, 42,  0,   6, 0,  0,   0,  8,  3,  6,  0, " REJECT OK " },
	{ "long-flow",    144, 144, 0,   0, 0,  0,   0,  1,  1,  2,  0, " 50022 873 6 " },
	{ "idle",          19, 19,  0,   0, 0,  0,   0,  1,  1,  2,  0, " NODATA " },
	{ "ipv6",          36, 28,  2,   6, 36, 0,   0,  2,  2,  4,  0, " 2001:db8:1::10 2001:db8:ffff::80 " },
	{ "fragments",     19,  0,  3,   4, 3,  0,  18,  0,  0,  0,  0, " 4789 17 3 4068 " },
	{ "vlan",          19, 13,  2,   4, 0, 19,   0,  1,  1,  2,  0, " egress 8" },
	{ "scan",         120, 100, 20,  0, 0,  0,   0, 50,  0,  0, 50, " 10.0.1.10 198.51.100.66 1049 61000 6 1 40 " },
	{ "unlogged",      34, 20, 12,   2, 0,  0,   0,  2,  2,  4,  0, " 203.0.113.80 40600 443 " },
	{ "two-enis",      23, 23,  0,   0, 0,  0,   0,  3,  3,  6,  0, " ingress -" },
	{ "secondary-ip",  12,  8,  4,   0, 0,  0,   0,  1,  1,  2,  0, " 10.0.1.11 " },
};

#define V5 "${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} " \
	"${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status} " \
	"${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr} " \
	"${region} ${az-id} ${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} " \
	"${traffic-path}"

static void test_scenarios_read_back(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct expect *e = &scenarios[i];
		struct cmd_result r;
		struct tally t;

		run_flowgen(0, &r, e->name, "-w", tpath("x.pcap"), NULL);
		cmd_free(&r);
		read_back(tpath("x.pcap"), &t);
		fprintf(stderr, "%s: %u packets\n", e->name, t.packets);
		assert_int_equal(t.packets, e->packets);
		assert_int_equal(t.tcp, e->tcp);
		assert_int_equal(t.udp, e->udp);
		assert_int_equal(t.icmp, e->icmp);
		assert_int_equal(t.v6, e->v6);
		assert_int_equal(t.vlan, e->vlan);
		assert_int_equal(t.frags, e->frags);
		assert_int_equal(t.syn, e->syn);
		assert_int_equal(t.synack, e->synack);
		assert_int_equal(t.fin, e->fin);
		assert_int_equal(t.rst, e->rst);
		assert_true(t.first_ts >= 1768471200ull * 1000000u);
	}
}

/* flowgen X -w x.pcap --topology x.json && vpcflowemu -r x.pcap -t x.json */
static void test_scenarios_give_records(void **state)
{
	char ranges[4096];
	size_t i;

	(void)state;
	snprintf(ranges, sizeof(ranges), "%s/ip-ranges.json", pcaps);
	for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++) {
		const struct expect *e = &scenarios[i];
		struct cmd_result r;

		run_flowgen(0, &r, e->name, "-w", tpath("x.pcap"), "--topology", tpath("x.json"),
			    NULL);
		cmd_free(&r);
		run_emu(&r, "-r", tpath("x.pcap"), "-t", tpath("x.json"), "-R", ranges, "-f", V5, NULL);
		if (r.status != 0 || !strstr(r.out, e->record))
			fprintf(stderr, "%s: want \"%s\" in:\n%s%s", e->name, e->record, r.out, r.err);
		assert_int_equal(r.status, 0);
		assert_non_null(strstr(r.out, e->record));
		cmd_free(&r);
	}
}

/* long-flow: one 5-tuple, a record each way in each of four windows. */
static void test_long_flow_spans_windows(void **state)
{
	struct cmd_result r;
	const char *p;
	int egress = 0, ingress = 0;

	(void)state;
	run_flowgen(0, &r, "long-flow", "-w", tpath("l.pcap"), "--topology", tpath("l.json"), NULL);
	cmd_free(&r);
	run_emu(&r, "-r", tpath("l.pcap"), "-t", tpath("l.json"), "-f",
		"${srcport} ${dstport} ${start} ${flow-direction}", NULL);
	assert_int_equal(r.status, 0);
	for (p = r.out; (p = strstr(p, "50022 873 ")) != NULL; p++)
		egress++;
	for (p = r.out; (p = strstr(p, "873 50022 ")) != NULL; p++)
		ingress++;
	assert_int_equal(egress, 4);
	assert_int_equal(ingress, 4);
	cmd_free(&r);
}

/* s3-endpoint's topology lists its prefix list's CIDR blocks, as
 * describe-prefix-lists prints them: no ip-ranges.json needed for path 7. */
static void test_s3_endpoint_topology_alone(void **state)
{
	struct cmd_result r;

	(void)state;
	run_flowgen(0, &r, "s3-endpoint", "-w", tpath("s.pcap"), "--topology", tpath("s.json"),
		    NULL);
	cmd_free(&r);
	run_emu(&r, "-r", tpath("s.pcap"), "-t", tpath("s.json"), "-f",
		"${dstaddr} ${flow-direction} ${traffic-path}", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "52.217.109.8 egress 7\n"));
	assert_non_null(strstr(r.out, "52.5.104.20 egress 8\n"));
	assert_null(strstr(r.err, "prefix list"));
	cmd_free(&r);
}

/* --scale keeps a connection written packet by packet one conversation:
 * seed-lab twice gives each of its TCP flows twice, with the same counts. */
static void test_scale_keeps_conversations(void **state)
{
	struct cmd_result r;

	(void)state;
	run_flowgen(0, &r, "seed-lab", "-w", tpath("s.pcap"), "--scale", "2", NULL);
	cmd_free(&r);
	run_emu(&r, "-r", tpath("s.pcap"), "--local-ip", "10.0.1.10", "--interval", "600", "-f",
		"${srcport} ${dstport} ${packets} ${bytes}", NULL);
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.out, "22 51234 8 1797\n"));	/* vpc-xen-igw's totals */
	assert_non_null(strstr(r.out, "22 51235 8 1797\n"));
	assert_non_null(strstr(r.out, "51235 22 12 2173\n"));
	assert_null(strstr(r.out, " 23 "));
	cmd_free(&r);
}

static void test_same_seed_same_bytes(void **state)
{
	struct cmd_result r;
	size_t la, lb, lc;
	char *a, *b, *c;

	(void)state;
	run_flowgen(0, &r, "seed-lab", "-w", tpath("a.pcap"), NULL);
	cmd_free(&r);
	run_flowgen(0, &r, "seed-lab", "-w", tpath("b.pcap"), "--seed", "1", NULL);
	cmd_free(&r);
	run_flowgen(0, &r, "seed-lab", "-w", tpath("c.pcap"), "--seed", "2", NULL);
	cmd_free(&r);
	a = slurp(tpath("a.pcap"), &la);
	b = slurp(tpath("b.pcap"), &lb);
	c = slurp(tpath("c.pcap"), &lc);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(la, lb);
	assert_memory_equal(a, b, la);
	assert_int_equal(la, lc);	/* the same packets, other numbers */
	assert_memory_not_equal(a, c, la);
	free(a);
	free(b);
	free(c);
}

static void test_start_and_scale(void **state)
{
	struct cmd_result r;
	struct tally t;

	(void)state;
	run_flowgen(0, &r, "seed-lab", "-w", tpath("s.pcap"), "--start", "1800000000", "--scale",
		    "3", NULL);
	cmd_free(&r);
	read_back(tpath("s.pcap"), &t);
	assert_int_equal(t.packets, 3 * 69);
	assert_int_equal(t.syn, 3 * 3);
	assert_int_equal(t.first_ts, 1800000002ull * 1000000u);	/* the first line is at +2 s */
}

/* A user's scenario file: its packets, and -print's text is a file too. */
static void test_scenario_file(void **state)
{
	struct cmd_result r;
	struct tally t;

	(void)state;
	write_text(tpath("my.scn"),
		   "# two DNS lookups and a ping\n"
		   "start 1700000000\n"
		   "local 10.9.0.5\n"
		   "0.5  udp  10.9.0.5:40000  192.0.2.53:53  request size=30 reply=90 count=2 every=0.25\n"
		   "1    icmp 10.9.0.5        192.0.2.1      echo count=1 size=32   # Windows ping\n"
		   "2    tcp  10.9.0.5:40001  192.0.2.80:80  refused count=2\n");
	run_flowgen(0, &r, tpath("my.scn"), "-w", tpath("my.pcap"), NULL);
	cmd_free(&r);
	read_back(tpath("my.pcap"), &t);
	assert_int_equal(t.packets, 4 + 2 + 4);
	assert_int_equal(t.udp, 4);
	assert_int_equal(t.icmp, 2);
	assert_int_equal(t.rst, 2);
	assert_int_equal(t.first_ts, 1700000000500000ull);

	run_flowgen(0, &r, "idle", "--print", NULL);
	write_text(tpath("idle.scn"), r.out);
	cmd_free(&r);
	run_flowgen(0, &r, tpath("idle.scn"), "-w", tpath("f.pcap"), NULL);
	cmd_free(&r);
	run_flowgen(0, &r, "idle", "-w", tpath("b.pcap"), NULL);
	cmd_free(&r);
	{
		size_t la, lb;
		char *a = slurp(tpath("f.pcap"), &la), *b = slurp(tpath("b.pcap"), &lb);

		assert_non_null(a);
		assert_non_null(b);
		assert_int_equal(la, lb);
		assert_memory_equal(a, b, la);
		free(a);
		free(b);
	}
}

/* Bad scenario lines: exit 2 and "FILE:LINE: what". */
static void test_scenario_errors(void **state)
{
	static const struct { const char *line, *msg; } bad[] = {
		{ "1 tcp 10.0.0.1:1 10.0.0.2:2 stroll", "\"stroll\": the pattern is" },
		{ "1 tcp 10.0.0.1 10.0.0.2:2 connect", "give ADDRESS:PORT" },
		{ "1 tcp 10.0.0.1:70000 10.0.0.2:2 connect", "port must be 0 to 65535" },
		{ "1 udp 10.0.0.1:1 [2001:db8::1]:2 request", "not both IPv4 or both IPv6" },
		{ "1 icmp 2001:db8::1 2001:db8::2 echo", "icmp is IPv4" },
		{ "1 udp 10.0.0.1:1 10.0.0.2:2 connect", "\"connect\" is for tcp" },
		{ "1 tcp 10.0.0.1:1 10.0.0.2:2 connect size", "options are key=value" },
		{ "1 tcp 10.0.0.1:1 10.0.0.2:2 connect colour=blue", "unknown option \"colour\"" },
		{ "1 tcp 10.0.0.1:1 10.0.0.2:2 packet flags=SX", "flags=SX" },
		{ "1 tcp 10.0.0.1:1 10.0.0.2:2 packet count=0", "count=0" },
		{ "1.1234567 tcp 10.0.0.1:1 10.0.0.2:2 packet", "the time is seconds" },
		{ "1 tcp 10.0.0.1:65500 10.0.0.2:65500 packet sweep=100", "passes 65535" },
		{ "1 tcp 10.0.0.1:1", "give TIME PROTO SRC DST PATTERN" },
		{ "local 10.0.0.1 zz:00:00:00:00:00", "not a MAC address" },
	};
	size_t i;
	char text[256], want[256];

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct cmd_result r;

		snprintf(text, sizeof(text), "# line 1\n\n%s\n", bad[i].line);
		write_text(tpath("bad.scn"), text);
		run_flowgen(2, &r, tpath("bad.scn"), "-w", tpath("bad.pcap"), NULL);
		snprintf(want, sizeof(want), "bad.scn:3: ");
		if (!strstr(r.err, want) || !strstr(r.err, bad[i].msg))
			fprintf(stderr, "line \"%s\": %s", bad[i].line, r.err);
		assert_non_null(strstr(r.err, want));
		assert_non_null(strstr(r.err, bad[i].msg));
		assert_ptr_equal(strchr(r.err, '\n'), r.err + strlen(r.err) - 1);	/* one line */
		cmd_free(&r);
	}
}

static void test_usage_errors(void **state)
{
	struct cmd_result r;

	(void)state;
	run_flowgen(2, &r, "no-such-lab", "-w", tpath("x.pcap"), NULL);
	assert_non_null(strstr(r.err, "no such built-in scenario"));
	cmd_free(&r);
	run_flowgen(2, &r, "seed-lab", NULL);
	assert_non_null(strstr(r.err, "give -w FILE.pcap"));
	cmd_free(&r);
	run_flowgen(2, &r, "seed-lab", "-w", tpath("x.pcap"), "-i", "lo", NULL);
	cmd_free(&r);
	run_flowgen(2, &r, "./missing.scn", "-w", tpath("x.pcap"), NULL);
	assert_non_null(strstr(r.err, "missing.scn: No such file"));
	cmd_free(&r);
	run_flowgen(2, &r, "bench", "-w", tpath("x.pcap"), "--flows", "10", "--packets", "5", NULL);
	assert_non_null(strstr(r.err, "at least --flows"));
	cmd_free(&r);
	run_flowgen(2, &r, "seed-lab", "-w", "/nonexistent/dir/x.pcap", NULL);
	assert_non_null(strstr(r.err, "/nonexistent/dir/x.pcap"));
	cmd_free(&r);
	run_flowgen(1, &r, "seed-lab", "-w", "/dev/full", NULL);
	assert_non_null(strstr(r.err, "/dev/full"));
	cmd_free(&r);
	run_flowgen(0, &r, "seed-lab", "-w", tpath("lab.pcap"), NULL);
	cmd_free(&r);
	run_flowgen(2, &r, tpath("lab.pcap"), "-w", tpath("copy.pcap"), NULL);
	assert_non_null(strstr(r.err, "replayed with -i IFACE only"));
	cmd_free(&r);
	run_flowgen(1, &r, tpath("lab.pcap"), "-i", "vfe-no-such-if0", NULL);
	assert_non_null(strstr(r.err, "vfe-no-such-if0"));
	cmd_free(&r);
	run_flowgen(0, &r, "--list", NULL);
	assert_non_null(strstr(r.out, "sg-reject"));
	cmd_free(&r);
}

/* bench: exactly --packets packets over --flows conversations, all sums right. */
static void test_bench(void **state)
{
	struct cmd_result r;
	struct tally t;

	(void)state;
	run_flowgen(0, &r, "bench", "--flows", "2001", "--packets", "30001", "-w", tpath("b.pcap"),
		    NULL);
	cmd_free(&r);
	read_back(tpath("b.pcap"), &t);
	assert_int_equal(t.packets, 30001);
	assert_true(t.v6 > 30001 / 20 && t.v6 < 30001 / 5);	/* about one in ten */
	assert_true(t.vlan > 30001 / 20 && t.vlan < 30001 / 5);
	assert_true(t.syn > 0 && t.fin > 0 && t.udp > 0 && t.icmp > 0);
	run_flowgen(0, &r, "bench", "--flows", "5000", "--packets", "5000", "-w", tpath("f.pcap"),
		    NULL);
	cmd_free(&r);
	read_back(tpath("f.pcap"), &t);
	assert_int_equal(t.packets, 5000);
	/* --span: the same packets over 60 s instead of 600. */
	run_flowgen(0, &r, "bench", "--flows", "500", "--packets", "5000", "--span", "60", "-w",
		    tpath("s.pcap"), NULL);
	cmd_free(&r);
	read_back(tpath("s.pcap"), &t);
	assert_int_equal(t.packets, 5000);
	assert_true(t.last_ts - t.first_ts >= 59000000u && t.last_ts - t.first_ts < 60000000u);
	run_flowgen(2, &r, "bench", "--flows", "5", "--packets", "5", "--span", "0", "-w",
		    tpath("z.pcap"), NULL);
	assert_non_null(strstr(r.err, "--span"));
	cmd_free(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_scenarios_read_back, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_scenarios_give_records, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_long_flow_spans_windows, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_s3_endpoint_topology_alone, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_scale_keeps_conversations, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_same_seed_same_bytes, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_start_and_scale, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_scenario_file, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_scenario_errors, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_usage_errors, setup_tmp, teardown_tmp),
		cmocka_unit_test_setup_teardown(test_bench, setup_tmp, teardown_tmp),
	};

	if (argc != 4) {
		fprintf(stderr, "usage: test_flowgen FLOWGEN VPCFLOWEMU PCAPS\n");
		return 2;
	}
	flowgen = argv[1];
	vpcflowemu = argv[2];
	pcaps = argv[3];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
