/* synth.h - a scenario's lines become timed packets, in time order.
 *
 * Owns the exchange each pattern makes (flowgen(1), PATTERNS) and the state
 * a real stack keeps per conversation: TCP sequence and acknowledgement
 * numbers, timestamps, IP ids, echo sequence numbers. Same scenario, seed
 * and scale: same packets. */
#ifndef FG_SYNTH_H
#define FG_SYNTH_H

#include <stddef.h>
#include <stdint.h>

#include "flowgen/build.h"
#include "flowgen/scenario.h"

struct fg_synth_options {
	uint64_t seed;
	uint32_t scale;         /* copies of every line, each from the next port or id */
};

/* Receives each packet in time order; ts_us is Unix microseconds. */
typedef int (*fg_packet_fn)(void *ctx, uint64_t ts_us, const struct fg_packet *p);

/* Generates every packet of s into fn. -1 and err on failure (out of
 * memory, more packets than flowgen holds, fn's -1). */
int synth_run(const struct fg_scenario *s, const struct fg_synth_options *o, fg_packet_fn fn,
	      void *ctx, char *err, size_t errlen);

/* splitmix64: the one random source of flowgen. */
uint64_t fg_random(uint64_t *state);

#endif
