/* jsonpos.h - where a value sits in a JSON text, for error messages.
 *
 * jansson keeps no positions for values, so a loader that finds a bad value
 * in the tree asks again here with the path it walked: a small scanner
 * re-reads the text and returns the value's line and column. It is meant for
 * the error path only and trusts nothing: every read is bounded by len. */
#ifndef VFE_JSONPOS_H
#define VFE_JSONPOS_H

#include <stdbool.h>
#include <stddef.h>

/* Nesting the scanner will follow; deeper text counts as "not found". */
#define JSONPOS_MAX_DEPTH 512

struct jsonpos_step {
	const char *key;              /* object member name (UTF-8), or NULL */
	size_t index;                 /* array element when key is NULL */
};

struct jsonpos {
	size_t line;                  /* 1-based; only '\n' ends a line */
	size_t column;                /* 1-based, in characters as jansson counts
	                               * them: UTF-8 continuation bytes add none */
};

/* Finds the value at path[0..npath) (npath 0: the top-level value) in
 * text[0..len), which need not be NUL-terminated. Returns true and its
 * position, or false and 1:1 when the text is malformed or truncated before
 * the value, nests deeper than JSONPOS_MAX_DEPTH, or has no such member or
 * element. When an object repeats a key, the last one is taken, as jansson
 * keeps the last. */
bool jsonpos_find(const char *text, size_t len, const struct jsonpos_step *path,
                  size_t npath, struct jsonpos *pos);

#endif
