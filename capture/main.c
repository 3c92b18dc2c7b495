/* main.c - vpcflowemu: subcommand dispatch, signals, exit codes.
 * Exit codes (PRODUCT.md section 9): 0 ok, 1 runtime failure with the
 * records so far written, 2 usage or input error. */
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture/config.h"
#include "capture/ddl_cmd.h"
#include "capture/diff_cmd.h"
#include "capture/log.h"
#include "capture/pipeline.h"
#include "capture/stats.h"

/* The only state a signal touches: the read loop sees it within one live
 * read timeout (DEFAULT_TIMEOUT_MS) and closes every window. */
static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static void catch_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);  /* a closed stdout is a write error, said once */
}

/* -v on a terminal: one line, rewritten in place, while a file is read. */
static void show_progress(uint64_t packets, uint64_t pos, uint64_t size)
{
	if (size)
		fprintf(stderr, "\rvpcflowemu: %llu packets, %llu of %llu MB (%.0f%%)",
			(unsigned long long)packets, (unsigned long long)(pos >> 20),
			(unsigned long long)(size >> 20), 100.0 * (double)pos / (double)size);
	else
		fprintf(stderr, "\rvpcflowemu: %llu packets", (unsigned long long)packets);
}

static int run_capture(const struct config *cfg)
{
	char err[1024], notice[256];
	struct pipeline *p = pipeline_open(cfg, notice, sizeof(notice), err, sizeof(err));

	if (!p) {
		log_error("%s", err);
		return 2;
	}
	if (notice[0])
		log_info("%s", notice);
	if (cfg->iface && !cfg->user && geteuid() == 0)
		log_info("running as root: privileges are kept (drop them with -Z USER)");
	/* Before the line that says packets are being captured: from then
	 * on, SIGINT ends the capture and writes what it has. */
	catch_signals();
	pipeline_listening(p, notice, sizeof(notice));
	if (notice[0])
		log_info("%s", notice);
	bool progress = log_level >= LOG_VERBOSE && !cfg->iface && isatty(STDERR_FILENO);
	if (progress)
		pipeline_set_progress(p, show_progress);
	int rc = pipeline_run(p, &stop, err, sizeof(err));
	if (progress)
		fputs("\r\033[K", stderr);	/* the statistics take its place */
	if (rc != 0)
		log_error("%s", err);
	stats_print(pipeline_stats(p), cfg->iface != NULL);
	pipeline_close(p);
	return rc;
}

int main(int argc, char **argv)
{
	struct config cfg;

	/* Blocks of 128 KiB and up (a window's flow places, sort scratch)
	 * come from mmap and go back to the system when freed. Left to
	 * itself glibc raises that threshold to the largest block freed, and
	 * each window's array would then grow in the heap, copied, with the
	 * old copy still resident: a few bytes more per flow at the peak. */
	mallopt(M_MMAP_THRESHOLD, 128 * 1024);

	/* argv[0] stays the program's name in getopt's messages. */
	if (argc > 1 && strcmp(argv[1], "ddl") == 0) {
		argv[1] = argv[0];
		return run_ddl(argc - 1, argv + 1);
	}
	if (argc > 1 && strcmp(argv[1], "diff") == 0) {
		argv[1] = argv[0];
		return run_diff(argc - 1, argv + 1);
	}
	int rc = parse_args(argc, argv, &cfg);

	if (rc != 0)
		return rc;
	switch (cfg.cmd) {
	case CMD_HELP:
		print_usage();
		break;
	case CMD_VERSION:
		puts("vpcflowemu " VFE_VERSION);
		break;
	case CMD_FIELDS:
		rc = print_fields();
		break;
	case CMD_CAPTURE:
		rc = run_capture(&cfg);
		break;
	}
	config_free(&cfg);
	return rc;
}
