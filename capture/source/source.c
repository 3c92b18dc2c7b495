/* source.c - what both packet sources share: the record-header check
 * (STYLE.md habit 6) and BPF filters.
 * It must not look inside the packet bytes: that is decode/'s job. */
#include "capture/source/source.h"

#include <stdio.h>

enum source_status source_take(struct source *s, const struct pcap_pkthdr *h,
			       const uint8_t *data, struct packet *pkt)
{
	s->st.records++;
	/* A record with no bytes, more bytes than the wire carried, or more than
	 * the capture's own snap length cannot be real: skip it rather than let
	 * a decoder trust either length. */
	if (h->caplen == 0 || h->caplen > h->len ||
	    (s->snaplen != 0 && h->caplen > s->snaplen)) {
		s->st.bad_records++;
		return SRC_BAD_RECORD;
	}
	pkt->data = data;
	pkt->caplen = h->caplen;
	pkt->wirelen = h->len;
	pkt->ts_sec = (int64_t)h->ts.tv_sec;
	pkt->ts_usec = (uint32_t)h->ts.tv_usec;
	return SRC_PACKET;
}

int source_set_filter(struct source *s, const char *expr, char *err, size_t errlen)
{
	struct bpf_program prog;

	if (pcap_compile(s->pcap, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) != 0) {
		snprintf(err, errlen, "filter expression \"%s\": %s", expr,
			 pcap_geterr(s->pcap));
		return -1;
	}
	if (s->ops->filter) {
		if (s->ops->filter(s, &prog) != 0) {
			snprintf(err, errlen, "%s: out of memory", s->name);
			pcap_freecode(&prog);
			return -1;
		}
		s->filtered = true;
		return 0;
	}
	if (pcap_setfilter(s->pcap, &prog) != 0) {
		snprintf(err, errlen, "%s: cannot set filter: %s", s->name,
			 pcap_geterr(s->pcap));
		pcap_freecode(&prog);
		return -1;
	}
	pcap_freecode(&prog);
	s->filtered = true;
	return 0;
}
