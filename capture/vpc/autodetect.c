/* autodetect.c - one pass over a capture to find the monitored host.
 *
 * Distinct unidirectional 5-tuples go into a flow table (one ENI, one
 * window); each is then counted for both of its addresses. Bounded by the
 * same max_flows as the real run. It reads the source it is given and
 * nothing else; the caller reopens the file for the real run. */
#include "capture/vpc/autodetect.h"

#include <string.h>

#include "capture/decode/decode.h"
#include "capture/flow/hash.h"
#include "capture/flow/table.h"
#include "formats/mem.h"

struct addr_count {
	struct ip_addr addr;
	uint64_t n;             /* 0 = empty slot */
};

struct counter {
	struct addr_count *v;
	uint32_t mask, used;
	int oom;
};

static void count_addr(struct counter *c, const struct ip_addr *a)
{
	if ((c->used + 1) * 2 > c->mask + 1) {
		uint32_t n = (c->mask + 1) * 2;
		struct addr_count *v = vfe_calloc(n, sizeof(*v));
		if (!v) {
			c->oom = 1;
			return;
		}
		for (uint32_t i = 0; i <= c->mask; i++) {
			if (!c->v[i].n)
				continue;
			uint32_t j = (uint32_t)hash_bytes(c->v[i].addr.b, 16, 0) & (n - 1);
			while (v[j].n)
				j = (j + 1) & (n - 1);
			v[j] = c->v[i];
		}
		vfe_free(c->v);
		c->v = v;
		c->mask = n - 1;
	}
	uint32_t i = (uint32_t)hash_bytes(a->b, 16, 0) & c->mask;
	while (c->v[i].n && !ip_addr_eq(&c->v[i].addr, a))
		i = (i + 1) & c->mask;
	if (!c->v[i].n) {
		c->v[i].addr = *a;
		c->used++;
	}
	c->v[i].n++;
}

static int count_flows(void *ctx, const struct flow_window *w, const struct flow *pool,
		       uint64_t *idx, size_t n)
{
	struct counter *c = ctx;

	(void)w;
	for (size_t i = 0; i < n; i++) {
		count_addr(c, &pool[(uint32_t)idx[i]].key.src);
		count_addr(c, &pool[(uint32_t)idx[i]].key.dst);
	}
	return c->oom ? -1 : 0;
}

/* Is a better than b? More flows; IPv4 over IPv6; then the lower address. */
static int better(const struct addr_count *a, const struct addr_count *b)
{
	int a4 = ip_addr_is_v4(&a->addr), b4 = ip_addr_is_v4(&b->addr);

	if (a4 != b4)
		return a4;
	if (a->n != b->n)
		return a->n > b->n;
	return ip_addr_cmp(&a->addr, &b->addr) < 0;
}

static int read_all(struct source *src, struct flow_table *t, char *err, size_t errlen)
{
	struct packet pkt;
	struct pkt_meta m;
	enum source_status s;

	while ((s = source_next(src, &pkt)) != SRC_EOF) {
		if (s == SRC_ERROR) {
			snprintf(err, errlen, "%s", src->err);
			return -1;
		}
		if (s != SRC_PACKET ||
		    decode_packet(src->dlt, pkt.data, pkt.caplen, pkt.wirelen, &m) != DECODE_OK)
			continue;
		struct flow_key k;
		memset(&k, 0, sizeof(k));
		k.src = m.src;
		k.dst = m.dst;
		k.sport = m.sport;
		k.dport = m.dport;
		k.proto = m.proto;
		flow_table_get(t, &k, 1, 0);  /* a full table only loses precision */
	}
	return 0;
}

int autodetect_local(struct source *src, uint32_t max_flows, struct ip_addr *out,
		     uint64_t *flows, char *err, size_t errlen)
{
	struct flow_table t;
	struct counter c = {0};
	int rc = -1;

	if (flow_table_init(&t, max_flows, hash_seed()) != 0) {
		snprintf(err, errlen, "out of memory for %u flows", max_flows);
		return -1;
	}
	c.v = vfe_calloc(256, sizeof(*c.v));
	c.mask = 255;
	if (!c.v || read_all(src, &t, err, errlen) != 0)
		goto out;
	if (flow_table_flush(&t, INT64_MAX, count_flows, &c) != 0) {
		snprintf(err, errlen, "out of memory while counting addresses");
		goto out;
	}
	const struct addr_count *best = NULL;
	for (uint32_t i = 0; i <= c.mask; i++)
		if (c.v[i].n && (!best || better(c.v + i, best)))
			best = c.v + i;
	rc = best ? 1 : 0;
	if (best) {
		*out = best->addr;
		*flows = best->n;
	}
out:
	vfe_free(c.v);
	flow_table_free(&t);
	return rc;
}
