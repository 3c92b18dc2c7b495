/* reader_int.h - internals shared by reader.c (files, lines, errors) and
 * reader_line.c (the fields of one line). Not part of the formats/ API. */
#ifndef VFE_READER_INT_H
#define VFE_READER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "formats/errbuf.h"
#include "formats/reader.h"
#include "formats/reader_gz.h"

/* One line must fit the buffer; AWS lines with every v11 field stay far
 * below 8 KiB, so a longer one is not a flow log. */
#define RD_BUF_CAP (256u * 1024u)
#define RD_MAX_DEPTH 32

struct flow_reader {
	char **files;           /* sorted paths; one entry for a single file */
	size_t nfiles, cur;     /* cur: index of the open file, or next to open */
	int is_dir;
	int open;               /* src holds files[cur] */
	struct rd_src src;
	struct log_format base; /* -f layout or the AWS default */
	struct log_format hdr;  /* layout of the last header line */
	const struct log_format *layout;
	uint8_t numpos[FORMAT_MAX_FIELDS];      /* columns of number fields */
	uint8_t nnum;
	char *buf;              /* RD_BUF_CAP bytes of decoded text */
	size_t len, pos;        /* valid bytes, start of the next line */
	int src_done;           /* source at its end (or failed, see src_err) */
	int sniffed;            /* first chunk of the file checked */
	int first_seen;         /* first non-blank line of the file met */
	char *src_err;          /* pending fatal source error, reported after the lines before it */
	uint64_t line;
	char *jbuf;             /* the "message" of a JSON line */
	char **notes;
	size_t nnotes;
	struct flow_reader_stats st;
};

/* snprintf into err when err is usable. */

/* Makes f the current layout and lists its number columns. */
void rd_set_layout(struct flow_reader *r, const struct log_format *f);

/* Fields of one line s[0..n) (no '\n') into out (file and line already
 * set). 1 record, 0 not a record (blank, header), -1 malformed line, -2
 * error of the whole file (bad header), -3 first line is a JSON document
 * that is not {"message": ...}; err set for -1 and -2. */
int rd_parse_line(struct flow_reader *r, const char *s, size_t n, struct flow_line *out,
		  char *err, size_t errlen);

#endif
