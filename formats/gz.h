/* gz.h - one gzip stream written to a file descriptor (zlib, RFC 1952).
 * Lines go in, compressed bytes go out in large writes. */
#ifndef VFE_GZ_H
#define VFE_GZ_H

#include <stddef.h>
#include <stdint.h>

struct gz_writer;

/* level: zlib's 1..9 (Z_DEFAULT_COMPRESSION = -1). NULL when out of memory. */
struct gz_writer *gz_open(int fd, int level);
/* -1 on a write error (errno set). */
int gz_write(struct gz_writer *g, const void *data, size_t len);
/* Ends the stream and writes what is left; does not close fd. Frees g. */
int gz_close(struct gz_writer *g);
/* Uncompressed bytes written so far. */
uint64_t gz_in(const struct gz_writer *g);

#endif
