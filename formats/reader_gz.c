/* reader_gz.c - the byte source of the flow log reader: a plain file, or a
 * gzip file (RFC 1952) of one or more members, as S3 holds flow logs
 * (spec/vpc-flow-logs.md 11.1, "each file is a single gzip stream").
 * Owns no line logic; never prints. Gzip is told by its magic, not the name. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "formats/mem.h"
#include "formats/reader_gz.h"

#define RD_IN_CAP (64u * 1024u)

static int fail(const struct rd_src *s, char *err, size_t errlen, const char *what,
		unsigned long long at, const char *why)
{
	if (err != NULL && errlen > 0) {
		if (why != NULL)
			snprintf(err, errlen, "%s: %s at byte %llu (%s)", s->path, what, at, why);
		else if (at != ULLONG_MAX)
			snprintf(err, errlen, "%s: %s at byte %llu", s->path, what, at);
		else
			snprintf(err, errlen, "%s: %s", s->path, what);
	}
	return -1;
}

/* read() that retries on EINTR; returns bytes, 0 at EOF, -1 on error. */
static long read_some(int fd, void *dst, size_t cap)
{
	ssize_t n;

	do {
		n = read(fd, dst, cap);
	} while (n < 0 && errno == EINTR);
	return (long)n;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int rd_src_open(struct rd_src *s, const char *path, char *err, size_t errlen)
{
	long n;

	memset(s, 0, sizeof(*s));
	s->path = path;
	s->fd = open(path, O_RDONLY);
	if (s->fd < 0)
		return fail(s, err, errlen, strerror(errno), ULLONG_MAX, NULL);
	s->in = vfe_malloc(RD_IN_CAP);
	if (s->in == NULL) {
		close(s->fd);
		s->fd = -1;
		return fail(s, err, errlen, "out of memory", ULLONG_MAX, NULL);
	}
	n = read_some(s->fd, s->in, RD_IN_CAP);
	if (n < 0) {
		int e = errno;

		rd_src_close(s);
		return fail(s, err, errlen, strerror(e), ULLONG_MAX, NULL);
	}
	s->in_len = (size_t)n;
	s->total_in = (uint64_t)n;
	s->eof = n == 0;
	s->gz = s->in_len >= 2 && s->in[0] == 0x1f && s->in[1] == 0x8b;
	/* The name promises gzip but the bytes are not: an S3 error page or a
	 * half-written object. Reading it as text would blame its "lines". */
	if (!s->gz && ends_with(path, ".gz")) {
		rd_src_close(s);
		return fail(s, err, errlen, "not gzip data", ULLONG_MAX, NULL);
	}
	if (s->gz) {
		/* 16 + MAX_WBITS: gzip wrapper only, with its CRC and length check. */
		if (inflateInit2(&s->zs, 16 + MAX_WBITS) != Z_OK) {
			rd_src_close(s);
			return fail(s, err, errlen, "out of memory", ULLONG_MAX, NULL);
		}
		s->zinit = 1;
		s->zs.next_in = s->in;
		s->zs.avail_in = (uInt)s->in_len;
	}
	return 0;
}

static long read_plain(struct rd_src *s, char *dst, size_t cap, char *err, size_t errlen)
{
	long n;

	if (s->in_pos < s->in_len) {
		size_t k = s->in_len - s->in_pos;

		if (k > cap)
			k = cap;
		memcpy(dst, s->in + s->in_pos, k);
		s->in_pos += k;
		return (long)k;
	}
	if (s->eof)
		return 0;
	n = read_some(s->fd, dst, cap);
	if (n < 0)
		return fail(s, err, errlen, strerror(errno), ULLONG_MAX, NULL);
	if (n == 0)
		s->eof = 1;
	s->total_in += (uint64_t)n;
	return n;
}

/* Offset in the file of the next compressed byte inflate would take. */
static uint64_t gz_offset(const struct rd_src *s)
{
	return s->total_in - s->zs.avail_in;
}

static long read_gz(struct rd_src *s, char *dst, size_t cap, char *err, size_t errlen)
{
	/* Each pass either refills the input, starts a member, or runs inflate
	 * once; the loop ends when output was produced, the input is used up
	 * after a complete member (clean end), or on an error. inflate always
	 * progresses while it has both input and output space, and the input
	 * is finite, so the loop ends. */
	while (!s->bad) {
		uInt out_cap = cap > UINT_MAX ? UINT_MAX : (uInt)cap;
		size_t produced;
		int ret;

		if (s->zs.avail_in == 0 && !s->eof) {
			long n = read_some(s->fd, s->in, RD_IN_CAP);

			if (n < 0)
				return fail(s, err, errlen, strerror(errno), ULLONG_MAX, NULL);
			if (n == 0)
				s->eof = 1;
			s->total_in += (uint64_t)n;
			s->zs.next_in = s->in;
			s->zs.avail_in = (uInt)n;
			continue;
		}
		if (s->member_end) {
			if (s->zs.avail_in == 0)
				return 0;       /* eof after a complete member */
			/* Concatenated members are one stream (gzip -c a b). Anything
			 * else after a member is not ours to guess at. */
			if (s->zs.next_in[0] != 0x1f)
				return fail(s, err, errlen, "trailing garbage after gzip data",
					    gz_offset(s), NULL);
			inflateReset(&s->zs);
			s->member_end = 0;
		}
		if (s->zs.avail_in == 0)        /* eof inside a member */
			return fail(s, err, errlen, "gzip data truncated", s->total_in, NULL);
		s->zs.next_out = (unsigned char *)dst;
		s->zs.avail_out = out_cap;
		ret = inflate(&s->zs, Z_NO_FLUSH);
		produced = out_cap - s->zs.avail_out;
		if (ret == Z_STREAM_END)
			s->member_end = 1;
		else if (ret != Z_OK && ret != Z_BUF_ERROR) {
			s->bad = 1;
			s->bad_at = gz_offset(s);
			s->bad_why = s->zs.msg != NULL ? s->zs.msg : "zlib error";
			if (produced == 0)
				break;
		}
		if (produced > 0)
			return (long)produced;
	}
	return fail(s, err, errlen, "invalid gzip data", s->bad_at, s->bad_why);
}

long rd_src_read(struct rd_src *s, char *dst, size_t cap, char *err, size_t errlen)
{
	if (cap == 0)
		return 0;
	return s->gz ? read_gz(s, dst, cap, err, errlen) : read_plain(s, dst, cap, err, errlen);
}

void rd_src_close(struct rd_src *s)
{
	if (s->zinit)
		inflateEnd(&s->zs);
	s->zinit = 0;
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	vfe_free(s->in);
	s->in = NULL;
}
