/* test_s3.c - S3 object keys (spec 11.1), the gzip object writer and the
 * CloudWatch stream files (spec 11.2). */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "formats/cloudwatch.h"
#include "formats/s3.h"

static void test_keys(void **state)
{
	struct s3_options o = {.dir = "out"};
	char buf[512];
	(void)state;
	/* 2018-06-20 16:20 UTC, the AWS documentation's example name. */
	assert_int_equal(s3_object_path(&o, "123456789012", "us-east-1", "fl-1234abcd",
					1529511600, "fe123456", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "out/AWSLogs/123456789012/vpcflowlogs/us-east-1/2018/06/20/"
			    "123456789012_vpcflowlogs_us-east-1_fl-1234abcd_20180620T1620Z_fe123456.log.gz");
	o.per_hour = true;
	assert_int_equal(s3_object_path(&o, "123456789012", "us-east-1", "fl-1234abcd",
					1529511600, "fe123456", buf, sizeof(buf)), 0);
	assert_non_null(strstr(buf, "/vpcflowlogs/us-east-1/2018/06/20/16/123456789012_"));
	o.hive = true;
	assert_int_equal(s3_object_path(&o, "111111111111", "eu-west-3", "fl-0f46d0a2ed744cfa1",
					1663251600, "740b4cc6", buf, sizeof(buf)), 0);
	assert_string_equal(buf, "out/AWSLogs/aws-account-id=111111111111/aws-service=vpcflowlogs/"
			    "aws-region=eu-west-3/year=2022/month=09/day=15/hour=14/"
			    "111111111111_vpcflowlogs_eu-west-3_fl-0f46d0a2ed744cfa1_20220915T1420Z_740b4cc6.log.gz");
	o.per_hour = false;
	assert_int_equal(s3_object_path(&o, "1", "r", "fl", 0, "00000000", buf, 40), -1);
	char id[32], id2[32];
	s3_flow_log_id("111122223333", "us-east-1", id, sizeof(id));
	s3_flow_log_id("111122223333", "us-east-1", id2, sizeof(id2));
	assert_string_equal(id, id2);
	assert_int_equal(strlen(id), 20);
	assert_memory_equal(id, "fl-", 3);
}

/* Every *.log.gz below dir, sorted, as "name\tcontent" in out. */
static int collect(const char *dir, char names[][512], char **texts, int max)
{
	char cmd[600];
	int n = 0;
	snprintf(cmd, sizeof(cmd), "find %s -type f | sort", dir);
	FILE *p = popen(cmd, "r");
	while (n < max && fgets(names[n], 512, p)) {
		names[n][strcspn(names[n], "\n")] = '\0';
		gzFile g = gzopen(names[n], "rb");
		assert_non_null(g);
		texts[n] = calloc(1, 1 << 20);
		int k = gzread(g, texts[n], (1 << 20) - 1);
		assert_true(k >= 0);
		gzclose(g);
		n++;
	}
	pclose(p);
	return n;
}

static void write_lines(struct s3_writer *w)
{
	assert_int_equal(s3_write(w, "111122223333", "us-east-1", 1768471259, "a 1\n", 4), 0);
	assert_int_equal(s3_write(w, "111122223333", "us-east-1", 1768471499, "b 2\n", 4), 0);
	/* 10:05:00 is the next slot. */
	assert_int_equal(s3_write(w, "111122223333", "us-east-1", 1768471500, "c 3\n", 4), 0);
}

static void test_writer(void **state)
{
	char dir[] = "/tmp/vfe-s3-XXXXXX", err[256], names[8][512], *texts[8];
	(void)state;
	assert_non_null(mkdtemp(dir));
	struct s3_options o = {.dir = dir, .header = "h x\n", .level = -1};
	struct s3_writer *w = s3_open(&o, err, sizeof(err));
	assert_non_null(w);
	write_lines(w);
	assert_int_equal(s3_close(w, err, sizeof(err)), 0);
	int n = collect(dir, names, texts, 8);
	assert_int_equal(n, 2);
	assert_non_null(strstr(names[0], "_20260115T1000Z_"));
	assert_non_null(strstr(names[1], "_20260115T1005Z_"));
	assert_string_equal(texts[0], "h x\na 1\nb 2\n");
	assert_string_equal(texts[1], "h x\nc 3\n");
	/* The same records again: the same names (the hash is of the text). */
	char again[] = "/tmp/vfe-s3-XXXXXX", names2[8][512], *texts2[8];
	assert_non_null(mkdtemp(again));
	o.dir = again;
	w = s3_open(&o, err, sizeof(err));
	write_lines(w);
	assert_int_equal(s3_close(w, err, sizeof(err)), 0);
	assert_int_equal(collect(again, names2, texts2, 8), 2);
	assert_string_equal(strrchr(names[0], '/'), strrchr(names2[0], '/'));
	for (int i = 0; i < 2; i++)
		free(texts[i]), free(texts2[i]);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s %s", dir, again);
	assert_int_equal(system(cmd), 0);
}

/* Ids from a topology cannot climb out of the output directory. */
static void test_unsafe_ids(void **state)
{
	char dir[] = "/tmp/vfe-s3-XXXXXX", err[256], cmd[64];
	(void)state;
	assert_non_null(mkdtemp(dir));
	struct s3_options o = {.dir = dir, .header = "h\n", .level = 1};
	struct s3_writer *w = s3_open(&o, err, sizeof(err));
	assert_int_equal(s3_write(w, "../../pwn", "us-east-1", 600, "x\n", 2), -1);
	assert_non_null(strstr(s3_error(w), "cannot name a directory"));
	assert_int_equal(s3_close(w, err, sizeof(err)), -1);
	struct cw_writer *c = cw_open(dir, "all", err, sizeof(err));
	assert_int_equal(cw_write(c, "../eni-x", 1, "x", 1), -1);
	assert_int_equal(cw_write(c, "..", 1, "x", 1), -1);
	assert_int_equal(cw_close(c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "cannot name a log stream file"));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_size_cap(void **state)
{
	char dir[] = "/tmp/vfe-s3-XXXXXX", err[256], names[8][512], *texts[8];
	(void)state;
	assert_non_null(mkdtemp(dir));
	struct s3_options o = {.dir = dir, .header = "h\n", .level = 1, .max_object = 10};
	struct s3_writer *w = s3_open(&o, err, sizeof(err));
	for (int i = 0; i < 3; i++)
		assert_int_equal(s3_write(w, "1", "us-east-1", 600, "line\n", 5), 0);
	assert_int_equal(s3_close(w, err, sizeof(err)), 0);
	/* Each object holds the header and as many lines as fit: one here. */
	assert_int_equal(collect(dir, names, texts, 8), 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(texts[i], "h\nline\n");
		free(texts[i]);
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_cloudwatch(void **state)
{
	char dir[] = "/tmp/vfe-cw-XXXXXX", err[256], path[128];
	(void)state;
	assert_non_null(mkdtemp(dir));
	struct cw_writer *w = cw_open(dir, "all", err, sizeof(err));
	assert_non_null(w);
	/* More streams than stay open at once, met again after eviction. */
	for (int round = 0; round < 2; round++) {
		for (int i = 0; i < 100; i++) {
			char eni[32], line[64];
			snprintf(eni, sizeof(eni), "eni-%017d", i);
			int n = snprintf(line, sizeof(line), "2 x %s \"q\" %d", eni, round);
			assert_int_equal(cw_write(w, eni, 1702918083 + round, line, (size_t)n), 0);
		}
	}
	assert_int_equal(cw_streams(w), 100);
	assert_int_equal(cw_close(w, err, sizeof(err)), 0);
	snprintf(path, sizeof(path), "%s/eni-00000000000000007-all", dir);
	FILE *f = fopen(path, "r");
	char text[512] = "";
	assert_non_null(f);
	assert_true(fread(text, 1, sizeof(text) - 1, f) > 0);
	fclose(f);
	assert_string_equal(text,
		"{\"timestamp\": 1702918083000, \"message\": \"2 x eni-00000000000000007 \\\"q\\\" 0\"}\n"
		"{\"timestamp\": 1702918084000, \"message\": \"2 x eni-00000000000000007 \\\"q\\\" 1\"}\n");
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_writer),
		cmocka_unit_test(test_unsafe_ids),
		cmocka_unit_test(test_size_cap),
		cmocka_unit_test(test_cloudwatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
