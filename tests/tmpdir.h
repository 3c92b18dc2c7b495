/* tmpdir.h - a fresh temporary directory per test (cmocka setup and
 * teardown), with paths and small files inside it. */
#ifndef VFE_TMPDIR_H
#define VFE_TMPDIR_H

#include <stddef.h>

/* cmocka setup/teardown: make the directory, remove it and all in it. */
int setup_tmp(void **state);
int teardown_tmp(void **state);

/* The directory itself. */
const char *tmp_dir(void);

/* DIR/name; the last four results stay valid. */
const char *tpath(const char *name);

/* A file of exactly these bytes (asserts on failure). */
void write_bytes(const char *path, const void *b, size_t n);
void write_text(const char *path, const char *s);

#endif
