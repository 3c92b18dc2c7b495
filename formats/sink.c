/* sink.c - large buffered writes to a descriptor, retried on EINTR and
 * short writes. It knows nothing of records: lines are bytes here. */
#include "formats/sink.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "formats/mem.h"

int sink_init(struct sink *s, int fd, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->fd = fd;
	s->buf = vfe_malloc(cap);
	if (!s->buf)
		return -1;
	s->cap = cap;
	return 0;
}

/* Writes n bytes at p to the descriptor, whole; the first error sticks. */
static int write_all(struct sink *s, const char *p, size_t n)
{
	size_t off = 0;

	while (off < n && !s->err) {
		ssize_t w = write(s->fd, p + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			s->err = w < 0 ? errno : EIO;
		else
			off += (size_t)w;
	}
	return s->err ? -1 : 0;
}

int sink_flush(struct sink *s)
{
	int rc = write_all(s, s->buf, s->len);

	s->len = 0;
	return rc;
}

char *sink_space(struct sink *s, size_t need)
{
	if (s->cap - s->len < need && sink_flush(s) != 0)
		return NULL;
	if (s->cap < need || s->err)
		return NULL;
	return s->buf + s->len;
}

void sink_commit(struct sink *s, size_t n)
{
	s->len += n;
}

int sink_write(struct sink *s, const char *p, size_t n)
{
	/* More than the buffer holds (a window's stretch of lines, rendered
	 * apart): what is buffered goes first, then these bytes straight. */
	if (n > s->cap)
		return sink_flush(s) != 0 ? -1 : write_all(s, p, n);
	char *d = sink_space(s, n);

	if (!d)
		return -1;
	memcpy(d, p, n);
	sink_commit(s, n);
	return 0;
}

void sink_free(struct sink *s)
{
	vfe_free(s->buf);
	s->buf = NULL;
}
