/* log.c - stderr messages with the program's name, filtered by level.
 * Must not be called from library code (decode/, flow/, vpc/, formats/). */
#include "capture/log.h"

#include <stdarg.h>
#include <stdio.h>

int log_level = LOG_NORMAL;

__attribute__((format(printf, 1, 0)))
static void vlog(const char *fmt, va_list ap)
{
	fputs("vpcflowemu: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void log_info(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_NORMAL)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void log_verbose(const char *fmt, ...)
{
	va_list ap;

	if (log_level < LOG_VERBOSE)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}
