/* privdrop.h - giving up root once the capture is open (-Z USER). */
#ifndef VFE_PRIVDROP_H
#define VFE_PRIVDROP_H

#include <stddef.h>

/* Gives path (a directory we will write into) to user. 0 or -1 and err. */
int privdrop_chown(const char *path, const char *user, char *err, size_t errlen);

/* Becomes user for good: supplementary groups, group, then user, and
 * checks that root cannot be regained. 0 or -1 and err. */
int privdrop(const char *user, char *err, size_t errlen);

#endif
