/* render.h - one vpc_record to one line of flow log text.
 *
 * Spec/vpc-flow-logs.md 1 (layout), 3.3 (header line), 5.2 (NODATA and
 * SKIPDATA); PRODUCT.md 3 (which fields a NODATA/SKIPDATA line keeps). */
#ifndef VFE_RENDER_H
#define VFE_RENDER_H

#include <stddef.h>

#include "formats/format.h"
#include "formats/record.h"

/* Enough for every line whose metadata strings are of AWS size. */
#define RENDER_MAX_LINE 8192

/* Header line: the tokens joined by one space, then '\n'. Returns bytes
 * written (no NUL), 0 if cap is too small. */
size_t render_header(const struct log_format *f, char *buf, size_t cap);

/* Checks every string of m once and sets m->safe when none holds a byte
 * that would be written as %XX: records of that ENI then copy its strings
 * whole instead of byte by byte. Call it after the last change to m. */
void render_seal_meta(struct eni_meta *m);

/* Renders the leading fields of f that are the same in every record of m
 * (version and the ENI's ids, region, az-id, sublocation: flow, NODATA
 * and SKIPDATA records alike) into m->head once; render_record() with f
 * then copies them. Call it after render_seal_meta(); a format with none
 * of them leading leaves no head, and the head holds only the leading
 * fields that fit in it (the rest are rendered record by record). */
void render_seal_head(struct eni_meta *m, const struct log_format *f);

/* One record line ending in '\n', fields joined by one space. Returns bytes
 * written (no NUL), or 0 if cap is too small; nothing is written at or past
 * buf + cap. A string field that is NULL or empty renders "-"; blanks and
 * control characters inside one are percent-encoded ("a b" -> "a%20b") so
 * that a line always keeps its column count. */
size_t render_record(const struct log_format *f, const struct vpc_record *r,
		     char *buf, size_t cap);

#endif
