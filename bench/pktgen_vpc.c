/* pktgen_vpc.c - captures for the VPC model golden cases (topology, routes,
 * aws-service names, never-logged traffic, NODATA).
 *
 * Owns the event tables behind pcaps/s3.pcap and pcaps/vpc-*.pcap; the
 * topologies and the records they must give are in pcaps/ and derived in
 * pcaps/README.md from these tables. Built into pktgen with -DPKTGEN_VPC:
 *   pktgen vpc -w DIR [NAME ...]
 * Frames come from pcap_put() (pktgen.c): Ethernet, IPv4 with DF, correct
 * checksums. Each row states the IP total length it must produce; a table
 * that disagrees with the builder or whose times do not increase is
 * refused. */
#include <arpa/inet.h>
#include <string.h>

#include "pktgen.h"

#define VSTART		1768471200u	/* 2026-01-15 10:00:00 UTC */
#define VBUF		2048

/* One packet. Addresses are IPv4 text. */
struct vev {
	uint32_t sec, usec;	/* after VSTART */
	const char *src, *dst;
	uint8_t proto;
	uint16_t sport, dport;	/* TCP/UDP ports; ICMP echo id and sequence */
	uint8_t flags;		/* TCP flags; ICMP type; UDP 67/68: DHCP message type */
	uint16_t pay;		/* transport payload length */
	uint16_t iplen;		/* IP total length */
	const char *text;	/* TCP payload as text (HTTP); UDP 53: the query name */
};

/* Rows leave out the fields they do not use (zero). */
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

#define S	TH_SYN
#define A	TH_ACK
#define P	TH_PSH
#define F	TH_FIN
#define TCP	PROTO_TCP
#define UDP	PROTO_UDP
#define ICMP	PROTO_ICMP

/* TCP: SYN and SYN-ACK carry 20 option bytes (MSS, SACK-permitted,
 * timestamps, window scale), every other segment NOP NOP timestamps (12):
 * SYN 60, others 52 + payload. UDP 28 + payload. ICMP echo 20 + 8 + 56 = 84
 * (as Linux ping). */

/* s3: HTTPS GET to an S3 address (52.216.0.0/15, S3 us-east-1 in
 * ip-ranges.json) and to an EC2 address (52.4.0.0/14, EC2 us-east-1). */
static const struct vev ev_s3[] = {
	/* sec  usec  src            dst             proto sport  dport flags pay iplen */
	{ 5,      0, "10.0.1.10",    "52.217.109.8", TCP, 41000, 443, S,      0,   60 },
	{ 5,   1200, "52.217.109.8", "10.0.1.10",    TCP, 443, 41000, S|A,    0,   60 },
	{ 5,   1300, "10.0.1.10",    "52.217.109.8", TCP, 41000, 443, A,      0,   52 },
	{ 5,   1500, "10.0.1.10",    "52.217.109.8", TCP, 41000, 443, P|A,  517,  569 },
	{ 5,   3000, "52.217.109.8", "10.0.1.10",    TCP, 443, 41000, A,   1448, 1500 },
	{ 5,   3050, "52.217.109.8", "10.0.1.10",    TCP, 443, 41000, P|A, 1100, 1152 },
	{ 5,   3200, "10.0.1.10",    "52.217.109.8", TCP, 41000, 443, A,      0,   52 },
	{ 5,   4000, "10.0.1.10",    "52.217.109.8", TCP, 41000, 443, P|A,  126,  178 },
	{ 5,   5500, "52.217.109.8", "10.0.1.10",    TCP, 443, 41000, P|A,   51,  103 },
	{ 5,   5800, "10.0.1.10",    "52.217.109.8", TCP, 41000, 443, P|A,  220,  272 },
	{ 5,  30000, "52.217.109.8", "10.0.1.10",    TCP, 443, 41000, P|A,  870,  922 },
	{ 5,  30200, "10.0.1.10",    "52.217.109.8", TCP, 41000, 443, A,      0,   52 },
	{ 5, 100000, "10.0.1.10",    "52.217.109.8", TCP, 41000, 443, F|A,    0,   52 },
	{ 5, 101300, "52.217.109.8", "10.0.1.10",    TCP, 443, 41000, F|A,    0,   52 },
	{ 5, 101400, "10.0.1.10",    "52.217.109.8", TCP, 41000, 443, A,      0,   52 },
	{ 8,      0, "10.0.1.10",    "52.5.104.20",  TCP, 41002, 443, S,      0,   60 },
	{ 8,    900, "52.5.104.20",  "10.0.1.10",    TCP, 443, 41002, S|A,    0,   60 },
	{ 8,   1000, "10.0.1.10",    "52.5.104.20",  TCP, 41002, 443, A,      0,   52 },
	{ 8,   1200, "10.0.1.10",    "52.5.104.20",  TCP, 41002, 443, P|A,  517,  569 },
	{ 8,   2400, "52.5.104.20",  "10.0.1.10",    TCP, 443, 41002, P|A, 1300, 1352 },
	{ 8,   2600, "10.0.1.10",    "52.5.104.20",  TCP, 41002, 443, A,      0,   52 },
	{ 8,   3100, "10.0.1.10",    "52.5.104.20",  TCP, 41002, 443, P|A,  180,  232 },
	{ 8,   4500, "52.5.104.20",  "10.0.1.10",    TCP, 443, 41002, P|A,  400,  452 },
	{ 8,  50000, "10.0.1.10",    "52.5.104.20",  TCP, 41002, 443, F|A,    0,   52 },
	{ 8,  50900, "52.5.104.20",  "10.0.1.10",    TCP, 443, 41002, F|A,    0,   52 },
	{ 8,  51000, "10.0.1.10",    "52.5.104.20",  TCP, 41002, 443, A,      0,   52 },
};

#define IMDS_GET "GET /latest/meta-data/instance-id HTTP/1.1\r\nHost: 169.254.169.254\r\n" \
	"User-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n"
#define IMDS_OK "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 19\r\n" \
	"Server: EC2ws\r\nConnection: close\r\n\r\ni-0c193c58fd6ce6321"

/* vpc-unlogged: DHCP (300-byte BOOTP messages), Amazon DNS at VPC base + 2
 * and 169.254.169.253, IMDS, Time Sync, a ping to the subnet's router, and
 * one HTTPS flow that is logged. DNS: 12 + name + 4 (query), + 16 (A). */
static const struct vev ev_unlogged[] = {
	{  1,      0, "0.0.0.0",   "255.255.255.255", UDP, 68, 67, 1, 300, 328 },	/* DISCOVER */
	{  1,    800, "10.0.1.1",  "10.0.1.10",       UDP, 67, 68, 2, 300, 328 },	/* OFFER */
	{  1,   1000, "0.0.0.0",   "255.255.255.255", UDP, 68, 67, 3, 300, 328 },	/* REQUEST */
	{  1,   1800, "10.0.1.1",  "10.0.1.10",       UDP, 67, 68, 5, 300, 328 },	/* ACK */
	{  2,      0, "10.0.1.10", "10.0.0.2",        UDP, 53110, 53, 0, 44, 72, "s3.us-east-1.amazonaws.com" },
	{  2,    900, "10.0.0.2",  "10.0.1.10",       UDP, 53, 53110, 0, 60, 88, "s3.us-east-1.amazonaws.com" },
	{  3,      0, "10.0.1.10", "169.254.169.253", UDP, 53111, 53, 0, 29, 57, "example.com" },
	{  3,    700, "169.254.169.253", "10.0.1.10", UDP, 53, 53111, 0, 45, 73, "example.com" },
	{  4,      0, "10.0.1.10", "169.254.169.254", TCP, 45100, 80, S,     0,  60 },
	{  4,    150, "169.254.169.254", "10.0.1.10", TCP, 80, 45100, S|A,   0,  60 },
	{  4,    200, "10.0.1.10", "169.254.169.254", TCP, 45100, 80, A,     0,  52 },
	{  4,    300, "10.0.1.10", "169.254.169.254", TCP, 45100, 80, P|A, 106, 158, IMDS_GET },
	{  4,    900, "169.254.169.254", "10.0.1.10", TCP, 80, 45100, A,     0,  52 },
	{  4,   1000, "169.254.169.254", "10.0.1.10", TCP, 80, 45100, P|A, 118, 170, IMDS_OK },
	{  4,   1100, "10.0.1.10", "169.254.169.254", TCP, 45100, 80, A,     0,  52 },
	{  4,   1300, "169.254.169.254", "10.0.1.10", TCP, 80, 45100, F|A,   0,  52 },
	{  4,   1500, "10.0.1.10", "169.254.169.254", TCP, 45100, 80, F|A,   0,  52 },
	{  4,   1600, "169.254.169.254", "10.0.1.10", TCP, 80, 45100, A,     0,  52 },
	{  5,      0, "10.0.1.10", "169.254.169.123", UDP, 38123, 123, 0, 48,  76 },
	{  5,    300, "169.254.169.123", "10.0.1.10", UDP, 123, 38123, 0, 48,  76 },
	{  6,      0, "10.0.1.10", "10.0.1.1",        ICMP, 0x1c2d, 1, 8, 56,  84 },
	{  6,    120, "10.0.1.1",  "10.0.1.10",       ICMP, 0x1c2d, 1, 0, 56,  84 },
	{ 10,      0, "10.0.1.10", "203.0.113.80",    TCP, 40600, 443, S,     0,   60 },
	{ 10,  11800, "203.0.113.80", "10.0.1.10",    TCP, 443, 40600, S|A,   0,   60 },
	{ 10,  11900, "10.0.1.10", "203.0.113.80",    TCP, 40600, 443, A,     0,   52 },
	{ 10,  12300, "10.0.1.10", "203.0.113.80",    TCP, 40600, 443, P|A, 517,  569 },
	{ 10,  23700, "203.0.113.80", "10.0.1.10",    TCP, 443, 40600, P|A, 1200, 1252 },
	{ 10,  24000, "10.0.1.10", "203.0.113.80",    TCP, 40600, 443, P|A, 300,  352 },
	{ 10,  36000, "203.0.113.80", "10.0.1.10",    TCP, 443, 40600, P|A, 800,  852 },
	{ 10,  36200, "10.0.1.10", "203.0.113.80",    TCP, 40600, 443, F|A,   0,   52 },
	{ 10,  47500, "203.0.113.80", "10.0.1.10",    TCP, 443, 40600, F|A,   0,   52 },
	{ 10,  47600, "10.0.1.10", "203.0.113.80",    TCP, 40600, 443, A,     0,   52 },
	{ 30,      0, "10.0.1.10", "10.0.1.1",        UDP, 68, 67, 3, 300, 328 },	/* renew REQUEST */
	{ 30,    600, "10.0.1.1",  "10.0.1.10",       UDP, 67, 68, 5, 300, 328 },	/* ACK */
};

/* vpc-idle: ssh keystrokes for 20 s, 3 silent minutes, then more. */
static const struct vev ev_idle[] = {
	{   5,      0, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, S,    0, 60 },
	{   5,    100, "10.0.1.10",    "198.51.100.7", TCP, 22, 51300, S|A,  0, 60 },
	{   5,  48000, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, A,    0, 52 },
	{  10,      0, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, P|A, 36, 88 },
	{  10,    200, "10.0.1.10",    "198.51.100.7", TCP, 22, 51300, P|A, 36, 88 },
	{  10,  48000, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, A,    0, 52 },
	{  15,      0, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, P|A, 36, 88 },
	{  15,    200, "10.0.1.10",    "198.51.100.7", TCP, 22, 51300, P|A, 36, 88 },
	{  20,      0, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, P|A, 36, 88 },
	{  20,    200, "10.0.1.10",    "198.51.100.7", TCP, 22, 51300, P|A, 36, 88 },
	{  25,      0, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, P|A, 36, 88 },
	{  25,    200, "10.0.1.10",    "198.51.100.7", TCP, 22, 51300, P|A, 36, 88 },
	{  25,  48000, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, A,    0, 52 },
	{ 245,      0, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, P|A, 36, 88 },
	{ 245,    200, "10.0.1.10",    "198.51.100.7", TCP, 22, 51300, P|A, 36, 88 },
	{ 245,  48000, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, A,    0, 52 },
	{ 250,      0, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, F|A,  0, 52 },
	{ 250,    150, "10.0.1.10",    "198.51.100.7", TCP, 22, 51300, F|A,  0, 52 },
	{ 250,  48000, "198.51.100.7", "10.0.1.10",    TCP, 51300, 22, A,    0, 52 },
};

/* vpc-two-enis: 10.0.1.10 and 10.0.1.20 (two ENIs, one subnet) talk over
 * TCP 5432, then each reaches the internet. */
static const struct vev ev_two_enis[] = {
	{ 12,      0, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, S,     0,  60 },
	{ 12,    200, "10.0.1.20", "10.0.1.10",    TCP, 5432, 45000, S|A,   0,  60 },
	{ 12,    300, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, A,     0,  52 },
	{ 12,    500, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, P|A, 120, 172 },
	{ 12,   1500, "10.0.1.20", "10.0.1.10",    TCP, 5432, 45000, P|A, 300, 352 },
	{ 12,   1600, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, A,     0,  52 },
	{ 12, 500000, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, F|A,   0,  52 },
	{ 12, 500200, "10.0.1.20", "10.0.1.10",    TCP, 5432, 45000, F|A,   0,  52 },
	{ 12, 500300, "10.0.1.10", "10.0.1.20",    TCP, 45000, 5432, A,     0,  52 },
	{ 20,      0, "10.0.1.10", "203.0.113.80", TCP, 40700, 443, S,      0,  60 },
	{ 20,  11000, "203.0.113.80", "10.0.1.10", TCP, 443, 40700, S|A,    0,  60 },
	{ 20,  11100, "10.0.1.10", "203.0.113.80", TCP, 40700, 443, A,      0,  52 },
	{ 20,  11500, "10.0.1.10", "203.0.113.80", TCP, 40700, 443, F|A,    0,  52 },
	{ 20,  22000, "203.0.113.80", "10.0.1.10", TCP, 443, 40700, F|A,    0,  52 },
	{ 20,  22100, "10.0.1.10", "203.0.113.80", TCP, 40700, 443, A,      0,  52 },
	{ 21,      0, "10.0.1.20", "192.0.2.80",   TCP, 38000, 80, S,       0,  60 },
	{ 21,   9000, "192.0.2.80", "10.0.1.20",   TCP, 80, 38000, S|A,     0,  60 },
	{ 21,   9100, "10.0.1.20", "192.0.2.80",   TCP, 38000, 80, A,       0,  52 },
	{ 21,   9300, "10.0.1.20", "192.0.2.80",   TCP, 38000, 80, P|A,    80, 132 },
	{ 21,  18000, "192.0.2.80", "10.0.1.20",   TCP, 80, 38000, P|A,   300, 352 },
	{ 21,  18300, "10.0.1.20", "192.0.2.80",   TCP, 38000, 80, F|A,     0,  52 },
	{ 21,  27000, "192.0.2.80", "10.0.1.20",   TCP, 80, 38000, F|A,     0,  52 },
	{ 21,  27100, "10.0.1.20", "192.0.2.80",   TCP, 38000, 80, A,       0,  52 },
};

/* vpc-secondary-ip: the ENI's primary is 10.0.1.10, 10.0.1.11 secondary. */
static const struct vev ev_secondary[] = {
	{ 30,      0, "198.51.100.7", "10.0.1.11",    TCP, 51600, 443, S,     0,  60 },
	{ 30,    100, "10.0.1.11",    "198.51.100.7", TCP, 443, 51600, S|A,   0,  60 },
	{ 30,  20000, "198.51.100.7", "10.0.1.11",    TCP, 51600, 443, A,     0,  52 },
	{ 30,  20500, "198.51.100.7", "10.0.1.11",    TCP, 51600, 443, P|A, 100, 152 },
	{ 30,  20800, "10.0.1.11",    "198.51.100.7", TCP, 443, 51600, P|A, 200, 252 },
	{ 30,  40000, "198.51.100.7", "10.0.1.11",    TCP, 51600, 443, F|A,   0,  52 },
	{ 30,  40100, "10.0.1.11",    "198.51.100.7", TCP, 443, 51600, F|A,   0,  52 },
	{ 30,  60000, "198.51.100.7", "10.0.1.11",    TCP, 51600, 443, A,     0,  52 },
	{ 31,      0, "10.0.1.11",    "192.0.2.200",  UDP, 33000, 9999, 0,   20,  48 },
	{ 31,  10000, "192.0.2.200",  "10.0.1.11",    UDP, 9999, 33000, 0,   20,  48 },
	{ 32,      0, "10.0.1.10",    "192.0.2.200",  UDP, 33001, 9999, 0,   20,  48 },
	{ 32,  10000, "192.0.2.200",  "10.0.1.10",    UDP, 9999, 33001, 0,   20,  48 },
};

#define N(a)	(sizeof(a) / sizeof((a)[0]))

struct vcap {
	const char *name;
	const struct vev *ev;
	size_t n;
};

static const struct vcap vcaps[] = {
	{ "s3",			ev_s3,		N(ev_s3) },
	{ "vpc-unlogged",	ev_unlogged,	N(ev_unlogged) },
	{ "vpc-idle",		ev_idle,	N(ev_idle) },
	{ "vpc-two-enis",	ev_two_enis,	N(ev_two_enis) },
	{ "vpc-secondary-ip",	ev_secondary,	N(ev_secondary) },
};

/* 10.0.1.x has 02:00:00:00:01:x, but the secondary 10.0.1.11 and the
 * unconfigured 0.0.0.0 are 10.0.1.10's ENI; 255.255.255.255 is the
 * broadcast MAC; every other address is behind 02:00:00:00:01:01. */
static void mac_of(const uint8_t *a, uint8_t *mac)
{
	static const uint8_t base[6] = { 0x02, 0x00, 0x00, 0x00, 0x01, 0x01 };

	memcpy(mac, base, 6);
	if (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255)
		memset(mac, 0xff, 6);
	else if (a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0)
		mac[5] = 10;
	else if (a[0] == 10 && a[1] == 0 && a[2] == 1)
		mac[5] = a[3] == 11 ? 10 : a[3];
}

/* A DNS query for name (type A, class IN) or its response with one A
 * record, TTL 60. */
static size_t dns_msg(uint8_t *p, uint16_t id, const char *name, int response)
{
	size_t n = 12, lab;
	const char *s = name, *dot;

	put_be16(p, id);
	put_be16(p + 2, response ? 0x8180 : 0x0100);	/* QR RD RA / RD */
	put_be16(p + 4, 1);
	put_be16(p + 6, response ? 1 : 0);
	put_be32(p + 8, 0);
	for (;;) {
		dot = strchr(s, '.');
		lab = dot != NULL ? (size_t)(dot - s) : strlen(s);
		p[n++] = (uint8_t)lab;
		memcpy(p + n, s, lab);
		n += lab;
		if (dot == NULL)
			break;
		s = dot + 1;
	}
	p[n++] = 0;
	put_be16(p + n, 1);				/* A */
	put_be16(p + n + 2, 1);				/* IN */
	n += 4;
	if (!response)
		return n;
	memcpy(p + n, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04", 12);
	memcpy(p + n + 12, strncmp(name, "s3.", 3) == 0 ? "\x34\xd9\x6d\x08" :
	    "\xc0\x00\x02\x0e", 4);			/* 52.217.109.8, 192.0.2.14 */
	return n + 16;
}

/* A 300-byte BOOTP/DHCP message (RFC 2131) of type t for 10.0.1.10. */
static size_t dhcp_msg(uint8_t *p, uint8_t t, const uint8_t *src)
{
	static const uint8_t me[4] = { 10, 0, 1, 10 }, router[4] = { 10, 0, 1, 1 };
	int server = t == 2 || t == 5;
	size_t o = 240;

	memset(p, 0, 300);
	p[0] = server ? 2 : 1;				/* op */
	p[1] = 1;					/* htype Ethernet */
	p[2] = 6;					/* hlen */
	put_be32(p + 4, 0x3903f326);			/* xid */
	if (!server && src[0] != 0)
		memcpy(p + 12, me, 4);			/* ciaddr: renewing */
	if (server)
		memcpy(p + 16, me, 4);			/* yiaddr */
	mac_of(me, p + 28);				/* chaddr */
	put_be32(p + 236, 0x63825363);			/* magic cookie */
	p[o++] = 53, p[o++] = 1, p[o++] = t;		/* message type */
	if (server) {
		p[o++] = 54, p[o++] = 4;		/* server identifier */
		memcpy(p + o, router, 4), o += 4;
		p[o++] = 51, p[o++] = 4;		/* lease 3600 s */
		put_be32(p + o, 3600), o += 4;
		p[o++] = 1, p[o++] = 4;			/* subnet mask /24 */
		memcpy(p + o, "\xff\xff\xff\x00", 4), o += 4;
		p[o++] = 3, p[o++] = 4;			/* router */
		memcpy(p + o, router, 4), o += 4;
		p[o++] = 6, p[o++] = 4;			/* DNS: VPC base + 2 */
		memcpy(p + o, "\x0a\x00\x00\x02", 4), o += 4;
	} else {
		if (t == 3 && src[0] == 0) {		/* selecting */
			p[o++] = 50, p[o++] = 4;
			memcpy(p + o, me, 4), o += 4;
			p[o++] = 54, p[o++] = 4;
			memcpy(p + o, router, 4), o += 4;
		}
		p[o++] = 55, p[o++] = 4;		/* parameter request list */
		p[o++] = 1, p[o++] = 3, p[o++] = 6, p[o++] = 15;
	}
	p[o] = 255;					/* end; pad to 300 */
	return 300;
}

/* The transport payload of row e at pay; returns its length. */
static size_t payload(const struct vev *e, uint8_t *pay)
{
	size_t i;

	if (e->proto == PROTO_UDP && (e->sport == 53 || e->dport == 53))
		return dns_msg(pay, (uint16_t)(0x5e00 + e->sec), e->text, e->sport == 53);
	if (e->proto == PROTO_UDP && (e->sport == 67 || e->sport == 68)) {
		uint8_t src[4];

		inet_pton(AF_INET, e->src, src);
		return dhcp_msg(pay, e->flags, src);
	}
	if (e->proto == PROTO_UDP && (e->sport == 123 || e->dport == 123)) {
		memset(pay, 0, 48);
		pay[0] = e->dport == 123 ? 0x23 : 0x24;	/* NTPv4 client, server */
		pay[1] = e->dport == 123 ? 0 : 3;	/* stratum */
		put_be32(pay + 40, (uint32_t)(VSTART + e->sec + 2208988800u));
		return 48;
	}
	if (e->text != NULL) {
		memcpy(pay, e->text, strlen(e->text));
		return strlen(e->text);
	}
	for (i = 0; i < e->pay; i++)		/* ICMP: as ping's pattern */
		pay[i] = (uint8_t)(e->proto == PROTO_ICMP ? 0x10 + i : i * 7 + e->sport + e->sec);
	return e->pay;
}

static int vpc_write(const struct vcap *k, struct pcap_out *o)
{
	static uint8_t pay[VBUF];
	struct convs st;
	uint64_t prev = 0;
	size_t i;

	memset(&st, 0, sizeof(st));
	st.rng = 0x7670632d67656eull;
	for (i = 0; i < k->n; i++) {
		const struct vev *e = &k->ev[i];
		struct pkt p;
		uint8_t smac[6], dmac[6];
		uint64_t ts = (uint64_t)(VSTART + e->sec) * 1000000 + e->usec;
		struct conv *c;
		size_t iplen;
		int side, local;

		memset(&p, 0, sizeof(p));
		if (inet_pton(AF_INET, e->src, p.src) != 1 || inet_pton(AF_INET, e->dst, p.dst) != 1 ||
		    ts <= prev || e->usec >= 1000000 ||
		    (c = conv_find(&st, p.src, p.dst, 4, e->sport, e->dport, &side)) == NULL) {
			fprintf(stderr, "pktgen: %s row %zu: bad address or time\n", k->name, i);
			return -1;
		}
		prev = ts;
		p.paylen = payload(e, pay);
		if (p.paylen != e->pay) {
			fprintf(stderr, "pktgen: %s row %zu: payload %zu, table says %u\n",
			    k->name, i, p.paylen, e->pay);
			return -1;
		}
		local = p.src[0] == 10 || p.src[0] == 0;
		mac_of(p.src, smac);
		mac_of(p.dst, dmac);
		p.ts_us = ts;
		p.src_mac = smac;
		p.dst_mac = dmac;
		p.family = 4;
		p.proto = e->proto;
		p.ttl = local ? 64 : p.src[0] == 169 ? 255 : 52;
		p.ip_id = c->ipid[side]++;
		p.sport = e->sport;
		p.dport = e->dport;
		p.payload = pay;
		if (e->proto == PROTO_ICMP) {
			p.icmp_type = e->flags;
		} else if (e->proto == PROTO_TCP) {
			uint32_t tsval = (uint32_t)(e->sec * 1000 + e->usec / 1000) +
			    (side ? 0x7c2e1000u : 0x3a1b0000u);

			p.tcp_flags = e->flags;
			p.seq = c->seq[side];
			p.ack = e->flags & TH_ACK ? c->seq[1 - side] : 0;
			p.tcp_win = e->flags == TH_SYN ? 64240 : e->flags & TH_SYN ? 65160 : 502;
			p.tcp_optlen = e->flags & TH_SYN ? tcp_opts_syn(p.tcp_opt, 1460, tsval,
			    c->tsval[1 - side]) : tcp_opts_ts(p.tcp_opt, tsval, c->tsval[1 - side]);
			c->tsval[side] = tsval;
			c->seq[side] += (uint32_t)p.paylen + ((e->flags & (TH_SYN | TH_FIN)) != 0);
		}
		if ((iplen = pcap_put(o, &p)) != e->iplen) {
			fprintf(stderr, "pktgen: %s row %zu: IP length %zu, table says %u\n",
			    k->name, i, iplen, e->iplen);
			return -1;
		}
	}
	return 0;
}

static int vpc_one(const struct vcap *k, const char *dir)
{
	char path[4096];
	struct pcap_out o;
	int err;

	snprintf(path, sizeof(path), "%s/%s.pcap", dir, k->name);
	if ((err = pcap_open(&o, path)) != 0) {
		fprintf(stderr, "pktgen: %s: %s\n", path, strerror(err));
		return 1;
	}
	if (vpc_write(k, &o) != 0) {
		pcap_close(&o);
		fprintf(stderr, "pktgen: %s: not written\n", path);
		return 1;
	}
	if ((err = pcap_close(&o)) != 0) {
		fprintf(stderr, "pktgen: %s: %s\n", path, strerror(err));
		return 1;
	}
	return 0;
}

static const char *vpc_name(size_t i)
{
	return vcaps[i].name;
}

static int vpc_write_at(size_t i, const char *dir)
{
	return vpc_one(&vcaps[i], dir);
}

/* pktgen vpc -w DIR [NAME ...]: DIR/NAME.pcap for each NAME, or all. */
int vpc_main(int argc, char **argv)
{
	return named_main(argc, argv, N(vcaps), vpc_name, vpc_write_at);
}
