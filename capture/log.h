/* log.h - the one way the CLI talks to the user on stderr.
 *
 * Only main.c and cli.c print; library code returns errors in buffers. The
 * level is the one mutable global the program has (STYLE.md habit 12). */
#ifndef VFE_LOG_H
#define VFE_LOG_H

enum log_level { LOG_QUIET, LOG_NORMAL, LOG_VERBOSE };

extern int log_level;

/* "vpcflowemu: <message>\n" on stderr, whatever the level. */
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Shown unless -q. */
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Shown with -v. */
void log_verbose(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
