/* reader_gz.h - the byte source of the flow log reader (internal to
 * formats/reader.c): one file, plain or gzip (RFC 1952, several members),
 * decoded into the caller's buffer. */
#ifndef VFE_READER_GZ_H
#define VFE_READER_GZ_H

#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

struct rd_src {
	int fd;
	int gz;                 /* the file starts with the gzip magic */
	int zinit;              /* inflateInit2 done */
	int member_end;         /* Z_STREAM_END seen: a new member may follow */
	int eof;                /* read() returned 0 */
	z_stream zs;
	unsigned char *in;      /* compressed (or sniffed plain) bytes */
	size_t in_len;          /* plain: bytes of in not yet handed out */
	size_t in_pos;
	uint64_t total_in;      /* bytes read from the file so far */
	/* An inflate error that came with output: the output is handed out
	 * first, the error on the next read. */
	int bad;
	uint64_t bad_at;
	const char *bad_why;
	const char *path;
};

/* Opens path and sniffs the magic. 0, or -1 with "PATH: reason". */
int rd_src_open(struct rd_src *s, const char *path, char *err, size_t errlen);

/* Up to cap decoded bytes into dst: the count (> 0), 0 at the clean end, or
 * -1 with "PATH: reason" (the stream is unusable afterwards). */
long rd_src_read(struct rd_src *s, char *dst, size_t cap, char *err, size_t errlen);

void rd_src_close(struct rd_src *s);

#endif
