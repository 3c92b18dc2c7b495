/* out.c - frames to a pcap file (libpcap's dump API) or onto a link
 * (libnet, LIBNET_LINK_ADV), with the pacing of live injection. */
#include "flowgen/out.h"

#include <errno.h>
#include <libnet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SNAPLEN		262144
#define AHEAD_NS	50000	/* sleep only when this far ahead of the pace */
#define SEND_RETRIES	1000	/* a full socket buffer: wait and try again */

struct fg_out {
	pcap_t *dead;
	pcap_dumper_t *dump;
	libnet_t *link;
	double pps;
	uint64_t first_ts;
	struct timespec t0;
	uint64_t frames;
};

struct fg_out *fg_out_file(const char *path, char *err, size_t errlen)
{
	struct fg_out *o = calloc(1, sizeof(*o));

	if (!o) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	o->dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, SNAPLEN,
							PCAP_TSTAMP_PRECISION_MICRO);
	if (!o->dead) {
		snprintf(err, errlen, "%s: cannot set up libpcap", path);
		free(o);
		return NULL;
	}
	o->dump = pcap_dump_open(o->dead, path);
	if (!o->dump) {
		snprintf(err, errlen, "%s", pcap_geterr(o->dead));
		pcap_close(o->dead);
		free(o);
		return NULL;
	}
	return o;
}

struct fg_out *fg_out_live(const char *iface, double pps, char *err, size_t errlen)
{
	char lerr[LIBNET_ERRBUF_SIZE];
	struct fg_out *o = calloc(1, sizeof(*o));

	if (!o) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	o->link = libnet_init(LIBNET_LINK_ADV, iface, lerr);
	if (!o->link) {
		/* libnet's message already names the device and the cause. */
		snprintf(err, errlen, "%s: %s", iface, lerr);
		free(o);
		return NULL;
	}
	o->pps = pps;
	return o;
}

static uint64_t ns_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - t0->tv_sec) * 1000000000u + (uint64_t)now.tv_nsec -
	       (uint64_t)t0->tv_nsec;
}

/* Waits until the frame's time: its place in a fixed rate, or its own
 * timestamp after the first. */
static void pace(struct fg_out *o, uint64_t ts_us)
{
	uint64_t due, now;
	struct timespec at;

	if (o->frames == 0) {
		clock_gettime(CLOCK_MONOTONIC, &o->t0);
		o->first_ts = ts_us;
		return;
	}
	if (o->pps < 0)
		return;
	due = o->pps > 0 ? (uint64_t)((double)o->frames * 1e9 / o->pps)
			 : (ts_us - o->first_ts) * 1000u;
	now = ns_since(&o->t0);
	if (due <= now + AHEAD_NS)
		return;
	due += (uint64_t)o->t0.tv_nsec;
	at.tv_sec = o->t0.tv_sec + (time_t)(due / 1000000000u);
	at.tv_nsec = (long)(due % 1000000000u);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
		;
}

static int send_frame(struct fg_out *o, const uint8_t *frame, size_t len, char *err,
		      size_t errlen)
{
	int tries;

	for (tries = 0; tries < SEND_RETRIES; tries++) {
		if (libnet_adv_write_link(o->link, frame, (uint32_t)len) == (int)len)
			return 0;
		if (errno != ENOBUFS && errno != EAGAIN)
			break;
		nanosleep(&(struct timespec){ 0, 20000 }, NULL);
	}
	snprintf(err, errlen, "%s: frame %llu: %s", libnet_getdevice(o->link),
		 (unsigned long long)o->frames + 1, libnet_geterror(o->link));
	return -1;
}

int fg_out_write(struct fg_out *o, uint64_t ts_us, const uint8_t *frame, size_t len, char *err,
		 size_t errlen)
{
	if (o->link) {
		pace(o, ts_us);
		if (send_frame(o, frame, len, err, errlen))
			return -1;
	} else {
		struct pcap_pkthdr h;

		h.ts.tv_sec = (time_t)(ts_us / 1000000u);
		h.ts.tv_usec = (suseconds_t)(ts_us % 1000000u);
		h.caplen = h.len = (bpf_u_int32)len;
		pcap_dump((u_char *)o->dump, &h, frame);
	}
	o->frames++;
	return 0;
}

int fg_out_close(struct fg_out *o, char *err, size_t errlen)
{
	int r = 0;

	if (!o)
		return 0;
	if (o->dump) {
		if (pcap_dump_flush(o->dump) == -1 || ferror(pcap_dump_file(o->dump))) {
			snprintf(err, errlen, "writing the capture: %s", strerror(errno));
			r = -1;
		}
		pcap_dump_close(o->dump);
		pcap_close(o->dead);
	}
	if (o->link)
		libnet_destroy(o->link);
	free(o);
	return r;
}

uint64_t fg_out_frames(const struct fg_out *o)
{
	return o->frames;
}
