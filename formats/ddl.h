/* ddl.h - the Athena CREATE EXTERNAL TABLE statement for a flow log format.
 *
 * Spec vpc-flow-logs.md 12 (the AWS DDLs and their pitfalls) and 11.1 (the
 * S3 key layouts the partitions mirror); PRODUCT.md 7 (`vpcflowemu ddl`). */
#ifndef VFE_DDL_H
#define VFE_DDL_H

#include <stdbool.h>
#include <stddef.h>

#include "formats/format.h"

struct ddl_options {
	/* The columns, in format order (delimited text is positional). */
	const struct log_format *format;
	/* Table name: letters, digits and '_'. NULL: "vpc_flow_logs". */
	const char *table;
	/* Bucket and optional prefix above AWSLogs/, "s3://bucket/prefix/".
	 * Must start with "s3://" and name a bucket; a missing final '/' is
	 * added. NULL: "s3://DOC-EXAMPLE-BUCKET/prefix/" as AWS writes it. */
	const char *location;
	bool hive;        /* Hive-compatible S3 layout (spec 11.1) */
	bool per_hour;    /* hourly partitions */
	bool projection;  /* partition projection (non-Hive layout only) */
	/* For the location: a 12-digit account and a Region code such as
	 * "eu-west-1". NULL: the placeholders AWS writes, {account_id} and
	 * {region_code} (${account_id} in a projection template). With
	 * projection, region is the one value of projection.region.values
	 * (NULL: the four Regions of AWS's example). Unused by the Hive
	 * layout, whose account and Region are partition keys. */
	const char *account_id;
	const char *region;
};

/* Writes the DDL for o into buf: the CREATE EXTERNAL TABLE statement, then,
 * after a blank line, the statement that loads partitions as AWS shows it:
 * one example ALTER TABLE ... ADD PARTITION for the plain non-Hive layout,
 * MSCK REPAIR TABLE for the Hive layout, nothing with projection. Text
 * ends in ";\n", except the projection DDL, which ends in ")\n" as AWS's
 * does (spec 12.3). Columns follow the format; under projection a ${region}
 * column keeps its position as log_region (region is a partition key).
 *
 * Returns the bytes written (without the NUL, which is always written when
 * cap > 0), or 0 with a one-line message in err (when err is not NULL and
 * errlen > 0) when the options are inconsistent (hive with projection, a
 * location not starting with s3://, a malformed table, account or Region,
 * a format with no column) or when buf cannot hold the text and its NUL;
 * that message gives the size needed. Never writes past buf[cap - 1]. */
size_t ddl_render(const struct ddl_options *o, char *buf, size_t cap,
                  char *err, size_t errlen);

#endif
