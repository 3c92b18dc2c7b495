/* errbuf.h - the one way library code reports an error: a formatted line
 * into the caller's buffer (STYLE.md habit 13). A NULL or empty buffer is
 * allowed: the error is then only the return value. */
#ifndef VFE_ERRBUF_H
#define VFE_ERRBUF_H

#include <stddef.h>

void errbuf_set(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Appends a formatted piece to the text of *len bytes in buf (cap bytes in
 * all), cutting it short when full; *len never passes cap - 1. */
void errbuf_append(char *buf, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
