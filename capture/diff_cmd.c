/* diff_cmd.c - `vpcflowemu diff [options] EXPECTED ACTUAL`: the options and
 * the exit codes of diff(1). Matching and the report are formats/diff*.c's;
 * this file only parses, calls and prints (PRODUCT.md section 6). */
#include "capture/diff_cmd.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/log.h"
#include "formats/diff.h"
#include "formats/format.h"
#include "formats/mem.h"

enum { OPT_FMT_E = 256, OPT_FMT_A, OPT_SLACK, OPT_TOL, OPT_IGNORE, OPT_MAP, OPT_JSON };

static const struct option diff_opts[] = {
	{"format", required_argument, NULL, 'f'},
	{"format-expected", required_argument, NULL, OPT_FMT_E},
	{"format-actual", required_argument, NULL, OPT_FMT_A},
	{"slack", required_argument, NULL, OPT_SLACK},
	{"tolerance", required_argument, NULL, OPT_TOL},
	{"ignore", required_argument, NULL, OPT_IGNORE},
	{"map-eni", required_argument, NULL, OPT_MAP},
	{"json", no_argument, NULL, OPT_JSON},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

struct diff_cli {
	struct diff_options o;
	struct log_format fmt[2];
	int json;
	struct diff_eni_map *map;
	char **mapbuf;
	size_t nmap;
	const char *path[2];
};

static void diff_usage(void)
{
	fputs("usage: vpcflowemu diff [-f FORMAT] [--format-expected FORMAT] [--format-actual FORMAT]\n"
	      "                       [--slack S] [--tolerance N|N%] [--ignore FIELD]...\n"
	      "                       [--map-eni A=B]... [--json] EXPECTED ACTUAL\n"
	      "Compares two sets of flow logs (files, .gz files or directories of them),\n"
	      "matching flows by interface, 5-tuple and direction over overlapping time\n"
	      "spans. Exit status 0 equivalent, 1 different, 2 error. See vpcflowemu(1).\n", stdout);
}

static int set_format(struct diff_cli *c, int side, const char *s, const char *opt)
{
	char err[256];

	if (format_parse(s, &c->fmt[side], err, sizeof(err)) != 0) {
		log_error("diff: %s: %s", opt, err);
		return -1;
	}
	if (side == 0)
		c->o.layout_expected = &c->fmt[0];
	else
		c->o.layout_actual = &c->fmt[1];
	return 0;
}

static int add_map(struct diff_cli *c, const char *s)
{
	const char *eq = strchr(s, '=');
	size_t n = strlen(s);
	char *b;

	if (eq == NULL || eq == s || eq[1] == '\0' || strchr(eq + 1, '=') != NULL) {
		log_error("diff: --map-eni: expected A=B, got \"%s\"", s);
		return -1;
	}
	b = vfe_malloc(n + 1);
	if (b == NULL) {
		log_error("diff: out of memory");
		return -1;
	}
	memcpy(b, s, n + 1);
	b[eq - s] = '\0';
	c->mapbuf[c->nmap] = b;
	c->map[c->nmap].from = b;
	c->map[c->nmap].to = b + (eq - s) + 1;
	c->nmap++;
	return 0;
}

static int parse_slack(struct diff_cli *c, const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	/* A day of slack is already more than any delivery lag. */
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 86400) {
		log_error("diff: --slack: expected seconds from 0 to 86400, got \"%s\"", s);
		return -1;
	}
	c->o.slack = v;
	return 0;
}

/* 0 parsed, -1 --help printed, 2 usage error. */
static int parse_diff(int argc, char **argv, struct diff_cli *c)
{
	char err[256];
	int opt;

	optind = 0;
	while ((opt = getopt_long(argc, argv, "+f:h", diff_opts, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (set_format(c, 0, optarg, "-f") != 0 || set_format(c, 1, optarg, "-f") != 0)
				return 2;
			break;
		case OPT_FMT_E:
			if (set_format(c, 0, optarg, "--format-expected") != 0)
				return 2;
			break;
		case OPT_FMT_A:
			if (set_format(c, 1, optarg, "--format-actual") != 0)
				return 2;
			break;
		case OPT_SLACK:
			if (parse_slack(c, optarg) != 0)
				return 2;
			break;
		case OPT_TOL:
			if (diff_tolerance_parse(optarg, &c->o, err, sizeof(err)) != 0) {
				log_error("diff: %s", err);
				return 2;
			}
			break;
		case OPT_IGNORE:
			if (diff_ignore_parse(optarg, &c->o, err, sizeof(err)) != 0) {
				log_error("diff: %s", err);
				return 2;
			}
			break;
		case OPT_MAP:
			if (add_map(c, optarg) != 0)
				return 2;
			break;
		case OPT_JSON: c->json = 1; break;
		case 'h': diff_usage(); return -1;
		default: return 2;
		}
	}
	if (argc - optind != 2) {
		log_error("diff: expected two paths, EXPECTED and ACTUAL (got %d)", argc - optind);
		return 2;
	}
	c->path[0] = argv[optind];
	c->path[1] = argv[optind + 1];
	return 0;
}

static int diff_and_print(struct diff_cli *c)
{
	struct diff_result *r;
	char err[512];
	int rc;

	c->o.map = c->map;
	c->o.nmap = c->nmap;
	if (diff_run(c->path[0], c->path[1], &c->o, &r, err, sizeof(err)) != 0) {
		log_error("diff: %s", err);
		return 2;
	}
	rc = c->json ? diff_print_json(r, stdout) : diff_print_text(r, stdout);
	if (rc == 0 && fflush(stdout) != 0)
		rc = -1;
	if (rc != 0) {
		log_error("diff: cannot write the report: %s", strerror(errno));
		rc = 2;
	} else {
		rc = diff_equivalent(r) ? 0 : 1;
	}
	diff_free(r);
	return rc;
}

int run_diff(int argc, char **argv)
{
	struct diff_cli c;
	size_t i;
	int rc;

	memset(&c, 0, sizeof(c));
	diff_options_init(&c.o);
	c.map = vfe_calloc((size_t)argc + 1, sizeof(*c.map));
	c.mapbuf = vfe_calloc((size_t)argc + 1, sizeof(*c.mapbuf));
	if (c.map == NULL || c.mapbuf == NULL) {
		log_error("diff: out of memory");
		rc = 2;
	} else {
		rc = parse_diff(argc, argv, &c);
		if (rc < 0)
			rc = 0;
		else if (rc == 0)
			rc = diff_and_print(&c);
	}
	for (i = 0; i < c.nmap; i++)
		vfe_free(c.mapbuf[i]);
	vfe_free(c.map);
	vfe_free(c.mapbuf);
	return rc;
}
