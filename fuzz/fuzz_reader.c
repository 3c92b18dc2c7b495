/* fuzz_reader.c - libFuzzer entry point for the flow log reader: the bytes
 * are one flow log file (the reader tells gzip from plain text by the
 * magic bytes 1f 8b itself). Read to the end; after an error the reader is
 * called again, as reader.h allows, to exercise its recovery. */
#include <stdio.h>

#include "formats/reader.h"
#include "fuzz/fuzz_util.h"

#define FUZZ_MAX_CALLS 100000
#define FUZZ_MAX_ERRORS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512];
	struct flow_reader *r = NULL;
	struct flow_line line;
	int fd = fuzz_memfile(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (flow_reader_open(&r, path, NULL, err, sizeof(err)) != 0) {
		close(fd);
		return 0;
	}
	int errors = 0;
	for (int i = 0; i < FUZZ_MAX_CALLS; i++) {
		int rc = flow_reader_next(r, &line, err, sizeof(err));
		if (rc == 0)
			break;
		if (rc < 0) {
			if (++errors > FUZZ_MAX_ERRORS)
				break;
			continue;
		}
		/* Touch every field the layout has, as diff and the tests do. */
		for (unsigned k = 0; k < line.layout->n; k++) {
			enum field_id id = (enum field_id)line.layout->ids[k];
			size_t len;
			uint64_t v;
			const char *f = flow_line_get(&line, id, &len);
			if (f && len > 0 && (f[0] == '\0' && f[len - 1] == '\0'))
				__builtin_trap();   /* slices hold text, never NUL runs */
			(void)flow_line_has(&line, id);
			(void)flow_line_u64(&line, id, &v);
		}
	}
	struct flow_reader_stats st;
	flow_reader_stats(r, &st);
	for (size_t i = 0; i < flow_reader_note_count(r); i++)
		(void)flow_reader_note(r, i);
	flow_reader_close(r);
	close(fd);
	return 0;
}
