/* bench_diff.c - `vpcflowemu diff` at scale: writes two v5 logs of N
 * records (default 1,000,000; 200,000 flows x 5 windows of 60 s over 1,000
 * ENIs), the second delayed by 30 s with 1 record in 1,000 changed, then
 * times diff_run + the text report and prints the peak RSS.
 *   cc -O2 -std=c11 -D_DEFAULT_SOURCE -I. bench/bench_diff.c formats/\*.c \
 *      -lz -ljansson -lpthread -o bench/out/bench_diff
 *   bench/out/bench_diff [N] [DIR] */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "formats/diff.h"

static void gen(const char *path, unsigned long n, int actual)
{
	FILE *f = fopen(path, "w");
	unsigned long i;

	if (f == NULL) {
		perror(path);
		exit(2);
	}
	fputs("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path\n", f);
	for (i = 0; i < n; i++) {
		unsigned long flow = i / 5, w = i % 5;
		long t = 1700000000 + (long)w * 60 + (actual ? 30 : 0);
		unsigned pk = 10 + (unsigned)(flow % 7);
		int tp = 8;

		if (actual && i % 1000 == 0)
			tp = 7;
		fprintf(f, "5 123456789012 eni-%017lx 10.%lu.%lu.%lu 52.%lu.%lu.1 %lu 443 6 %u %u %ld %ld ACCEPT OK - - egress %d\n",
			flow % 1000, (flow >> 16) & 255, (flow >> 8) & 255, flow & 255,
			flow % 200, flow % 251, 1024 + flow % 60000, pk, pk * 100, t, t + 59, tp);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	const char *dir = argc > 2 ? argv[2] : "/tmp";
	char e[512], a[512], err[512];
	struct diff_options o;
	struct diff_result *r;
	struct rusage ru;
	struct timespec t0, t1;
	FILE *out = fopen("/dev/null", "w");

	snprintf(e, sizeof(e), "%s/bench_diff_expected.log", dir);
	snprintf(a, sizeof(a), "%s/bench_diff_actual.log", dir);
	gen(e, n, 0);
	gen(a, n, 1);
	diff_options_init(&o);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (diff_run(e, a, &o, &r, err, sizeof(err)) != 0) {
		fprintf(stderr, "bench_diff: %s\n", err);
		return 2;
	}
	diff_print_text(r, out);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	getrusage(RUSAGE_SELF, &ru);
	printf("records %lu + %lu, matched %llu, differing %llu, items %zu\n", n, n,
	       (unsigned long long)diff_get_summary(r)->matched,
	       (unsigned long long)diff_get_summary(r)->differing, diff_item_count(r));
	printf("diff + report: %.2f s wall, peak RSS %.1f MiB\n",
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       (double)ru.ru_maxrss / 1024.0);
	diff_free(r);
	fclose(out);
	return 0;
}
