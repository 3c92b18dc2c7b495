/* sink.h - buffered output of rendered lines to a file descriptor.
 *
 * Renderers write straight into the sink's buffer (sink_space, then
 * sink_commit), so a record is copied once, and the kernel sees large
 * writes. With a writer (sink_use_writer), a full buffer is handed to a
 * thread that writes it while the caller fills the next one: the kernel's
 * copy of the text runs beside the work that makes it. The first write
 * error sticks and is reported at sink_flush, which returns only when
 * everything given to the sink has been written. */
#ifndef VFE_SINK_H
#define VFE_SINK_H

#include <stddef.h>

struct sink_writer;

struct sink {
	int fd;
	char *buf;
	size_t len, cap;
	int err;                /* errno of the first failed write, or 0 */
	struct sink_writer *w;  /* NULL: written on the caller's thread */
};

int sink_init(struct sink *s, int fd, size_t cap);
/* Writes full buffers on a thread of its own from now on, with at most
 * nbuf buffers of cap bytes (the one being filled included). -1 when no
 * thread or memory can be had: the sink then keeps writing itself. */
int sink_use_writer(struct sink *s, unsigned nbuf);
/* Room for at least need bytes (handing the buffer on first if
 * necessary); NULL after a write error. */
char *sink_space(struct sink *s, size_t need);
void sink_commit(struct sink *s, size_t n);
int sink_write(struct sink *s, const char *p, size_t n);
/* Hands over *buf, len bytes of text written after what is buffered,
 * without a copy when there is a writer: *buf is then the sink's until
 * written, and *buf and *cap are swapped for a block given before and
 * written since, or NULL and 0 (make a new one). Without a writer it is
 * written here and stays the caller's. Blocks given must come from
 * libc's malloc (not mem.h's): sink_free frees those it holds with
 * free(). 0, or -1 with s->err. */
int sink_give(struct sink *s, char **buf, size_t len, size_t *cap);
/* Writes what is buffered and waits until it is written. 0, or -1 with
 * s->err set. */
int sink_flush(struct sink *s);
/* Stops the writer (after it has written what it was given) and frees. */
void sink_free(struct sink *s);

#endif
