/* s3.h - delivery to an S3-shaped directory tree (spec 11.1, PRODUCT.md 5).
 *
 * One gzip text object per account, region and 5-minute slot of the
 * records' end, header line first, written under a temporary name and
 * renamed when complete so a reader never sees half an object. */
#ifndef VFE_S3_H
#define VFE_S3_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define S3_SLOT 300                    /* seconds: AWS publishes every 5 minutes */
#define S3_MAX_OBJECT 75000000ull      /* bytes of text before a new object */

struct s3_options {
	const char *dir;               /* the bucket (and prefix) as a directory */
	bool hive;                     /* HiveCompatiblePartitions */
	bool per_hour;                 /* PerHourPartition */
	const char *flow_log_id;       /* NULL: a deterministic fl- id per account and region */
	uint64_t max_object;           /* 0: S3_MAX_OBJECT */
	int level;                     /* zlib level, -1 = zlib's default */
	const char *header;            /* the header line, with its '\n' */
};

/* The directory and file name of an object (spec 11.1), into buf.
 * slot: Unix seconds of the 5-minute slot; hash: 8 lowercase hex. */
int s3_object_path(const struct s3_options *o, const char *account, const char *region,
		   const char *flow_log_id, int64_t slot, const char *hash, char *buf,
		   size_t cap);

/* "fl-" and 17 hex digits derived from the account and region. */
void s3_flow_log_id(const char *account, const char *region, char *buf, size_t cap);

struct s3_writer;

struct s3_writer *s3_open(const struct s3_options *o, char *err, size_t errlen);
/* Appends a record line (with its '\n') to its object. account and region
 * may be NULL (placeholders are used, see vpcflowemu(1)). */
int s3_write(struct s3_writer *w, const char *account, const char *region, int64_t end,
	     const char *line, size_t len);
/* Completes every object whose slot ended at or before t. */
int s3_close_before(struct s3_writer *w, int64_t t);
/* Completes every object and frees w. 0, or -1 and err. */
int s3_close(struct s3_writer *w, char *err, size_t errlen);
/* The first error, for messages ("" when none). */
const char *s3_error(const struct s3_writer *w);
uint64_t s3_objects(const struct s3_writer *w);

#endif
