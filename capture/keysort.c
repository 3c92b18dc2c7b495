/* keysort.c - LSD radix sort on a 64-bit key, then insertion sort of the
 * runs of equal keys (keysort.h). */
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

int keysort(void *base, size_t n, size_t size, uint64_t (*key)(const void *),
	    int (*cmp)(const void *, const void *), struct keysort_scratch *s)
{
	char *items = base, *copy;
	struct ent *e, *other;
	char tmp[256];

	if (n < 2)
		return 0;
	if (n > UINT32_MAX || size > sizeof(tmp) || reserve(s, n, n * size) != 0)
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
	/* Insertion sort within each run of equal keys. Invariant: before
	 * item i, every run is in cmp order; the inner loop only moves an
	 * item left past items of its own key, so it stops at the run's
	 * start at the latest. */
	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		memcpy(tmp, copy + i * size, size);
		while (j > 0 && e[j - 1].key == e[i].key && cmp(copy + (j - 1) * size, tmp) > 0) {
			memcpy(copy + j * size, copy + (j - 1) * size, size);
			j--;
		}
		if (j != i)
			memcpy(copy + j * size, tmp, size);
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
