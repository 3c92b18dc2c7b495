/* golden.c - captures in, exact records out (STYLE.md habit 21).
 *
 * Every pcaps/NAME.args (one argument per line, run inside pcaps/) is a
 * case: vpcflowemu's stdout must equal pcaps/NAME.expected byte for byte
 * and it must exit 0. Usage: golden VPCFLOWEMU PCAPS_DIR */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include "runcmd.h"

#define MAX_ARGS 64

static const char *emu, *dir;

struct golden {
	char name[128];
};

/* Prints the first line where the two differ, so a failure says why. */
static void show_difference(const char *want, const char *got)
{
	int line = 1;
	const char *w = want, *g = got;

	while (*w && *w == *g) {
		if (*w == '\n')
			line++;
		w++, g++;
	}
	const char *wl = w, *gl = g;
	while (wl > want && wl[-1] != '\n')
		wl--;
	while (gl > got && gl[-1] != '\n')
		gl--;
	print_error("first difference at line %d\n  expected: %.*s\n  got:      %.*s\n", line,
		    (int)strcspn(wl, "\n"), wl, (int)strcspn(gl, "\n"), gl);
}

static void run_golden(void **state)
{
	const struct golden *g = *state;
	char path[512], *argv[MAX_ARGS + 2];
	int argc = 0;

	snprintf(path, sizeof(path), "%s/%s.args", dir, g->name);
	char *args = slurp(path, NULL);
	assert_non_null(args);
	argv[argc++] = (char *)(uintptr_t)emu;
	for (char *line = strtok(args, "\n"); line && argc <= MAX_ARGS; line = strtok(NULL, "\n"))
		argv[argc++] = line;
	argv[argc] = NULL;
	snprintf(path, sizeof(path), "%s/%s.expected", dir, g->name);
	char *want = slurp(path, NULL);
	assert_non_null(want);

	struct cmd_result r;
	assert_int_equal(cmd_run(argv, dir, NULL, &r), 0);
	if (r.status != 0)
		print_error("stderr: %s", r.err);
	assert_int_equal(r.status, 0);
	if (strcmp(want, r.out) != 0)
		show_difference(want, r.out);
	assert_string_equal(want, r.out);
	cmd_free(&r);
	free(want);
	free(args);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct golden *)a)->name, ((const struct golden *)b)->name);
}

static size_t find_cases(struct golden *cases, size_t max)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;

	if (!d)
		return 0;
	while ((e = readdir(d)) && n < max) {
		size_t len = strlen(e->d_name);
		if (len < 6 || len - 5 >= sizeof(cases[n].name) ||
		    strcmp(e->d_name + len - 5, ".args") != 0)
			continue;
		memcpy(cases[n].name, e->d_name, len - 5);
		cases[n++].name[len - 5] = '\0';
	}
	closedir(d);
	qsort(cases, n, sizeof(*cases), by_name);
	return n;
}

int main(int argc, char **argv)
{
	static struct golden cases[256];
	static struct CMUnitTest tests[256];

	if (argc != 3) {
		fprintf(stderr, "usage: golden VPCFLOWEMU PCAPS_DIR\n");
		return 2;
	}
	/* Cases run inside dir: relative paths would no longer hold. */
	static char emu_path[4096], dir_path[4096];
	if (!realpath(argv[1], emu_path) || !realpath(argv[2], dir_path)) {
		fprintf(stderr, "golden: %s or %s: no such file\n", argv[1], argv[2]);
		return 2;
	}
	emu = emu_path;
	dir = dir_path;
	size_t n = find_cases(cases, 256);
	if (n == 0) {
		fprintf(stderr, "golden: no *.args in %s\n", dir);
		return 1;
	}
	for (size_t i = 0; i < n; i++)
		tests[i] = (struct CMUnitTest){cases[i].name, run_golden, NULL, NULL, &cases[i]};
	return _cmocka_run_group_tests("golden", tests, n, NULL, NULL);
}
