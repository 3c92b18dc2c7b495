/* test_sweep.c - the truncation sweep (STYLE.md habit 22): every packet of
 * every capture in pcaps/ decoded at every caplen from 0 to full. Under
 * ASan and UBSan this proves the decoder reads nothing past caplen; the
 * assertions prove a cut packet never decodes to different fields.
 * Usage: test_sweep PCAPS_DIR */
#include <stdarg.h>
#include <stdlib.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <string.h>

#include <pcap/pcap.h>

#include "capture/decode/decode.h"

static const char *dir;

/* Everything but the capture length must match the full decode. */
static void assert_same_fields(const struct pkt_meta *cut, const struct pkt_meta *full)
{
	assert_memory_equal(&cut->src, &full->src, sizeof(cut->src));
	assert_memory_equal(&cut->dst, &full->dst, sizeof(cut->dst));
	assert_int_equal(cut->ip_len, full->ip_len);
	assert_int_equal(cut->proto, full->proto);
	assert_int_equal(cut->sport, full->sport);
	assert_int_equal(cut->dport, full->dport);
	assert_int_equal(cut->tcp_flags, full->tcp_flags);
	assert_int_equal(cut->frag, full->frag);
	assert_int_equal(cut->family, full->family);
}

static uint64_t sweep_file(const char *path, int *dlt_out)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline(path, err);
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t decodes = 0;

	assert_non_null(p);
	int dlt = *dlt_out = pcap_datalink(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct pkt_meta full, cut;
		enum decode_result fr = decode_packet(dlt, data, h->caplen, h->len, &full);
		for (uint32_t len = 0; len <= h->caplen; len++) {
			/* A private copy of exactly len bytes: ASan sees any over-read. */
			uint8_t *copy = malloc(len ? len : 1);
			assert_non_null(copy);
			memcpy(copy, data, len);
			enum decode_result r = decode_packet(dlt, copy, len, h->len, &cut);
			free(copy);
			assert_true(r < DECODE_RESULT_COUNT);
			assert_true(cut.event < EV_COUNT);
			if (r == DECODE_OK && fr == DECODE_OK)
				assert_same_fields(&cut, &full);
			decodes++;
		}
		/* The whole packet decodes as it did: cutting never helps. */
		assert_int_equal(decode_packet(dlt, data, h->caplen, h->len, &cut), fr);
	}
	pcap_close(p);
	return decodes;
}

static void test_sweep_all(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0;
	(void)state;
	assert_non_null(d);
	while ((e = readdir(d))) {
		const char *dot = strrchr(e->d_name, '.');
		if (!dot || (strcmp(dot, ".pcap") != 0 && strcmp(dot, ".pcapng") != 0))
			continue;
		char path[1024];
		int dlt;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		uint64_t k = sweep_file(path, &dlt);
		print_message("%-32s %s, %llu decodes\n", e->d_name, decode_link_name(dlt),
			      (unsigned long long)k);
		files++;
	}
	closedir(d);
	assert_true(files > 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sweep_all),
	};

	if (argc != 2) {
		fprintf(stderr, "usage: test_sweep PCAPS_DIR\n");
		return 2;
	}
	dir = argv[1];
	return cmocka_run_group_tests(tests, NULL, NULL);
}
