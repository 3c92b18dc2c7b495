/* main.c - flowgen's command line: scenario in, capture or wire out.
 *
 * flowgen SCENARIO [-w FILE | -i IFACE] [--seed N] [--start EPOCH]
 *         [--scale N] [--topology FILE] [--pps N|max] [--flows N --packets M]
 *
 * Exit codes as vpcflowemu's (PRODUCT.md section 9): 0 ok, 1 a runtime
 * failure (writing or sending), 2 a usage or input error. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowgen/bench.h"
#include "flowgen/build.h"
#include "flowgen/builtin.h"
#include "flowgen/out.h"
#include "flowgen/replay.h"
#include "flowgen/scenario.h"
#include "flowgen/synth.h"

#ifndef VFE_VERSION
#define VFE_VERSION "0"
#endif

enum { OPT_SEED = 256, OPT_START, OPT_SCALE, OPT_TOPOLOGY, OPT_PPS, OPT_FLOWS, OPT_PACKETS, OPT_SPAN,
       OPT_LIST, OPT_PRINT };

struct args {
	const char *scenario;
	const char *write, *iface, *topology;
	uint64_t seed, start, flows, packets, span;
	uint32_t scale;
	double pps;
	int start_set, list, print;
};

struct run {
	struct fg_builder *b;
	struct fg_out *out;
	uint64_t ts;
	char err[512];
	int out_failed;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: flowgen SCENARIO [-w FILE.pcap | -i IFACE] [options]\n"
		   "       flowgen --list\n"
		   "  SCENARIO            a built-in name (see --list) or a scenario file\n"
		   "  -w FILE             write a classic pcap (- for standard output)\n"
		   "  -i IFACE            inject on IFACE (needs CAP_NET_RAW)\n"
		   "  --pps N|max         -i: N frames per second, or as fast as possible\n"
		   "                      (default: the scenario's own timing)\n"
		   "  --seed N            sequence numbers, ids, payload bytes (default 1)\n"
		   "  --start EPOCH       Unix time of the scenario's start\n"
		   "  --scale N           every line N times, each from the next port\n"
		   "  --topology FILE     write the scenario's topology (describe-* JSON)\n"
		   "  --flows N --packets M   the bench scenario's size\n"
		   "  --span S            bench: seconds of capture time (default 600)\n"
		   "  --print             print a built-in scenario's text\n"
		   "  -h, --help          this help;  -V, --version\n");
}

static int number(const char *opt, const char *s, uint64_t max, uint64_t *v)
{
	char *end;
	unsigned long long n;

	errno = 0;
	n = strtoull(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || errno || n > max) {
		fprintf(stderr, "flowgen: %s: \"%s\": give a whole number up to %llu\n", opt, s,
			(unsigned long long)max);
		return -1;
	}
	*v = n;
	return 0;
}

static int parse_pps(const char *s, double *pps)
{
	uint64_t v = 0;

	if (strcmp(s, "max") == 0) {
		*pps = -1;
		return 0;
	}
	if (number("--pps", s, 100000000u, &v))
		return -1;
	if (v == 0) {
		fprintf(stderr, "flowgen: --pps: give at least 1, or max\n");
		return -1;
	}
	*pps = (double)v;
	return 0;
}

/* 0 to run, 1 to exit 0 (help, version), 2 on a usage error. */
static int parse_args(int argc, char **argv, struct args *a)
{
	static const struct option longs[] = {
		{ "seed", required_argument, NULL, OPT_SEED },
		{ "start", required_argument, NULL, OPT_START },
		{ "scale", required_argument, NULL, OPT_SCALE },
		{ "topology", required_argument, NULL, OPT_TOPOLOGY },
		{ "pps", required_argument, NULL, OPT_PPS },
		{ "flows", required_argument, NULL, OPT_FLOWS },
		{ "packets", required_argument, NULL, OPT_PACKETS },
		{ "span", required_argument, NULL, OPT_SPAN },
		{ "list", no_argument, NULL, OPT_LIST },
		{ "print", no_argument, NULL, OPT_PRINT },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	uint64_t v = 0;
	int c;

	memset(a, 0, sizeof(*a));
	a->seed = 1;
	a->scale = 1;
	while ((c = getopt_long(argc, argv, "w:i:hV", longs, NULL)) != -1) {
		switch (c) {
		case 'w': a->write = optarg; break;
		case 'i': a->iface = optarg; break;
		case OPT_SEED: if (number("--seed", optarg, UINT64_MAX, &a->seed)) return 2; break;
		case OPT_START:
			if (number("--start", optarg, 4102444800u, &a->start))
				return 2;
			a->start_set = 1;
			break;
		case OPT_SCALE:
			if (number("--scale", optarg, 1000000, &v))
				return 2;
			if (v == 0) {
				fprintf(stderr, "flowgen: --scale: give at least 1\n");
				return 2;
			}
			a->scale = (uint32_t)v;
			break;
		case OPT_TOPOLOGY: a->topology = optarg; break;
		case OPT_PPS: if (parse_pps(optarg, &a->pps)) return 2; break;
		case OPT_FLOWS: if (number("--flows", optarg, 100000000u, &a->flows)) return 2; break;
		case OPT_PACKETS:
			if (number("--packets", optarg, 10000000000ull, &a->packets))
				return 2;
			break;
		case OPT_SPAN:
			if (number("--span", optarg, 31536000u, &a->span))
				return 2;
			if (a->span == 0) {
				fprintf(stderr, "flowgen: --span: give at least 1 second\n");
				return 2;
			}
			break;
		case OPT_LIST: a->list = 1; break;
		case OPT_PRINT: a->print = 1; break;
		case 'h': usage(stdout); return 1;
		case 'V': printf("flowgen %s\n", VFE_VERSION); return 1;
		default: usage(stderr); return 2;
		}
	}
	if (a->list && optind != argc) {
		fprintf(stderr, "flowgen: --list takes no scenario\n");
		return 2;
	}
	if (a->list)
		return 0;
	if (optind != argc - 1) {
		fprintf(stderr, "flowgen: give one scenario (flowgen --list shows the built-in ones)\n");
		return 2;
	}
	a->scenario = argv[optind];
	if (a->write && a->iface) {
		fprintf(stderr, "flowgen: give -w or -i, not both\n");
		return 2;
	}
	if (a->pps != 0.0 && !a->iface) {
		fprintf(stderr, "flowgen: --pps paces -i; a file keeps the scenario's times\n");
		return 2;
	}
	return 0;
}

static int list(void)
{
	const struct fg_builtin *b;
	size_t n, i;

	b = builtin_list(&n);
	for (i = 0; i < n; i++)
		printf("%-13s %s\n", b[i].name, b[i].about);
	return 0;
}

static int write_text(const char *path, const struct fg_text *t)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int bad;

	if (!f) {
		fprintf(stderr, "flowgen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	bad = fwrite(t->text, 1, t->len, f) != t->len;
	bad |= f == stdout ? fflush(f) != 0 : fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "flowgen: %s: %s\n", path, strerror(errno));
		return 1;
	}
	return 0;
}

static int on_frame(void *ctx, const uint8_t *frame, size_t len)
{
	struct run *r = ctx;

	if (fg_out_write(r->out, r->ts, frame, len, r->err, sizeof(r->err))) {
		r->out_failed = 1;
		return -1;
	}
	return 0;
}

static int on_packet(void *ctx, uint64_t ts_us, const struct fg_packet *p)
{
	struct run *r = ctx;

	r->ts = ts_us;
	return fg_build(r->b, p, on_frame, r, r->err, sizeof(r->err));
}

static struct fg_out *open_out(const struct args *a)
{
	char err[512];
	struct fg_out *o = a->write ? fg_out_file(a->write, err, sizeof(err))
				    : fg_out_live(a->iface, a->pps, err, sizeof(err));

	if (!o)
		fprintf(stderr, "flowgen: %s\n", err);
	return o;
}

static int run_scenario(const struct args *a, const struct fg_scenario *s)
{
	struct fg_synth_options so = { a->seed, a->scale };
	struct run r;
	int rc = 0;

	memset(&r, 0, sizeof(r));
	r.b = fg_builder_new(r.err, sizeof(r.err));
	if (!r.b) {
		fprintf(stderr, "flowgen: %s\n", r.err);
		return 1;
	}
	r.out = open_out(a);
	if (!r.out) {
		fg_builder_free(r.b);
		return a->iface ? 1 : 2;
	}
	if (synth_run(s, &so, on_packet, &r, r.err, sizeof(r.err))) {
		fprintf(stderr, "flowgen: %s\n", r.err);
		rc = r.out_failed ? 1 : 2;
	}
	if (fg_out_close(r.out, r.err, sizeof(r.err))) {
		fprintf(stderr, "flowgen: %s: %s\n", a->write ? a->write : a->iface, r.err);
		rc = 1;
	}
	fg_builder_free(r.b);
	return rc;
}

static int run_bench(const struct args *a)
{
	struct fg_bench_options bo = { a->seed, a->flows, a->packets, a->start, a->span };
	char err[512];
	struct fg_out *o;
	int rc = 0;

	if (!a->flows || !a->packets) {
		fprintf(stderr, "flowgen: bench: give --flows N and --packets M\n");
		return 2;
	}
	if (a->flows > UINT32_MAX || a->packets / a->flows > UINT32_MAX / 4) {
		fprintf(stderr, "flowgen: bench: at most %u flows of at most %u packets each\n",
			UINT32_MAX, UINT32_MAX / 4);
		return 2;
	}
	if (a->packets < a->flows) {
		fprintf(stderr, "flowgen: bench: --packets (%llu) must be at least --flows (%llu)\n",
			(unsigned long long)a->packets, (unsigned long long)a->flows);
		return 2;
	}
	if (a->topology) {
		fprintf(stderr, "flowgen: bench: no topology; run vpcflowemu with "
				"--vpc-cidr 10.0.0.0/16 instead\n");
		return 2;
	}
	if (!(o = open_out(a)))
		return a->iface ? 1 : 2;
	if (bench_run(&bo, o, err, sizeof(err))) {
		fprintf(stderr, "flowgen: %s\n", err);
		rc = 1;
	}
	if (fg_out_close(o, err, sizeof(err))) {
		fprintf(stderr, "flowgen: %s: %s\n", a->write ? a->write : a->iface, err);
		rc = 1;
	}
	return rc;
}

static int run_replay(const struct args *a)
{
	char err[512] = "";
	struct fg_out *o;
	int rc;

	if (!a->iface || a->topology) {
		fprintf(stderr, "flowgen: %s: a capture is replayed with -i IFACE only\n", a->scenario);
		return 2;
	}
	if (!(o = open_out(a)))
		return 1;
	rc = replay_run(a->scenario, a->scale, o, err, sizeof(err));
	if (rc)
		fprintf(stderr, "flowgen: %s\n", err);
	if (fg_out_close(o, err, sizeof(err))) {
		fprintf(stderr, "flowgen: %s: %s\n", a->iface, err);
		rc = 1;
	}
	return rc < 0 ? 2 : rc;
}

/* A name with a '/' or a '.' is a file; anything else is built in. */
static int load(const struct args *a, const struct fg_builtin *b, struct fg_scenario *s)
{
	char err[512];
	int r;

	if (b) {
		const struct fg_text *t = builtin_text(b->scenario);

		r = t ? scenario_parse(s, b->name, t->text, err, sizeof(err)) : -1;
		if (!t)
			snprintf(err, sizeof(err), "%s: built-in text missing", b->name);
	} else {
		r = scenario_load(s, a->scenario, err, sizeof(err));
	}
	if (r) {
		fprintf(stderr, "flowgen: %s\n", err);
		return -1;
	}
	if (a->start_set)
		s->start = a->start;
	return 0;
}

int main(int argc, char **argv)
{
	const struct fg_builtin *b = NULL;
	struct fg_scenario s;
	struct args a;
	int rc = parse_args(argc, argv, &a);

	if (rc)
		return rc == 1 ? 0 : 2;
	if (a.list)
		return list();
	if (!strpbrk(a.scenario, "/.") && !(b = builtin_find(a.scenario))) {
		fprintf(stderr, "flowgen: %s: no such built-in scenario (flowgen --list; a file "
				"name needs a '/' or a '.')\n", a.scenario);
		return 2;
	}
	if (!b && replay_is_capture(a.scenario))
		return run_replay(&a);
	if (a.print) {
		if (!b || !b->scenario) {
			fprintf(stderr, "flowgen: --print: %s is not a built-in scenario file\n",
				a.scenario);
			return 2;
		}
		return write_text("-", builtin_text(b->scenario));
	}
	if (a.topology && !(b && b->topology) && !(b && !b->scenario)) {
		fprintf(stderr, "flowgen: %s: a scenario file has no topology; give vpcflowemu "
				"-t the describe-* JSON of your VPC\n", a.scenario);
		return 2;
	}
	if (!a.write && !a.iface && !a.topology) {
		fprintf(stderr, "flowgen: give -w FILE.pcap, -i IFACE or --topology FILE\n");
		return 2;
	}
	if (b && !b->scenario)
		return run_bench(&a);
	if (a.topology && write_text(a.topology, builtin_text(b->topology)) != 0)
		return 2;
	if (!a.write && !a.iface)
		return 0;
	if (load(&a, b, &s))
		return 2;
	rc = run_scenario(&a, &s);
	scenario_free(&s);
	return rc;
}
