/* test_cmd.c - vpcflowemu as a user runs it: exit codes and one-line
 * messages of PRODUCT.md section 9, stdin, filters, pcapng, and a capture
 * cut mid-record that still gives the records read before the cut.
 * Usage: test_cmd VPCFLOWEMU PCAPS_DIR */
#include <stdarg.h>
#include <stdlib.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "formats/reader.h"
#include "runcmd.h"

static const char *emu, *dir;
static char lab[512];           /* pcaps/seed-lab.pcap */

#define RUN(r, ...) run((r), NULL, (const char *[]){__VA_ARGS__, NULL})
#define RUN_IN(r, in, ...) run((r), (in), (const char *[]){__VA_ARGS__, NULL})

/* Peak RSS in KiB of vpcflowemu run with args, measured by GNU time (a
 * fork of this test would count this process's pages too); -1 without
 * /usr/bin/time or under ThreadSanitizer. r gets the run's output as from RUN. */
static long run_rss(struct cmd_result *r, const char **args)
{
	char *argv[40], rssfile[] = "/tmp/vfe-rss-XXXXXX";
	int n = 0, fd = mkstemp(rssfile);

	assert_true(fd >= 0);
	close(fd);
	if (access("/usr/bin/time", X_OK) != 0) {
		unlink(rssfile);
		return -1;
	}
	argv[n++] = (char *)(uintptr_t)"/usr/bin/time";
	argv[n++] = (char *)(uintptr_t)"-f";
	argv[n++] = (char *)(uintptr_t)"%M";
	argv[n++] = (char *)(uintptr_t)"-o";
	argv[n++] = rssfile;
	argv[n++] = (char *)(uintptr_t)emu;
	while (*args && n < 39)
		argv[n++] = (char *)(uintptr_t)*args++;
	argv[n] = NULL;
	assert_int_equal(cmd_run(argv, NULL, NULL, r), 0);
	char *text = slurp(rssfile, NULL);
	long kib = text ? atol(text) : -1;
	free(text);
	unlink(rssfile);
#ifdef __SANITIZE_THREAD__
	kib = -1;   /* ThreadSanitizer's shadow memory alone is past any bound */
#endif
	return kib;
}

#define RUN_RSS(r, ...) run_rss((r), (const char *[]){__VA_ARGS__, NULL})

static void run(struct cmd_result *r, const char *in, const char **args)
{
	char *argv[32];
	int n = 0;

	argv[n++] = (char *)(uintptr_t)emu;
	while (*args && n < 31)
		argv[n++] = (char *)(uintptr_t)*args++;
	argv[n] = NULL;
	assert_int_equal(cmd_run(argv, NULL, in, r), 0);
}

/* A temporary file holding len bytes of data; the caller unlinks it. */
static void write_temp(char *path, const void *data, size_t len)
{
	strcpy(path, "/tmp/vfe-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

static char *lab_bytes(size_t *len)
{
	char *b = slurp(lab, len);
	assert_non_null(b);
	return b;
}

/* The in-place reader (capture/source/mapped.c) against libpcap's: the
 * lab in big-endian byte order, with nanosecond stamps, and under a
 * filter, read from a file, gives what libpcap gives from stdin. */
static void swap32_at(char *b, size_t off)
{
	uint32_t v;

	memcpy(&v, b + off, 4);
	v = __builtin_bswap32(v);
	memcpy(b + off, &v, 4);
}

static void test_mapped_reader_variants(void **state)
{
	struct cmd_result a, b;
	char path[64];
	size_t len, off;
	char *bytes = lab_bytes(&len);
	(void)state;

	for (int variant = 0; variant < 3; variant++) {
		char *v = malloc(len);
		assert_non_null(v);
		memcpy(v, bytes, len);
		for (off = 24; off + 16 <= len;) {
			uint32_t caplen, usec;
			memcpy(&caplen, v + off + 8, 4);
			if (variant == 1) {	/* nanoseconds: usec * 1000 + 999 */
				memcpy(&usec, v + off + 4, 4);
				usec = usec * 1000 + 999;
				memcpy(v + off + 4, &usec, 4);
			}
			if (variant == 0)
				for (int i = 0; i < 16; i += 4)
					swap32_at(v, off + (size_t)i);
			off += 16 + caplen;
		}
		if (variant == 0) {	/* magic, snaplen, link type; versions are 16-bit */
			swap32_at(v, 0);
			swap32_at(v, 16);
			swap32_at(v, 20);
			uint16_t major = 2, minor = 4;
			major = (uint16_t)(major << 8 | major >> 8);
			minor = (uint16_t)(minor << 8 | minor >> 8);
			memcpy(v + 4, &major, 2);
			memcpy(v + 6, &minor, 2);
		} else if (variant == 1) {
			memcpy(v, "\x4d\x3c\xb2\xa1", 4);
		}
		write_temp(path, v, len);
		if (variant == 2) {
			RUN(&a, "-r", path, "--local-ip", "10.0.1.10", "tcp port 22");
			RUN_IN(&b, path, "-r", "-", "--local-ip", "10.0.1.10", "tcp port 22");
			assert_non_null(strstr(a.out, " 22 51234 6 8 1797 "));
			assert_non_null(strstr(a.err, "20 packets read"));
		} else {
			RUN(&a, "-r", path, "--local-ip", "10.0.1.10");
			RUN_IN(&b, path, "-r", "-", "--local-ip", "10.0.1.10");
		}
		assert_int_equal(a.status, 0);
		assert_int_equal(b.status, 0);
		assert_true(a.outlen > (variant == 2 ? 300u : 500u));
		assert_string_equal(a.out, b.out);
		assert_string_equal(a.err, b.err);
		unlink(path);
		free(v);
		cmd_free(&a);
		cmd_free(&b);
	}
	free(bytes);
}

static void test_missing_file(void **state)
{
	struct cmd_result r;
	(void)state;
	RUN(&r, "-r", "/nonexistent/x.pcap");
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "vpcflowemu: /nonexistent/x.pcap: No such file or directory\n");
	assert_int_equal(r.outlen, 0);
	cmd_free(&r);
}

static void test_not_a_capture(void **state)
{
	struct cmd_result r;
	char path[64];
	(void)state;
	write_temp(path, "hello, this is text\n", 20);
	RUN(&r, "-r", path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, ": not a pcap or pcapng capture ("));
	assert_int_equal(strchr(r.err, '\n') - r.err, (long)r.errlen - 1);  /* one line */
	cmd_free(&r);
	write_temp(path, "", 0);
	RUN(&r, "-r", path);
	assert_int_equal(r.status, 2);
	cmd_free(&r);
	unlink(path);
}

static void test_unknown_link_type(void **state)
{
	struct cmd_result r;
	char path[64];
	size_t len;
	char *b = lab_bytes(&len);
	(void)state;
	b[20] = (char)147;  /* LINKTYPE_USER0, little-endian header */
	write_temp(path, b, len);
	RUN(&r, "-r", path);
	assert_int_equal(r.status, 2);
	assert_non_null(strstr(r.err, "link type"));
	assert_non_null(strstr(r.err, "(147) is not supported"));
	unlink(path);
	cmd_free(&r);
	free(b);
}

/* Cut inside record 31: the 30 records before it are all counted, the
 * error names the file, the record and its offset, and exit is 1. */
static void test_cut_mid_record(void **state)
{
	struct cmd_result whole, cut;
	char clean[64], broken[64];
	size_t len, off = 24;
	char *b = lab_bytes(&len);
	(void)state;
	for (int i = 0; i < 30; i++) {
		uint32_t caplen;
		memcpy(&caplen, b + off + 8, 4);
		off += 16 + caplen;
	}
	write_temp(clean, b, off);
	write_temp(broken, b, off + 20);
	RUN(&whole, "-r", clean, "--local-ip", "10.0.1.10");
	RUN(&cut, "-r", broken, "--local-ip", "10.0.1.10");
	assert_int_equal(whole.status, 0);
	assert_int_equal(cut.status, 1);
	assert_string_equal(whole.out, cut.out);
	char want[160];
	snprintf(want, sizeof(want), "vpcflowemu: %s: record 31 at byte offset %zu: ", broken, off);
	assert_memory_equal(cut.err, want, strlen(want));
	assert_non_null(strstr(cut.err, "30 packets read"));
	unlink(clean);
	unlink(broken);
	cmd_free(&whole);
	cmd_free(&cut);
	free(b);
}

static void test_stdin_equals_file(void **state)
{
	struct cmd_result a, b;
	(void)state;
	RUN(&a, "-r", lab);
	RUN_IN(&b, lab, "-r", "-");
	assert_int_equal(b.status, 0);
	assert_true(a.outlen > 500);
	assert_string_equal(a.out, b.out);
	assert_non_null(strstr(b.err, "ENI address 10.0.1.10 (seen in 14 flows)"));
	cmd_free(&a);
	cmd_free(&b);
}

/* Classic pcap to pcapng (SHB, IDB, EPBs), written here independently. */
static size_t to_pcapng(const char *pcap, size_t len, char *out)
{
	static const uint8_t shb[28] = {0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a,
					1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
					28, 0, 0, 0};
	static const uint8_t idb[20] = {1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 4, 0, 20, 0, 0, 0};
	size_t n = 0;

	memcpy(out, shb, sizeof(shb));
	memcpy(out + 28, idb, sizeof(idb));
	n = 48;
	for (size_t off = 24; off + 16 <= len;) {
		uint32_t sec, usec, caplen, wire, type = 6, zero = 0, iface = 0;
		memcpy(&sec, pcap + off, 4);
		memcpy(&usec, pcap + off + 4, 4);
		memcpy(&caplen, pcap + off + 8, 4);
		memcpy(&wire, pcap + off + 12, 4);
		uint64_t ts = (uint64_t)sec * 1000000u + usec;
		uint32_t hi = (uint32_t)(ts >> 32), lo = (uint32_t)ts;
		uint32_t pad = (4 - caplen % 4) % 4, total = 32 + caplen + pad;
		uint32_t words[7] = {type, total, iface, hi, lo, caplen, wire};
		memcpy(out + n, words, 28);
		memcpy(out + n + 28, pcap + off + 16, caplen);
		memset(out + n + 28 + caplen, 0, pad);
		memcpy(out + n + 28 + caplen + pad, &total, 4);
		(void)zero;
		n += total;
		off += 16 + caplen;
	}
	return n;
}

static void test_pcapng_equals_pcap(void **state)
{
	struct cmd_result a, b;
	char path[64];
	size_t len;
	char *pcap = lab_bytes(&len);
	char *ng = malloc(len * 2 + 64);
	(void)state;
	write_temp(path, ng, to_pcapng(pcap, len, ng));
	RUN(&a, "-r", lab, "--local-ip", "10.0.1.10,2001:db8:1::10");
	RUN(&b, "-r", path, "--local-ip", "10.0.1.10,2001:db8:1::10");
	assert_int_equal(b.status, 0);
	assert_string_equal(a.out, b.out);
	unlink(path);
	cmd_free(&a);
	cmd_free(&b);
	free(ng);
	free(pcap);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void test_filter_header_count(void **state)
{
	struct cmd_result r;
	(void)state;
	RUN(&r, "-r", lab, "--local-ip", "10.0.1.10", "--no-header", "icmp");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 2);   /* ping out and back, one 600 s window */
	assert_non_null(strstr(r.out, " 10.0.1.10 203.0.113.80 0 0 1 4 336 "));
	assert_non_null(strstr(r.out, " 203.0.113.80 10.0.1.10 0 0 1 4 336 "));
	cmd_free(&r);
	RUN(&r, "-r", lab, "-c", "3", "--local-ip", "10.0.1.10");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "3 packets read"));
	cmd_free(&r);
	RUN(&r, "-r", lab, "port", "99999");
	assert_int_equal(r.status, 2);
	const char *want = "vpcflowemu: filter expression \"port 99999\": ";
	assert_memory_equal(r.err, want, strlen(want));
	cmd_free(&r);
}

static void test_usage_and_fields(void **state)
{
	struct cmd_result r;
	(void)state;
	RUN(&r, "-r", lab, "-f", "${version} ${nope}");
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "vpcflowemu: -f: unknown field \"${nope}\" at column 12\n");
	cmd_free(&r);
	RUN(&r, "--help");
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "usage: vpcflowemu", 17);
	cmd_free(&r);
	RUN(&r, "fields");
	assert_int_equal(r.status, 0);
	assert_int_equal(count_lines(r.out), 55);
	assert_non_null(strstr(r.out, "\nlog-status "));
	cmd_free(&r);
	RUN(&r, "ddl", "-f", "all", "--table", "flows");
	assert_int_equal(r.status, 0);
	assert_memory_equal(r.out, "CREATE EXTERNAL TABLE IF NOT EXISTS `flows` (\n", 46);
	assert_non_null(strstr(r.out, "  next_hop_interface_type string\n)"));
	assert_null(strstr(r.out, "next-hop"));
	cmd_free(&r);
	RUN(&r, "ddl", "--hive", "--projection");
	assert_int_equal(r.status, 2);
	assert_memory_equal(r.err, "vpcflowemu: ddl: ", 17);
	cmd_free(&r);
	RUN(&r, "-i", "vfe-no-such-if0", "--duration", "1");
	assert_int_equal(r.status, 2);
	assert_true(strstr(r.err, "vfe-no-such-if0: no such interface\n") ||
		    strstr(r.err, "vfe-no-such-if0: permission denied"));
	cmd_free(&r);
}

/* A record header with caplen > wire length is skipped and counted. */
static void test_bad_record_header(void **state)
{
	struct cmd_result r;
	char path[64];
	size_t len;
	char *b = lab_bytes(&len);
	(void)state;
	uint32_t wire = 10;
	memcpy(b + 24 + 12, &wire, 4);   /* first record: wire length 10 < caplen */
	write_temp(path, b, len);
	RUN(&r, "-r", path, "-v", "--local-ip", "10.0.1.10");
	assert_int_equal(r.status, 0);
	assert_non_null(strstr(r.err, "bad record headers 1"));
	assert_non_null(strstr(r.err, "68 packets read"));
	unlink(path);
	cmd_free(&r);
	free(b);
}

/* -o and --cloudwatch deliver exactly the records stdout shows: every
 * object starts with the header, objects hold the records in order, and
 * each CloudWatch event's message is a record. */
/* Every record under top, fields joined by one space, one per line. */
static char *read_back(const char *top)
{
	struct flow_reader *r;
	struct flow_line l;
	char err[256];
	size_t cap = 1 << 20, n = 0;
	char *out = malloc(cap);

	assert_int_equal(flow_reader_open(&r, top, NULL, err, sizeof(err)), 0);
	int rc;
	while ((rc = flow_reader_next(r, &l, err, sizeof(err))) == 1) {
		for (size_t i = 0; i < l.layout->n; i++) {
			assert_true(n + l.len[i] + 2 < cap);
			memcpy(out + n, l.field[i], l.len[i]);
			n += l.len[i];
			out[n++] = i + 1 < l.layout->n ? ' ' : '\n';
		}
	}
	assert_int_equal(rc, 0);
	out[n] = '\0';
	flow_reader_close(r);
	return out;
}

static void test_delivery_round_trip(void **state)
{
	struct cmd_result plain, out;
	char tmp[] = "/tmp/vfe-deliver-XXXXXX", s3[128], cw[128], cmd[1024], path[160];
	(void)state;
	assert_non_null(mkdtemp(tmp));
	snprintf(s3, sizeof(s3), "%s/s3", tmp);
	snprintf(cw, sizeof(cw), "%s/cw", tmp);
	RUN(&plain, "-r", lab, "--local-ip", "10.0.1.10,2001:db8:1::10", "--interval", "60");
	RUN(&out, "-r", lab, "--local-ip", "10.0.1.10,2001:db8:1::10", "--interval", "60", "-o",
	    s3, "--cloudwatch", cw);
	assert_int_equal(out.status, 0);
	assert_int_equal(out.outlen, 0);
	assert_non_null(strstr(out.err, "S3 objects written: 1\n"));
	const char *body = strchr(plain.out, '\n') + 1;
	snprintf(path, sizeof(path), "%s/plain", tmp);
	FILE *f = fopen(path, "w");
	fputs(body, f);
	fclose(f);
	/* The objects uncompressed in name order, minus their header lines;
	 * the header of one; the CloudWatch messages, sorted. */
	snprintf(cmd, sizeof(cmd),
		 "cd %s && for f in $(find AWSLogs -name '*.log.gz' | sort); do zcat $f | tail -n +2; "
		 "done > %s/records && for f in $(find AWSLogs -name '*.log.gz'); do zcat $f | head -1; "
		 "done | sort -u > %s/header && cat %s/* | sed 's/^{\"timestamp\": [0-9]*, "
		 "\"message\": \"//; s/\"}$//' | sort > %s/events && sort %s/plain | cmp -s - %s/events",
		 s3, tmp, tmp, cw, tmp, tmp, tmp);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/records", tmp);
	char *records = slurp(path, NULL);
	snprintf(path, sizeof(path), "%s/header", tmp);
	char *header = slurp(path, NULL);
	assert_int_equal(strlen(header), (size_t)(body - plain.out));
	assert_memory_equal(header, plain.out, strlen(header));
	assert_string_equal(records, body);
	/* And the project's own reader reads back exactly those records. */
	char *again = read_back(s3);
	assert_string_equal(again, body);
	free(again);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmp);
	assert_int_equal(system(cmd), 0);
	free(records);
	free(header);
	cmd_free(&plain);
	cmd_free(&out);
}

/* A classic pcap of raw IPv4 UDP packets from 10.1.0.5, one per source
 * port: every packet its own flow. n packets over n / 1000 seconds. */
static char *flood_pcap(uint32_t n, size_t *len)
{
	static const uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
					0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0};
	size_t rec = 16 + 28;
	char *b = malloc(24 + (size_t)n * rec), *p = b + 24;

	memcpy(b, hdr, 24);
	for (uint32_t i = 0; i < n; i++, p += rec) {
		uint32_t sec = 1768471200 + i / 1000, usec = i % 1000 * 1000, len28 = 28;
		uint8_t ip[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 1, 0, 5,
				  192, 0, 2, 1, (uint8_t)(i >> 8), (uint8_t)i, 0, 53, 0, 8, 0, 0};
		ip[14] = (uint8_t)(i >> 16);  /* 10.1.x.5: sources differ past 65536 */
		memcpy(p, &sec, 4);
		memcpy(p + 4, &usec, 4);
		memcpy(p + 8, &len28, 4);
		memcpy(p + 12, &len28, 4);
		memcpy(p + 16, ip, 28);
	}
	*len = 24 + (size_t)n * rec;
	return b;
}

/* A raw-IPv4 pcap of UDP packets 10.1.0.5:sport -> 192.0.2.1:53 at the
 * given times (microseconds since the epoch). */
static char *udp_pcap(const uint64_t *usec, const uint16_t *sport, size_t n, size_t *len)
{
	static const uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
					0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0};
	char *b = malloc(24 + n * 44), *p = b + 24;

	memcpy(b, hdr, 24);
	for (size_t i = 0; i < n; i++, p += 44) {
		uint32_t w[4] = {(uint32_t)(usec[i] / 1000000), (uint32_t)(usec[i] % 1000000), 28, 28};
		uint8_t ip[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 1, 0, 5,
				  192, 0, 2, 1, (uint8_t)(sport[i] >> 8), (uint8_t)sport[i], 0, 53, 0, 8, 0, 0};
		memcpy(p, w, 16);
		memcpy(p + 16, ip, 28);
	}
	*len = 24 + n * 44;
	return b;
}

/* Packets slightly out of order across a window edge still land in their
 * window; one later than the grace second is counted as late and never
 * makes a second record for a written window; a flow's start moved back
 * by a late packet orders its line. */
static void test_out_of_order(void **state)
{
	const uint64_t t = 1768471200ull * 1000000;  /* a window edge */
	const uint64_t usec[] = {t - 10000, t + 1000, t - 5000, t + 1500000, t - 1000};
	const uint16_t sport[] = {1000, 2000, 1000, 3000, 1000};
	struct cmd_result r;
	char path[64];
	size_t len;
	char *b = udp_pcap(usec, sport, 5, &len);
	(void)state;
	write_temp(path, b, len);
	RUN(&r, "-r", path, "--local-ip", "10.1.0.5", "--interval", "60", "-v", "-f",
	    "${srcport} ${packets} ${start} ${end}", "--no-header");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "1000 2 1768471199 1768471199\n"
				   "2000 1 1768471200 1768471200\n"
				   "3000 1 1768471201 1768471201\n");
	assert_non_null(strstr(r.err, "late for a written window 1\n"));
	unlink(path);
	cmd_free(&r);
	free(b);
	/* A flow whose earliest packet comes after another flow's first: it
	 * starts earlier, so its line comes first (the sort goes by the
	 * start kept with each flow, moved back with it). */
	const uint64_t early[] = {t + 10000000, t + 5000000, t + 2000000};
	b = udp_pcap(early, sport, 3, &len);
	write_temp(path, b, len);
	RUN(&r, "-r", path, "--local-ip", "10.1.0.5", "--interval", "60", "-f",
	    "${srcport} ${packets} ${start} ${end}", "--no-header");
	assert_int_equal(r.status, 0);
	assert_string_equal(r.out, "1000 2 1768471202 1768471210\n"
				   "2000 1 1768471205 1768471205\n");
	unlink(path);
	cmd_free(&r);
	free(b);
}

/* A bogus timestamp (a device without a clock) before real traffic: the
 * gap's NODATA lines are bounded (a week of 60 s windows), written one
 * window at a time, and the rest counted. */
static void test_huge_gap(void **state)
{
	const uint64_t usec[] = {100ull * 1000000, 1700000000ull * 1000000};
	const uint16_t sport[] = {1000, 1000};
	struct cmd_result r;
	char path[64];
	size_t len;
	char *b = udp_pcap(usec, sport, 2, &len);
	(void)state;
	write_temp(path, b, len);
	long rss = RUN_RSS(&r, "-r", path, "--local-ip", "10.1.0.5", "--interval", "60",
			   "--no-header", "-f", "${log-status}");
	assert_int_equal(r.status, 0);
	int nodata = 0;
	for (const char *l = r.out; (l = strstr(l, "NODATA\n")) != NULL; l++)
		nodata++;
	assert_int_equal(nodata, 10080);
	assert_non_null(strstr(r.err, "got no NODATA line"));
	if (rss >= 0)
		assert_true(rss < 64 * 1024);
	unlink(path);
	cmd_free(&r);
	free(b);
}

/* Issue 9's flow flood: far more flows than --max-flows. The bound holds
 * (RSS), refusals are counted and every affected window says SKIPDATA. */
static void test_flow_flood(void **state)
{
	struct cmd_result r;
	char path[64];
	size_t len;
	char *b = flood_pcap(200000, &len);
	(void)state;
	write_temp(path, b, len);
	long rss = RUN_RSS(&r, "-r", path, "--vpc-cidr", "10.0.0.0/8", "--interval", "60",
			   "--max-flows", "5000", "-v", "-f",
			   "${interface-id} ${start} ${end} ${log-status}");
	assert_int_equal(r.status, 0);
	/* 200 s of packets: windows 1768471200, 260, 320, 380; 5000 flows fit in
	 * each, the rest are refused; 4 windows of SKIPDATA for each ENI that
	 * lost flows in them. */
	assert_non_null(strstr(r.err, "refused by a full flow table"));
	assert_null(strstr(r.err, "refused by a full flow table 0\n"));
	assert_non_null(strstr(r.out, " 1768471200 1768471260 SKIPDATA\n"));
	assert_non_null(strstr(r.out, " 1768471380 1768471440 SKIPDATA\n"));
	/* The table is 5000 flows: far below what 200000 flows would take. */
	if (rss >= 0)
		assert_true(rss < 64 * 1024);
	unlink(path);
	cmd_free(&r);
	free(b);
}

/* ENIs made in every window (--vpc-cidr): window w has hosts 10.2.0.10 to
 * 10.2.0.(20 w + 29) each sending one packet in its second 1, so the
 * ENIs ranked before meet new ones in one second. The records of a
 * second are in interface-id order (PRODUCT.md section 2), however the
 * ranks were built up (emit.c merges the new ENIs into the old order). */
static void test_order_with_new_enis(void **state)
{
	static const uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
					0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0};
	const size_t rec = 16 + 28;
	char *b = malloc(24 + 300 * rec), *p = b + 24, path[64];
	struct cmd_result r;
	(void)state;

	memcpy(b, hdr, 24);
	for (uint32_t w = 0; w < 5; w++)
		for (uint32_t h = 1; h <= 20 * w + 20; h++, p += rec) {
			uint32_t sec = 1768471201 + 60 * w, usec = h, len28 = 28;
			uint8_t ip[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 2, 0,
					  (uint8_t)(h + 9), 192, 0, 2, 1, 0x30, 0x39, 0, 53, 0, 8, 0, 0};
			memcpy(p, &sec, 4);
			memcpy(p + 4, &usec, 4);
			memcpy(p + 8, &len28, 4);
			memcpy(p + 12, &len28, 4);
			memcpy(p + 16, ip, 28);
		}
	write_temp(path, b, (size_t)(p - b));
	RUN(&r, "-r", path, "--vpc-cidr", "10.2.0.0/16", "--interval", "60", "--no-header",
	    "-f", "${start} ${interface-id} ${log-status}");
	assert_int_equal(r.status, 0);
	char prev[64] = "", line[64];
	int n = 0;
	for (const char *l = r.out; *l; l = strchr(l, '\n') + 1) {
		size_t k = strcspn(l, "\n");
		assert_true(k < sizeof(line));
		memcpy(line, l, k);
		line[k] = '\0';
		if (strstr(line, " OK")) {
			/* Same second: ids ascending; a new second starts over. */
			if (strncmp(prev, line, 10) == 0)
				assert_true(strcmp(prev, line) < 0);
			n++;
		}
		memcpy(prev, line, k + 1);
	}
	assert_int_equal(n, 20 + 40 + 60 + 80 + 100);
	unlink(path);
	cmd_free(&r);
	free(b);
}

/* Reading ahead on a thread of its own (capture/readahead.c) and writing
 * big windows on two (capture/spans.c) change no byte: records,
 * statistics, errors and exit codes are those of one thread
 * (VFE_THREADS=1), on a flood of many windows, with SKIPDATA lines and
 * --explain among them, a capture cut mid-record, an impossible record
 * header, fragments and traffic AWS never logs (the statistics of -v),
 * -c. */
static void same_both_ways(const char **args)
{
	struct cmd_result ahead, one;

	run(&ahead, NULL, args);
	assert_int_equal(setenv("VFE_THREADS", "1", 1), 0);
	run(&one, NULL, args);
	assert_int_equal(unsetenv("VFE_THREADS"), 0);
	assert_int_equal(ahead.status, one.status);
	assert_string_equal(ahead.out, one.out);
	assert_string_equal(ahead.err, one.err);
	cmd_free(&ahead);
	cmd_free(&one);
}

/* n UDP packets 10.1.0.5:(1024 + i) -> 192.0.2.1:53, all in one second:
 * one run of n flows of one ENI and second, which a window cannot cut. */
static char *scan_pcap(uint32_t n, size_t *len)
{
	char *b = flood_pcap(n, len);

	for (uint32_t i = 0; i < n; i++) {
		char *rec = b + 24 + (size_t)i * (16 + 28);
		uint32_t sec = 1768471200;
		uint16_t sport = (uint16_t)(1024 + i);
		memcpy(rec, &sec, 4);
		rec[16 + 14] = 0;                       /* 10.1.0.5 for all */
		rec[16 + 20] = (char)(sport >> 8);
		rec[16 + 21] = (char)sport;
	}
	return b;
}

/* Two windows of a flood from many ENIs: 30,000 flows from 3,000
 * addresses, then 30,000 from a third of them, whose 2,000 idle ENIs give
 * NODATA lines among the second window's flows. Its first second has
 * 5,000 flows, a stretch of its own, which its lines must join. */
static char *idle_pcap(size_t *len)
{
	char *b = flood_pcap(60000, len);

	for (uint32_t i = 0; i < 60000; i++) {
		char *rec = b + 24 + (size_t)i * (16 + 28);
		bool later = i >= 30000;
		uint32_t host = later ? i % 1000 : i % 3000;
		uint32_t sec = 1768471200 + (later ? 60 + (i < 35000 ? 0 : (i - 35000) / 1000 + 1) :
						     i / 1000);
		memcpy(rec, &sec, 4);
		rec[16 + 13] = 2;                       /* 10.2.x.y */
		rec[16 + 14] = (char)(host >> 8);
		rec[16 + 15] = (char)host;
	}
	return b;
}

/* Not by strstr() from each match on: the sanitizers' strstr() measures
 * the whole rest of the text each time, and this text is 7 MB. */
static int count_of(const char *s, const char *what)
{
	size_t len = strlen(s), n = strlen(what);
	int count = 0;

	for (size_t i = 0; i + n <= len; i++)
		count += s[i] == what[0] && memcmp(s + i, what, n) == 0;
	return count;
}

static void test_threads_change_nothing(void **state)
{
	char flood[64], cut[64], badrec[64];
	size_t len, blen, off = 24;
	char *f = flood_pcap(100000, &len);
	char *b = lab_bytes(&blen);
	(void)state;
	write_temp(flood, f, len);
	for (int i = 0; i < 40; i++) {
		uint32_t caplen;
		memcpy(&caplen, b + off + 8, 4);
		off += 16 + caplen;
	}
	write_temp(cut, b, off + 9);
	uint32_t wire = 10;
	memcpy(b + 24 + 12, &wire, 4);
	write_temp(badrec, b, blen);
	same_both_ways((const char *[]){"-r", flood, "--vpc-cidr", "10.0.0.0/8", "--interval",
					"60", "-v", NULL});
	same_both_ways((const char *[]){"-r", flood, "--vpc-cidr", "10.0.0.0/8", "-c", "70001",
					"--max-flows", "3000", "-v", NULL});
	same_both_ways((const char *[]){"-r", flood, "--vpc-cidr", "10.0.0.0/8", "--max-flows",
					"20000", "--explain", NULL});
	same_both_ways((const char *[]){"-r", cut, "--local-ip", "10.0.1.10", "-v", NULL});
	/* A run of 20000 flows: one stretch of 2 MB with --explain, more
	 * than the output buffer holds. */
	char scan[64];
	size_t slen;
	char *sc = scan_pcap(20000, &slen);
	write_temp(scan, sc, slen);
	same_both_ways((const char *[]){"-r", scan, "--vpc-cidr", "10.0.0.0/8", "--explain",
					NULL});
	unlink(scan);
	free(sc);
	/* Big windows sorted a second at a time by both threads, with status
	 * lines merged in. */
	char idle[64];
	struct cmd_result r;
	char *id = idle_pcap(&slen);
	write_temp(idle, id, slen);
	const char *idle_args[] = {"-r", idle, "--vpc-cidr", "10.0.0.0/8", "--interval", "60", NULL};
	run(&r, NULL, idle_args);
	assert_int_equal(r.status, 0);
	assert_int_equal(count_of(r.out, " OK "), 60000);
	assert_int_equal(count_of(r.out, " NODATA "), 2000);
	cmd_free(&r);
	same_both_ways(idle_args);
	unlink(idle);
	free(id);
	char frags[600], topo[600], ranges[600];
	snprintf(frags, sizeof(frags), "%s/lab-fragments.pcap", dir);
	snprintf(topo, sizeof(topo), "%s/lab-topology.json", dir);
	snprintf(ranges, sizeof(ranges), "%s/ip-ranges.json", dir);
	same_both_ways((const char *[]){"-r", frags, "-t", topo, "-R", ranges, "-v", NULL});
	same_both_ways((const char *[]){"-r", badrec, "--local-ip", "10.0.1.10", "-v", NULL});
	unlink(flood);
	unlink(cut);
	unlink(badrec);
	free(f);
	free(b);
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* stdout that cannot take the records: a full disk, a reader that has
 * gone (head). Either way the message names stdout first, and exit 1, on
 * one thread and with stdout's buffers written on a thread of their own. */
static void test_stdout_errors(void **state)
{
	char flood[64], sh[1024], status[64] = "/tmp/vfe-test-XXXXXX";
	char shell[] = "/bin/sh", dash_c[] = "-c";
	size_t len;
	char *f = flood_pcap(100000, &len);
	struct cmd_result r;
	(void)state;
	write_temp(flood, f, len);
	int fd = mkstemp(status);
	assert_true(fd >= 0);
	close(fd);
	for (int one = 0; one < 2; one++) {
		const char *env = one ? "VFE_THREADS=1 " : "";
		snprintf(sh, sizeof(sh), "%sexec %s -r %s --vpc-cidr 10.0.0.0/8 > /dev/full", env,
			 emu, flood);
		char *full[] = {shell, dash_c, sh, NULL};
		assert_int_equal(cmd_run(full, NULL, NULL, &r), 0);
		assert_int_equal(r.status, 1);
		assert_true(starts_with(r.err, "vpcflowemu: stdout: No space left on device\n"));
		cmd_free(&r);
		snprintf(sh, sizeof(sh), "{ %s%s -r %s --vpc-cidr 10.0.0.0/8; echo $? > %s; } | "
			 "head -c 1000 > /dev/null", env, emu, flood, status);
		char *head[] = {shell, dash_c, sh, NULL};
		assert_int_equal(cmd_run(head, NULL, NULL, &r), 0);
		assert_true(starts_with(r.err, "vpcflowemu: stdout: Broken pipe\n"));
		cmd_free(&r);
		char *st = slurp(status, NULL);
		assert_non_null(st);
		assert_string_equal(st, "1\n");
		free(st);
	}
	unlink(status);
	unlink(flood);
	free(f);
}

/* Issue 9's malformed records: empty records are skipped and counted; a
 * 200 MB record header stops the read with a message naming the record,
 * after the records before it were written (exit 1). */
static void test_malformed_records(void **state)
{
	struct cmd_result r;
	char path[64];
	size_t len;
	char *b = lab_bytes(&len);
	(void)state;
	uint32_t zero = 0, huge = 200u << 20;
	memcpy(b + 24 + 8, &zero, 4);            /* record 1: caplen 0 */
	write_temp(path, b, len);
	RUN(&r, "-r", path, "-v", "--local-ip", "10.0.1.10");
	assert_true(r.status == 0 || r.status == 1);
	assert_non_null(strstr(r.err, "vpcflowemu: "));
	unlink(path);
	cmd_free(&r);
	free(b);
	b = lab_bytes(&len);
	size_t off = 24;
	for (int i = 0; i < 10; i++) {
		uint32_t caplen;
		memcpy(&caplen, b + off + 8, 4);
		off += 16 + caplen;
	}
	memcpy(b + off + 8, &huge, 4);           /* record 11 claims 200 MB */
	memcpy(b + off + 12, &huge, 4);
	write_temp(path, b, len);
	RUN(&r, "-r", path, "--local-ip", "10.0.1.10");
	assert_int_equal(r.status, 1);
	assert_non_null(strstr(r.err, ": record 11 at byte offset "));
	assert_non_null(strstr(r.err, "10 packets read"));
	assert_true(r.outlen > 100);  /* the records of the first ten packets */
	unlink(path);
	cmd_free(&r);
	free(b);
}

/* -Z: the objects are written after the drop, so they belong to nobody;
 * an unknown user is refused before anything is read. */
static void test_privilege_drop(void **state)
{
	struct cmd_result r;
	char s3[] = "/tmp/vfe-z-XXXXXX", cmd[160];
	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: -Z needs root\n");
		skip();
	}
	assert_non_null(mkdtemp(s3));
	RUN(&r, "-r", lab, "-o", s3, "-Z", "nobody");
	assert_int_equal(r.status, 0);
	cmd_free(&r);
	snprintf(cmd, sizeof(cmd), "test -n \"$(find %s -name '*.log.gz' -user nobody)\" && "
		 "test -z \"$(find %s -name '*.log.gz' ! -user nobody)\"", s3, s3);
	assert_int_equal(system(cmd), 0);
	RUN(&r, "-r", lab, "-Z", "vfe-no-such-user");
	assert_int_equal(r.status, 2);
	assert_string_equal(r.err, "vpcflowemu: -Z vfe-no-such-user: no such user\n");
	cmd_free(&r);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s3);
	assert_int_equal(system(cmd), 0);
}

/* 200,000 datagrams of 1000 bytes to 127.0.0.1:47998 as fast as possible. */
static pid_t burst(void)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	static char payload[1000];
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(47998)};
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	usleep(800000);
	for (int i = 0; i < 200000; i++)
		sendto(fd, payload, sizeof(payload), 0, (struct sockaddr *)&to, sizeof(to));
	_exit(0);
}

/* A tiny capture buffer and a burst: the kernel drops packets, and the
 * window they fell in says SKIPDATA. */
static void test_kernel_drops_skipdata(void **state)
{
	struct cmd_result r;
	int st;
	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: live capture needs root (CAP_NET_RAW)\n");
		skip();
	}
	pid_t pid = burst();
	RUN(&r, "-i", "lo", "--duration", "3", "-B", "1", "--snaplen", "65535", "--local-ip",
	    "127.0.0.1", "-f", "${start} ${end} ${log-status}", "udp", "port", "47998");
	waitpid(pid, &st, 0);
	assert_int_equal(r.status, 0);
	if (strstr(r.err, " 0 packets dropped by the kernel, 0 by the interface")) {
		print_message("skipped: the kernel kept up with the burst, nothing to test\n");
		cmd_free(&r);
		skip();
	}
	assert_non_null(strstr(r.out, " SKIPDATA\n"));
	cmd_free(&r);
}

static pid_t send_meanwhile(void);

/* Waits (at most 20 s) until the capture whose stderr goes to path says
 * it is listening: packets sent from then on are seen. */
static bool wait_listening(const char *path)
{
	char buf[4096];

	for (int i = 0; i < 200; i++) {
		FILE *fp = fopen(path, "r");
		size_t n = fp ? fread(buf, 1, sizeof(buf) - 1, fp) : 0;
		if (fp)
			fclose(fp);
		buf[n] = '\0';
		if (strstr(buf, "listening on lo"))
			return true;
		usleep(100000);
	}
	return false;
}

/* SIGINT during a live capture with -o: the open window is written, its
 * gzip object completed and renamed, and the exit status is 0. */
static void test_sigint_flushes(void **state)
{
	char s3[] = "/tmp/vfe-int-XXXXXX", errpath[64], cmd[200];
	int st;
	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: live capture needs root (CAP_NET_RAW)\n");
		skip();
	}
	assert_non_null(mkdtemp(s3));
	snprintf(errpath, sizeof(errpath), "%s.err", s3);
	pid_t pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		int err = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		dup2(null, 1);
		dup2(err, 2);
		execl(emu, emu, "-i", "lo", "-o", s3, "--local-ip", "127.0.0.1", "udp", "port",
		      "47999", (char *)NULL);
		_exit(127);
	}
	bool listening = wait_listening(errpath);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(47999)};
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 3; i++) {
		sendto(fd, "vfe", 3, 0, (struct sockaddr *)&to, sizeof(to));
		usleep(50000);
	}
	close(fd);
	/* Time for the kernel to hand the block over (libpcap's 200 ms
	 * timeout) and for a capture slowed by valgrind to read it: what is
	 * still unread at SIGINT is not counted. */
	usleep(1500000);
	assert_int_equal(kill(pid, SIGINT), 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	unlink(errpath);
	assert_true(listening);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	/* A complete gzip object (gzip -t), no temporary file left, and the
	 * flow in it: 3 datagrams each way. */
	snprintf(cmd, sizeof(cmd), "f=$(find %s -name '*.log.gz') && gzip -t $f && "
		 "zcat $f | grep -q ' 47999 17 3 93 ' && test -z \"$(find %s -name '.vfe-*')\"",
		 s3, s3);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", s3);
	assert_int_equal(system(cmd), 0);
}

/* diff end to end: the same lab on a Nitro and on a Xen instance differs
 * only in traffic-path (8 vs 2), with the cause named, although their
 * windows differ (60 s vs 600 s); stdout against the -o objects of the
 * same run is equivalent. */
static void test_diff_nitro_xen(void **state)
{
	struct cmd_result a, b, d;
	char nitro[64], xen[64], s3[] = "/tmp/vfe-diff-XXXXXX", rm[96];
	(void)state;
	assert_non_null(mkdtemp(s3));
	char topo_n[600], topo_x[600], ranges[600];
	snprintf(topo_n, sizeof(topo_n), "%s/lab-topology.json", dir);
	snprintf(topo_x, sizeof(topo_x), "%s/vpc-xen-igw-topology.json", dir);
	snprintf(ranges, sizeof(ranges), "%s/ip-ranges.json", dir);
	RUN(&a, "-r", lab, "-t", topo_n, "-R", ranges);
	RUN(&b, "-r", lab, "-t", topo_x, "-R", ranges);
	assert_int_equal(a.status, 0);
	assert_int_equal(b.status, 0);
	write_temp(nitro, a.out, a.outlen);
	write_temp(xen, b.out, b.outlen);
	RUN(&d, "diff", nitro, xen);
	assert_int_equal(d.status, 1);
	assert_non_null(strstr(d.out, "differing by field: traffic-path 6\n"));
	assert_non_null(strstr(d.out, "expected 8, actual 2 (likely cause: a non-Nitro instance"));
	cmd_free(&d);
	cmd_free(&b);
	RUN(&b, "-r", lab, "-t", topo_n, "-R", ranges, "-o", s3);
	RUN(&d, "diff", nitro, s3);
	assert_int_equal(d.status, 0);
	assert_non_null(strstr(d.out, "result: equivalent\n"));
	cmd_free(&d);
	RUN(&d, "diff", nitro, "/nonexistent/x.log");
	assert_int_equal(d.status, 2);
	unlink(nitro);
	unlink(xen);
	snprintf(rm, sizeof(rm), "rm -rf %s", s3);
	assert_int_equal(system(rm), 0);
	cmd_free(&a);
	cmd_free(&b);
	cmd_free(&d);
}

/* A UDP datagram to 127.0.0.1:47999 every 100 ms for 3 s, from one
 * socket (one flow): the capture catches some even when it starts late,
 * as it does under valgrind. */
static pid_t send_meanwhile(void)
{
	pid_t pid = fork();

	if (pid != 0)
		return pid;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in to = {.sin_family = AF_INET, .sin_port = htons(47999)};
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	for (int i = 0; i < 30; i++) {
		usleep(100000);
		sendto(fd, "vfe", 3, 0, (struct sockaddr *)&to, sizeof(to));
	}
	_exit(0);
}

/* packets and bytes of the one record of this direction; 0 if none. */
static unsigned long long record_of(const char *out, const char *dir_word, unsigned long long *bytes)
{
	char want[64];
	unsigned long long pk = 0;

	snprintf(want, sizeof(want), " %s\n", dir_word);
	for (const char *l = out; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		const char *nl = strchr(l, '\n');
		if (!nl || (size_t)(nl - l) < strlen(want) - 1 ||
		    strncmp(nl - strlen(want) + 1, want, strlen(want) - 1) != 0)
			continue;
		if (sscanf(l, "127.0.0.1 127.0.0.1 47999 17 %llu %llu", &pk, bytes) == 2)
			return pk;
	}
	return 0;
}

/* Live on loopback: --duration ends the capture on time, and the
 * datagrams sent meanwhile are one flow of 31-byte IP packets (20 + 8 + 3)
 * seen leaving and arriving. */
static void test_live_loopback(void **state)
{
	struct cmd_result r;
	unsigned long long out_bytes = 0, in_bytes = 0;
	int st;
	(void)state;
	if (geteuid() != 0) {
		print_message("skipped: live capture needs root (CAP_NET_RAW)\n");
		skip();
	}
	pid_t pid = send_meanwhile();
	RUN(&r, "-i", "lo", "--duration", "4", "--local-ip", "127.0.0.1", "-f",
	    "${srcaddr} ${dstaddr} ${dstport} ${protocol} ${packets} ${bytes} ${flow-direction}",
	    "udp", "port", "47999");
	waitpid(pid, &st, 0);
	assert_int_equal(r.status, 0);
	unsigned long long out = record_of(r.out, "egress", &out_bytes);
	unsigned long long in = record_of(r.out, "ingress", &in_bytes);
	if (out == 0 || in != out)
		fail_msg("no flow, or different counts each way:\n%s", r.out);
	assert_int_equal(out_bytes, out * 31);
	assert_int_equal(in_bytes, in * 31);
	assert_non_null(strstr(r.err, "dropped by the kernel"));
	cmd_free(&r);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_not_a_capture),
		cmocka_unit_test(test_unknown_link_type),
		cmocka_unit_test(test_cut_mid_record),
		cmocka_unit_test(test_stdin_equals_file),
		cmocka_unit_test(test_mapped_reader_variants),
		cmocka_unit_test(test_pcapng_equals_pcap),
		cmocka_unit_test(test_filter_header_count),
		cmocka_unit_test(test_usage_and_fields),
		cmocka_unit_test(test_bad_record_header),
		cmocka_unit_test(test_delivery_round_trip),
		cmocka_unit_test(test_diff_nitro_xen),
		cmocka_unit_test(test_out_of_order),
		cmocka_unit_test(test_huge_gap),
		cmocka_unit_test(test_flow_flood),
		cmocka_unit_test(test_threads_change_nothing),
		cmocka_unit_test(test_order_with_new_enis),
		cmocka_unit_test(test_stdout_errors),
		cmocka_unit_test(test_malformed_records),
		cmocka_unit_test(test_privilege_drop),
		cmocka_unit_test(test_kernel_drops_skipdata),
		cmocka_unit_test(test_sigint_flushes),
		cmocka_unit_test(test_live_loopback),
	};

	if (argc != 3) {
		fprintf(stderr, "usage: test_cmd VPCFLOWEMU PCAPS_DIR\n");
		return 2;
	}
	emu = argv[1];
	dir = argv[2];
	/* meson's MALLOC_PERTURB_ makes glibc touch every calloc'd page, which
	 * would turn the flow pool's untouched address space into RSS. */
	unsetenv("MALLOC_PERTURB_");
	snprintf(lab, sizeof(lab), "%s/seed-lab.pcap", dir);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
