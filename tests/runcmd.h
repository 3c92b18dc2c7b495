/* runcmd.h - run the built vpcflowemu as a user would, for the golden and
 * command tests: argv in, stdout, stderr and exit status out. */
#ifndef VFE_RUNCMD_H
#define VFE_RUNCMD_H

#include <stddef.h>

struct cmd_result {
	char *out;          /* stdout, NUL-terminated; free with cmd_free */
	size_t outlen;
	char *err;          /* stderr */
	size_t errlen;
	int status;         /* exit code, or 128 + signal */
};

/* Runs argv[0] with argv in directory cwd (NULL: unchanged), with stdin
 * from stdin_path (NULL: /dev/null). 0, or -1 if it could not run. */
int cmd_run(char *const argv[], const char *cwd, const char *stdin_path, struct cmd_result *r);
void cmd_free(struct cmd_result *r);

/* A whole file, NUL-terminated; NULL if unreadable. */
char *slurp(const char *path, size_t *len);

#endif
