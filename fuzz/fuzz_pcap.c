/* fuzz_pcap.c - libFuzzer entry point for the capture file path: the bytes
 * are a pcap or pcapng file, read from a memfd by the in-place reader
 * (source_open_mapped(), classic pcap) or else from memory through
 * source_open_stream() (libpcap), and passed through the pipeline's stages (decode, fragments, attribute,
 * flow table and its flush) the way pipeline.c wires them, with every
 * address of every packet made an ENI (as --vpc-cidr 0.0.0.0/0,::/0). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/decode/decode.h"
#include "capture/flow/frag.h"
#include "capture/flow/key.h"
#include "capture/flow/table.h"
#include "capture/source/source.h"
#include "capture/vpc/attribute.h"
#include "capture/vpc/eni.h"
#include "fuzz/fuzz_util.h"

#define FUZZ_MAX_FLOWS 64     /* small, so the table-full path is reached */
#define FUZZ_MAX_ENIS 32
#define FUZZ_INTERVAL 60
#define FUZZ_MAX_RECORDS 100000

static int count_window(void *ctx, const struct flow_window *w, const struct flow *pool,
			uint64_t *idx, size_t n)
{
	uint64_t *total = ctx;

	(void)w;
	for (size_t i = 0; i < n; i++)
		*total += pool[(uint32_t)idx[i]].packets;
	return 0;
}

struct stages {
	struct frag_cache frag;
	struct eni_table enis;
	struct flow_table flows;
	int64_t next_close;
	uint64_t total;
};

static void count_packet(struct stages *st, int dlt, const struct packet *pkt)
{
	struct pkt_meta m;
	struct observation obs[2];

	if (pkt->ts_sec < 0 || pkt->ts_sec >= (int64_t)UINT32_MAX - 600)
		return;
	if (decode_packet(dlt, pkt->data, pkt->caplen, pkt->wirelen, &m) != DECODE_OK)
		return;
	uint32_t sec = (uint32_t)pkt->ts_sec;
	frag_resolve(&st->frag, &m, sec);
	if (sec >= st->next_close) {
		flow_table_flush(&st->flows, sec, count_window, &st->total);
		st->next_close = flow_table_next_close(&st->flows);
	}
	int nobs = attribute(&st->enis, &m, obs);
	for (int k = 0; k < nobs; k++) {
		struct flow_key key;
		memset(&key, 0, sizeof(key));
		key.src = m.src;
		key.dst = m.dst;
		key.eni = obs[k].eni;
		key.wstart = sec - sec % FUZZ_INTERVAL;
		key.sport = m.sport;
		key.dport = m.dport;
		key.proto = m.proto;
		key.dir = obs[k].dir;
		struct flow *f = flow_table_get(&st->flows, &key, FUZZ_INTERVAL, 0);
		if ((int64_t)key.wstart + FUZZ_INTERVAL < st->next_close)
			st->next_close = (int64_t)key.wstart + FUZZ_INTERVAL;
		if (!f)
			continue;
		f->packets++;
		f->bytes += m.ip_len;
		f->tcp_flags |= flow_tcp_flags(m.tcp_flags);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct stages st;   /* the fragment cache is large: not on the stack */
	char err[512];
	struct ip_prefix all4, all6;

	if (size == 0)
		return 0;
	char path[64];
	int fd = fuzz_memfile(data, size, path, sizeof(path));
	if (fd < 0)
		return 0;
	err[0] = '\0';
	struct source *src = source_open_mapped(fd, "fuzz.pcap", err, sizeof(err));
	if (!src) {
		close(fd);
		if (err[0])
			return 0;
		FILE *fp = fmemopen((void *)(uintptr_t)data, size, "rb");
		if (!fp)
			return 0;
		src = source_open_stream(fp, "fuzz.pcap", err, sizeof(err));
		if (!src)
			return 0;   /* source_open_stream closed fp */
	}

	memset(&st, 0, sizeof(st));
	st.next_close = INT64_MAX;
	if (eni_table_init(&st.enis, FUZZ_INTERVAL) != 0 ||
	    flow_table_init(&st.flows, FUZZ_MAX_FLOWS, 0x5eed) != 0)
		goto out;
	st.enis.max_enis = FUZZ_MAX_ENIS;
	if (!ip_prefix_parse("0.0.0.0/0", &all4) || !ip_prefix_parse("::/0", &all6) ||
	    eni_add_cidr(&st.enis, &all4) != 0 || eni_add_cidr(&st.enis, &all6) != 0)
		goto out;

	struct packet pkt;
	for (int i = 0; i < FUZZ_MAX_RECORDS; i++) {
		enum source_status s = source_next(src, &pkt);
		if (s == SRC_EOF || s == SRC_ERROR)
			break;
		if (s != SRC_PACKET)
			continue;
		if (pkt.caplen > pkt.wirelen)
			__builtin_trap();   /* source_take() promised otherwise */
		count_packet(&st, src->dlt, &pkt);
	}
	struct source_stats sst;
	source_stats(src, &sst);
	flow_table_flush(&st.flows, INT64_MAX, count_window, &st.total);
out:
	flow_table_free(&st.flows);
	eni_table_free(&st.enis);
	source_close(src);
	return 0;
}
