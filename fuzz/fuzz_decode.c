/* fuzz_decode.c - libFuzzer entry point for decode_packet().
 * The first byte picks one of the supported link types, the rest is the
 * frame. Decoded twice: caplen == wirelen, and wirelen larger than caplen
 * (a snapped capture), so both length paths of habit 4 are exercised. */
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "capture/decode/decode.h"
#include "fuzz/fuzz_util.h"

static const int dlts[] = {
	DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
	DLT_IPV4, DLT_IPV6, DLT_NULL, DLT_LOOP,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_meta m;

	if (size < 1 || size - 1 > UINT32_MAX - 255)
		return 0;
	int dlt = dlts[data[0] % (sizeof(dlts) / sizeof(dlts[0]))];
	uint32_t caplen = (uint32_t)(size - 1);

	/* The frame gets a heap copy of exactly caplen bytes, so ASan sees any
	 * read one byte past it. */
	uint8_t *frame = NULL;
	if (caplen > 0) {
		frame = malloc(caplen);
		if (!frame)
			return 0;
		memcpy(frame, data + 1, caplen);
	}
	enum decode_result r = decode_packet(dlt, frame, caplen, caplen, &m);
	if (r >= DECODE_RESULT_COUNT || m.event >= EV_COUNT)
		__builtin_trap();
	(void)decode_result_name(r);
	(void)decode_event_name((enum decode_event)m.event);

	r = decode_packet(dlt, frame, caplen, caplen + data[0], &m);
	if (r >= DECODE_RESULT_COUNT || m.event >= EV_COUNT)
		__builtin_trap();
	free(frame);
	return 0;
}
