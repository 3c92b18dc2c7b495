/* trie.c - longest-prefix match over the 128 bits of struct ip_addr.
 *
 * A path-compressed binary trie whose nodes live in one growable array and
 * link by index (trie_free is one call), plus an IPv4 /16 jump table for big
 * tries. Must not print, exit or recurse. Spec: vpc-flow-logs.md §7.2. */
#include "capture/vpc/trie.h"

#include "formats/mem.h"

#define NIL UINT32_MAX

/* One key space for both families, as addr.h stores them: an IPv4 /0 is
 * ::ffff:0:0/96 and matches IPv4 only, while the IPv6 ::/0 (len 0) contains
 * the IPv4-mapped block too and so also matches IPv4 addresses, unless a
 * longer IPv4 prefix does. Callers that must keep the families apart use
 * two tries or never insert ::/0. */

/* A node is a prefix (hi:lo, the key in host order, bits past len zero).
 * Its children extend it: child[b] holds prefixes whose bit number len
 * (0 = most significant) is b, and every child is strictly longer. Glue nodes
 * (has_value 0) exist only where two branches part. */
struct node {
	uint64_t hi, lo;
	uint32_t child[2];
	uint32_t value;
	uint8_t len;
	uint8_t has_value;
};

/* The IPv4 jump table: one slot per /16 of IPv4 space (key bits 96..111).
 * start is a node whose prefix contains the whole /16 (so every prefix that
 * contains an address of it is start, below start, or above start), best
 * the longest valued node strictly above start; NIL start means "walk from
 * the root". It skips the ~15 levels every IPv4 lookup shares, and is built
 * only once a trie is big enough to repay its 512 KiB. */
#define JUMP_SLOTS 65536u
#define JUMP_MIN 256

struct jump {
	uint32_t start, best;
};

struct trie {
	struct node *nodes;
	uint32_t nnodes, cap;
	uint32_t root;
	size_t count;
	struct jump *jump;          /* NULL below JUMP_MIN prefixes */
};

struct key {
	uint64_t hi, lo;
};

static uint64_t load_be64(const uint8_t *b)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

static void store_be64(uint8_t *b, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		b[i] = (uint8_t)v;
		v >>= 8;
	}
}

static struct key key_of(const struct ip_addr *a)
{
	struct key k = {load_be64(a->b), load_be64(a->b + 8)};
	return k;
}

/* The first len bits set; len 0..64 (a shift by 64 would be undefined). */
static uint64_t mask64(unsigned len)
{
	return len == 0 ? 0 : ~(uint64_t)0 << (64 - len);
}

static struct key key_mask(struct key k, unsigned len)
{
	k.hi &= mask64(len < 64 ? len : 64);
	k.lo &= mask64(len > 64 ? len - 64 : 0);
	return k;
}

/* Bit number i of k, 0 being the most significant; i < 128. */
static unsigned key_bit(struct key k, unsigned i)
{
	if (i < 64)
		return (unsigned)(k.hi >> (63 - i)) & 1u;
	return (unsigned)(k.lo >> (127 - i)) & 1u;
}

/* How many leading bits a and b share, 0..128. */
static unsigned key_common(struct key a, struct key b)
{
	uint64_t x = a.hi ^ b.hi;

	if (x != 0)
		return (unsigned)__builtin_clzll(x);
	x = a.lo ^ b.lo;
	if (x != 0)
		return 64u + (unsigned)__builtin_clzll(x);
	return 128;
}

/* Whether node n's prefix contains k. */
static bool node_contains(const struct node *n, struct key k)
{
	uint64_t dhi = (n->hi ^ k.hi) & mask64(n->len < 64 ? n->len : 64);
	uint64_t dlo = (n->lo ^ k.lo) & mask64(n->len > 64 ? n->len - 64u : 0);

	return (dhi | dlo) == 0;
}

struct trie *trie_new(void)
{
	struct trie *t = vfe_calloc(1, sizeof(*t));

	if (t != NULL)
		t->root = NIL;
	return t;
}

void trie_free(struct trie *t)
{
	if (t == NULL)
		return;
	vfe_free(t->nodes);
	vfe_free(t->jump);
	vfe_free(t);
}

size_t trie_count(const struct trie *t)
{
	return t != NULL ? t->count : 0;
}

/* Room for two more nodes: an insert adds at most a leaf and a glue node.
 * Reserving first keeps node pointers valid for the whole insert. */
static int reserve2(struct trie *t)
{
	struct node *n;
	uint32_t cap;

	if (t->cap - t->nnodes >= 2)
		return 0;
	if (t->cap > (NIL - 1) / 2)
		return -1;
	cap = t->cap == 0 ? 64 : t->cap * 2;
	n = vfe_realloc(t->nodes, (size_t)cap * sizeof(*n));
	if (n == NULL)
		return -1;
	t->nodes = n;
	t->cap = cap;
	return 0;
}

static uint32_t node_add(struct trie *t, struct key k, unsigned len)
{
	uint32_t i = t->nnodes++;
	struct node *n = &t->nodes[i];

	n->hi = k.hi;
	n->lo = k.lo;
	n->len = (uint8_t)len;
	n->child[0] = n->child[1] = NIL;
	n->value = 0;
	n->has_value = 0;
	return i;
}

static void node_set(struct trie *t, uint32_t i, uint32_t value)
{
	t->nodes[i].value = value;
	t->nodes[i].has_value = 1;
	t->count++;
}

/* The nodes an insert added or gave a value: what the jump table must hear
 * about. NIL where unused. */
struct touched {
	uint32_t node[2];
};

/* Puts the new prefix (k, len) above the subtree at *slot, whose root n
 * shares only common < n->len bits with it. When common == len the new
 * prefix itself is that parent; otherwise a glue node at common gets the
 * new leaf on one side and n on the other. */
static void split(struct trie *t, uint32_t *slot, struct key k, unsigned len,
		  unsigned common, uint32_t value, struct touched *tc)
{
	uint32_t old = *slot, leaf, glue;
	struct key ok = {t->nodes[old].hi, t->nodes[old].lo};

	leaf = node_add(t, k, len);
	node_set(t, leaf, value);
	tc->node[0] = leaf;
	if (common == len) {
		t->nodes[leaf].child[key_bit(ok, len)] = old;
		*slot = leaf;
		return;
	}
	glue = node_add(t, key_mask(k, common), common);
	t->nodes[glue].child[key_bit(k, common)] = leaf;
	t->nodes[glue].child[key_bit(ok, common)] = old;
	*slot = glue;
	tc->node[1] = glue;
}

/* The insert proper; room for two nodes is reserved. */
static int insert(struct trie *t, struct key k, unsigned len, uint32_t value,
		  struct touched *tc)
{
	struct node *n;
	uint32_t *slot;
	unsigned common;

	/* *slot is the link where the walk stands; every node above it holds a
	 * proper prefix of k. Each step moves to a child, whose len is strictly
	 * greater, so the loop runs at most 129 times. Nodes were reserved
	 * by the caller, so slot and n stay valid while nodes are added. */
	slot = &t->root;
	while (*slot != NIL) {
		n = &t->nodes[*slot];
		common = key_common(k, (struct key){n->hi, n->lo});
		if (common > len)
			common = len;
		if (common > n->len)
			common = n->len;
		if (common < n->len) {
			split(t, slot, k, len, common, value, tc);
			return 0;
		}
		if (n->len == len) {
			if (n->has_value)
				return 1;
			node_set(t, *slot, value);
			tc->node[0] = *slot;
			return 0;
		}
		slot = &n->child[key_bit(k, n->len)];
	}
	*slot = node_add(t, k, len);
	node_set(t, *slot, value);
	tc->node[0] = *slot;
	return 0;
}

/* The longest valued node strictly above node x (NIL if none). x is in the
 * trie, so the walk along its key reaches it in at most 129 steps. */
static uint32_t best_above(const struct trie *t, uint32_t x)
{
	struct key k = {t->nodes[x].hi, t->nodes[x].lo};
	uint32_t i = t->root, best = NIL;

	while (i != x && i != NIL) {
		const struct node *n = &t->nodes[i];

		if (n->has_value)
			best = i;
		i = n->child[key_bit(k, n->len)];
	}
	return best;
}

/* The jump slots node x's prefix covers whole: *first and the count; 0
 * when x is longer than /16 of IPv4 or outside the IPv4-mapped block. */
static uint32_t jump_range(const struct node *x, uint32_t *first)
{
	static const struct key v4 = {0, 0x0000ffff00000000ULL};

	*first = 0;
	if (x->len <= 96)
		return node_contains(x, v4) ? JUMP_SLOTS : 0;
	if (x->len > 112 || x->hi != 0 || x->lo >> 32 != 0xffff)
		return 0;
	*first = (uint32_t)(x->lo >> 16) & 0xffff;
	return 1u << (112 - x->len);
}

/* Tells the jump table about node x, new or newly valued. A slot moves its
 * start down to x when x is deeper (x contains the slot, so the invariant
 * holds); a slot starting below a newly valued x takes x as its best. */
static void jump_note(struct trie *t, uint32_t x)
{
	const struct node *n = &t->nodes[x];
	uint32_t first, count = jump_range(n, &first), above, i;

	if (count == 0)
		return;
	above = best_above(t, x);
	for (i = first; i < first + count; i++) {
		struct jump *j = &t->jump[i];

		if (j->start == NIL || t->nodes[j->start].len < n->len) {
			j->start = x;
			j->best = above;
		} else if (j->start != x && n->has_value &&
			   (j->best == NIL || t->nodes[j->best].len < n->len)) {
			j->best = x;
		}
	}
}

/* Builds the jump table from every node. jump_note is order-independent:
 * each slot ends at its deepest covering node. Failure only costs speed. */
static void jump_build(struct trie *t)
{
	uint32_t i;

	t->jump = vfe_malloc(JUMP_SLOTS * sizeof(*t->jump));
	if (t->jump == NULL)
		return;
	for (i = 0; i < JUMP_SLOTS; i++)
		t->jump[i].start = t->jump[i].best = NIL;
	for (i = 0; i < t->nnodes; i++)
		jump_note(t, i);
}

int trie_insert(struct trie *t, const struct ip_prefix *p, uint32_t value)
{
	struct touched tc = {{NIL, NIL}};
	unsigned len;
	int rc, i;

	/* len > 128 never comes out of ip_prefix_parse; refuse it rather than
	 * read past the key. */
	if (t == NULL || p == NULL || p->len > 128 || reserve2(t) != 0)
		return -1;
	len = p->len;
	rc = insert(t, key_mask(key_of(&p->addr), len), len, value, &tc);
	if (t->jump == NULL) {
		if (t->count >= JUMP_MIN)
			jump_build(t);
		return rc;
	}
	for (i = 0; i < 2; i++) {
		if (tc.node[i] != NIL)
			jump_note(t, tc.node[i]);
	}
	return rc;
}

bool trie_lookup(const struct trie *t, const struct ip_addr *a, uint32_t *value,
		 struct ip_prefix *matched)
{
	const struct node *n, *best = NULL;
	struct key k;
	uint32_t i;

	if (t == NULL || a == NULL)
		return false;
	k = key_of(a);
	i = t->root;
	if (t->jump != NULL && k.hi == 0 && k.lo >> 32 == 0xffff) {
		const struct jump *j = &t->jump[(k.lo >> 16) & 0xffff];

		if (j->start != NIL) {
			i = j->start;
			best = j->best != NIL ? &t->nodes[j->best] : NULL;
		}
	}

	/* Descendants only extend their ancestors, so the first node that does
	 * not contain k ends the search; the last valued node seen is the
	 * longest match. len grows at each step: at most 129 steps. */
	for (; i != NIL; i = n->child[key_bit(k, n->len)]) {
		n = &t->nodes[i];
		if (!node_contains(n, k))
			break;
		if (n->has_value)
			best = n;
		if (n->len == 128)
			break;
	}
	if (best == NULL)
		return false;
	if (value != NULL)
		*value = best->value;
	if (matched != NULL) {
		store_be64(matched->addr.b, best->hi);
		store_be64(matched->addr.b + 8, best->lo);
		matched->len = best->len;
	}
	return true;
}
