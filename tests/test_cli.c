/* test_cli.c - argv to struct config: defaults, every option, the BPF
 * expression and the usage errors that must give exit code 2. */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "capture/config.h"
#include "capture/log.h"
#include "formats/fields.h"

#define ARGS(...) ((const char *[]){"vpcflowemu", __VA_ARGS__, NULL})
#define ARGC(v) ((int)(sizeof(v) / sizeof(char *)) - 1)

/* parse_args may permute argv, as getopt does: give it a writable copy. */
static int parse(const char **args, int argc, struct config *cfg)
{
	char *argv[64];

	assert_true(argc < 64);
	for (int i = 0; i <= argc; i++)
		argv[i] = (char *)(uintptr_t)args[i];
	return parse_args(argc, argv, cfg);
}

#define PARSE(cfg, ...) parse(ARGS(__VA_ARGS__), ARGC(ARGS(__VA_ARGS__)), cfg)

static void test_defaults(void **state)
{
	struct config c;
	(void)state;
	assert_int_equal(PARSE(&c, "-r", "x.pcap"), 0);
	assert_int_equal(c.cmd, CMD_CAPTURE);
	assert_string_equal(c.read_file, "x.pcap");
	assert_null(c.iface);
	assert_int_equal(c.interval, 0);        /* the flow log's; 60 on Nitro */
	assert_int_equal(c.traffic_type, -1);
	assert_int_equal(c.ntopology, 0);
	assert_false(c.explain);
	assert_false(c.format_set);
	assert_int_equal(c.max_flows, 1000000);
	assert_true(c.header);
	assert_int_equal(c.format.n, 18);       /* v5: default + 4 */
	assert_int_equal(c.format.version, 5);
	assert_int_equal(c.format.ids[17], FLD_TRAFFIC_PATH);
	assert_null(c.filter);
	config_free(&c);
}

static void test_all_options(void **state)
{
	struct config c;
	(void)state;
	assert_int_equal(PARSE(&c, "capture", "-i", "eth0", "-c", "10", "--duration", "5",
			       "--snaplen", "128", "-B", "4096", "-f", "default", "--interval", "60",
			       "--local-ip", "10.0.1.10,10.0.1.11", "--vpc-cidr", "10.0.0.0/16",
			       "--max-flows", "1000", "--no-header", "-q", "tcp", "port", "22"), 0);
	assert_string_equal(c.iface, "eth0");
	assert_int_equal(c.count, 10);
	assert_int_equal(c.duration, 5);
	assert_int_equal(c.snaplen, 128);
	assert_int_equal(c.buffer_kib, 4096);
	assert_int_equal(c.format.n, 14);
	assert_int_equal(c.format.version, 2);
	assert_int_equal(c.interval, 60);
	assert_int_equal(c.nlocal, 2);
	assert_int_equal(c.ncidrs, 1);
	assert_int_equal(c.max_flows, 1000);
	assert_false(c.header);
	assert_string_equal(c.filter, "tcp port 22");
	config_free(&c);
	log_level = LOG_NORMAL;
}

static void test_vpc_options(void **state)
{
	struct config c;
	(void)state;
	assert_int_equal(PARSE(&c, "-r", "x", "-t", "eni.json", "--topology", "rtb.json",
			       "-R", "ip-ranges.json", "--explain", "--traffic-type", "reject"), 0);
	assert_int_equal(c.ntopology, 2);
	assert_string_equal(c.topology[0], "eni.json");
	assert_string_equal(c.topology[1], "rtb.json");
	assert_string_equal(c.ip_ranges, "ip-ranges.json");
	assert_true(c.explain);
	assert_int_equal(c.traffic_type, 2);
	config_free(&c);
	log_level = LOG_QUIET;
	assert_int_equal(PARSE(&c, "-r", "x", "--traffic-type", "SOME"), 2);
	log_level = LOG_NORMAL;
}

static void test_custom_format(void **state)
{
	struct config c;
	(void)state;
	assert_int_equal(PARSE(&c, "-r", "-", "-f", "${srcaddr} ${tcp-flags}"), 0);
	assert_int_equal(c.format.n, 2);
	assert_int_equal(c.format.version, 3);
	assert_true(c.format_set);
	config_free(&c);
}

static void test_subcommands(void **state)
{
	struct config c;
	(void)state;
	assert_int_equal(PARSE(&c, "fields"), 0);
	assert_int_equal(c.cmd, CMD_FIELDS);
	assert_int_equal(PARSE(&c, "--help"), 0);
	assert_int_equal(c.cmd, CMD_HELP);
	assert_int_equal(PARSE(&c, "-V"), 0);
	assert_int_equal(c.cmd, CMD_VERSION);
	assert_int_equal(PARSE(&c, "fields", "extra"), 2);
}

static void test_usage_errors(void **state)
{
	struct config c;
	(void)state;
	log_level = LOG_QUIET;  /* errors still print; keep the test log short */
	assert_int_equal(parse(ARGS(NULL), 0 + 1, &c), 2);                  /* no source */
	assert_int_equal(PARSE(&c, "-r", "a", "-i", "eth0"), 2);             /* both */
	assert_int_equal(PARSE(&c, "-r", "a", "--interval", "300"), 2);
	assert_int_equal(PARSE(&c, "-r", "a", "-c", "ten"), 2);
	assert_int_equal(PARSE(&c, "-r", "a", "-c", "0"), 2);
	assert_int_equal(PARSE(&c, "-r", "a", "-c", "-5"), 2);
	assert_int_equal(PARSE(&c, "-r", "a", "--snaplen", "10"), 2);
	assert_int_equal(PARSE(&c, "-r", "a", "--max-flows", "99999999999"), 2);
	assert_int_equal(PARSE(&c, "-r", "a", "-f", "${nope}"), 2);
	assert_int_equal(PARSE(&c, "-r", "a", "--local-ip", "10.0.0.999"), 2);
	assert_int_equal(PARSE(&c, "-r", "a", "--vpc-cidr", "10.0.0.0"), 2);
	assert_int_equal(PARSE(&c, "-r", "a", "--bogus"), 2);
	assert_int_equal(PARSE(&c, "-r"), 2);
	log_level = LOG_NORMAL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_all_options),
		cmocka_unit_test(test_vpc_options),
		cmocka_unit_test(test_custom_format),
		cmocka_unit_test(test_subcommands),
		cmocka_unit_test(test_usage_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
