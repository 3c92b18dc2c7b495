/* gz.h - gzip objects written to files (zlib, RFC 1952), optionally by a
 * worker thread so that compression runs on another core than the packet
 * path. Each object is exactly one gzip member, as AWS delivers. */
#ifndef VFE_GZ_H
#define VFE_GZ_H

#include <stddef.h>
#include <stdint.h>

struct gz_pool;
struct gz_writer;

/* One worker thread with a bounded queue. NULL if it cannot start: then
 * pass NULL to gz_open and everything happens on the caller's thread. */
struct gz_pool *gz_pool_new(void);
/* Waits for every queued job, stops the worker. 0, or -1 and err with the
 * first failure of any job. */
int gz_pool_free(struct gz_pool *p, char *err, size_t errlen);
/* The first failure so far ("" when none); safe to call at any time. */
int gz_pool_failed(struct gz_pool *p, char *err, size_t errlen);

/* A gzip stream into fd (owned from now on). level: zlib's 1..9 or -1. */
struct gz_writer *gz_open(struct gz_pool *p, int fd, const char *path, int level);
/* -1 on a failure (synchronous mode), or when the pool has failed. */
int gz_write(struct gz_writer *g, const void *data, size_t len);
/* Ends the stream, closes the file and renames path to final (if not
 * NULL). With a pool this happens on the worker; g is gone either way. */
int gz_finish(struct gz_writer *g, const char *final);
/* Uncompressed bytes written so far. */
uint64_t gz_in(const struct gz_writer *g);

#endif
