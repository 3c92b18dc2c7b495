/* eni.c - the ENI table: who owns which address, and placeholder ids.
 *
 * Addresses map to ENIs through a small open-addressing map; with
 * --vpc-cidr an address inside a block becomes an ENI when first seen, up to
 * max_enis. Placeholder ids hash the primary address (FNV-1a), so the same
 * input always gives the same ids. No topology is read here. */
#include "capture/vpc/eni.h"

#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "capture/flow/hash.h"
#include "formats/render.h"
#include "formats/mem.h"

#define MAP_MIN 256u

static uint64_t fnv1a(const char *salt, const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (const char *p = salt; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ULL;
	for (const char *p = s; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ULL;
	/* FNV's high bits barely move for near inputs (10.0.0.1, 10.0.0.2):
	 * finish with splitmix64's avalanche so ids differ at a glance. */
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ULL;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

/* prefix, "0" and v as 16 lower-case hex digits: AWS's 17-digit ids.
 * size is the room at out (every id field has it). */
static void put_id(char *out, size_t size, const char *prefix, uint64_t v)
{
	static const char hex[16] = "0123456789abcdef";
	size_t n = strlen(prefix);

	if (n + 18 > size) {
		out[0] = '\0';
		return;
	}
	memcpy(out, prefix, n);
	out[n++] = '0';
	for (int shift = 60; shift >= 0; shift -= 4)
		out[n++] = hex[(v >> shift) & 0xf];
	out[n] = '\0';
}

int eni_table_init(struct eni_table *t, uint32_t interval)
{
	memset(t, 0, sizeof(*t));
	t->interval = interval;
	t->max_enis = 1u << 20;
	put_id(t->placeholder_vpc, sizeof(t->placeholder_vpc), "vpc-", fnv1a("vpc:", "placeholder"));
	snprintf(t->placeholder_account, sizeof(t->placeholder_account), "%012llu",
		 (unsigned long long)(fnv1a("account:", "placeholder") % 1000000000000ULL));
	t->map = vfe_calloc(MAP_MIN, sizeof(*t->map));
	if (!t->map)
		return -1;
	t->mask = MAP_MIN - 1;
	return 0;
}

void eni_table_free(struct eni_table *t)
{
	for (uint32_t i = 0; i < t->n; i++)
		vfe_free(t->v[i]->block);
	vfe_free(t->v);
	vfe_free(t->interval_of);
	vfe_free(t->map);
	vfe_free(t->cidrs);
	memset(t, 0, sizeof(*t));
}

static bool in_cidrs(const struct eni_table *t, const struct ip_addr *a)
{
	return eni_in_blocks(t->cidrs, t->ncidrs, a);
}

uint32_t eni_hash(const struct ip_addr *a)
{
	return (uint32_t)hash_16(a->b, 0x5eed);
}

static uint32_t map_home(const struct eni_table *t, const struct ip_addr *a)
{
	return eni_hash(a) & t->mask;
}

static int map_put(struct eni_table *t, const struct ip_addr *a, uint32_t eni);

static int map_grow(struct eni_table *t)
{
	struct eni_addr_slot *old = t->map;
	uint32_t oldn = t->mask + 1;
	struct eni_addr_slot *m = vfe_calloc(oldn * 2, sizeof(*m));

	if (!m)
		return -1;
	t->map = m;
	t->mask = oldn * 2 - 1;
	t->used = 0;
	for (uint32_t i = 0; i < oldn; i++)
		if (old[i].eni)
			map_put(t, &old[i].addr, old[i].eni - 1);
	vfe_free(old);
	return 0;
}

static int map_put(struct eni_table *t, const struct ip_addr *a, uint32_t eni)
{
	if ((t->used + 1) * 2 > t->mask + 1 && map_grow(t) != 0)
		return -1;
	uint32_t i = map_home(t, a);
	for (; t->map[i].eni; i = (i + 1) & t->mask)
		if (ip_addr_eq(&t->map[i].addr, a))
			return -1;
	t->map[i].addr = *a;
	t->map[i].eni = eni + 1;
	t->used++;
	return 0;
}

/* Backward-shift deletion, as in flow/table.c. */
static void map_del(struct eni_table *t, const struct ip_addr *a)
{
	uint32_t i = map_home(t, a);

	while (t->map[i].eni && !ip_addr_eq(&t->map[i].addr, a))
		i = (i + 1) & t->mask;
	if (!t->map[i].eni)
		return;
	for (uint32_t j = i;;) {
		j = (j + 1) & t->mask;
		if (!t->map[j].eni)
			break;
		uint32_t home = map_home(t, &t->map[j].addr);
		bool stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
		if (stays)
			continue;
		t->map[i] = t->map[j];
		i = j;
	}
	memset(t->map + i, 0, sizeof(t->map[i]));
	t->used--;
}

/* Ids made up from the address, the same on every run; the VPC and the
 * account are one for all, made once (a flood of new addresses makes
 * tens of thousands of ENIs, so no printf here). */
static void placeholder_ids(const struct eni_table *t, struct eni *e, const struct ip_addr *key)
{
	char a[IP_ADDR_STRLEN];

	ip_addr_format(key, a);
	put_id(e->interface_id, sizeof(e->interface_id), "eni-", fnv1a("eni:", a));
	put_id(e->instance_id, sizeof(e->instance_id), "i-", fnv1a("instance:", a));
	put_id(e->subnet_id, sizeof(e->subnet_id), "subnet-", fnv1a("subnet:", a));
	memcpy(e->vpc_id, t->placeholder_vpc, sizeof(e->vpc_id));
	memcpy(e->account_id, t->placeholder_account, sizeof(e->account_id));
	e->meta.interface_id = e->interface_id;
	e->meta.instance_id = e->instance_id;
	e->meta.subnet_id = e->subnet_id;
	e->meta.vpc_id = e->vpc_id;
	e->meta.account_id = e->account_id;
	render_seal_meta(&e->meta);
}

/* ENIs are allocated one by one and never move: their meta strings point
 * into themselves and records point at their meta. */
static struct eni *eni_new(struct eni_table *t)
{
	if (t->n >= ENI_LIMIT)
		return NULL;
	if (t->n == t->cap) {
		uint32_t cap = t->cap ? t->cap * 2 : 16;
		struct eni **v = vfe_realloc(t->v, cap * sizeof(*v));
		if (!v)
			return NULL;
		t->v = v;
		uint32_t *iv = vfe_realloc(t->interval_of, cap * sizeof(*iv));
		if (!iv)
			return NULL;
		t->interval_of = iv;
		t->cap = cap;
	}
	/* On a cache line of its own (eni.h): 63 bytes more, to align. */
	char *b = vfe_calloc(1, sizeof(struct eni) + 63);
	if (!b)
		return NULL;
	struct eni *e = (void *)(b + (-(uintptr_t)b & 63));
	e->block = b;
	e->interval = t->interval;
	t->interval_of[t->n] = t->interval;
	t->v[t->n] = e;
	return e;
}

int eni_add(struct eni_table *t, const struct ip_addr *addrs, size_t n)
{
	if (n == 0)
		return -1;
	struct eni *e = eni_new(t);
	if (!e)
		return -1;
	e->primary = addrs[0];
	for (size_t i = 0; i < n; i++) {
		if (ip_addr_is_v4(addrs + i)) {
			e->primary = addrs[i];
			e->has_primary = true;
			break;
		}
	}
	placeholder_ids(t, e, &e->primary);
	for (size_t i = 0; i < n; i++) {
		if (map_put(t, addrs + i, t->n) != 0) {
			/* Undo: unmap what was mapped, drop the ENI. */
			for (size_t k = 0; k < i; k++) {
				map_del(t, addrs + k);
				t->outside -= !in_cidrs(t, addrs + k);
			}
			vfe_free(e->block);
			return -1;
		}
		t->outside += !in_cidrs(t, addrs + i);
	}
	return (int)t->n++;
}

int eni_add_cidr(struct eni_table *t, const struct ip_prefix *p)
{
	struct ip_mask *c = vfe_realloc(t->cidrs, (t->ncidrs + 1) * sizeof(*c));

	if (!c)
		return -1;
	t->cidrs = c;
	ip_mask_of(t->cidrs + t->ncidrs++, p);
	t->outside = 0;
	for (uint32_t i = 0; i <= t->mask; i++)
		t->outside += t->map[i].eni && !in_cidrs(t, &t->map[i].addr);
	return 0;
}

void eni_set_interval(struct eni_table *t, uint32_t i, uint32_t interval)
{
	t->v[i]->interval = interval;
	t->interval_of[i] = interval;
}

int eni_lookup(struct eni_table *t, const struct ip_addr *a)
{
	return eni_lookup_hashed(t, a, eni_hash(a));
}

int eni_lookup_hashed(struct eni_table *t, const struct ip_addr *a, uint32_t h)
{
	int r = eni_map_answer(t->map, t->mask, t->cidrs, t->ncidrs, t->outside != 0, a, h);

	if (r != ENI_ASK)
		return r;
	if (t->n >= t->max_enis) {
		t->refused++;
		return -1;
	}
	return eni_add(t, a, 1);
}

/* Splits s at commas and hands each item to fn; err names the bad item. */
static int each_item(const char *s, void *out, size_t max, size_t *n, char *err, size_t errlen,
		     bool (*fn)(const char *item, void *out, size_t i), const char *what)
{
	char item[128];

	*n = 0;
	while (*s) {
		size_t len = strcspn(s, ",");
		if (len == 0 || len >= sizeof(item) || *n >= max) {
			snprintf(err, errlen, "bad list at \"%s\"", s);
			return -1;
		}
		memcpy(item, s, len);
		item[len] = '\0';
		if (!fn(item, out, *n)) {
			snprintf(err, errlen, "\"%s\" is not %s", item, what);
			return -1;
		}
		(*n)++;
		s += len;
		if (*s == ',')
			s++;
	}
	if (*n == 0) {
		snprintf(err, errlen, "empty list");
		return -1;
	}
	return 0;
}

static bool put_addr(const char *item, void *out, size_t i)
{
	return ip_addr_parse(item, (struct ip_addr *)out + i);
}

static bool put_prefix(const char *item, void *out, size_t i)
{
	return ip_prefix_parse(item, (struct ip_prefix *)out + i);
}

int parse_addr_list(const char *s, struct ip_addr *out, size_t max, size_t *n,
		    char *err, size_t errlen)
{
	return each_item(s, out, max, n, err, errlen, put_addr, "an IPv4 or IPv6 address");
}

int parse_prefix_list(const char *s, struct ip_prefix *out, size_t max, size_t *n,
		      char *err, size_t errlen)
{
	return each_item(s, out, max, n, err, errlen, put_prefix, "a CIDR block");
}

int eni_interface_addrs(const char *ifname, struct ip_addr *out, size_t max)
{
	struct ifaddrs *ifa, *i;
	size_t n = 0;

	if (getifaddrs(&ifa) != 0)
		return -1;
	for (i = ifa; i && n < max; i = i->ifa_next) {
		if (!i->ifa_addr || strcmp(i->ifa_name, ifname) != 0)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			struct sockaddr_in sin;
			memcpy(&sin, i->ifa_addr, sizeof(sin));
			ip_addr_from_v4(out + n++, (const uint8_t *)&sin.sin_addr);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			struct sockaddr_in6 sin6;
			memcpy(&sin6, i->ifa_addr, sizeof(sin6));
			if (IN6_IS_ADDR_LINKLOCAL(&sin6.sin6_addr))
				continue;
			memcpy(out[n++].b, &sin6.sin6_addr, 16);
		}
	}
	freeifaddrs(ifa);
	return (int)n;
}
