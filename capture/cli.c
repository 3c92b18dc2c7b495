/* cli.c - the command line: argv to struct config (getopt_long).
 *
 * Usage errors are printed here, once, and give exit code 2 (PRODUCT.md
 * section 9); --help goes to stdout. Nothing is opened or read here. */
#include "capture/config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "capture/log.h"
#include "capture/vpc/eni.h"
#include "formats/mem.h"

enum {
	OPT_DURATION = 256, OPT_SNAPLEN, OPT_INTERVAL, OPT_LOCAL_IP, OPT_VPC_CIDR,
	OPT_MAX_FLOWS, OPT_NO_HEADER, OPT_EXPLAIN, OPT_TRAFFIC_TYPE, OPT_HIVE, OPT_PER_HOUR,
	OPT_CLOUDWATCH,
};

static const struct option long_opts[] = {
	{"read", required_argument, NULL, 'r'},
	{"interface", required_argument, NULL, 'i'},
	{"count", required_argument, NULL, 'c'},
	{"duration", required_argument, NULL, OPT_DURATION},
	{"snaplen", required_argument, NULL, OPT_SNAPLEN},
	{"buffer-size", required_argument, NULL, 'B'},
	{"format", required_argument, NULL, 'f'},
	{"interval", required_argument, NULL, OPT_INTERVAL},
	{"local-ip", required_argument, NULL, OPT_LOCAL_IP},
	{"vpc-cidr", required_argument, NULL, OPT_VPC_CIDR},
	{"max-flows", required_argument, NULL, OPT_MAX_FLOWS},
	{"no-header", no_argument, NULL, OPT_NO_HEADER},
	{"topology", required_argument, NULL, 't'},
	{"ip-ranges", required_argument, NULL, 'R'},
	{"explain", no_argument, NULL, OPT_EXPLAIN},
	{"traffic-type", required_argument, NULL, OPT_TRAFFIC_TYPE},
	{"output", required_argument, NULL, 'o'},
	{"hive", no_argument, NULL, OPT_HIVE},
	{"per-hour", no_argument, NULL, OPT_PER_HOUR},
	{"cloudwatch", required_argument, NULL, OPT_CLOUDWATCH},
	{"user", required_argument, NULL, 'Z'},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'},
	{NULL, 0, NULL, 0},
};

void print_usage(void)
{
	fputs("usage: vpcflowemu [capture] (-r FILE | -i IFACE) [options] [BPF expression]\n"
	      "       vpcflowemu ddl [-f FORMAT] [--hive] [--per-hour] [--projection] ...\n"
	      "       vpcflowemu diff [options] EXPECTED ACTUAL\n"
	      "       vpcflowemu fields\n"
	      "\n"
	      "  -r FILE             read a pcap or pcapng file (- = stdin)\n"
	      "  -i IFACE            capture live (needs CAP_NET_RAW)\n"
	      "  -c N                stop after N packets\n"
	      "  --duration S        stop after S seconds (live)\n"
	      "  --snaplen N         bytes captured per packet (live, default 256)\n"
	      "  -B KIB              capture buffer size (live)\n"
	      "  -t FILE             topology: aws ec2 describe-* JSON (repeatable)\n"
	      "  -R FILE             AWS ip-ranges.json, for the aws-service fields\n"
	      "  -f FORMAT           v5 (default), default, all, or '${field} ...'\n"
	      "  --interval 60|600   aggregation interval (default: the flow log's,\n"
	      "                      600, and 60 on Nitro instances)\n"
	      "  --traffic-type T    ACCEPT, REJECT or ALL records (default ALL)\n"
	      "  --explain           a '#' line after each record saying why\n"
	      "  -o DIR              S3 objects under DIR/AWSLogs/... instead of stdout\n"
	      "  --hive, --per-hour  S3 layout options (as DestinationOptions)\n"
	      "  --cloudwatch DIR    CloudWatch Logs events, one file per log stream\n"
	      "  -Z USER             drop root for USER once the capture is open\n"
	      "  --local-ip A[,A]    the ENI's addresses; the first IPv4 is the primary\n"
	      "  --vpc-cidr C[,C]    every address inside is an ENI of its own\n"
	      "  --max-flows N       flow table bound (default 1000000)\n"
	      "  --no-header         no header line\n"
	      "  -q, -v              fewer / more statistics on stderr\n"
	      "  -h, --help          this text;  -V, --version\n"
	      "\n"
	      "See vpcflowemu(1).\n", stdout);
}

/* A whole decimal number in [min, max]; prints the error itself. */
static int number(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno != 0 || v < min || v > max) {
		log_error("%s: \"%s\" is not a number from %" PRIu64 " to %" PRIu64,
			  opt, s, min, max);
		return -1;
	}
	*out = v;
	return 0;
}

/* Joins the trailing arguments into one BPF expression, as tcpdump does. */
static int join_filter(int argc, char **argv, struct config *cfg)
{
	size_t len = 0;

	if (optind >= argc)
		return 0;
	for (int i = optind; i < argc; i++)
		len += strlen(argv[i]) + 1;
	cfg->filter = vfe_malloc(len);
	if (!cfg->filter)
		return -1;
	cfg->filter[0] = '\0';
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strcat(cfg->filter, " ");
		strcat(cfg->filter, argv[i]);
	}
	return 0;
}

static int list_option(int opt, const char *arg, struct config *cfg)
{
	char err[256];
	int rc;

	if (opt == OPT_LOCAL_IP)
		rc = parse_addr_list(arg, cfg->local, CONFIG_MAX_ADDRS, &cfg->nlocal, err, sizeof(err));
	else
		rc = parse_prefix_list(arg, cfg->cidrs, CONFIG_MAX_ADDRS, &cfg->ncidrs, err, sizeof(err));
	if (rc != 0)
		log_error("%s: %s", opt == OPT_LOCAL_IP ? "--local-ip" : "--vpc-cidr", err);
	return rc;
}

int traffic_type_parse(const char *s)
{
	static const char *const names[] = {"ALL", "ACCEPT", "REJECT"};

	for (int i = 0; i < 3; i++)
		if (strcasecmp(s, names[i]) == 0)
			return i;
	return -1;
}

static int one_option(int opt, const char *arg, struct config *cfg)
{
	uint64_t v;
	char err[256];

	switch (opt) {
	case 'r': cfg->read_file = arg; return 0;
	case 'i': cfg->iface = arg; return 0;
	case 'q': log_level = LOG_QUIET; return 0;
	case 'v': log_level = LOG_VERBOSE; return 0;
	case 'h': cfg->cmd = CMD_HELP; return 0;
	case 'V': cfg->cmd = CMD_VERSION; return 0;
	case OPT_NO_HEADER: cfg->header = false; return 0;
	case OPT_EXPLAIN: cfg->explain = true; return 0;
	case 'o': cfg->out_dir = arg; return 0;
	case 'Z': cfg->user = arg; return 0;
	case OPT_HIVE: cfg->hive = true; return 0;
	case OPT_PER_HOUR: cfg->per_hour = true; return 0;
	case OPT_CLOUDWATCH: cfg->cloudwatch = arg; return 0;
	case 'R': cfg->ip_ranges = arg; return 0;
	case 't':
		if (cfg->ntopology == CONFIG_MAX_FILES) {
			log_error("-t: at most %d topology files", CONFIG_MAX_FILES);
			return -1;
		}
		cfg->topology[cfg->ntopology++] = arg;
		return 0;
	case OPT_TRAFFIC_TYPE:
		if ((cfg->traffic_type = traffic_type_parse(arg)) < 0) {
			log_error("--traffic-type: \"%s\": give ACCEPT, REJECT or ALL", arg);
			return -1;
		}
		return 0;
	case OPT_LOCAL_IP:
	case OPT_VPC_CIDR:
		return list_option(opt, arg, cfg);
	case 'f':
		if (format_parse(arg, &cfg->format, err, sizeof(err)) != 0) {
			log_error("-f: %s", err);
			return -1;
		}
		cfg->format_set = true;
		return 0;
	case 'c':
		if (number("-c", arg, 1, UINT64_MAX, &cfg->count) != 0)
			return -1;
		return 0;
	case OPT_DURATION:
		if (number("--duration", arg, 1, UINT32_MAX, &v) != 0)
			return -1;
		cfg->duration = (uint32_t)v;
		return 0;
	case OPT_SNAPLEN:
		if (number("--snaplen", arg, 64, 262144, &v) != 0)
			return -1;
		cfg->snaplen = (int)v;
		return 0;
	case 'B':
		/* libpcap takes the size in bytes as an int. */
		if (number("-B", arg, 1, INT_MAX / 1024, &v) != 0)
			return -1;
		cfg->buffer_kib = (int)v;
		return 0;
	case OPT_INTERVAL:
		if (strcmp(arg, "60") != 0 && strcmp(arg, "600") != 0) {
			log_error("--interval: \"%s\": AWS allows only 60 or 600", arg);
			return -1;
		}
		cfg->interval = (uint32_t)atoi(arg);
		return 0;
	case OPT_MAX_FLOWS:
		if (number("--max-flows", arg, 1, 1u << 30, &v) != 0)
			return -1;
		cfg->max_flows = (uint32_t)v;
		return 0;
	default:
		return -1;  /* getopt_long has said what was wrong */
	}
}

static void defaults(struct config *cfg)
{
	char err[64];

	memset(cfg, 0, sizeof(*cfg));
	cfg->cmd = CMD_CAPTURE;
	cfg->snaplen = DEFAULT_SNAPLEN;
	cfg->traffic_type = -1;
	cfg->max_flows = DEFAULT_MAX_FLOWS;
	cfg->header = true;
	format_parse("v5", &cfg->format, err, sizeof(err));
	/* The environment, not a flag: how many threads never changes a record. */
	const char *t = getenv("VFE_THREADS");
	cfg->one_thread = t && strcmp(t, "1") == 0;
}

static int check(const struct config *cfg)
{
	if (cfg->cmd != CMD_CAPTURE)
		return 0;
	if (!cfg->read_file == !cfg->iface) {
		log_error("give one of -r FILE or -i IFACE (see --help)");
		return -1;
	}
	return 0;
}

int parse_args(int argc, char **argv, struct config *cfg)
{
	int opt;

	defaults(cfg);
	if (argc > 1 && strcmp(argv[1], "fields") == 0) {
		cfg->cmd = CMD_FIELDS;
		if (argc > 2) {
			log_error("fields: takes no arguments");
			return 2;
		}
		return 0;
	}
	/* "capture" is the default subcommand; argv[0] stays for messages. */
	if (argc > 1 && strcmp(argv[1], "capture") == 0) {
		argv[1] = argv[0];
		argv++;
		argc--;
	}
	optind = 0;  /* 0, not 1: glibc then forgets any earlier argv */
	/* "+": options end at the first operand, which starts the filter. */
	while ((opt = getopt_long(argc, argv, "+r:i:c:B:f:t:R:o:Z:qvhV", long_opts, NULL)) != -1) {
		if (one_option(opt, optarg, cfg) != 0) {
			config_free(cfg);
			return 2;
		}
	}
	if (check(cfg) != 0 || join_filter(argc, argv, cfg) != 0) {
		config_free(cfg);
		return 2;
	}
	return 0;
}

void config_free(struct config *cfg)
{
	vfe_free(cfg->filter);
	cfg->filter = NULL;
}
