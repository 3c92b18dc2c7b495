/* sink.h - buffered output of rendered lines to a file descriptor.
 *
 * Renderers write straight into the sink's buffer (sink_space, then
 * sink_commit), so a record is copied once, and the kernel sees large
 * writes. The first write error sticks and is reported at sink_flush. */
#ifndef VFE_SINK_H
#define VFE_SINK_H

#include <stddef.h>

struct sink {
	int fd;
	char *buf;
	size_t len, cap;
	int err;                /* errno of the first failed write, or 0 */
};

int sink_init(struct sink *s, int fd, size_t cap);
/* Room for at least need bytes (flushing first if necessary); NULL after a
 * write error. */
char *sink_space(struct sink *s, size_t need);
void sink_commit(struct sink *s, size_t n);
int sink_write(struct sink *s, const char *p, size_t n);
/* Writes what is buffered. 0, or -1 with s->err set. */
int sink_flush(struct sink *s);
void sink_free(struct sink *s);

#endif
