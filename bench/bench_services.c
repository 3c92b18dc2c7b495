/* bench_services.c - what loading ip-ranges.json and a service lookup cost.
 *
 * Times services_load (and jansson's parse alone, for comparison) over
 * several runs, then services_lookup on addresses inside the file's
 * prefixes and on uniform random IPv4 addresses (mostly misses). Build:
 *   cc -O2 -std=c11 -D_DEFAULT_SOURCE -I. bench/bench_services.c \
 *      capture/vpc/services.c capture/vpc/trie.c formats/addr.c -ljansson
 * Usage: bench_services [ip-ranges.json] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>

#include "capture/vpc/services.h"
#include "bench/bench_util.h"

#define RUNS 15
#define NADDR 65536
#define ROUNDS 64

/* Median milliseconds of services_load and of json_load_file alone. */
static int time_load(const char *path)
{
	double load[RUNS], parse[RUNS], t0;
	struct services s;
	json_error_t jerr;
	char err[512];
	int i;

	for (i = 0; i < RUNS; i++) {
		t0 = now();
		if (services_load(&s, path, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			return -1;
		}
		load[i] = (now() - t0) * 1e3;
		services_free(&s);
		t0 = now();
		json_decref(json_load_file(path, 0, &jerr));
		parse[i] = (now() - t0) * 1e3;
	}
	printf("services_load      %8.2f ms median of %d (json_load_file alone %.2f ms)\n",
	       median(load, RUNS), RUNS, median(parse, RUNS));
	return 0;
}

static void time_lookups(const struct services *s, const struct ip_addr *addrs,
			 const char *what)
{
	size_t i, hits = 0;
	double t0 = now();

	for (i = 0; i < (size_t)NADDR * ROUNDS; i++)
		hits += services_lookup(s, &addrs[i % NADDR], NULL) != NULL;
	printf("lookup %-11s %8.1f ns   (%.1f%% found)\n", what,
	       (now() - t0) * 1e9 / ((double)NADDR * ROUNDS),
	       100.0 * (double)hits / ((double)NADDR * ROUNDS));
}

/* NADDR addresses inside random entries of the file (family 4 or 6 only,
 * or 0 for any), host bits random. */
static void fill_inside(const struct services *s, struct ip_addr *addrs,
			uint64_t *seed, int family)
{
	size_t i = 0;
	unsigned b;

	while (i < NADDR) {
		const struct svc_prefix *p = &s->prefixes[rnd(seed) % s->nprefixes];
		int f = ip_addr_is_v4(&p->prefix.addr) ? 4 : 6;

		if (family != 0 && f != family)
			continue;
		addrs[i] = p->prefix.addr;
		for (b = p->prefix.len; b < 128; b++)
			if (rnd(seed) & 1)
				addrs[i].b[b / 8] |= (uint8_t)(0x80u >> (b % 8));
		i++;
	}
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1]
				    : "pcaps/ip-ranges.json";
	struct ip_addr *addrs = malloc(NADDR * sizeof(*addrs));
	struct services s;
	char err[512];
	uint64_t seed = 1;
	size_t i;

	if (addrs == NULL || time_load(path) != 0 ||
	    services_load(&s, path, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_services: cannot load %s\n", path);
		return 1;
	}
	printf("entries %zu, names %u\n", s.nprefixes, s.nnames);
	fill_inside(&s, addrs, &seed, 0);
	time_lookups(&s, addrs, "in-file");
	fill_inside(&s, addrs, &seed, 4);
	time_lookups(&s, addrs, "in-file-v4");
	fill_inside(&s, addrs, &seed, 6);
	time_lookups(&s, addrs, "in-file-v6");
	for (i = 0; i < NADDR; i++) {
		uint64_t r = rnd(&seed);
		uint8_t v4[4] = {(uint8_t)r, (uint8_t)(r >> 8), (uint8_t)(r >> 16),
				 (uint8_t)(r >> 24)};
		ip_addr_from_v4(&addrs[i], v4);
	}
	time_lookups(&s, addrs, "random-v4");
	services_free(&s);
	free(addrs);
	return 0;
}
