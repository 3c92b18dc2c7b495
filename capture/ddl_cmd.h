/* ddl_cmd.h - the subcommands about formats: `ddl` and `fields`. */
#ifndef VFE_DDL_CMD_H
#define VFE_DDL_CMD_H

/* argv[0] is "ddl". Returns the exit code. */
int run_ddl(int argc, char **argv);

/* `vpcflowemu fields`: token, version, type, Athena column. 0 or 1. */
int print_fields(void);

#endif
