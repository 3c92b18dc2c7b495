/* spans.h - numbered pieces of work done by two threads, used in order.
 *
 * Writing a window's records splits into spans (emit_write.c: some 4,000
 * records each) that can be rendered apart but must reach the output in
 * order. spans_run() renders them on the calling thread and on a helper
 * thread at once, each into a buffer of its own, and hands the buffers
 * back to the calling thread in span order. At most SPAN_SLOTS spans are
 * rendered and not yet used: memory is SPAN_SLOTS buffers, each as big as
 * the biggest span it has held (a span is whole runs of flows, so one
 * second of one ENI can make it large), whatever the window's size. The
 * taker may swap a span's buffer for another (emit_write.c hands the text
 * to stdout's writer thread and gets back a block written before): what
 * the sink holds meanwhile is bounded there (formats/sink.c). */
#ifndef VFE_SPANS_H
#define VFE_SPANS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPAN_SLOTS 4
#define SPAN_COUNTS 4

/* One span's output: text, and counters the filler keeps for the taker. */
struct span {
	char *buf;
	size_t len, cap;
	uint64_t count[SPAN_COUNTS];
	bool failed;            /* out of memory: the text is incomplete */
};

/* Room for need more bytes at buf + len; NULL (and failed) when there is
 * no memory for it. */
char *span_room(struct span *sp, size_t need);

/* Fills span i (sp is empty on entry). Called on either thread: it must
 * only read what every span shares and write only sp. */
typedef void (*span_fill_fn)(void *ctx, size_t i, struct span *sp);

/* Uses span i, on the calling thread, in order. Non-zero stops the run. */
typedef int (*span_take_fn)(void *ctx, size_t i, struct span *sp);

struct spans;

/* The helper thread, idle until spans_run(). NULL when it cannot be had. */
struct spans *spans_start(void);

/* Fills and takes spans 0..n-1. Returns the first non-zero take, else 0.
 * When it returns, the helper no longer touches anything of this run. */
int spans_run(struct spans *s, size_t n, span_fill_fn fill, span_take_fn take, void *ctx);

void spans_stop(struct spans *s);

#endif
