/* reader.h - reads flow log text as AWS delivers it (and as vpcflowemu
 * writes it): plain or gzip S3 objects, directories of them, CloudWatch
 * export lines and Firehose/CloudWatch {"message": ...} JSON lines.
 *
 * Spec/vpc-flow-logs.md 1 (layout), 3.3 (header line), 5.2 (NODATA and
 * SKIPDATA), 11 (S3, CloudWatch Logs and Firehose shapes). */
#ifndef VFE_READER_H
#define VFE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "formats/fields.h"
#include "formats/format.h"

/* One parsed line: the fields of the file's layout, as text slices into the
 * reader's line buffer. Slices are NOT NUL-terminated; use len[]. Everything
 * here is valid until the next flow_reader_next() or flow_reader_close(). */
struct flow_line {
	const struct log_format *layout;   /* the header's fields, or the -f / default layout */
	const char *field[FORMAT_MAX_FIELDS];
	uint16_t len[FORMAT_MAX_FIELDS];
	uint64_t line;                     /* 1-based line number in its file */
	const char *file;
};

struct flow_reader;                        /* opaque */

/* Opens a file or a directory.
 *
 * A file is plain text or gzip, told apart by the magic bytes 1f 8b, not by
 * its name (a file named *.gz without them is "PATH: not gzip data");
 * several concatenated gzip members are one stream. A directory is walked
 * recursively and its regular files are read in sorted (strcmp) path order;
 * only names ending in .log, .txt or .json, each optionally followed by .gz,
 * are read, every other file is skipped with a note (flow_reader_note).
 *
 * layout: NULL to use each file's header line and, for a file without one,
 * the AWS default format; else (-f) the layout of headerless files. A header
 * line always wins over layout, for the lines after it, until the next
 * header or the end of the file.
 *
 * Returns 0, or -1 with a one-line message in err (the path does not exist,
 * cannot be read, or a directory cannot be listed). */
int flow_reader_open(struct flow_reader **r, const char *path,
		     const struct log_format *layout, char *err, size_t errlen);

/* Next record. Returns 1 and fills *out; 0 at the end of the last file; -1
 * with "PATH:LINE: message" (or "PATH: message" for errors of the whole
 * file) in err. After -1 the caller may call again: a malformed line is
 * skipped; an error of the whole file (bad header, bad gzip, over-long line,
 * binary data) abandons the rest of that file and goes on with the next one.
 * The messages, as exact text after "PATH:LINE: ":
 *   expected 14 fields, got 13
 *   field "srcport" is not a number: "abc"
 *   unknown field "foo" in header
 *   unknown field "tgw-id" in header (transit gateway flow logs are not supported)
 *   field "srcaddr" appears twice in header
 *   JSON line without a "message" string
 *   line longer than 262144 bytes
 * and after "PATH: ":
 *   not gzip data
 *   gzip data truncated at byte N
 *   invalid gzip data at byte N (zlib's reason)
 *   trailing garbage after gzip data at byte N
 *   not a flow log file (binary data) / (JSON document, not {"message": ...} lines)
 * In directory mode the last one is not an error: the file is skipped with
 * a note, like a .parquet file. */
int flow_reader_next(struct flow_reader *r, struct flow_line *out,
		     char *err, size_t errlen);

void flow_reader_close(struct flow_reader *r);

/* Counters of everything the reader met; nothing is dropped silently. */
struct flow_reader_stats {
	uint64_t files;          /* files opened and read */
	uint64_t files_skipped;  /* files skipped with a note */
	uint64_t records;        /* lines returned by flow_reader_next() */
	uint64_t headers;        /* header lines (first or repeated) */
	uint64_t blank;          /* blank lines */
	uint64_t json;           /* records that came from {"message": ...} lines */
	uint64_t iso_prefix;     /* records that had a CloudWatch export timestamp */
	uint64_t errors;         /* -1 returns */
};
void flow_reader_stats(const struct flow_reader *r, struct flow_reader_stats *st);

/* Notes about skipped files, one line each ("PATH: skipped, ..."), in the
 * order met. i below flow_reader_note_count(); NULL otherwise. */
size_t flow_reader_note_count(const struct flow_reader *r);
const char *flow_reader_note(const struct flow_reader *r, size_t i);

/* The text of field id (not NUL-terminated; *len set when len is not NULL),
 * or NULL when the line's layout lacks the field. "-" is returned as is,
 * so that the line can be rendered back byte for byte. */
const char *flow_line_get(const struct flow_line *l, enum field_id id, size_t *len);

/* 1 when the layout has id and its value is not "-". */
int flow_line_has(const struct flow_line *l, enum field_id id);

/* The numeric value of id: 1 and *v; 0 when absent (not in the layout, or
 * "-"); -1 when the text is not a decimal number that fits in 64 bits. */
int flow_line_u64(const struct flow_line *l, enum field_id id, uint64_t *v);

#endif
