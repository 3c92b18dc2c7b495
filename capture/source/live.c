/* live.c - packets from a network interface through libpcap.
 *
 * Opens the interface with pcap_create/pcap_activate so each failure has its
 * own message (no such interface, no permission: CAP_NET_RAW). Reads
 * time out (SRC_TIMEOUT) so the pipeline closes windows and notices a stop
 * request on a quiet link. */
#include "capture/source/source.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>

#include "capture/decode/decode.h"
#include "formats/mem.h"

/* The capture is non-blocking and we wait in poll() ourselves: with
 * TPACKET_V3, libpcap's own blocking read waits for a filled or retired
 * block, which on a quiet link is forever, so windows would never close
 * and --duration never end. poll() returns when the kernel retires a block
 * (at most timeout_ms after a packet) or when our timeout ends. */
static enum source_status live_next(struct source *s, struct packet *pkt)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(s->pcap, &h, &data);

	if (rc == 0) {
		struct pollfd pfd = {.fd = s->fd, .events = POLLIN};
		int n = poll(&pfd, 1, s->timeout_ms);
		if (n < 0 && errno != EINTR) {
			snprintf(s->err, sizeof(s->err), "%s: poll: %s", s->name, strerror(errno));
			return SRC_ERROR;
		}
		if (n <= 0)
			return SRC_TIMEOUT;
		rc = pcap_next_ex(s->pcap, &h, &data);
	}
	if (rc == 1)
		return source_take(s, h, data, pkt);
	if (rc == 0)
		return SRC_TIMEOUT;
	if (rc == PCAP_ERROR_BREAK)
		return SRC_EOF;
	snprintf(s->err, sizeof(s->err), "%s: %s", s->name, pcap_geterr(s->pcap));
	return SRC_ERROR;
}

static void live_stats(struct source *s, struct source_stats *st)
{
	struct pcap_stat ps;

	if (pcap_stats(s->pcap, &ps) == 0) {
		s->st.kernel_drops = ps.ps_drop;
		s->st.if_drops = ps.ps_ifdrop;
	}
	*st = s->st;
}

static void live_close(struct source *s)
{
	pcap_close(s->pcap);
	vfe_free(s);
}

static const struct source_ops live_ops = {
	.next = live_next,
	.stats = live_stats,
	.close = live_close,
};

/* One line per pcap_activate() failure a user can act on. */
static void activate_error(pcap_t *p, int rc, const char *iface, char *err, size_t errlen)
{
	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		snprintf(err, errlen, "%s: no such interface", iface);
		break;
	case PCAP_ERROR_PERM_DENIED:
		snprintf(err, errlen, "%s: permission denied: live capture needs "
			 "CAP_NET_RAW (run as root or grant it with setcap)", iface);
		break;
	case PCAP_ERROR_IFACE_NOT_UP:
		snprintf(err, errlen, "%s: interface is down", iface);
		break;
	default:
		snprintf(err, errlen, "%s: %s", iface, pcap_geterr(p));
		break;
	}
}

static int configure(pcap_t *p, const struct live_options *o)
{
	if (pcap_set_snaplen(p, o->snaplen) != 0 || pcap_set_promisc(p, 0) != 0 ||
	    pcap_set_timeout(p, o->timeout_ms) != 0)
		return -1;
	if (o->buffer_kib > 0 && pcap_set_buffer_size(p, o->buffer_kib * 1024) != 0)
		return -1;
	return 0;
}

struct source *source_open_live(const struct live_options *o, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	pcap_t *p = pcap_create(o->iface, perr);
	struct source *s;

	if (!p) {
		snprintf(err, errlen, "%s: %s", o->iface, perr);
		return NULL;
	}
	if (configure(p, o) != 0) {
		snprintf(err, errlen, "%s: %s", o->iface, pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	int rc = pcap_activate(p);
	if (rc < 0) {
		activate_error(p, rc, o->iface, err, errlen);
		pcap_close(p);
		return NULL;
	}
	int dlt = pcap_datalink(p);
	if (!decode_link_supported(dlt)) {
		const char *dname = pcap_datalink_val_to_name(dlt);
		snprintf(err, errlen, "%s: link type %s (%d) is not supported", o->iface,
			 dname ? dname : "unknown", dlt);
		pcap_close(p);
		return NULL;
	}
	int fd = pcap_get_selectable_fd(p);
	if (fd < 0 || pcap_setnonblock(p, 1, perr) != 0) {
		snprintf(err, errlen, "%s: cannot poll the capture: %s", o->iface, perr);
		pcap_close(p);
		return NULL;
	}
	s = vfe_calloc(1, sizeof(*s));
	if (!s) {
		pcap_close(p);
		snprintf(err, errlen, "%s: out of memory", o->iface);
		return NULL;
	}
	s->ops = &live_ops;
	s->fd = fd;
	s->timeout_ms = o->timeout_ms;
	s->pcap = p;
	s->dlt = dlt;
	s->live = true;
	s->snaplen = (uint32_t)pcap_snapshot(p);
	snprintf(s->name, sizeof(s->name), "%s", o->iface);
	return s;
}
