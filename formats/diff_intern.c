/* diff_intern.c - the lookup tables of a diff: interface ids (with the
 * --map-eni canon), service names and packet addresses, each interned to a
 * small index numbered by first appearance. Owns only the tables: must not
 * read logs, match records or print. PRODUCT.md 6. */
#include <string.h>

#include "formats/diff_int.h"
#include "formats/mem.h"

static uint64_t hash_bytes(uint64_t seed, const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 1469598103934665603ull ^ seed;
	size_t i;

	for (i = 0; i < n; i++) {
		h ^= b[i];
		h *= 1099511628211ull;
	}
	return h ^ (h >> 29);
}

/* Open addressing, load <= 1/2; slots hold index + 1 (0 = empty). Items are
 * numbered by first appearance, so the numbering never depends on the seed. */
static int slots_grow(uint32_t **slots, size_t *nslots, size_t n)
{
	uint32_t *ns;
	size_t cap = *nslots ? *nslots : 64;

	if (n * 2 < *nslots)
		return 0;
	while (n * 2 >= cap)
		cap *= 2;
	ns = vfe_calloc(cap, sizeof(*ns));
	if (ns == NULL)
		return -1;
	vfe_free(*slots);
	*slots = ns;
	*nslots = cap;
	return 1;
}

static void strtab_rehash(struct strtab *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++) {
		size_t j = hash_bytes(t->seed, t->s[i], strlen(t->s[i])) & (t->nslots - 1);

		while (t->slots[j] != 0)
			j = (j + 1) & (t->nslots - 1);
		t->slots[j] = i + 1;
	}
}

/* Index of s[0..n) (added when new), or -1 when out of memory. */
int64_t diff_strtab_intern(struct strtab *t, const char *s, size_t n)
{
	size_t j;
	int g = slots_grow(&t->slots, &t->nslots, (size_t)t->n + 1);
	char *d;

	if (g < 0)
		return -1;
	if (g > 0)
		strtab_rehash(t);
	j = hash_bytes(t->seed, s, n) & (t->nslots - 1);
	while (t->slots[j] != 0) {
		const char *e = t->s[t->slots[j] - 1];

		if (strncmp(e, s, n) == 0 && e[n] == '\0')
			return t->slots[j] - 1;
		j = (j + 1) & (t->nslots - 1);
	}
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 16;
		char **ns = vfe_realloc(t->s, nc * sizeof(*ns));
		uint32_t *nm = vfe_realloc(t->canon, nc * sizeof(*nm));

		if (ns != NULL)
			t->s = ns;
		if (nm != NULL)
			t->canon = nm;
		if (ns == NULL || nm == NULL)
			return -1;
		t->cap = nc;
	}
	d = vfe_malloc(n + 1);
	if (d == NULL)
		return -1;
	memcpy(d, s, n);
	d[n] = '\0';
	t->s[t->n] = d;
	t->canon[t->n] = t->n;
	t->slots[j] = t->n + 1;
	return t->n++;
}

void diff_strtab_free(struct strtab *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		vfe_free(t->s[i]);
	vfe_free(t->s);
	vfe_free(t->canon);
	vfe_free(t->slots);
}

static void addrtab_rehash(struct addrtab *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++) {
		size_t j = hash_bytes(t->seed, t->v[i].b, 16) & (t->nslots - 1);

		while (t->slots[j] != 0)
			j = (j + 1) & (t->nslots - 1);
		t->slots[j] = i + 1;
	}
}

/* Index + 1 of a (0 is kept for "-"), or -1 when out of memory. */
int64_t diff_addrtab_intern(struct addrtab *t, const struct ip_addr *a)
{
	size_t j;
	int g = slots_grow(&t->slots, &t->nslots, (size_t)t->n + 1);

	if (g < 0)
		return -1;
	if (g > 0)
		addrtab_rehash(t);
	j = hash_bytes(t->seed, a->b, 16) & (t->nslots - 1);
	while (t->slots[j] != 0) {
		if (ip_addr_eq(&t->v[t->slots[j] - 1], a))
			return t->slots[j];
		j = (j + 1) & (t->nslots - 1);
	}
	if (t->n == t->cap) {
		uint32_t nc = t->cap ? t->cap * 2 : 64;
		struct ip_addr *nv = vfe_realloc(t->v, nc * sizeof(*nv));

		if (nv == NULL)
			return -1;
		t->v = nv;
		t->cap = nc;
	}
	t->v[t->n] = *a;
	t->slots[j] = t->n + 1;
	return ++t->n;
}

void diff_addrtab_free(struct addrtab *t)
{
	vfe_free(t->v);
	vfe_free(t->slots);
}
