/* config.h - everything the command line decides, filled by parse_args()
 * (cli.c) and read by the pipeline. Nothing else writes it. */
#ifndef VFE_CONFIG_H
#define VFE_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "formats/addr.h"
#include "formats/format.h"

#define CONFIG_MAX_ADDRS 64
#define CONFIG_MAX_FILES 32
#define DEFAULT_MAX_FLOWS 1000000
#define DEFAULT_SNAPLEN 256         /* link + IPv4/IPv6 with options + TCP */
#define DEFAULT_TIMEOUT_MS 200      /* live read timeout: windows close on time */

enum command { CMD_CAPTURE, CMD_FIELDS, CMD_HELP, CMD_VERSION };

struct config {
	enum command cmd;
	const char *read_file;      /* -r */
	const char *iface;          /* -i */
	char *filter;               /* trailing BPF expression, joined; owned */
	uint64_t count;             /* -c, 0 = no limit */
	uint32_t duration;          /* --duration, seconds, 0 = no limit */
	int snaplen;
	int buffer_kib;
	struct log_format format;
	uint32_t interval;          /* 60 or 600; 0 = the flow log's, 60 on Nitro */
	uint32_t max_flows;
	struct ip_addr local[CONFIG_MAX_ADDRS];     /* --local-ip */
	size_t nlocal;
	struct ip_prefix cidrs[CONFIG_MAX_ADDRS];   /* --vpc-cidr */
	size_t ncidrs;
	bool header;                /* false with --no-header */
	bool format_set;            /* -f given: the flow log's LogFormat is not used */
	const char *topology[CONFIG_MAX_FILES];  /* -t, merged in order */
	size_t ntopology;
	const char *ip_ranges;      /* -R */
	bool explain;               /* --explain */
	int traffic_type;           /* --traffic-type: -1 = the flow log's, else enum traffic_type */
	const char *out_dir;        /* -o: S3 layout instead of stdout */
	bool hive, per_hour;        /* --hive, --per-hour (or the flow log's DestinationOptions) */
	const char *cloudwatch;     /* --cloudwatch DIR */
	const char *user;           /* -Z: drop root for this user once open */
	bool one_thread;            /* VFE_THREADS=1: a file is read on the counting thread */
};

/* Fills cfg from argv. Returns 0, or 2 after printing a usage error. */
int parse_args(int argc, char **argv, struct config *cfg);
void config_free(struct config *cfg);
void print_usage(void);
/* "ALL", "ACCEPT", "REJECT" (any case) -> enum traffic_type; -1 otherwise. */
int traffic_type_parse(const char *s);

#endif
