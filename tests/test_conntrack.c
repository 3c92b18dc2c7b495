/* test_conntrack.c - capture/vpc/conntrack.c and the security group stage
 * of action.c: both directions of a connection find one entry, the idle
 * timeouts at their exact second, FIN and RST ending a TCP connection,
 * the UDP stream rule, the bounded table (full is counted, expiry frees),
 * and replies that only tracking allows. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "capture/vpc/action.h"
#include "capture/vpc/conntrack.h"
#include "capture/vpc/model.h"
#include "tmpdir.h"

#define T0 1768471200u
#define ME "10.0.1.10"
#define PEER "203.0.113.80"

static struct pkt_meta pkt(const char *src, const char *dst, uint8_t proto, uint16_t sport,
			   uint16_t dport, uint8_t flags)
{
	struct pkt_meta m;

	memset(&m, 0, sizeof(m));
	assert_true(ip_addr_parse(src, &m.src));
	assert_true(ip_addr_parse(dst, &m.dst));
	m.family = ip_addr_is_v4(&m.src) ? 4 : 6;
	m.proto = proto;
	m.sport = sport;
	m.dport = dport;
	m.tcp_flags = flags;
	return m;
}

/* ---- the table on its own ---------------------------------------------- */

struct conn {
	struct ct_key k;
	uint32_t h;
};

static struct conn conn_of(struct conntrack *ct, uint8_t dir, struct pkt_meta m)
{
	struct conn c;

	conntrack_key(dir, &m, &c.k);
	c.h = conntrack_hash(ct, &c.k);
	return c;
}

/* A packet as action.c hands it over: found, or opened. */
static struct ct_entry *packet(struct conntrack *ct, uint8_t dir, struct pkt_meta m, uint32_t now)
{
	struct conn c = conn_of(ct, dir, m);
	struct ct_entry *e;

	conntrack_expire(ct, now);
	if (!(e = conntrack_find(ct, &c.k, c.h, now)))
		e = conntrack_open(ct, &c.k, c.h, dir, 7, now);
	if (e)
		conntrack_seen(ct, e, dir, m.tcp_flags, now);
	return e;
}

static bool alive(struct conntrack *ct, uint8_t dir, struct pkt_meta m, uint32_t now)
{
	struct conn c = conn_of(ct, dir, m);

	return conntrack_find(ct, &c.k, c.h, now) != NULL;
}

static void test_both_directions_one_key(void **state)
{
	struct conntrack ct;
	(void)state;
	assert_int_equal(conntrack_init(&ct, 8, 1), 0);
	struct conn out = conn_of(&ct, DIR_EGRESS, pkt(ME, PEER, 6, 41000, 443, TH_SYN));
	struct conn in = conn_of(&ct, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_SYN | TH_ACK));
	assert_memory_equal(&out.k, &in.k, sizeof(out.k));
	assert_int_equal(out.h, in.h);
	/* Another local address (so another ENI), another port: other
	 * connections. */
	struct ct_key other;
	struct pkt_meta m = pkt("10.0.1.11", PEER, 6, 41000, 443, 0);
	conntrack_key(DIR_EGRESS, &m, &other);
	assert_memory_not_equal(&other, &out.k, sizeof(other));
	m = pkt(ME, PEER, 6, 41001, 443, 0);
	conntrack_key(DIR_EGRESS, &m, &other);
	assert_memory_not_equal(&other, &out.k, sizeof(other));
	conntrack_free(&ct);
}

static void test_tcp_established_timeout(void **state)
{
	struct conntrack ct;
	(void)state;
	assert_int_equal(conntrack_init(&ct, 8, 1), 0);
	struct pkt_meta syn = pkt(ME, PEER, 6, 41000, 443, TH_SYN);
	struct ct_entry *e = packet(&ct, DIR_EGRESS, syn, T0);
	assert_non_null(e);
	assert_int_equal(e->opener, DIR_EGRESS);
	assert_int_equal(e->why, 7);
	assert_int_equal(e->cls, CTC_TCP);
	packet(&ct, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_SYN | TH_ACK), T0 + 5);
	/* Idle for 432000 s from the last packet: gone at that second. */
	assert_true(alive(&ct, DIR_EGRESS, syn, T0 + 5 + CT_TCP_ESTABLISHED - 1));
	assert_false(alive(&ct, DIR_EGRESS, syn, T0 + 5 + CT_TCP_ESTABLISHED));
	assert_int_equal(ct.count, 0);
	assert_int_equal(ct.expired, 1);
	conntrack_free(&ct);
}

static void test_fin_and_rst(void **state)
{
	struct conntrack ct;
	(void)state;
	assert_int_equal(conntrack_init(&ct, 8, 1), 0);
	struct pkt_meta out = pkt(ME, PEER, 6, 41000, 443, TH_ACK);
	struct pkt_meta in = pkt(PEER, ME, 6, 443, 41000, TH_ACK);

	packet(&ct, DIR_EGRESS, pkt(ME, PEER, 6, 41000, 443, TH_SYN), T0);
	/* One FIN: half closed, still established. */
	struct ct_entry *e = packet(&ct, DIR_EGRESS, pkt(ME, PEER, 6, 41000, 443, TH_FIN | TH_ACK),
				    T0 + 10);
	assert_int_equal(e->cls, CTC_TCP);
	assert_true(alive(&ct, DIR_INGRESS, in, T0 + 1000));
	/* The other side's FIN ends it: CT_TCP_CLOSED after, whatever comes. */
	e = packet(&ct, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_FIN | TH_ACK), T0 + 20);
	assert_int_equal(e->cls, CTC_TCP_CLOSED);
	packet(&ct, DIR_EGRESS, out, T0 + 25);          /* the last ACK: no refresh */
	assert_true(alive(&ct, DIR_EGRESS, out, T0 + 20 + CT_TCP_CLOSED - 1));
	assert_false(alive(&ct, DIR_EGRESS, out, T0 + 20 + CT_TCP_CLOSED));
	/* A RST ends it at once; the sweep drops it in time. */
	packet(&ct, DIR_INGRESS, pkt(PEER, ME, 6, 443, 42000, TH_SYN), T0 + 100);
	e = packet(&ct, DIR_EGRESS, pkt(ME, PEER, 6, 42000, 443, TH_RST), T0 + 103);
	assert_int_equal(e->cls, CTC_TCP_CLOSED);
	conntrack_expire(&ct, T0 + 103 + CT_TCP_CLOSED - 1);
	assert_int_equal(ct.count, 1);
	conntrack_expire(&ct, T0 + 103 + CT_TCP_CLOSED);
	assert_int_equal(ct.count, 0);
	conntrack_free(&ct);
}

static void test_udp_icmp_other(void **state)
{
	struct conntrack ct;
	(void)state;
	assert_int_equal(conntrack_init(&ct, 8, 1), 0);
	struct pkt_meta q = pkt(ME, "8.8.8.8", 17, 50000, 53, 0);
	struct pkt_meta r = pkt("8.8.8.8", ME, 17, 53, 50000, 0);

	/* One request, one response: udpTimeout. */
	packet(&ct, DIR_EGRESS, q, T0);
	struct ct_entry *e = packet(&ct, DIR_INGRESS, r, T0 + 1);
	assert_int_equal(e->cls, CTC_UDP);
	packet(&ct, DIR_EGRESS, q, T0 + 2);     /* a second request is not a second transaction */
	assert_int_equal(e->cls, CTC_UDP);
	assert_true(alive(&ct, DIR_EGRESS, q, T0 + 2 + CT_UDP - 1));
	assert_false(alive(&ct, DIR_EGRESS, q, T0 + 2 + CT_UDP));
	/* Two request-response transactions: a stream, udpStreamTimeout. */
	packet(&ct, DIR_EGRESS, q, T0 + 100);
	packet(&ct, DIR_INGRESS, r, T0 + 100);
	packet(&ct, DIR_EGRESS, q, T0 + 101);
	e = packet(&ct, DIR_INGRESS, r, T0 + 101);
	assert_int_equal(e->cls, CTC_UDP_STREAM);
	assert_true(alive(&ct, DIR_EGRESS, q, T0 + 101 + CT_UDP_STREAM - 1));
	assert_false(alive(&ct, DIR_EGRESS, q, T0 + 101 + CT_UDP_STREAM));
	/* ICMP: 30 s; other protocols: addresses and protocol, 600 s. */
	struct pkt_meta ping = pkt(ME, PEER, 1, 0, 0, 0);
	packet(&ct, DIR_EGRESS, ping, T0);
	assert_true(alive(&ct, DIR_INGRESS, pkt(PEER, ME, 1, 0, 0, 0), T0 + CT_ICMP - 1));
	assert_false(alive(&ct, DIR_INGRESS, pkt(PEER, ME, 1, 0, 0, 0), T0 + CT_ICMP));
	struct pkt_meta gre = pkt(ME, PEER, 47, 0, 0, 0);
	e = packet(&ct, DIR_EGRESS, gre, T0);
	assert_int_equal(e->cls, CTC_OTHER);
	assert_true(alive(&ct, DIR_EGRESS, gre, T0 + CT_OTHER - 1));
	assert_false(alive(&ct, DIR_EGRESS, gre, T0 + CT_OTHER));
	conntrack_free(&ct);
}

static void test_bound(void **state)
{
	struct conntrack ct;
	(void)state;
	assert_int_equal(conntrack_bound(1000), 1001 * 64 + 1000 * 12 + 1024 * 4);
	assert_int_equal(conntrack_init(&ct, 0, 1), -1);
	assert_int_equal(conntrack_init(&ct, 2, 1), 0);
	assert_non_null(packet(&ct, DIR_EGRESS, pkt(ME, PEER, 17, 1, 53, 0), T0));
	assert_non_null(packet(&ct, DIR_EGRESS, pkt(ME, PEER, 17, 2, 53, 0), T0 + 10));
	/* Full: not tracked, counted. */
	assert_null(packet(&ct, DIR_EGRESS, pkt(ME, PEER, 17, 3, 53, 0), T0 + 11));
	assert_int_equal(ct.refused, 1);
	assert_int_equal(ct.count, 2);
	/* The first times out at T0 + 30 and makes room; the pool is reused. */
	assert_non_null(packet(&ct, DIR_EGRESS, pkt(ME, PEER, 17, 3, 53, 0), T0 + 30));
	assert_int_equal(ct.count, 2);
	assert_int_equal(ct.top, 2);
	assert_int_equal(ct.peak, 2);
	assert_int_equal(ct.opened, 3);
	/* A dropped entry is gone from its bucket and its list. */
	struct conn c = conn_of(&ct, DIR_EGRESS, pkt(ME, PEER, 17, 2, 53, 0));
	conntrack_drop(&ct, conntrack_find(&ct, &c.k, c.h, T0 + 30));
	assert_null(conntrack_find(&ct, &c.k, c.h, T0 + 30));
	assert_int_equal(ct.count, 1);
	conntrack_expire(&ct, T0 + 100);
	assert_int_equal(ct.count, 0);
	conntrack_free(&ct);
}

/* The index doubles past 1024 entries and keeps every entry findable; a
 * sweep drops the idle ones and queues the refreshed ones again. */
static void test_index_and_sweep(void **state)
{
	struct conntrack ct;
	(void)state;
	assert_int_equal(conntrack_init(&ct, 5000, 7), 0);
	assert_int_equal(ct.mask + 1, 1024);
	for (uint16_t p = 0; p < 3000; p++)
		assert_non_null(packet(&ct, DIR_EGRESS, pkt(ME, PEER, 17, (uint16_t)(1000 + p), 53, 0),
				       T0));
	assert_true(ct.mask + 1 >= 4096);
	for (uint16_t p = 0; p < 3000; p++)
		assert_true(alive(&ct, DIR_INGRESS, pkt(PEER, ME, 17, 53, (uint16_t)(1000 + p), 0),
				  T0 + 1));
	/* Every other one refreshed at T0 + 20. */
	for (uint16_t p = 0; p < 3000; p += 2)
		packet(&ct, DIR_INGRESS, pkt(PEER, ME, 17, 53, (uint16_t)(1000 + p), 0), T0 + 20);
	conntrack_expire(&ct, T0 + CT_UDP);
	assert_int_equal(ct.count, 1500);
	assert_true(alive(&ct, DIR_EGRESS, pkt(ME, PEER, 17, 1000, 53, 0), T0 + CT_UDP));
	assert_false(alive(&ct, DIR_EGRESS, pkt(ME, PEER, 17, 1001, 53, 0), T0 + CT_UDP));
	conntrack_expire(&ct, T0 + 20 + CT_UDP);
	assert_int_equal(ct.count, 1500);          /* requeued at T0 + 30: seen again at T0 + 60 */
	conntrack_expire(&ct, T0 + 60);
	assert_int_equal(ct.count, 0);
	assert_int_equal(ct.peak, 3000);
	conntrack_free(&ct);
}

/* ---- through action.c ---------------------------------------------------- */

static const char topo_text[] =
	"{\"NetworkInterfaces\": [\n"
	"  {\"NetworkInterfaceId\": \"eni-a\", \"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\",\n"
	"   \"PrivateIpAddress\": \"10.0.1.10\", \"Groups\": [{\"GroupId\": \"sg-ssh\"}]},\n"
	"  {\"NetworkInterfaceId\": \"eni-b\", \"SubnetId\": \"subnet-a\", \"VpcId\": \"vpc-1\",\n"
	"   \"PrivateIpAddress\": \"10.0.1.20\", \"Groups\": [{\"GroupId\": \"sg-ssh\"}]}],\n"
	" \"SecurityGroups\": [{\"GroupId\": \"sg-ssh\",\n"
	"  \"IpPermissions\": [{\"IpProtocol\": \"tcp\", \"FromPort\": 22, \"ToPort\": 22,\n"
	"    \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]},\n"
	"   {\"IpProtocol\": \"icmp\", \"FromPort\": 8, \"ToPort\": -1,\n"
	"    \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}],\n"
	"  \"IpPermissionsEgress\": [{\"IpProtocol\": \"tcp\", \"FromPort\": 443, \"ToPort\": 443,\n"
	"    \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}]}],\n"
	" \"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"VpcId\": \"vpc-1\", \"IsDefault\": true,\n"
	"  \"Entries\": [\n"
	"   {\"RuleNumber\": 100, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Egress\": false,\n"
	"    \"CidrBlock\": \"0.0.0.0/0\"},\n"
	"   {\"RuleNumber\": 90, \"Protocol\": \"1\", \"RuleAction\": \"deny\", \"Egress\": true,\n"
	"    \"CidrBlock\": \"0.0.0.0/0\", \"IcmpTypeCode\": {\"Type\": -1, \"Code\": -1}},\n"
	"   {\"RuleNumber\": 100, \"Protocol\": \"-1\", \"RuleAction\": \"allow\", \"Egress\": true,\n"
	"    \"CidrBlock\": \"0.0.0.0/0\"},\n"
	"   {\"RuleNumber\": 95, \"Protocol\": \"6\", \"RuleAction\": \"deny\", \"Egress\": true,\n"
	"    \"CidrBlock\": \"0.0.0.0/0\", \"PortRange\": {\"From\": 50000, \"To\": 50010}}]}]}\n";

struct fixture {
	struct vpc_model m;
	struct eni_table enis;
	struct conntrack ct;
};

static int setup_model(struct fixture *f, uint32_t max)
{
	static const char *files[1];
	char err[256];

	write_text(tpath("t.json"), topo_text);
	files[0] = tpath("t.json");
	struct model_options o = {files, 1, NULL, 0, NULL, 0};
	if (eni_table_init(&f->enis, 600) != 0 || model_build(&f->m, &f->enis, &o, err, sizeof(err)) ||
	    conntrack_init(&f->ct, max, 1) != 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || setup_tmp(state) != 0 || setup_model(f, 64) != 0)
		return -1;
	*state = f;
	return 0;
}

static int setup_tiny(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	if (!f || setup_tmp(state) != 0 || setup_model(f, 1) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	conntrack_free(&f->ct);
	model_free(&f->m);
	eni_table_free(&f->enis);
	free(f);
	return teardown_tmp(state);
}

static struct verdict on(struct fixture *f, const char *eni, uint8_t dir, struct pkt_meta m,
			 uint32_t now)
{
	struct ip_addr a;
	struct verdict v;

	assert_true(ip_addr_parse(eni, &a));
	int e = eni_lookup(&f->enis, &a);
	assert_true(e >= 0);
	action_decide(&f->ct, &f->m, f->enis.v[e], dir, NULL, &m, now, NULL, 0, &v);
	return v;
}

static void test_reply_only_by_tracking(void **state)
{
	struct fixture *f = *state;
	struct verdict v;

	/* No inbound rule allows 443 -> 41000; the outbound SYN opened it. */
	v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_SYN | TH_ACK), T0);
	assert_int_equal(v.action, ACTION_REJECT);
	assert_int_equal(v.sg, VERDICT_SG_NO_RULE);
	v = on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 41000, 443, TH_SYN), T0 + 1);
	assert_int_equal(v.action, ACTION_ACCEPT);
	assert_true(v.sg >= VERDICT_SG_RULE);
	v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_SYN | TH_ACK), T0 + 1);
	assert_int_equal(v.action, ACTION_ACCEPT);
	assert_int_equal(v.sg, VERDICT_SG_REPLY);
	/* The opener's direction keeps naming the rule that opened it. */
	uint32_t opening = on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 41000, 443, TH_ACK), T0 + 2).sg;
	assert_true(opening >= VERDICT_SG_RULE);
	/* Tracking is per ENI: eni-b has no such connection. */
	v = on(f, "10.0.1.20", DIR_INGRESS, pkt(PEER, "10.0.1.20", 6, 443, 41000, TH_ACK), T0 + 2);
	assert_int_equal(v.action, ACTION_REJECT);
	/* Reset; ten seconds later the same reply is judged by the rules. */
	v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_RST), T0 + 3);
	assert_int_equal(v.action, ACTION_ACCEPT);
	v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_ACK), T0 + 3 + CT_TCP_CLOSED - 1);
	assert_int_equal(v.action, ACTION_ACCEPT);
	v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_ACK), T0 + 3 + CT_TCP_CLOSED);
	assert_int_equal(v.action, ACTION_REJECT);
	/* Inbound ssh: the replies go out though no outbound rule allows 22. */
	v = on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 22, 51000, TH_SYN | TH_ACK), T0 + 20);
	assert_int_equal(v.action, ACTION_REJECT);
	v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 51000, 22, TH_SYN), T0 + 21);
	assert_int_equal(v.action, ACTION_ACCEPT);
	v = on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 22, 51000, TH_SYN | TH_ACK), T0 + 21);
	assert_int_equal(v.action, ACTION_ACCEPT);
	assert_int_equal(v.sg, VERDICT_SG_REPLY);
}

/* The ACL's verdict on a tracked connection's packets is kept with it, per
 * direction: every reply to port 50005 is denied out, first worked out,
 * then remembered, and the same for the inbound packets' allow. */
static void test_acl_verdict_kept(void **state)
{
	struct fixture *f = *state;
	struct verdict v;

	for (uint32_t i = 0; i < 3; i++) {
		v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 50005, 22, i ? TH_ACK : TH_SYN), T0 + i);
		assert_int_equal(v.action, ACTION_ACCEPT);
		assert_int_equal(v.acl, VERDICT_ACL_ENTRY + 0);      /* Entries[0], rule 100 */
		assert_true(v.sg >= VERDICT_SG_RULE);
		v = on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 22, 50005, TH_ACK), T0 + i);
		assert_int_equal(v.action, ACTION_REJECT);
		assert_int_equal(v.sg, VERDICT_SG_REPLY);
		assert_int_equal(v.acl, VERDICT_ACL_ENTRY + 3);      /* Entries[3], rule 95 */
	}
	/* Another client port: allowed out. */
	on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 50011, 22, TH_SYN), T0 + 5);
	v = on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 22, 50011, TH_SYN | TH_ACK), T0 + 5);
	assert_int_equal(v.action, ACTION_ACCEPT);
	assert_int_equal(v.acl, VERDICT_ACL_ENTRY + 2);          /* Entries[2], rule 100 */
	assert_int_equal(f->ct.count, 2);
}

/* A new SYN on the 5-tuple of a closing connection is a new connection,
 * judged by the rules (here: none allows it inbound). */
static void test_reuse_after_close(void **state)
{
	struct fixture *f = *state;
	struct verdict v;

	on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 41000, 443, TH_SYN), T0);
	on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 41000, 443, TH_RST), T0 + 1);
	v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_SYN), T0 + 2);
	assert_int_equal(v.action, ACTION_REJECT);
	assert_int_equal(f->ct.count, 0);
}

/* Replies pass the security group by tracking, and the network ACL still
 * judges them: AWS's ping example. */
static void test_acl_judges_replies(void **state)
{
	struct fixture *f = *state;
	struct verdict v;
	struct pkt_meta echo = pkt(PEER, ME, 1, 0, 0, 0), reply = pkt(ME, PEER, 1, 0, 0, 0);
	char buf[512];
	size_t len = 0;

	echo.icmp_type = 8;
	v = on(f, ME, DIR_INGRESS, echo, T0);
	assert_int_equal(v.action, ACTION_ACCEPT);
	v = on(f, ME, DIR_EGRESS, reply, T0);
	assert_int_equal(v.action, ACTION_REJECT);
	assert_int_equal(v.sg, VERDICT_SG_REPLY);
	assert_int_equal(v.acl, VERDICT_ACL_ENTRY + 1);      /* Entries[1], rule 90 */
	action_explain(&f->m, f->enis.v[0], DIR_EGRESS, &v, buf, sizeof(buf), &len);
	assert_string_equal(buf, "; REJECT: security groups: reply to a tracked flow; network ACL "
			    "acl-1 outbound rule 90 (icmp all types, 0.0.0.0/0) denies");
}

static void test_table_full(void **state)
{
	struct fixture *f = *state;
	struct verdict v;

	/* One entry: the first connection is tracked, the second is not. */
	on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 41000, 443, TH_SYN), T0);
	v = on(f, ME, DIR_EGRESS, pkt(ME, PEER, 6, 41001, 443, TH_SYN), T0);
	assert_int_equal(v.action, ACTION_ACCEPT);        /* the rule still allows it */
	assert_int_equal(f->ct.refused, 1);
	v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41000, TH_SYN | TH_ACK), T0);
	assert_int_equal(v.action, ACTION_ACCEPT);
	v = on(f, ME, DIR_INGRESS, pkt(PEER, ME, 6, 443, 41001, TH_SYN | TH_ACK), T0);
	assert_int_equal(v.action, ACTION_REJECT);        /* rules alone */
	assert_int_equal(f->ct.peak, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_both_directions_one_key),
		cmocka_unit_test(test_tcp_established_timeout),
		cmocka_unit_test(test_fin_and_rst),
		cmocka_unit_test(test_udp_icmp_other),
		cmocka_unit_test(test_bound),
		cmocka_unit_test(test_index_and_sweep),
		cmocka_unit_test_setup_teardown(test_reply_only_by_tracking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reuse_after_close, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acl_judges_replies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_acl_verdict_kept, setup, teardown),
		cmocka_unit_test_setup_teardown(test_table_full, setup_tiny, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
