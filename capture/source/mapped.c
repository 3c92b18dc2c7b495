/* mapped.c - classic pcap files read in place from a sliding mmap window.
 *
 * libpcap's reader copies every record through stdio (a read() into the
 * FILE buffer, then a memcpy into its own); here the record bytes are
 * handed out where the kernel mapped them. The window (WINDOW bytes of
 * the file, mapped with MAP_POPULATE and read ahead sequentially) moves on
 * when a record does not fit in what is left of it, so resident memory
 * stays a window whatever the file's size. A packet's bytes are valid until
 * the next call: the pipeline decodes each packet before it asks for the
 * next.
 *
 * Only regular files in the classic format are read here (either byte
 * order, micro- or nanosecond stamps); pcapng and streams go to libpcap.
 * Errors name the record and its byte offset in libpcap's words. */
#include "capture/source/source.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/decode/decode.h"
#include "formats/mem.h"

#define FILE_HEADER	24
#define RECORD_HEADER	16
#define WINDOW		(8u << 20)
#define MAX_CAPLEN	262144u		/* libpcap's largest snapshot length */
#define AHEAD		2048u		/* bytes prefetched ahead of the record read */
#define LINE		64u

struct mapped {
	struct source s;	/* first: the pipeline holds a struct source * */
	int fd;
	uint64_t size;		/* of the file */
	uint64_t win_off;	/* file offset of the mapping, page aligned */
	size_t win_len;
	uint8_t *win;
	bool swapped, nano;
	uint32_t max_caplen;
	struct bpf_program *prog;	/* source_set_filter(): pcap_offline_filter() */
	uint64_t nrec;			/* records read, filtered or not: for messages */
	uint64_t page;
	size_t prefetched;		/* window offset up to which lines were prefetched */
};

static uint32_t get32(const struct mapped *m, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return m->swapped ? __builtin_bswap32(v) : v;
}

/* Maps the window that starts at the page holding file offset off. */
static int map_at(struct mapped *m, uint64_t off)
{
	uint64_t start = off - off % m->page;
	size_t len = (size_t)(m->size - start < WINDOW ? m->size - start : WINDOW);
	void *w;

	if (m->win)
		munmap(m->win, m->win_len);
	m->win = NULL;
	w = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, m->fd, (off_t)start);
	if (w == MAP_FAILED)
		return -1;
	madvise(w, len, MADV_SEQUENTIAL);
	m->win = w;
	m->win_off = start;
	m->win_len = len;
	m->prefetched = (size_t)(off - start);
	return 0;
}

/* n bytes at file offset off, or NULL: end of file (*avail says how many
 * bytes there were) or a mapping error (errno set, *avail = SIZE_MAX). */
static const uint8_t *bytes_at(struct mapped *m, uint64_t off, size_t n, size_t *avail)
{
	*avail = off < m->size ? (size_t)(m->size - off < n ? m->size - off : n) : 0;
	if (*avail < n)
		return NULL;
	if (!m->win || off < m->win_off || off + n > m->win_off + m->win_len) {
		if (map_at(m, off) != 0) {
			*avail = SIZE_MAX;
			return NULL;
		}
	}
	return m->win + (off - m->win_off);
}

__attribute__((format(printf, 2, 3)))
static enum source_status fail(struct mapped *m, const char *fmt, ...)
{
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	snprintf(m->s.err, sizeof(m->s.err), "%s: record %llu at byte offset %llu: %s", m->s.name,
		 (unsigned long long)m->nrec + 1, (unsigned long long)m->s.offset, why);
	return SRC_ERROR;
}

static enum source_status fail_map(struct mapped *m)
{
	snprintf(m->s.err, sizeof(m->s.err), "%s: record %llu at byte offset %llu: mmap: %s",
		 m->s.name, (unsigned long long)m->nrec + 1,
		 (unsigned long long)m->s.offset, strerror(errno));
	return SRC_ERROR;
}

/* The pages of a window are mapped but mostly not in the CPU's caches, and
 * the hardware prefetcher stops at each 4 KiB page: without help every
 * record's first line is a miss to memory. Every line up to AHEAD bytes
 * past the record being read is asked for, so the next records' headers
 * arrive while this one is decoded. */
static void prefetch(struct mapped *m, size_t in)
{
	size_t until = in + AHEAD < m->win_len ? in + AHEAD : m->win_len;

	for (; m->prefetched < until; m->prefetched += LINE)
		__builtin_prefetch(m->win + m->prefetched);
}

static enum source_status mapped_next(struct source *s, struct packet *pkt)
{
	struct mapped *m = (struct mapped *)s;

	for (;;) {
		struct pcap_pkthdr h;
		const uint8_t *hdr, *data;
		size_t got;
		uint64_t in = s->offset - m->win_off;	/* into the window, if it is there */

		/* The usual case: the whole record lies in the window. */
		if (m->win && s->offset >= m->win_off && in + RECORD_HEADER <= m->win_len) {
			hdr = m->win + in;
			h.caplen = get32(m, hdr + 8);
			if (h.caplen - 1 < m->max_caplen && in + RECORD_HEADER + h.caplen <= m->win_len) {
				h.ts.tv_sec = (time_t)get32(m, hdr);
				h.ts.tv_usec = (suseconds_t)(m->nano ? get32(m, hdr + 4) / 1000 :
							 get32(m, hdr + 4));
				h.len = get32(m, hdr + 12);
				data = hdr + RECORD_HEADER;
				prefetch(m, in);
				goto have;
			}
		}
		hdr = bytes_at(m, s->offset, RECORD_HEADER, &got);
		if (!hdr && got == 0)
			return SRC_EOF;
		if (!hdr && got == SIZE_MAX)
			return fail_map(m);
		if (!hdr)
			return fail(m, "truncated dump file; tried to read %d header bytes, only got %zu",
				    RECORD_HEADER, got);
		h.ts.tv_sec = (time_t)get32(m, hdr);
		h.ts.tv_usec = (suseconds_t)(m->nano ? get32(m, hdr + 4) / 1000 : get32(m, hdr + 4));
		h.caplen = get32(m, hdr + 8);
		h.len = get32(m, hdr + 12);
		if (h.caplen > m->max_caplen)
			return fail(m, "invalid packet capture length %u, bigger than snaplen of %u",
				    h.caplen, m->max_caplen);
		/* caplen 0 is refused by source_take(); it needs no bytes. */
		data = h.caplen ? bytes_at(m, s->offset + RECORD_HEADER, h.caplen, &got) : hdr;
		if (!data && got == SIZE_MAX)
			return fail_map(m);
		if (!data)
			return fail(m, "truncated dump file; tried to read %u captured bytes, only got %zu",
				    h.caplen, got);
have:
		s->offset += RECORD_HEADER + h.caplen;
		m->nrec++;
		if (m->prog && !pcap_offline_filter(m->prog, &h, data))
			continue;
		return source_take(s, &h, data, pkt);
	}
}

static void mapped_stats(struct source *s, struct source_stats *st)
{
	*st = s->st;
}

static void mapped_close(struct source *s)
{
	struct mapped *m = (struct mapped *)s;

	if (m->win)
		munmap(m->win, m->win_len);
	if (m->prog) {
		pcap_freecode(m->prog);
		vfe_free(m->prog);
	}
	close(m->fd);
	pcap_close(s->pcap);
	vfe_free(m);
}

static int mapped_filter(struct source *s, struct bpf_program *prog)
{
	struct mapped *m = (struct mapped *)s;

	m->prog = vfe_malloc(sizeof(*prog));
	if (!m->prog)
		return -1;
	*m->prog = *prog;	/* ours now: freed at close */
	return 0;
}

static const struct source_ops mapped_ops = {
	.next = mapped_next,
	.stats = mapped_stats,
	.close = mapped_close,
	.filter = mapped_filter,
};

/* The classic pcap file header: magic, version, snaplen, link type. 1 if
 * hdr is one (and m is set from it), 0 if it is something else. */
static int parse_header(struct mapped *m, const uint8_t *hdr)
{
	uint32_t magic;

	memcpy(&magic, hdr, 4);
	switch (magic) {
	case 0xa1b2c3d4: m->swapped = false; m->nano = false; break;
	case 0xd4c3b2a1: m->swapped = true; m->nano = false; break;
	case 0xa1b23c4d: m->swapped = false; m->nano = true; break;
	case 0x4d3cb2a1: m->swapped = true; m->nano = true; break;
	default: return 0;
	}
	return 1;
}

/* Link types whose LINKTYPE_ value in the file is also the DLT_ value
 * libpcap hands out (not so for LINKTYPE_RAW, 101, and many others). */
static bool same_as_dlt(uint32_t linktype)
{
	static const uint32_t same[] = { 0, 1, 108, 113, 228, 229, 276 };
	size_t i;

	for (i = 0; i < sizeof(same) / sizeof(same[0]); i++)
		if (linktype == same[i])
			return true;
	return false;
}

struct source *source_open_mapped(int fd, const char *name, char *err, size_t errlen)
{
	uint8_t hdr[FILE_HEADER];
	struct stat st;
	struct mapped *m;
	uint32_t snaplen, linktype;
	int dlt;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size < FILE_HEADER ||
	    pread(fd, hdr, sizeof(hdr), 0) != (ssize_t)sizeof(hdr))
		return NULL;
	m = vfe_calloc(1, sizeof(*m));
	if (!m) {
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	if (!parse_header(m, hdr)) {
		vfe_free(m);
		return NULL;
	}
	snaplen = get32(m, hdr + 16);
	linktype = get32(m, hdr + 20);
	if (!same_as_dlt(linktype)) {	/* libpcap knows the mapping (and FCS bits) */
		vfe_free(m);
		return NULL;
	}
	dlt = (int)linktype;
	m->fd = fd;
	m->size = (uint64_t)st.st_size;
	m->page = (uint64_t)sysconf(_SC_PAGESIZE);
	m->max_caplen = snaplen > MAX_CAPLEN ? snaplen : MAX_CAPLEN;
	m->s.pcap = pcap_open_dead(dlt, (int)(snaplen > MAX_CAPLEN ? MAX_CAPLEN : snaplen));
	if (!m->s.pcap) {
		snprintf(err, errlen, "%s: out of memory", name);
		vfe_free(m);
		return NULL;
	}
	m->s.ops = &mapped_ops;
	m->s.dlt = pcap_datalink(m->s.pcap);
	m->s.snaplen = snaplen;
	m->s.classic = true;
	m->s.offset = FILE_HEADER;
	m->s.size = m->size;
	snprintf(m->s.name, sizeof(m->s.name), "%s", name);
	return &m->s;
}
