/* file.c - packets from a pcap or pcapng file, or from a stream (stdin).
 *
 * libpcap reads both file formats; this file turns its failures into one
 * line that names the file and the record (and byte offset) where reading
 * stopped, so a user can cut or repair the capture. */
#include "capture/source/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/decode/decode.h"
#include "formats/mem.h"

/* Classic pcap records are a 16-byte header and caplen bytes, so the
 * offset of each record is known without asking stdio (an lseek per
 * packet). For pcapng the error names where reading stopped. */
#define PCAP_FILE_HEADER 24
#define PCAP_RECORD_HEADER 16

static enum source_status file_next(struct source *s, struct packet *pkt)
{
	struct pcap_pkthdr *h;
	const u_char *data;
	int rc = pcap_next_ex(s->pcap, &h, &data);

	if (rc == 1) {
		s->offset += PCAP_RECORD_HEADER + h->caplen;
		return source_take(s, h, data, pkt);
	}
	if (rc == PCAP_ERROR_BREAK)
		return SRC_EOF;
	/* With a filter, libpcap skips records we never see: only the
	 * position where reading stopped is known then. */
	if (s->filtered) {
		snprintf(s->err, sizeof(s->err), "%s: at byte offset %ld: %s", s->name,
			 ftell(pcap_file(s->pcap)), pcap_geterr(s->pcap));
		return SRC_ERROR;
	}
	long off = s->classic ? (long)s->offset : ftell(pcap_file(s->pcap));
	snprintf(s->err, sizeof(s->err), "%s: record %llu at byte offset %ld: %s",
		 s->name, (unsigned long long)s->st.records + 1, off, pcap_geterr(s->pcap));
	return SRC_ERROR;
}

static void file_stats(struct source *s, struct source_stats *st)
{
	*st = s->st;
}

static void file_close(struct source *s)
{
	pcap_close(s->pcap);
	vfe_free(s);
}

static const struct source_ops file_ops = {
	.next = file_next,
	.stats = file_stats,
	.close = file_close,
};

struct source *source_open_stream(FILE *fp, const char *name, char *err, size_t errlen)
{
	char perr[PCAP_ERRBUF_SIZE] = "";
	struct source *s;
	pcap_t *p = pcap_fopen_offline(fp, perr);

	if (!p) {
		fclose(fp);
		snprintf(err, errlen, "%s: not a pcap or pcapng capture (%s)", name, perr);
		return NULL;
	}
	int dlt = pcap_datalink(p);
	if (!decode_link_supported(dlt)) {
		const char *dname = pcap_datalink_val_to_name(dlt);
		snprintf(err, errlen, "%s: link type %s (%d) is not supported", name,
			 dname ? dname : "unknown", dlt);
		pcap_close(p);
		return NULL;
	}
	s = vfe_calloc(1, sizeof(*s));
	if (!s) {
		pcap_close(p);
		snprintf(err, errlen, "%s: out of memory", name);
		return NULL;
	}
	s->ops = &file_ops;
	s->pcap = p;
	s->dlt = dlt;
	s->snaplen = (uint32_t)(pcap_snapshot(p) > 0 ? pcap_snapshot(p) : 0);
	s->classic = pcap_major_version(p) == 2;
	struct stat st;
	if (fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode))
		s->size = (uint64_t)st.st_size;
	s->offset = PCAP_FILE_HEADER;
	snprintf(s->name, sizeof(s->name), "%s", name);
	return s;
}

struct source *source_open_file(const char *path, char *err, size_t errlen)
{
	if (strcmp(path, "-") == 0)
		return source_open_stream(stdin, "stdin", err, errlen);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	err[0] = '\0';
	struct source *s = source_open_mapped(fd, path, err, errlen);
	if (s || err[0]) {
		if (!s)
			close(fd);
		return s;
	}
	FILE *fp = fdopen(fd, "rb");
	if (!fp) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	return source_open_stream(fp, path, err, errlen);
}
