/* diff_cmd.h - the `vpcflowemu diff` subcommand (PRODUCT.md section 6). */
#ifndef VFE_DIFF_CMD_H
#define VFE_DIFF_CMD_H

/* argv[0] is the program's name (for getopt's messages). Prints the report
 * on stdout. Returns the exit code: 0 equivalent, 1 different, 2 error
 * (one line "vpcflowemu: diff: ..." on stderr). */
int run_diff(int argc, char **argv);

#endif
