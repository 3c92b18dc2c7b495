/* fuzz_format.c - libFuzzer entry point for format_parse() and, for every
 * format it accepts, render_header() and render_record() of a zeroed
 * record: every accepted format must render without a crash. */
#include <stdlib.h>
#include <string.h>

#include "formats/format.h"
#include "formats/record.h"
#include "formats/render.h"
#include "fuzz/fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	static char buf[RENDER_MAX_LINE];
	struct log_format f;
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (format_parse(s, &f, err, sizeof(err)) == 0) {
		if (f.n == 0 || f.n > FORMAT_MAX_FIELDS)
			__builtin_trap();
		(void)format_find(&f, (enum field_id)f.ids[0]);
		struct vpc_record rec;
		memset(&rec, 0, sizeof(rec));
		(void)render_header(&f, buf, sizeof(buf));
		(void)render_record(&f, &rec, buf, sizeof(buf));
		/* A tight buffer must fail cleanly, never write past cap. */
		char small[16];
		(void)render_record(&f, &rec, small, sizeof(small));
		(void)render_header(&f, small, sizeof(small));
	}
	free(s);
	return 0;
}
