/* mem.h - the allocator seam of formats/ and capture/.
 *
 * Library code allocates through these names only. The unit tests compile
 * the same sources with UNIT_TESTING, which routes them to cmocka's test
 * allocators so that a leak or a double free fails the test that caused it. */
#ifndef VFE_MEM_H
#define VFE_MEM_H

#include <stddef.h>
#include <stdlib.h>

#ifdef UNIT_TESTING
void *_test_malloc(size_t size, const char *file, int line);
void *_test_calloc(size_t n, size_t size, const char *file, int line);
void *_test_realloc(void *ptr, size_t size, const char *file, int line);
void _test_free(void *ptr, const char *file, int line);
#define vfe_malloc(n) _test_malloc((n), __FILE__, __LINE__)
#define vfe_calloc(n, s) _test_calloc((n), (s), __FILE__, __LINE__)
#define vfe_realloc(p, n) _test_realloc((p), (n), __FILE__, __LINE__)
#define vfe_free(p) _test_free((p), __FILE__, __LINE__)
#else
#define vfe_malloc(n) malloc(n)
#define vfe_calloc(n, s) calloc((n), (s))
#define vfe_realloc(p, n) realloc((p), (n))
#define vfe_free(p) free(p)
#endif

/* Asks for transparent huge pages on the 2 MiB-aligned part of a large
 * block that is read at random (the flow table): a TLB entry then covers
 * 2 MiB instead of 4 KiB. Only a hint; small blocks are left alone. */
void vfe_hugepages(void *p, size_t len);

#endif
