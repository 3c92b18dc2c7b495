/* keysort.c - LSD radix sort on a 64-bit key, then a stable sort of each
 * run of equal keys by the comparator (keysort.h): insertion sort for short
 * runs, a bottom-up merge sort over them for long ones (one ENI with 100k
 * flows that started in the same second is one run). */
#include "capture/keysort.h"

#include <string.h>

#include "formats/mem.h"

struct ent {
	uint64_t key;
	uint32_t idx;
};

static int reserve(struct keysort_scratch *s, size_t n, size_t bytes)
{
	if (n > s->cap) {
		for (int i = 0; i < 2; i++) {
			void *p = vfe_realloc(s->ents[i], n * sizeof(struct ent));
			if (!p)
				return -1;
			s->ents[i] = p;
		}
		s->cap = n;
	}
	if (bytes > s->copy_bytes) {
		void *p = vfe_realloc(s->copy, bytes);
		if (!p)
			return -1;
		s->copy = p;
		s->copy_bytes = bytes;
	}
	return 0;
}

/* One stable counting pass on byte b of the keys: from a to out. A pass
 * whose byte is the same in every key is skipped (0 returned). */
static int pass(const struct ent *a, struct ent *out, size_t n, unsigned b)
{
	size_t count[256] = {0}, pos = 0;

	for (size_t i = 0; i < n; i++)
		count[(a[i].key >> (8 * b)) & 0xff]++;
	for (unsigned d = 0; d < 256; d++) {
		size_t c = count[d];
		if (c == n)
			return 0;
		count[d] = pos;
		pos += c;
	}
	for (size_t i = 0; i < n; i++)
		out[count[(a[i].key >> (8 * b)) & 0xff]++] = a[i];
	return 1;
}

typedef int (*cmp_fn)(const void *, const void *);

/* Insertion sort of n items at a: stable, for short runs. */
static void insertion(char *a, size_t n, size_t size, cmp_fn cmp)
{
	char tmp[KEYSORT_MAX_SIZE];

	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		memcpy(tmp, a + i * size, size);
		while (j > 0 && cmp(a + (j - 1) * size, tmp) > 0) {
			memcpy(a + j * size, a + (j - 1) * size, size);
			j--;
		}
		if (j != i)
			memcpy(a + j * size, tmp, size);
	}
}

/* Merges the sorted halves [lo, mid) and [mid, hi) of src into dst; ties
 * take the left one, so the sort stays stable. */
static void merge(const char *src, char *dst, size_t lo, size_t mid, size_t hi, size_t size,
		  cmp_fn cmp)
{
	size_t i = lo, j = mid, k = lo;

	while (i < mid && j < hi) {
		size_t from = cmp(src + j * size, src + i * size) < 0 ? j++ : i++;
		memcpy(dst + k++ * size, src + from * size, size);
	}
	memcpy(dst + k * size, src + i * size, (mid - i) * size);
	k += mid - i;
	memcpy(dst + k * size, src + j * size, (hi - j) * size);
}

#define SHORT_RUN 16

/* Stable sort of the n items at a, with aux (n items) as scratch. */
static void sort_run(char *a, char *aux, size_t n, size_t size, cmp_fn cmp)
{
	for (size_t lo = 0; lo < n; lo += SHORT_RUN)
		insertion(a + lo * size, n - lo < SHORT_RUN ? n - lo : SHORT_RUN, size, cmp);
	char *src = a, *dst = aux;
	for (size_t width = SHORT_RUN; width < n; width *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * width) {
			size_t mid = lo + width < n ? lo + width : n;
			size_t hi = mid + width < n ? mid + width : n;
			merge(src, dst, lo, mid, hi, size, cmp);
		}
		char *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * size);
}

int keysort(void *base, size_t n, size_t size, uint64_t (*key)(const void *), cmp_fn cmp,
	    struct keysort_scratch *s)
{
	char *items = base, *copy;
	struct ent *e, *other;

	if (n < 2)
		return 0;
	if (n > UINT32_MAX || size > KEYSORT_MAX_SIZE || reserve(s, n, n * size) != 0)
		return -1;
	e = s->ents[0];
	other = s->ents[1];
	for (size_t i = 0; i < n; i++) {
		e[i].key = key(items + i * size);
		e[i].idx = (uint32_t)i;
	}
	for (unsigned b = 0; b < 8; b++) {
		if (pass(e, other, n, b)) {
			struct ent *t = e;
			e = other;
			other = t;
		}
	}
	copy = s->copy;
	for (size_t i = 0; i < n; i++)
		memcpy(copy + i * size, items + (size_t)e[i].idx * size, size);
	/* Each run of equal keys sorted by cmp; items, already copied, is
	 * the merge sort's scratch space. */
	for (size_t lo = 0, hi; lo < n; lo = hi) {
		for (hi = lo + 1; hi < n && e[hi].key == e[lo].key; hi++)
			;
		sort_run(copy + lo * size, items + lo * size, hi - lo, size, cmp);
	}
	memcpy(items, copy, n * size);
	return 0;
}

void keysort_free(struct keysort_scratch *s)
{
	vfe_free(s->ents[0]);
	vfe_free(s->ents[1]);
	vfe_free(s->copy);
	memset(s, 0, sizeof(*s));
}
