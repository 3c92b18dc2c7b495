/* source.h - where packets come from: a capture file or a live interface.
 *
 * One small vtable (next, stats, close) over libpcap. A source hands out
 * packets whose record header has been checked (STYLE.md habit 6); it never
 * decodes them. Errors are returned in the source's err buffer, never
 * printed. */
#ifndef VFE_SOURCE_H
#define VFE_SOURCE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <pcap/pcap.h>

struct packet {
	const uint8_t *data;
	uint32_t caplen;      /* bytes at data */
	uint32_t wirelen;     /* bytes on the wire */
	int64_t ts_sec;
	uint32_t ts_usec;
};

enum source_status {
	SRC_PACKET,       /* *pkt is filled */
	SRC_BAD_RECORD,   /* a record header was impossible; skipped, counted */
	SRC_TIMEOUT,      /* live: nothing arrived within the read timeout */
	SRC_EOF,          /* end of file, or a live capture was told to stop */
	SRC_ERROR,        /* read error; err says what and where */
};

struct source_stats {
	uint64_t records;       /* capture records read, good or bad */
	uint64_t bad_records;   /* caplen 0, caplen > wire length or snaplen */
	uint64_t kernel_drops;  /* live: pcap_stats ps_drop */
	uint64_t if_drops;      /* live: pcap_stats ps_ifdrop */
};

struct source;

struct source_ops {
	enum source_status (*next)(struct source *s, struct packet *pkt);
	void (*stats)(struct source *s, struct source_stats *st);
	void (*close)(struct source *s);
	/* A source that reads without libpcap takes the compiled filter
	 * (and frees it); NULL: libpcap applies it (pcap_setfilter). */
	int (*filter)(struct source *s, struct bpf_program *prog);
};

struct source {
	const struct source_ops *ops;
	pcap_t *pcap;
	int dlt;                /* pcap_datalink() */
	uint32_t snaplen;       /* 0 = no limit stated */
	bool live;
	bool classic;           /* classic pcap (not pcapng) file */
	bool filtered;          /* a BPF filter hides records from us */
	int fd;                 /* live: pcap_get_selectable_fd() */
	int timeout_ms;         /* live: longest wait in poll() */
	uint64_t offset;        /* classic pcap: where the next record starts */
	uint64_t size;          /* of a regular file; 0 when not known */
	char name[256];         /* file name or interface, for messages */
	struct source_stats st;
	char err[512];
};

struct live_options {
	const char *iface;
	int snaplen;
	int buffer_kib;         /* 0 = libpcap's default */
	int timeout_ms;
};

/* Each returns NULL and fills err (one line, naming the file or interface)
 * when the source cannot be opened or its link type is not supported. */
struct source *source_open_file(const char *path, char *err, size_t errlen);
/* Reads an already open stream; name is used in messages. Takes fp. */
struct source *source_open_stream(FILE *fp, const char *name, char *err, size_t errlen);
struct source *source_open_live(const struct live_options *o, char *err, size_t errlen);
/* A classic pcap file read in place (mapped.c); NULL, with err empty, when
 * fd is not a regular file in the classic format with a link type it
 * reads: the caller then uses libpcap. Takes fd on success. */
struct source *source_open_mapped(int fd, const char *name, char *err, size_t errlen);

/* A BPF filter (pcap-filter(7)) on an open source; -1 and err on error. */
int source_set_filter(struct source *s, const char *expr, char *err, size_t errlen);

static inline enum source_status source_next(struct source *s, struct packet *p)
{
	return s->ops->next(s, p);
}

static inline void source_stats(struct source *s, struct source_stats *st)
{
	s->ops->stats(s, st);
}

static inline void source_close(struct source *s)
{
	if (s)
		s->ops->close(s);
}

/* How far into the file reading has come, in bytes (progress lines). */
static inline uint64_t source_position(const struct source *s)
{
	FILE *f;
	long pos;

	if (s->classic)
		return s->offset;
	f = s->pcap ? pcap_file(s->pcap) : NULL;
	pos = f ? ftell(f) : -1;
	return pos > 0 ? (uint64_t)pos : 0;
}

/* Shared by both sources: checks a record header, fills pkt. */
enum source_status source_take(struct source *s, const struct pcap_pkthdr *h,
			       const uint8_t *data, struct packet *pkt);

#endif
