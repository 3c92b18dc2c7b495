/* out.c - frames to a pcap file (libpcap's dump API) or onto a link,
 * with the pacing of live injection.
 *
 * libnet opens the link (LIBNET_LINK_ADV: the device, its packet socket,
 * CAP_NET_RAW). Frames that are due together leave in one sendmmsg() on
 * libnet's socket, past the qdisc (PACKET_QDISC_BYPASS): a syscall per
 * frame caps a 2-core machine near 300k frames/s, batches reach the
 * kernel's own limit on a veth. A batch is sent before any sleep, so
 * pacing is kept to within AHEAD_NS. */
#define _GNU_SOURCE	/* sendmmsg() */
#include "flowgen/out.h"

#include <errno.h>
#include <libnet.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <sys/socket.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SNAPLEN		262144
#define AHEAD_NS	50000	/* sleep only when this far ahead of the pace */
#define SEND_RETRIES	1000	/* a full socket buffer: wait and try again */
#define BATCH		64	/* frames per sendmmsg() */
#define SLOT		2048	/* bytes kept per batched frame; larger ones go alone */

struct batch {
	uint8_t frame[BATCH][SLOT];
	struct iovec iov[BATCH];
	struct mmsghdr msg[BATCH];
	unsigned n;
};

struct fg_out {
	pcap_t *dead;
	pcap_dumper_t *dump;
	libnet_t *link;
	struct sockaddr_ll to;
	struct batch *batch;
	double pps;
	uint64_t first_ts;
	struct timespec t0;
	uint64_t frames;	/* handed to fg_out_write() */
	uint64_t sent;		/* of those, on the wire */
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
	o->batch = calloc(1, sizeof(*o->batch));
	if (!o->batch) {
		libnet_destroy(o->link);
		free(o);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	o->to.sll_family = AF_PACKET;
	o->to.sll_ifindex = (int)if_nametoindex(iface);
	o->to.sll_halen = 6;
	/* Best effort: without it frames still go, through the qdisc. */
	setsockopt(libnet_getfd(o->link), SOL_PACKET, PACKET_QDISC_BYPASS, &(int){ 1 }, sizeof(int));
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

/* Sends the batch: sendmmsg() until every frame is out, waiting a little
 * when the socket buffer is full. */
static int flush(struct fg_out *o, char *err, size_t errlen)
{
	struct batch *b = o->batch;
	unsigned done = 0;
	int tries = 0;

	while (done < b->n) {
		int r = sendmmsg(libnet_getfd(o->link), b->msg + done, b->n - done, 0);

		if (r > 0) {
			done += (unsigned)r;
			o->sent += (uint64_t)r;
			tries = 0;
			continue;
		}
		if ((errno != ENOBUFS && errno != EAGAIN && errno != EINTR) || ++tries > SEND_RETRIES) {
			snprintf(err, errlen, "%s: frame %llu: %s", libnet_getdevice(o->link),
				 (unsigned long long)o->sent + 1, strerror(errno));
			b->n = 0;
			return -1;
		}
		nanosleep(&(struct timespec){ 0, 20000 }, NULL);
	}
	b->n = 0;
	return 0;
}

/* Queues a frame (a large one is sent on its own, after the queue). */
static int queue(struct fg_out *o, const uint8_t *frame, size_t len, char *err, size_t errlen)
{
	struct batch *b = o->batch;
	unsigned i = b->n;

	if (len > SLOT) {
		if (flush(o, err, errlen))
			return -1;
		b->iov[0].iov_base = (void *)(uintptr_t)frame;
		i = 0;
	} else {
		memcpy(b->frame[i], frame, len);
		b->iov[i].iov_base = b->frame[i];
	}
	b->iov[i].iov_len = len;
	memset(&b->msg[i], 0, sizeof(b->msg[i]));
	b->msg[i].msg_hdr.msg_name = &o->to;
	b->msg[i].msg_hdr.msg_namelen = sizeof(o->to);
	b->msg[i].msg_hdr.msg_iov = &b->iov[i];
	b->msg[i].msg_hdr.msg_iovlen = 1;
	b->n = i + 1;
	return b->n == BATCH || len > SLOT ? flush(o, err, errlen) : 0;
}

/* Waits until the frame's time: its place in a fixed rate, or its own
 * timestamp after the first. What is queued goes out before any wait. */
static int pace(struct fg_out *o, uint64_t ts_us, char *err, size_t errlen)
{
	uint64_t due, now;
	struct timespec at;

	if (o->frames == 0) {
		clock_gettime(CLOCK_MONOTONIC, &o->t0);
		o->first_ts = ts_us;
		return 0;
	}
	if (o->pps < 0)
		return 0;
	due = o->pps > 0 ? (uint64_t)((double)o->frames * 1e9 / o->pps)
			 : (ts_us - o->first_ts) * 1000u;
	now = ns_since(&o->t0);
	if (due <= now + AHEAD_NS)
		return 0;
	if (flush(o, err, errlen))
		return -1;
	due += (uint64_t)o->t0.tv_nsec;
	at.tv_sec = o->t0.tv_sec + (time_t)(due / 1000000000u);
	at.tv_nsec = (long)(due % 1000000000u);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &at, NULL) == EINTR)
		;
	return 0;
}

int fg_out_write(struct fg_out *o, uint64_t ts_us, const uint8_t *frame, size_t len, char *err,
		 size_t errlen)
{
	if (o->link) {
		if (pace(o, ts_us, err, errlen) || queue(o, frame, len, err, errlen))
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
	if (o->link) {
		if (flush(o, err, errlen))
			r = -1;
		libnet_destroy(o->link);
	}
	free(o->batch);
	free(o);
	return r;
}

uint64_t fg_out_frames(const struct fg_out *o)
{
	return o->frames;
}
