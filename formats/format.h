/* format.h - a flow log format: which fields, in which order, which version.
 *
 * Spec/vpc-flow-logs.md section 3: the AWS default format, custom
 * "${token} ${token}" strings, and the record's ${version} value. */
#ifndef VFE_FORMAT_H
#define VFE_FORMAT_H

#include <stddef.h>
#include <stdint.h>

#include "formats/fields.h"

#define FORMAT_MAX_FIELDS 64

struct log_format {
	uint8_t n;                        /* number of fields */
	/* Value of ${version}: 2 for the default preset, else the highest
	 * version among the fields (spec 3.2). */
	uint8_t version;
	uint8_t ids[FORMAT_MAX_FIELDS];   /* enum field_id, in output order */
};

/* Accepts the presets "default" (AWS default, v2, 14 fields), "v5" (the 14
 * default fields + pkt-src-aws-service pkt-dst-aws-service flow-direction
 * traffic-path, version 5), "all" (all 54 fields in AWS order), or a custom
 * string of ${token} separated by one or more spaces, tabs or newlines
 * (leading and trailing blanks are allowed). Returns 0, or -1 with a
 * one-line message in err (when err is not NULL and errlen > 0), such as:
 *   unknown field "${foo-bar}" at column 12
 *   expected "${" at column 5
 *   expected a blank after "${srcaddr}" at column 11
 *   field "srcaddr" appears twice at column 21
 *   unterminated "${" at column 40
 *   empty format
 * Columns count bytes from 1. On error *f is left unchanged. */
int format_parse(const char *s, struct log_format *f, char *err, size_t errlen);

/* Index of id in f, or -1 when the format does not contain it. */
int format_find(const struct log_format *f, enum field_id id);

#endif
