/* runcmd.c - fork/exec with stdout and stderr into temporary files, so a
 * test sees exactly the bytes and the exit code a shell user would. */
#include "runcmd.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	if (!f)
		return NULL;
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			char *b = realloc(buf, cap + 1);
			if (!b) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = b;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static void child(char *const argv[], const char *cwd, const char *in, int out, int err)
{
	int fd = open(in ? in : "/dev/null", O_RDONLY);

	if (fd < 0 || dup2(fd, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	if (cwd && chdir(cwd) != 0)
		_exit(126);
	execv(argv[0], argv);
	_exit(127);
}

int cmd_run(char *const argv[], const char *cwd, const char *stdin_path, struct cmd_result *r)
{
	char outp[] = "/tmp/vfe-out-XXXXXX", errp[] = "/tmp/vfe-err-XXXXXX";
	int out = mkstemp(outp), err = mkstemp(errp), st;
	pid_t pid;

	memset(r, 0, sizeof(*r));
	if (out < 0 || err < 0)
		return -1;
	pid = fork();
	if (pid == 0)
		child(argv, cwd, stdin_path, out, err);
	close(out);
	close(err);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	r->out = slurp(outp, &r->outlen);
	r->err = slurp(errp, &r->errlen);
	unlink(outp);
	unlink(errp);
	return r->out && r->err ? 0 : -1;
}

void cmd_free(struct cmd_result *r)
{
	free(r->out);
	free(r->err);
	memset(r, 0, sizeof(*r));
}
