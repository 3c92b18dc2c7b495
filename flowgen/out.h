/* out.h - where frames go: a classic pcap file, or an interface.
 *
 * A file is written through libpcap's dump API (no privileges needed);
 * an interface gets the frames through libnet (CAP_NET_RAW), paced by the
 * scenario's own clock or at a fixed rate. */
#ifndef FG_OUT_H
#define FG_OUT_H

#include <stddef.h>
#include <stdint.h>

struct fg_out;

/* path "-" is standard output. */
struct fg_out *fg_out_file(const char *path, char *err, size_t errlen);

/* pps > 0: that many frames per second; pps == 0: the frames' own times,
 * from the first; pps < 0: as fast as the interface takes them. */
struct fg_out *fg_out_live(const char *iface, double pps, char *err, size_t errlen);

/* -1 and err on a write error (the file or the interface). */
int fg_out_write(struct fg_out *o, uint64_t ts_us, const uint8_t *frame, size_t len, char *err,
		 size_t errlen);

/* Flushes and closes; -1 and err if anything written was lost. */
int fg_out_close(struct fg_out *o, char *err, size_t errlen);

uint64_t fg_out_frames(const struct fg_out *o);

#endif
