/* bench_render.c - what writing one flow line costs, apart from the rest.
 *
 * Renders NREC flow records of the v5 format (the default of vpcflowemu)
 * shaped like a flow flood's: 4,000 ENIs with sealed line heads, 10 %
 * IPv6, ephemeral and well-known ports, one packet of 40-1500 bytes, a
 * start and end in the same second; ROUNDS times into one buffer, as
 * emit_write.c does. Prints the minimum and median nanoseconds per line
 * of RUNS runs (the minimum is what a quiet machine gives) and a checksum
 * of the text, so two builds can be checked to write the same bytes.
 * Build:
 *   cc -O2 -std=c11 -D_DEFAULT_SOURCE -I. bench/bench_render.c \
 *      formats/render.c formats/format.c formats/fields.c formats/addr.c
 * Usage: bench_render */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "formats/format.h"
#include "formats/render.h"
#include "bench/bench_util.h"

#define NREC 65536
#define NENI 4000
#define ROUNDS 16
#define RUNS 15

static void v4(struct ip_addr *a, uint32_t x)
{
	uint8_t b[4] = {(uint8_t)(x >> 24), (uint8_t)(x >> 16), (uint8_t)(x >> 8), (uint8_t)x};

	ip_addr_from_v4(a, b);
}

static void v6(struct ip_addr *a, uint64_t x)
{
	static const uint8_t net[6] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0a};

	memset(a, 0, sizeof(*a));
	memcpy(a->b, net, sizeof(net));
	for (int i = 8; i < 16; i++, x >>= 8)
		a->b[i] = (uint8_t)(i < 12 ? 0 : x);
}

int main(void)
{
	static struct eni_meta meta[NENI];
	static char ids[NENI][24];
	struct vpc_record *rec = calloc(NREC, sizeof(*rec));
	char *buf = malloc((size_t)NREC * RENDER_MAX_LINE / 4);
	struct log_format f;
	char err[128];
	uint64_t s = 88172645463325252ull;
	double t[RUNS];

	if (!rec || !buf || format_parse("v5", &f, err, sizeof(err)) != 0)
		return 1;
	for (int i = 0; i < NENI; i++) {
		snprintf(ids[i], sizeof(ids[i]), "eni-%017llx", (unsigned long long)rnd(&s) >> 4);
		meta[i].account_id = "123456789012";
		meta[i].interface_id = ids[i];
		render_seal_meta(meta + i);
		render_seal_head(meta + i, &f);
	}
	for (int i = 0; i < NREC; i++) {
		struct vpc_record *r = rec + i;
		uint64_t x = rnd(&s);
		r->meta = meta + x % NENI;
		r->status = LOG_OK;
		r->action = ACTION_ACCEPT;
		r->direction = x & 1 ? DIR_EGRESS : DIR_INGRESS;
		r->tcp_flags = TCP_FLAGS_UNSET;
		r->encryption_status = -1;
		r->protocol = (x >> 8) % 3 == 0 ? 17 : 6;
		r->srcport = (uint16_t)(x >> 16 & 1 ? 32768 + (x >> 20) % 28000 : 443);
		r->dstport = (uint16_t)(x >> 17 & 1 ? 32768 + (x >> 32) % 28000 : 53);
		r->packets = 1;
		r->bytes = 40 + (x >> 40) % 1460;
		r->start = r->end = 1768471200 + (int64_t)(i * 60 / NREC);
		r->traffic_path = r->direction == DIR_EGRESS ? 2 : TRAFFIC_PATH_NONE;
		if (x % 10 == 0) {
			r->family = 6;
			v6(&r->srcaddr, rnd(&s));
			v6(&r->dstaddr, rnd(&s));
		} else {
			r->family = 4;
			v4(&r->srcaddr, 0x0a000000u | (uint32_t)(x >> 44 & 0xffff));
			v4(&r->dstaddr, (uint32_t)rnd(&s));
		}
		r->pkt_srcaddr = r->srcaddr;
		r->pkt_dstaddr = r->dstaddr;
	}
	size_t total = 0;
	uint64_t sum = 0;
	for (int k = 0; k < RUNS; k++) {
		double t0 = now();
		for (int round = 0; round < ROUNDS; round++) {
			size_t len = 0;
			for (int i = 0; i < NREC; i++)
				len += render_record(&f, rec + i, buf + len, RENDER_MAX_LINE);
			total = len;
		}
		t[k] = (now() - t0) / ((double)NREC * ROUNDS) * 1e9;
	}
	for (size_t i = 0; i < total; i++)
		sum = sum * 31 + (unsigned char)buf[i];
	qsort(t, RUNS, sizeof(*t), cmp_double);
	printf("render: %.1f ns/line min, %.1f median (%zu bytes, %.1f a line, checksum %016llx)\n",
	       t[0], t[RUNS / 2], total, (double)total / NREC, (unsigned long long)sum);
	free(rec);
	free(buf);
	return 0;
}
