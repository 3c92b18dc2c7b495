/* gz.c - a gzip stream over zlib's deflate with gzip framing (windowBits
 * 15 + 16), so each object is exactly one gzip member, as AWS delivers.
 * It knows nothing of records or paths. */
#include "formats/gz.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "formats/mem.h"

#define GZ_OUT (256u * 1024)

struct gz_writer {
	z_stream z;
	int fd;
	uint64_t in;
	unsigned char out[GZ_OUT];
};

static int write_all(int fd, const unsigned char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

struct gz_writer *gz_open(int fd, int level)
{
	struct gz_writer *g = vfe_malloc(sizeof(*g));

	if (!g)
		return NULL;
	memset(&g->z, 0, sizeof(g->z));
	g->fd = fd;
	g->in = 0;
	if (deflateInit2(&g->z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
		vfe_free(g);
		return NULL;
	}
	return g;
}

/* Runs deflate until the input is consumed (or, finishing, the stream
 * ends), writing each full output buffer. */
static int pump(struct gz_writer *g, int flush)
{
	int rc;

	do {
		g->z.next_out = g->out;
		g->z.avail_out = GZ_OUT;
		rc = deflate(&g->z, flush);
		if (rc == Z_STREAM_ERROR)
			return -1;
		if (write_all(g->fd, g->out, GZ_OUT - g->z.avail_out) != 0)
			return -1;
	} while (g->z.avail_out == 0 || (flush == Z_FINISH && rc != Z_STREAM_END));
	return 0;
}

int gz_write(struct gz_writer *g, const void *data, size_t len)
{
	const unsigned char *p = data;

	g->in += len;
	/* avail_in is a uInt: feed very large buffers in pieces. */
	while (len > 0) {
		uInt n = len > (1u << 30) ? (1u << 30) : (uInt)len;
		g->z.next_in = (Bytef *)(uintptr_t)p;
		g->z.avail_in = n;
		if (pump(g, Z_NO_FLUSH) != 0)
			return -1;
		p += n;
		len -= n;
	}
	return 0;
}

int gz_close(struct gz_writer *g)
{
	int rc;

	g->z.next_in = NULL;
	g->z.avail_in = 0;
	rc = pump(g, Z_FINISH);
	deflateEnd(&g->z);
	vfe_free(g);
	return rc;
}

uint64_t gz_in(const struct gz_writer *g)
{
	return g->in;
}
