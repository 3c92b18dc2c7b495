/* replay.c - sends a capture's frames again, through out.c's pacing. */
#include "flowgen/replay.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

int replay_is_capture(const char *path)
{
	static const uint32_t magics[] = { 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1,
					   0x0a0d0d0a };
	FILE *f = fopen(path, "rb");
	uint32_t m = 0;
	size_t i;
	int n;

	if (!f)
		return 0;
	n = (int)fread(&m, sizeof(m), 1, f);
	fclose(f);
	for (i = 0; n == 1 && i < sizeof(magics) / sizeof(magics[0]); i++)
		if (m == magics[i])
			return 1;
	return 0;
}

/* One pass over the file, its times moved on by shift microseconds;
 * *first and *last receive the pass's first and last (moved) times. */
static int replay_once(const char *path, uint64_t shift, uint64_t *first, uint64_t *last,
		       struct fg_out *out, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p = pcap_open_offline(path, perr);
	int rc;

	if (!p) {
		snprintf(err, errlen, "%s: %s", path, perr);
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		snprintf(err, errlen, "%s: only Ethernet captures can be replayed (link type %d)",
			 path, pcap_datalink(p));
		pcap_close(p);
		return -1;
	}
	while ((rc = pcap_next_ex(p, &h, &data)) == 1) {
		uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec + shift;

		if (*last == 0)
			*first = ts;
		*last = ts;
		if (fg_out_write(out, ts, data, h->caplen, err, errlen)) {
			pcap_close(p);
			return 1;
		}
	}
	if (rc != PCAP_ERROR_BREAK) {
		snprintf(err, errlen, "%s: %s", path, pcap_geterr(p));
		pcap_close(p);
		return -1;
	}
	pcap_close(p);
	return 0;
}

int replay_run(const char *path, uint32_t times, struct fg_out *out, char *err, size_t errlen)
{
	uint64_t first = 0, last = 0, span = 0;
	uint32_t i;
	int rc;

	/* Pass i starts i x (span + 1 s) after the first: a second after the
	 * last frame of the pass before it. */
	for (i = 0; i < times; i++) {
		uint64_t f = 0, l = 0;

		rc = replay_once(path, (uint64_t)i * (span + 1000000u), &f, &l, out, err, errlen);
		if (rc)
			return rc;
		if (i == 0) {
			first = f;
			last = l;
			span = last - first;
		}
	}
	return 0;
}
