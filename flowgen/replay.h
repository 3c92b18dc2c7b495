/* replay.h - a capture file sent again: flowgen FILE.pcap -i IFACE.
 *
 * Ethernet captures (pcap or pcapng, read by libpcap) go onto the link
 * frame by frame, paced as the output is (their own times, --pps N or
 * max), --scale times over. The capture's addresses are sent as they
 * are: replay only what may travel on that link. */
#ifndef FG_REPLAY_H
#define FG_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "flowgen/out.h"

/* 1 if path starts like a pcap or pcapng file, else 0. */
int replay_is_capture(const char *path);

/* -1 and err (naming the file) on a read error; 1 on a send error. */
int replay_run(const char *path, uint32_t times, struct fg_out *out, char *err, size_t errlen);

#endif
