/* ddl.c - writes the Athena CREATE EXTERNAL TABLE for a flow log format.
 *
 * Owns the text of the DDL only: no allocation, no printing, never writes
 * past the caller's buffer. Spec vpc-flow-logs.md 12.1 (text table, `date`
 * partition), 12.2 (Hive partition keys), 12.3 (partition projection),
 * 12.4 (pitfalls), 11.1 (S3 key layouts); PRODUCT.md 7. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "formats/ddl.h"

#define DEFAULT_TABLE "vpc_flow_logs"
#define DEFAULT_LOCATION "s3://DOC-EXAMPLE-BUCKET/prefix/"
/* The Regions of AWS's projection example (spec 12.3), used when the
 * caller names none: the output then reads as AWS's example does. */
#define EXAMPLE_REGIONS "us-east-1,us-west-2,ap-south-1,eu-west-1"
/* Longest user string quoted back in an error message. */
#define ERR_QUOTE_MAX 64

/* Output cursor. len counts every byte the DDL needs, written or not, so
 * that an overflow can report the size required; a byte is stored only
 * while one byte stays free for the NUL. */
struct out {
	char *buf;
	size_t cap;
	size_t len;
};

/* Athena's reserved keywords for DDL statements (Athena user guide,
 * "Escape reserved keywords in queries"), which must be back-quoted when
 * used as identifiers (spec 12.4). START is on that list, yet AWS's own
 * DDL (spec 12.1, 12.3) leaves `start` bare and Athena accepts it; we
 * follow AWS so that the output matches its DDL line for line. */
static const char *const reserved[] = {
	"ALL", "ALTER", "AND", "ARRAY", "AS", "AUTHORIZATION", "BETWEEN",
	"BIGINT", "BINARY", "BOOLEAN", "BOTH", "BY", "CASE", "CASHE", "CAST",
	"CHAR", "COLUMN", "CONF", "CONSTRAINT", "COMMIT", "CREATE", "CROSS",
	"CUBE", "CURRENT", "CURRENT_DATE", "CURRENT_TIMESTAMP", "CURSOR",
	"DATABASE", "DATE", "DAYOFWEEK", "DECIMAL", "DELETE", "DESCRIBE",
	"DISTINCT", "DIV", "DOUBLE", "DROP", "ELSE", "END", "EXCHANGE",
	"EXISTS", "EXTENDED", "EXTERNAL", "EXTRACT", "FALSE", "FETCH",
	"FLOAT", "FLOOR", "FOLLOWING", "FOR", "FOREIGN", "FROM", "FULL",
	"FUNCTION", "GRANT", "GROUP", "GROUPING", "HAVING", "IF", "IMPORT",
	"IN", "INNER", "INSERT", "INT", "INTEGER", "INTERSECT", "INTERVAL",
	"INTO", "IS", "JOIN", "LATERAL", "LEFT", "LESS", "LIKE", "LOCAL",
	"MACRO", "MAP", "MORE", "NONE", "NOT", "NULL", "NUMERIC", "OF", "ON",
	"ONLY", "OR", "ORDER", "OUT", "OUTER", "OVER", "PARTIALSCAN",
	"PARTITION", "PERCENT", "PRECEDING", "PRECISION", "PRESERVE",
	"PRIMARY", "PROCEDURE", "RANGE", "READS", "REDUCE", "REGEXP",
	"REFERENCES", "REVOKE", "RIGHT", "RLIKE", "ROLLBACK", "ROLLUP", "ROW",
	"ROWS", "SELECT", "SET", "SMALLINT", "TABLE", "TABLESAMPLE",
	"THEN", "TIME", "TIMESTAMP", "TO", "TRANSFORM", "TRIGGER", "TRUE",
	"TRUNCATE", "UNBOUNDED", "UNION", "UNIQUEJOIN", "UPDATE", "USER",
	"USING", "UTC_TIMESTAMP", "VALUES", "VARCHAR", "VIEWS", "WHEN",
	"WHERE", "WINDOW", "WITH",
};

/* How the partitions follow the S3 key layout of spec 11.1. */
enum layout {
	/* .../vpcflowlogs/{region}/{yyyy}/{MM}/{dd}[/{HH}]/: `date` (and
	 * `hour`) partitions added one by one with ALTER TABLE (spec 12.1). */
	LAYOUT_PLAIN,
	/* .../AWSLogs/aws-account-id=.../day={dd}[/hour={HH}]/: one partition
	 * key per key=value level, loaded by MSCK REPAIR TABLE (spec 12.2). */
	LAYOUT_HIVE,
	/* The plain layout with region, day (and hour) projected (12.3). */
	LAYOUT_PROJECTION,
};

static size_t fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static size_t fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return 0;
}

static void put_n(struct out *o, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		/* cap - 1: the last byte is kept for the NUL. */
		if (o->cap > 0 && o->len < o->cap - 1)
			o->buf[o->len] = s[i];
		o->len++;
	}
}

static void put(struct out *o, const char *s)
{
	put_n(o, s, strlen(s));
}

/* Case-insensitive ASCII comparison with an upper-case keyword. */
static bool same_word(const char *s, const char *upper)
{
	for (; *s != '\0' && *upper != '\0'; s++, upper++) {
		char c = *s;

		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c != *upper)
			return false;
	}
	return *s == '\0' && *upper == '\0';
}

static bool is_reserved(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (same_word(name, reserved[i]))
			return true;
	return false;
}

/* An identifier, back-quoted when always_quote is set or when Athena's DDL
 * grammar reserves it (spec 12.4: `end`, `date`). */
static void put_ident(struct out *o, const char *name, bool always_quote)
{
	bool q = always_quote || is_reserved(name);

	if (q)
		put(o, "`");
	put(o, name);
	if (q)
		put(o, "`");
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_lower(char c)
{
	return c >= 'a' && c <= 'z';
}

static bool valid_table(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!is_digit(*s) && !is_lower(*s) && *s != '_' &&
		    !(*s >= 'A' && *s <= 'Z'))
			return false;
	return true;
}

/* A 12-digit account id (spec 8.2), so that nothing else ends up in an
 * S3 path or an SQL string. */
static bool valid_account(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++, n++)
		if (!is_digit(*s))
			return false;
	return n == 12;
}

static bool valid_region(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!is_digit(*s) && !is_lower(*s) && *s != '-')
			return false;
	return true;
}

/* The location is pasted into SQL string literals ('...' and "..."): a
 * quote, a back-quote, a backslash (Hive's string escape), a blank or a
 * control character would end or bend the literal, so none is allowed. */
static bool valid_location_char(char c)
{
	unsigned char u = (unsigned char)c;

	return u > 0x20 && u != 0x7f && c != '\'' && c != '"' && c != '`' &&
	       c != '\\';
}

/* 1 when the options are usable, else 0 with a message naming the one
 * at fault. */
static size_t check_options(const struct ddl_options *o, const char *table,
                            const char *loc, char *err, size_t errlen)
{
	const char *p;
	int q = ERR_QUOTE_MAX;
	unsigned i;

	if (o->format == NULL || o->format->n == 0)
		return fail(err, errlen, "empty format: the table has no column");
	if (o->format->n > FORMAT_MAX_FIELDS)
		return fail(err, errlen, "format has %u fields, more than %d",
		            (unsigned)o->format->n, FORMAT_MAX_FIELDS);
	for (i = 0; i < o->format->n; i++)
		if (field_info((enum field_id)o->format->ids[i]) == NULL)
			return fail(err, errlen, "unknown field id %u in the format",
			            (unsigned)o->format->ids[i]);
	/* Projection as AWS documents it (spec 12.3) rebuilds the non-Hive
	 * path from ${region}/${day}; the Hive layout has its own keys. */
	if (o->hive && o->projection)
		return fail(err, errlen, "partition projection applies to the "
		            "non-Hive S3 layout only; choose Hive or projection");
	if (!valid_table(table))
		return fail(err, errlen, "table name \"%.*s\" must be letters, "
		            "digits and '_'", q, table);
	/* After "s3://" a bucket name must follow (a '/' there would make an
	 * empty bucket). */
	if (strncmp(loc, "s3://", 5) != 0 || loc[5] == '\0' || loc[5] == '/')
		return fail(err, errlen, "location \"%.*s\" must start with "
		            "\"s3://\" and name a bucket", q, loc);
	for (p = loc; *p != '\0'; p++)
		if (!valid_location_char(*p))
			return fail(err, errlen, "location \"%.*s\" has a blank, "
			            "quote, back-quote, backslash or control "
			            "character at byte %u", q, loc,
			            (unsigned)(p - loc + 1));
	if (o->account_id != NULL && !valid_account(o->account_id))
		return fail(err, errlen, "account id \"%.*s\" must be 12 digits",
		            q, o->account_id);
	if (o->region != NULL && !valid_region(o->region))
		return fail(err, errlen, "region \"%.*s\" must be lowercase "
		            "letters, digits and '-'", q, o->region);
	return 1;
}

/* The bucket and prefix, with the '/' that separates it from AWSLogs/. */
static void put_base(struct out *o, const char *loc)
{
	size_t n = strlen(loc);

	put_n(o, loc, n);
	if (loc[n - 1] != '/')
		put(o, "/");
}

/* s3://bucket/prefix/AWSLogs/{account_id}/vpcflowlogs/ (spec 11.1). */
static void put_account_path(struct out *o, const struct ddl_options *opt,
                             const char *loc, const char *placeholder)
{
	put_base(o, loc);
	put(o, "AWSLogs/");
	put(o, opt->account_id != NULL ? opt->account_id : placeholder);
	put(o, "/vpcflowlogs/");
}

/* The partition keys of each layout. A column whose name is one of them
 * must be renamed (spec 12.4: a column may not share a partition key's
 * name); only region under projection does in practice. */
static bool is_partition_key(enum layout lay, const char *name)
{
	static const char *const plain[] = { "date", "hour", NULL };
	static const char *const hive[] = { "aws-account-id", "aws-service",
		"aws-region", "year", "month", "day", "hour", NULL };
	static const char *const proj[] = { "region", "day", "hour", NULL };
	const char *const *k = lay == LAYOUT_PLAIN ? plain :
	                       lay == LAYOUT_HIVE ? hive : proj;

	for (; *k != NULL; k++)
		if (strcmp(*k, name) == 0)
			return true;
	return false;
}

/* The column list, one per line in format order. AWS's projection DDL
 * (spec 12.3) drops region, which is right only for a format without it:
 * delimited text is positional, so dropping a column from the middle of
 * the line would shift every later column. We keep the column in place
 * and rename it log_<name> (log_region: the record's own value, equal to
 * the region partition taken from the S3 path). */
static void put_columns(struct out *o, const struct log_format *f,
                        enum layout lay)
{
	unsigned i;

	for (i = 0; i < f->n; i++) {
		const struct field_info *fi =
			field_info((enum field_id)f->ids[i]);

		put(o, "  ");
		if (is_partition_key(lay, fi->athena_name)) {
			put(o, "log_");
			put(o, fi->athena_name);
		} else {
			put_ident(o, fi->athena_name, false);
		}
		put(o, " ");
		put(o, fi->athena_type);
		put(o, i + 1 < f->n ? ",\n" : "\n");
	}
}

static void put_text_format(struct out *o)
{
	put(o, "ROW FORMAT DELIMITED\n"
	       "FIELDS TERMINATED BY ' '\n");
}

/* Spec 12.1: `date` per day; with hourly partitions the S3 path gains a
 * {HH} level under {dd} (11.1), so one partition is one hour directory:
 * (`date` date, `hour` string), hour as two digits like the path. */
static void put_plain(struct out *o, const struct ddl_options *opt,
                      const char *table, const char *loc)
{
	const char *region = opt->region != NULL ? opt->region : "{region_code}";

	put(o, opt->per_hour ? "PARTITIONED BY (`date` date, `hour` string)\n"
	                     : "PARTITIONED BY (`date` date)\n");
	put_text_format(o);
	put(o, "LOCATION '");
	put_account_path(o, opt, loc, "{account_id}");
	put(o, region);
	put(o, "/'\n"
	       "TBLPROPERTIES (\"skip.header.line.count\"=\"1\");\n"
	       "\n"
	       "ALTER TABLE ");
	put_ident(o, table, false);
	put(o, opt->per_hour
	       ? "\nADD PARTITION (`date`='YYYY-MM-dd', `hour`='HH')\n"
	       : "\nADD PARTITION (`date`='YYYY-MM-dd')\n");
	put(o, "LOCATION '");
	put_account_path(o, opt, loc, "{account_id}");
	put(o, region);
	put(o, opt->per_hour ? "/YYYY/MM/dd/HH';\n" : "/YYYY/MM/dd';\n");
}

/* Spec 12.2's partition keys (hyphenated ones back-quoted, 12.4) over the
 * text row format of 12.1: plain-text delivery is what we emulate. */
static void put_hive(struct out *o, const struct ddl_options *opt,
                     const char *table, const char *loc)
{
	put(o, "PARTITIONED BY (\n"
	       "  `aws-account-id` string,\n"
	       "  `aws-service` string,\n"
	       "  `aws-region` string,\n"
	       "  `year` string,\n"
	       "  `month` string,\n");
	put(o, opt->per_hour ? "  `day` string,\n  `hour` string\n)\n"
	                     : "  `day` string\n)\n");
	put_text_format(o);
	put(o, "LOCATION '");
	put_base(o, loc);
	put(o, "AWSLogs/'\n"
	       "TBLPROPERTIES (\"skip.header.line.count\"=\"1\");\n"
	       "\n"
	       "MSCK REPAIR TABLE ");
	put_ident(o, table, false);
	put(o, ";\n");
}

/* Spec 12.3 as AWS writes it, ending in ")" without ';'. With hourly
 * partitions an hour key is added after day, projected as AWS does in its
 * hourly Parquet projection example: integer 00..23, two digits, matching
 * the {HH} level of the S3 path (11.1). */
static void put_projection(struct out *o, const struct ddl_options *opt,
                           const char *loc)
{
	put(o, opt->per_hour
	       ? "PARTITIONED BY (region string, day string, hour string)\n"
	       : "PARTITIONED BY (region string, day string)\n");
	put_text_format(o);
	put(o, "LOCATION '");
	put_account_path(o, opt, loc, "{account_id}");
	put(o, "'\n"
	       "TBLPROPERTIES\n"
	       "(\n"
	       "\"skip.header.line.count\"=\"1\",\n"
	       "\"projection.enabled\" = \"true\",\n"
	       "\"projection.region.type\" = \"enum\",\n"
	       "\"projection.region.values\" = \"");
	put(o, opt->region != NULL ? opt->region : EXAMPLE_REGIONS);
	put(o, "\",\n"
	       "\"projection.day.type\" = \"date\",\n"
	       "\"projection.day.range\" = \"2021/01/01,NOW\",\n"
	       "\"projection.day.format\" = \"yyyy/MM/dd\",\n");
	if (opt->per_hour)
		put(o, "\"projection.hour.type\" = \"integer\",\n"
		       "\"projection.hour.range\" = \"00,23\",\n"
		       "\"projection.hour.digits\" = \"2\",\n");
	put(o, "\"storage.location.template\" = \"");
	put_account_path(o, opt, loc, "${account_id}");
	put(o, opt->per_hour ? "${region}/${day}/${hour}\"\n)\n"
	                     : "${region}/${day}\"\n)\n");
}

size_t ddl_render(const struct ddl_options *o, char *buf, size_t cap,
                  char *err, size_t errlen)
{
	const char *table, *loc;
	enum layout lay;
	struct out out = { buf, cap, 0 };

	if (cap > 0)
		buf[0] = '\0';
	if (o == NULL)
		return fail(err, errlen, "no DDL options");
	table = o->table != NULL ? o->table : DEFAULT_TABLE;
	loc = o->location != NULL ? o->location : DEFAULT_LOCATION;
	if (check_options(o, table, loc, err, errlen) == 0)
		return 0;
	lay = o->hive ? LAYOUT_HIVE :
	      o->projection ? LAYOUT_PROJECTION : LAYOUT_PLAIN;

	/* Spec 12.1 back-quotes the table name; AWS's projection example
	 * (12.3) leaves it bare, and so do we unless it is reserved. */
	put(&out, "CREATE EXTERNAL TABLE IF NOT EXISTS ");
	put_ident(&out, table, lay != LAYOUT_PROJECTION);
	put(&out, " (\n");
	put_columns(&out, o->format, lay);
	put(&out, ")\n");
	switch (lay) {
	case LAYOUT_PLAIN:
		put_plain(&out, o, table, loc);
		break;
	case LAYOUT_HIVE:
		put_hive(&out, o, table, loc);
		break;
	case LAYOUT_PROJECTION:
		put_projection(&out, o, loc);
		break;
	}

	if (out.len >= cap) {
		if (cap > 0)
			buf[0] = '\0';
		return fail(err, errlen, "buffer too small: the DDL needs %zu "
		            "bytes with its NUL, %zu given", out.len + 1, cap);
	}
	buf[out.len] = '\0';
	return out.len;
}
