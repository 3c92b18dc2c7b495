/* ddl_cmd.c - `vpcflowemu ddl` and `vpcflowemu fields`: the two
 * subcommands that print something about formats and read no packets
 * (PRODUCT.md section 7). Rendering is formats/ddl.c's; this is the CLI. */
#include "capture/ddl_cmd.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "capture/log.h"
#include "formats/ddl.h"
#include "formats/fields.h"
#include "formats/format.h"

static const struct option ddl_opts[] = {
	{"format", required_argument, NULL, 'f'},
	{"table", required_argument, NULL, 'T'},
	{"location", required_argument, NULL, 'L'},
	{"hive", no_argument, NULL, 'H'},
	{"per-hour", no_argument, NULL, 'P'},
	{"projection", no_argument, NULL, 'J'},
	{"account", required_argument, NULL, 'A'},
	{"region", required_argument, NULL, 'G'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static void ddl_usage(void)
{
	fputs("usage: vpcflowemu ddl [-f FORMAT] [--table NAME] [--location s3://BUCKET/PREFIX/]\n"
	      "                      [--hive] [--per-hour] [--projection]\n"
	      "                      [--account ID] [--region REGION]\n"
	      "Prints the Athena CREATE EXTERNAL TABLE statement for flow logs of FORMAT\n"
	      "(default v5) delivered to S3 in the given layout. See vpcflowemu(1).\n", stdout);
}

static int parse_ddl(int argc, char **argv, struct log_format *f, struct ddl_options *o)
{
	char err[256];
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+f:h", ddl_opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (format_parse(optarg, f, err, sizeof(err)) != 0) {
				log_error("ddl: -f: %s", err);
				return 2;
			}
			break;
		case 'T': o->table = optarg; break;
		case 'L': o->location = optarg; break;
		case 'H': o->hive = true; break;
		case 'P': o->per_hour = true; break;
		case 'J': o->projection = true; break;
		case 'A': o->account_id = optarg; break;
		case 'G': o->region = optarg; break;
		case 'h': ddl_usage(); return -1;
		default: return 2;
		}
	}
	if (optind < argc) {
		log_error("ddl: unexpected argument \"%s\"", argv[optind]);
		return 2;
	}
	return 0;
}

int run_ddl(int argc, char **argv)
{
	struct log_format f;
	struct ddl_options o;
	char err[256], buf[16384];

	memset(&o, 0, sizeof(o));
	format_parse("v5", &f, err, sizeof(err));
	o.format = &f;
	int rc = parse_ddl(argc, argv, &f, &o);
	if (rc != 0)
		return rc < 0 ? 0 : rc;
	size_t n = ddl_render(&o, buf, sizeof(buf), err, sizeof(err));
	if (n == 0) {
		log_error("ddl: %s", err);
		return 2;
	}
	return fwrite(buf, 1, n, stdout) == n && fflush(stdout) == 0 ? 0 : 1;
}

static const char *type_name(enum field_type t)
{
	return t == FT_INT32 ? "int32" : t == FT_INT64 ? "int64" : "string";
}

int print_fields(void)
{
	printf("%-28s %-7s %-6s %s\n", "TOKEN", "VERSION", "TYPE", "ATHENA COLUMN");
	for (int i = 0; i < FLD_COUNT; i++) {
		const struct field_info *fi = field_info((enum field_id)i);
		printf("%-28s %-7u %-6s %s %s\n", fi->token, fi->version, type_name(fi->type),
		       fi->athena_name, fi->athena_type);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}
