/* test_services.c - capture/vpc/services.c: ip-ranges.json loading, its
 * error messages, specific-before-AMAZON matching (spec 7.2), and the real
 * file checked against an independent scan of the same JSON. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "capture/vpc/services.h"

#define REAL_FILE SOURCE_ROOT "/pcaps/ip-ranges.json"

static struct ip_addr A(const char *s)
{
	struct ip_addr a;
	assert_true(ip_addr_parse(s, &a));
	return a;
}

/* Writes body to a new file under /tmp; path receives its name. */
static void write_fixture(char *path, size_t n, const char *body)
{
	FILE *f;
	int fd;

	snprintf(path, n, "/tmp/test_services_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	assert_int_equal(fputs(body, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Asserts the service for addr (NULL: none) and, if given, the prefix that
 * decided. */
static void expect(const struct services *s, const char *addr,
		   const char *service, const char *cidr)
{
	struct ip_addr a = A(addr);
	struct ip_prefix m, want;
	const char *got = services_lookup(s, &a, &m);

	if (service == NULL) {
		if (got != NULL)
			fail_msg("%s: got %s, want none", addr, got);
		return;
	}
	if (got == NULL)
		fail_msg("%s: got none, want %s", addr, service);
	assert_string_equal(got, service);
	if (cidr != NULL) {
		assert_true(ip_prefix_parse(cidr, &want));
		assert_int_equal(m.len, want.len);
		assert_true(ip_addr_eq(&m.addr, &want.addr));
	}
}

#define E(cidr, region, service) \
	"{\"ip_prefix\": \"" cidr "\", \"region\": \"" region "\", " \
	"\"service\": \"" service "\", \"network_border_group\": \"" region "\"}"
#define E6(cidr, region, service) \
	"{\"ipv6_prefix\": \"" cidr "\", \"region\": \"" region "\", " \
	"\"service\": \"" service "\", \"network_border_group\": \"" region "\"}"

static const char fixture_body[] =
	"{\"syncToken\": \"1784861225\", \"createDate\": \"2026-07-24-02-47-05\",\n"
	" \"prefixes\": [\n"
	E("52.216.0.0/15", "us-east-1", "AMAZON") ",\n"
	E("52.216.0.0/15", "us-east-1", "S3") ",\n"
	E("3.4.12.4/32", "eu-west-1", "AMAZON") ",\n"
	E("54.231.0.0/16", "us-east-1", "S3") ",\n"
	E("54.231.7.0/24", "us-east-1", "AMAZON") ",\n"
	E("99.77.244.0/24", "us-east-1", "CHIME_VOICECONNECTOR") ",\n"
	E("99.77.244.0/24", "us-east-1", "EC2") ",\n"
	E("18.34.0.0/19", "us-east-1", "S3") ",\n"
	E("16.15.176.0/20", "us-west-2", "S3") "\n"
	" ],\n"
	" \"ipv6_prefixes\": [\n"
	E6("2600:1f18::/33", "us-east-1", "AMAZON") ",\n"
	E6("2600:1fa0:8000::/39", "us-east-1", "S3") ",\n"
	E6("2600:1fa0::/32", "us-east-1", "AMAZON") "\n"
	" ],\n"
	" \"unknownKey\": [1, 2, 3]\n"
	"}\n";

static void test_fixture_lookup(void **state)
{
	struct services s;
	char path[64], err[256];

	(void)state;
	write_fixture(path, sizeof(path), fixture_body);
	assert_int_equal(services_load(&s, path, err, sizeof(err)), 0);
	unlink(path);
	assert_string_equal(s.sync_token, "1784861225");
	assert_string_equal(s.create_date, "2026-07-24-02-47-05");
	assert_int_equal(s.nprefixes, 12);
	/* AMAZON and S3 for one prefix: the specific service. */
	expect(&s, "52.216.0.1", "S3", "52.216.0.0/15");
	expect(&s, "52.217.255.255", "S3", "52.216.0.0/15");
	/* AMAZON only. */
	expect(&s, "3.4.12.4", "AMAZON", "3.4.12.4/32");
	expect(&s, "3.4.12.5", NULL, NULL);
	/* A longer AMAZON prefix inside an S3 prefix: still S3. */
	expect(&s, "54.231.7.9", "S3", "54.231.0.0/16");
	/* Two specific services for one prefix: the first listed. */
	expect(&s, "99.77.244.1", "CHIME_VOICECONNECTOR", "99.77.244.0/24");
	/* Private and unlisted addresses. */
	expect(&s, "10.0.0.1", NULL, NULL);
	expect(&s, "172.16.0.1", NULL, NULL);
	expect(&s, "192.168.1.1", NULL, NULL);
	expect(&s, "8.8.8.8", NULL, NULL);
	/* IPv6. */
	expect(&s, "2600:1f18::1", "AMAZON", "2600:1f18::/33");
	expect(&s, "2600:1fa0:80ff::1", "S3", "2600:1fa0:8000::/39");
	expect(&s, "2600:1fa0:1::1", "AMAZON", "2600:1fa0::/32");
	expect(&s, "2001:db8::1", NULL, NULL);
	/* Entries in file order, IPv4 first. */
	assert_string_equal(s.names[s.prefixes[0].service], "AMAZON");
	assert_string_equal(s.names[s.prefixes[1].service], "S3");
	assert_string_equal(s.names[s.prefixes[1].region], "us-east-1");
	assert_int_equal(s.prefixes[9].prefix.len, 33);
	/* AMAZON us-east-1 eu-west-1 S3 CHIME_VOICECONNECTOR EC2 us-west-2 */
	assert_int_equal(s.nnames, 7);
	services_free(&s);
}

struct collect {
	char text[8][64];
	int n;
};

static void collect_fn(void *ctx, const struct ip_prefix *p)
{
	struct collect *c = ctx;
	char buf[IP_ADDR_STRLEN];
	bool v4 = ip_addr_is_v4(&p->addr);

	assert_true(c->n < 8);
	ip_addr_format(&p->addr, buf);
	snprintf(c->text[c->n++], sizeof(c->text[0]), "%s/%u", buf,
		 v4 ? p->len - 96u : p->len);
}

static void test_fixture_region_prefixes(void **state)
{
	struct services s, zero;
	struct collect c;
	char path[64], err[256];

	(void)state;
	write_fixture(path, sizeof(path), fixture_body);
	assert_int_equal(services_load(&s, path, err, sizeof(err)), 0);
	unlink(path);
	memset(&c, 0, sizeof(c));
	assert_int_equal(services_region_prefixes(&s, "S3", "us-east-1",
						  collect_fn, &c), 4);
	assert_int_equal(c.n, 4);
	assert_string_equal(c.text[0], "52.216.0.0/15");
	assert_string_equal(c.text[1], "54.231.0.0/16");
	assert_string_equal(c.text[2], "18.34.0.0/19");
	assert_string_equal(c.text[3], "2600:1fa0:8000::/39");
	assert_int_equal(services_region_prefixes(&s, "S3", "us-west-2", NULL, NULL), 1);
	assert_int_equal(services_region_prefixes(&s, "s3", "us-east-1", NULL, NULL), 0);
	assert_int_equal(services_region_prefixes(&s, "S3", "eu-west-1", NULL, NULL), 0);
	assert_int_equal(services_region_prefixes(&s, "S3", "nowhere", NULL, NULL), 0);
	assert_int_equal(services_region_prefixes(&s, "AMAZON", "us-east-1", NULL, NULL), 4);
	services_free(&s);
	memset(&zero, 0, sizeof(zero));
	assert_memory_equal(&s, &zero, sizeof(s));
	/* Freeing twice, and looking up in a freed struct, are harmless. */
	services_free(&s);
	expect(&s, "52.216.0.1", NULL, NULL);
}

/* Loads body, which must fail with path followed by suffix, and leave the
 * struct zeroed (cmocka's allocators catch anything left allocated). */
static void expect_error(const char *body, const char *suffix)
{
	struct services s, zero;
	char path[64], err[256], want[320];

	write_fixture(path, sizeof(path), body);
	memset(&s, 0x5a, sizeof(s));
	memset(&zero, 0, sizeof(zero));
	assert_int_equal(services_load(&s, path, err, sizeof(err)), -1);
	unlink(path);
	snprintf(want, sizeof(want), "%s%s", path, suffix);
	assert_string_equal(err, want);
	assert_memory_equal(&s, &zero, sizeof(s));
}

/* Twelve good entries, then bad: so the message must say [12]. */
static void expect_error_at_12(const char *bad, const char *suffix)
{
	char body[4096];
	size_t n;
	int i;

	n = (size_t)snprintf(body, sizeof(body), "{\"prefixes\": [");
	for (i = 0; i < 12; i++)
		n += (size_t)snprintf(body + n, sizeof(body) - n,
				      E("52.%d.0.0/16", "us-east-1", "EC2") ",\n", i);
	snprintf(body + n, sizeof(body) - n, "%s], \"ipv6_prefixes\": []}", bad);
	expect_error(body, suffix);
}

static void test_load_errors(void **state)
{
	struct services s;
	char err[256];

	(void)state;
	assert_int_equal(services_load(&s, "/tmp/test_services_missing.json",
				       err, sizeof(err)), -1);
	assert_string_equal(err, "/tmp/test_services_missing.json: "
			    "No such file or directory");
	expect_error("{\n  \"prefixes\": [\n    {\"ip_prefix\": }\n  ]\n}\n",
		     ":3:19: JSON syntax: unexpected token near '}'");
	expect_error("", ":1:0: JSON syntax: '[' or '{' expected near end of file");
	expect_error("[]", ": expected an object at the top level");
	expect_error("{\"ipv6_prefixes\": []}", ": prefixes: expected an array");
	expect_error("{\"prefixes\": [], \"ipv6_prefixes\": {}}",
		     ": ipv6_prefixes: expected an array");
	expect_error("{\"syncToken\": 1784861225, \"prefixes\": [], \"ipv6_prefixes\": []}",
		     ": syncToken: expected a string");
	expect_error("{\"createDate\": \"2026-07-24-02-47-05-and-then-some-more\", "
		     "\"prefixes\": [], \"ipv6_prefixes\": []}",
		     ": createDate: longer than 31 characters");
	expect_error_at_12("{\"ip_prefix\": 42, \"region\": \"r\", \"service\": \"S3\"}",
			   ": prefixes[12].ip_prefix: expected a string");
	expect_error_at_12("{\"region\": \"r\", \"service\": \"S3\"}",
			   ": prefixes[12].ip_prefix: expected a string");
	expect_error_at_12(E("1.2.3.0/33", "us-east-1", "S3"),
			   ": prefixes[12].ip_prefix: \"1.2.3.0/33\" is not a CIDR block");
	expect_error_at_12(E("1.2.3.0", "us-east-1", "S3"),
			   ": prefixes[12].ip_prefix: \"1.2.3.0\" is not a CIDR block");
	expect_error_at_12(E("2600:1f18::/33", "us-east-1", "S3"),
			   ": prefixes[12].ip_prefix: \"2600:1f18::/33\" is not an IPv4 CIDR block");
	expect_error_at_12("{\"ip_prefix\": \"1.2.3.0/24\", \"service\": \"S3\"}",
			   ": prefixes[12].region: expected a string");
	expect_error_at_12("{\"ip_prefix\": \"1.2.3.0/24\", \"region\": \"r\", \"service\": null}",
			   ": prefixes[12].service: expected a string");
	expect_error_at_12("\"1.2.3.0/24\"", ": prefixes[12]: expected an object");
	expect_error("{\"prefixes\": [], \"ipv6_prefixes\": ["
		     E6("10.0.0.0/8", "us-east-1", "S3") "]}",
		     ": ipv6_prefixes[0].ipv6_prefix: \"10.0.0.0/8\" is not an IPv6 CIDR block");
	expect_error("{\"prefixes\": [], \"ipv6_prefixes\": ["
		     E6("2600:1f18::/129", "us-east-1", "S3") "]}",
		     ": ipv6_prefixes[0].ipv6_prefix: \"2600:1f18::/129\" is not a CIDR block");
	/* A short buffer truncates; no buffer at all is allowed. */
	assert_int_equal(services_load(&s, "/tmp/test_services_missing.json",
				       err, 8), -1);
	assert_string_equal(err, "/tmp/te");
	assert_int_equal(services_load(&s, "/tmp/test_services_missing.json",
				       NULL, 0), -1);
}

static void test_empty_file(void **state)
{
	struct services s;
	char path[64], err[256];
	struct ip_addr a = A("52.216.0.1");

	(void)state;
	write_fixture(path, sizeof(path), "{\"prefixes\": [], \"ipv6_prefixes\": []}");
	assert_int_equal(services_load(&s, path, err, sizeof(err)), 0);
	unlink(path);
	assert_int_equal(s.nprefixes, 0);
	assert_string_equal(s.sync_token, "");
	assert_null(services_lookup(&s, &a, NULL));
	assert_int_equal(services_region_prefixes(&s, "S3", "us-east-1", NULL, NULL), 0);
	services_free(&s);
}

/* The real file, read a second way: every entry straight from jansson. */
struct entry {
	struct ip_prefix p;
	const char *service;
	const char *region;
};

static size_t read_entries(json_t *root, struct entry *v, size_t max)
{
	static const char *const arrays[2][2] = {
		{"prefixes", "ip_prefix"}, {"ipv6_prefixes", "ipv6_prefix"},
	};
	size_t n = 0, i;
	json_t *e;
	int k;

	for (k = 0; k < 2; k++) {
		json_array_foreach(json_object_get(root, arrays[k][0]), i, e) {
			const char *cidr = json_string_value(json_object_get(e, arrays[k][1]));

			assert_true(n < max);
			assert_true(ip_prefix_parse(cidr, &v[n].p));
			v[n].service = json_string_value(json_object_get(e, "service"));
			v[n].region = json_string_value(json_object_get(e, "region"));
			assert_non_null(v[n].service);
			assert_non_null(v[n].region);
			n++;
		}
	}
	return n;
}

/* Spec 7.2 by brute force: the longest specific entry (first listed among
 * equals), else the longest AMAZON entry; NULL when none contains a. */
static const char *brute(const struct entry *v, size_t n, const struct ip_addr *a)
{
	const struct entry *best[2] = {NULL, NULL};
	size_t i;

	for (i = 0; i < n; i++) {
		int amazon = strcmp(v[i].service, "AMAZON") == 0;

		if (ip_prefix_contains(&v[i].p, a) &&
		    (best[amazon] == NULL || v[i].p.len > best[amazon]->p.len))
			best[amazon] = &v[i];
	}
	if (best[0] != NULL)
		return best[0]->service;
	return best[1] != NULL ? best[1]->service : NULL;
}

static uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1dULL;
}

/* A random address inside entry e: its prefix with random host bits. */
static struct ip_addr inside(const struct entry *e, uint64_t *seed)
{
	struct ip_addr a = e->p.addr;
	unsigned i;

	for (i = e->p.len; i < 128; i++) {
		if (rnd(seed) & 1)
			a.b[i / 8] |= (uint8_t)(0x80u >> (i % 8));
	}
	return a;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check_real_named(const struct services *s)
{
	expect(s, "52.216.0.1", "S3", "52.216.0.0/15");
	expect(s, "52.217.100.1", "S3", "52.216.0.0/15");
	expect(s, "54.231.0.1", "S3", "54.231.0.0/16");
	expect(s, "3.5.0.1", "S3", "3.5.0.0/19");
	expect(s, "15.181.232.1", "EC2", "15.181.232.0/21");
	expect(s, "44.192.0.1", "EC2", "44.192.0.0/11");
	expect(s, "120.52.22.100", "CLOUDFRONT", "120.52.22.96/27");
	expect(s, "13.32.0.1", "CLOUDFRONT", "13.32.0.0/15");
	expect(s, "3.4.12.4", "AMAZON", "3.4.12.4/32");
	expect(s, "2600:1fa0:8000::1", "S3", "2600:1fa0:8000::/39");
	expect(s, "10.0.0.1", NULL, NULL);
	expect(s, "192.168.0.1", NULL, NULL);
	expect(s, "2001:db8::1", NULL, NULL);
}

/* Lookups per second over addresses drawn from the file; printed only. */
static void time_lookups(const struct services *s, const struct entry *v, size_t n)
{
	enum { NADDR = 4096, ROUNDS = 256 };
	struct ip_addr *addrs = malloc(NADDR * sizeof(*addrs));
	uint64_t seed = 7;
	size_t i, hits = 0;
	double t0;

	assert_non_null(addrs);
	for (i = 0; i < NADDR; i++)
		addrs[i] = inside(&v[rnd(&seed) % n], &seed);
	t0 = now();
	for (i = 0; i < (size_t)NADDR * ROUNDS; i++)
		hits += services_lookup(s, &addrs[i % NADDR], NULL) != NULL;
	print_message("lookup: %.1f ns (%zu lookups, %zu hits)\n",
		      (now() - t0) * 1e9 / ((double)NADDR * ROUNDS),
		      (size_t)NADDR * ROUNDS, hits);
	free(addrs);
}

static void test_real_file(void **state)
{
	struct services s;
	struct entry *v;
	json_error_t jerr;
	json_t *root;
	char err[256];
	size_t n, i, count = 0;
	uint64_t seed = 0x5eed;
	double t0;

	(void)state;
	if (access(REAL_FILE, R_OK) != 0) {
		print_message("%s absent, skipped\n", REAL_FILE);
		skip();
	}
	t0 = now();
	assert_int_equal(services_load(&s, REAL_FILE, err, sizeof(err)), 0);
	print_message("services_load: %.1f ms\n", (now() - t0) * 1e3);
	root = json_load_file(REAL_FILE, 0, &jerr);
	assert_non_null(root);
	v = malloc(32768 * sizeof(*v));
	assert_non_null(v);
	n = read_entries(root, v, 32768);
	assert_int_equal(s.nprefixes, n);
	assert_string_equal(s.sync_token,
			    json_string_value(json_object_get(root, "syncToken")));
	check_real_named(&s);

	/* The S3 us-east-1 prefix list: same count as the scan, and each of
	 * its first addresses is S3. */
	for (i = 0; i < n; i++) {
		if (strcmp(v[i].service, "S3") != 0 || strcmp(v[i].region, "us-east-1") != 0)
			continue;
		count++;
		assert_string_equal(services_lookup(&s, &v[i].p.addr, NULL), "S3");
	}
	assert_true(count > 0);
	assert_int_equal(services_region_prefixes(&s, "S3", "us-east-1", NULL, NULL), count);

	/* Random addresses inside random entries, against the brute force. */
	for (i = 0; i < 400; i++) {
		struct ip_addr a = inside(&v[rnd(&seed) % n], &seed);
		const char *want = brute(v, n, &a), *got = services_lookup(&s, &a, NULL);

		assert_non_null(got);
		assert_string_equal(got, want);
	}
	time_lookups(&s, v, n);
	free(v);
	json_decref(root);
	services_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixture_lookup),
		cmocka_unit_test(test_fixture_region_prefixes),
		cmocka_unit_test(test_load_errors),
		cmocka_unit_test(test_empty_file),
		cmocka_unit_test(test_real_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
