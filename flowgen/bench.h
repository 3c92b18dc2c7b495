/* bench.h - the bench scenario: a large mixed capture, fast.
 *
 * N conversations and M packets in all: outbound https, inbound ssh,
 * east-west TCP, DNS and NTP to outside servers, pings; one in ten over
 * IPv6, one in ten 802.1Q-tagged; ten minutes of capture time. */
#ifndef FG_BENCH_H
#define FG_BENCH_H

#include <stddef.h>
#include <stdint.h>

#include "flowgen/out.h"

struct fg_bench_options {
	uint64_t seed;
	uint64_t flows;
	uint64_t packets;       /* at least flows */
	uint64_t start;         /* Unix seconds; 0 = the default */
	uint64_t span;          /* seconds of capture time; 0 = 600 */
};

int bench_run(const struct fg_bench_options *o, struct fg_out *out, char *err, size_t errlen);

#endif
