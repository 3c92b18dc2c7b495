/* pathsafe.h - ids from a topology become directory and file names under
 * -o and --cloudwatch: only names that cannot climb out of the directory
 * or hide are accepted (letters, digits, '-', '_', '.', not "." or ".."). */
#ifndef VFE_PATHSAFE_H
#define VFE_PATHSAFE_H

#include <stdbool.h>
#include <string.h>

static inline bool path_component_ok(const char *s)
{
	if (!s || !*s || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-' || c == '_' || c == '.'))
			return false;
	}
	return true;
}

#endif
