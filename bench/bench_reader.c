/* bench_reader.c - records per second of formats/reader.c on a gzip S3
 * object: writes N default-format records (header first, like S3) to a
 * .log.gz with zlib level 6, then times flow_reader_next() over it and
 * touches every record's bytes and start fields (flow_line_u64).
 * Usage: bench_reader [N=1000000] [path=/tmp/bench_reader.log.gz] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "formats/reader.h"
#include "bench/bench_util.h"

static int generate(const char *path, unsigned long n)
{
	gzFile g = gzopen(path, "wb6");
	unsigned long i;

	if (g == NULL)
		return -1;
	gzprintf(g, "version account-id interface-id srcaddr dstaddr srcport dstport "
		 "protocol packets bytes start end action log-status\n");
	for (i = 0; i < n; i++) {
		if (i % 50 == 49)
			gzprintf(g, "2 123456789012 eni-0123456789abcdef%lu - - - - - - - "
				 "1700000000 1700000060 - NODATA\n", i % 10);
		else
			gzprintf(g, "2 123456789012 eni-0123456789abcdef%lu 10.0.%lu.%lu "
				 "52.94.%lu.%lu %lu 443 6 %lu %lu %lu %lu ACCEPT OK\n",
				 i % 10, i / 256 % 256, i % 256, i / 7 % 256, i / 3 % 256,
				 1024 + i % 64000, 1 + i % 97, 40 + i % 150000,
				 1700000000 + i / 1000, 1700000060 + i / 1000);
	}
	return gzclose(g) == Z_OK ? 0 : -1;
}

int main(int argc, char **argv)
{
	unsigned long n = argc > 1 ? strtoul(argv[1], NULL, 10) : 1000000;
	const char *path = argc > 2 ? argv[2] : "/tmp/bench_reader.log.gz";
	struct flow_reader *r;
	struct flow_line l;
	char err[512];
	unsigned long long count = 0, sum = 0;
	double t0, t1;
	int rc, round;

	if (generate(path, n) < 0) {
		fprintf(stderr, "%s: cannot write\n", path);
		return 1;
	}
	for (round = 0; round < 3; round++) {
		count = sum = 0;
		if (flow_reader_open(&r, path, NULL, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			return 1;
		}
		t0 = now();
		while ((rc = flow_reader_next(r, &l, err, sizeof(err))) != 0) {
			uint64_t v;

			if (rc < 0) {
				fprintf(stderr, "%s\n", err);
				return 1;
			}
			if (flow_line_u64(&l, FLD_BYTES, &v) == 1)
				sum += v;
			if (flow_line_u64(&l, FLD_START, &v) == 1)
				sum += v;
			count++;
		}
		t1 = now();
		flow_reader_close(r);
		printf("round %d: %llu records in %.3f s = %.2f M records/s (checksum %llu)\n",
		       round + 1, count, t1 - t0, (double)count / (t1 - t0) / 1e6, sum);
	}
	return count == n ? 0 : 1;
}
