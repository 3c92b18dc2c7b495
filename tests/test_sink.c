/* test_sink.c - what goes into a sink comes out of its descriptor whole
 * and in order, written here or by the writer thread: lines through
 * sink_space/sink_commit, blocks through sink_write (smaller and larger
 * than the buffer) and sink_give, over many buffer hand-overs with a reader slower than
 * the writer; a write error (ENOSPC on /dev/full, EPIPE on a closed pipe)
 * is reported and sticks, and sink_flush returns only when all is out. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "formats/sink.h"

/* Blocks given to a sink are libc's (sink.h), not cmocka's test blocks. */
#undef malloc
#undef realloc
#undef free

#define CAP 4096

/* What the sink is given, kept to compare with what came out. */
struct text {
	char *b;
	size_t len;
};

static void keep(struct text *t, const char *p, size_t n)
{
	memcpy(t->b + t->len, p, n);
	t->len += n;
}

/* A block handed over whole (sink_give), as spans.c does with a
 * rendered stretch: filled, given, and the block given back reused. */
static void give(struct sink *s, struct text *t, int i, char **gbuf, size_t *gcap)
{
	size_t len = 1 + (size_t)i * 7919u % (2 * CAP);

	if (*gcap < len) {
		char *b = realloc(*gbuf, len);
		assert_non_null(b);
		*gbuf = b;
		*gcap = len;
	}
	for (size_t k = 0; k < len; k++)
		(*gbuf)[k] = (char)('A' + ((size_t)i + k) % 26);
	keep(t, *gbuf, len);
	assert_int_equal(sink_give(s, gbuf, len, gcap), 0);
	assert_true(*gbuf != NULL || *gcap == 0);
}

/* Numbered lines of varying length, and now and then a block: small, or
 * three buffers long (written straight after what is buffered), or given
 * whole. */
static void feed(struct sink *s, struct text *t, int lines)
{
	static char block[3 * CAP + 17];
	char *gbuf = NULL;
	size_t gcap = 0;

	for (int i = 0; i < lines; i++) {
		if (i % 301 == 7)
			give(s, t, i, &gbuf, &gcap);
		char *p = sink_space(s, 200);
		assert_non_null(p);
		int n = snprintf(p, 200, "line %d %.*s\n", i, i % 150, block + 1);
		keep(t, p, (size_t)n);
		sink_commit(s, (size_t)n);
		if (i % 997 == 0) {
			size_t len = i % 2 ? 100 : sizeof(block);
			memset(block, 'a' + i % 26, len);
			assert_int_equal(sink_write(s, block, len), 0);
			keep(t, block, len);
		}
	}
	free(gbuf);
}

/* Reads fd to the end, a little at a time and slowly at first, so the
 * writer meets a full pipe and the caller runs out of buffers. */
struct drain {
	int fd;
	struct text got;
};

static void *drain(void *arg)
{
	struct drain *d = arg;
	ssize_t n;

	while ((n = read(d->fd, d->got.b + d->got.len, 1000)) > 0) {
		d->got.len += (size_t)n;
		if (d->got.len < 64 * CAP)
			usleep(50);
	}
	return NULL;
}

static void through_pipe(unsigned nbuf)
{
	int fds[2];
	pthread_t t;
	struct sink s;
	struct text want = {malloc(8u << 20), 0};
	struct drain d = {0, {malloc(8u << 20), 0}};

	assert_non_null(want.b);
	assert_non_null(d.got.b);
	assert_int_equal(pipe(fds), 0);
	d.fd = fds[0];
	assert_int_equal(pthread_create(&t, NULL, drain, &d), 0);
	assert_int_equal(sink_init(&s, fds[1], CAP), 0);
	if (nbuf)
		assert_int_equal(sink_use_writer(&s, nbuf), 0);
	feed(&s, &want, 20000);
	assert_int_equal(sink_flush(&s), 0);
	/* Flushed means written: more lines after it come after it. */
	feed(&s, &want, 500);
	assert_int_equal(sink_flush(&s), 0);
	sink_free(&s);
	close(fds[1]);
	pthread_join(t, NULL);
	close(fds[0]);
	assert_int_equal(d.got.len, want.len);
	assert_memory_equal(d.got.b, want.b, want.len);
	free(want.b);
	free(d.got.b);
}

static void test_order_here(void **state)
{
	(void)state;
	through_pipe(0);
}

static void test_order_writer(void **state)
{
	(void)state;
	through_pipe(2);
	through_pipe(5);
}

/* Blocks given faster than a slow reader takes them: the sink holds a
 * bounded number (its queue of text, and BACK written ones to give back),
 * so the giver makes only a few whatever how many it gives. */
static void test_given_blocks_bounded(void **state)
{
	int fds[2];
	pthread_t t;
	struct sink s;
	struct text want = {malloc(8u << 20), 0};
	struct drain d = {0, {malloc(8u << 20), 0}};
	char *gbuf = NULL;
	size_t gcap = 0;
	int made = 0;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	d.fd = fds[0];
	assert_int_equal(pthread_create(&t, NULL, drain, &d), 0);
	assert_int_equal(sink_init(&s, fds[1], CAP), 0);
	assert_int_equal(sink_use_writer(&s, 2), 0);
	for (int i = 0; i < 64; i++) {
		if (!gbuf) {
			gbuf = malloc(16 * CAP);
			assert_non_null(gbuf);
			gcap = 16 * CAP;
			made++;
		}
		memset(gbuf, 'a' + i % 26, 16 * CAP);
		keep(&want, gbuf, 16 * CAP);
		assert_int_equal(sink_give(&s, &gbuf, 16 * CAP, &gcap), 0);
	}
	assert_int_equal(sink_flush(&s), 0);
	sink_free(&s);
	free(gbuf);
	close(fds[1]);
	pthread_join(t, NULL);
	close(fds[0]);
	assert_true(made <= 8);
	assert_int_equal(d.got.len, want.len);
	assert_memory_equal(d.got.b, want.b, want.len);
	free(want.b);
	free(d.got.b);
}

/* Lines until the sink refuses one; the error is err and sticks. */
static void until_refused(struct sink *s, int err)
{
	int i;

	for (i = 0; i < 100000; i++) {
		char *p = sink_space(s, 100);
		if (!p)
			break;
		memset(p, 'x', 99);
		p[99] = '\n';
		sink_commit(s, 100);
	}
	assert_true(i < 100000);
	assert_int_equal(s->err, err);
	assert_null(sink_space(s, 100));
	assert_int_equal(sink_write(s, "y\n", 2), -1);
	assert_int_equal(sink_flush(s), -1);
	assert_int_equal(s->err, err);
}

static void test_disk_full(void **state)
{
	(void)state;
	for (unsigned nbuf = 0; nbuf <= 3; nbuf += 3) {
		struct sink s;
		int fd = open("/dev/full", O_WRONLY);
		assert_true(fd >= 0);
		assert_int_equal(sink_init(&s, fd, CAP), 0);
		if (nbuf)
			assert_int_equal(sink_use_writer(&s, nbuf), 0);
		until_refused(&s, ENOSPC);
		sink_free(&s);
		close(fd);
	}
}

/* Nothing buffered yet: the first flush finds the error. */
static void test_error_at_flush(void **state)
{
	struct sink s;
	int fd = open("/dev/full", O_WRONLY);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(sink_init(&s, fd, CAP), 0);
	assert_int_equal(sink_use_writer(&s, 4), 0);
	char *p = sink_space(&s, 10);
	assert_non_null(p);
	memcpy(p, "one line\n", 9);
	sink_commit(&s, 9);
	assert_int_equal(sink_flush(&s), -1);
	assert_int_equal(s.err, ENOSPC);
	sink_free(&s);
	close(fd);
}

static void test_closed_pipe(void **state)
{
	(void)state;
	signal(SIGPIPE, SIG_IGN);
	for (unsigned nbuf = 0; nbuf <= 4; nbuf += 4) {
		int fds[2];
		struct sink s;
		assert_int_equal(pipe(fds), 0);
		close(fds[0]);
		assert_int_equal(sink_init(&s, fds[1], CAP), 0);
		if (nbuf)
			assert_int_equal(sink_use_writer(&s, nbuf), 0);
		until_refused(&s, EPIPE);
		sink_free(&s);
		close(fds[1]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_here),
		cmocka_unit_test(test_order_writer),
		cmocka_unit_test(test_given_blocks_bounded),
		cmocka_unit_test(test_disk_full),
		cmocka_unit_test(test_error_at_flush),
		cmocka_unit_test(test_closed_pipe),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
