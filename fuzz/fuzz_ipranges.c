/* fuzz_ipranges.c - libFuzzer entry point for services_load() (AWS
 * ip-ranges.json) and the lookups that use it. */
#include <stdio.h>

#include "capture/vpc/services.h"
#include "fuzz/fuzz_util.h"

static const char *const probes[] = {
	"52.95.110.1", "3.5.0.1", "54.239.0.10", "10.0.0.1", "0.0.0.0",
	"255.255.255.255", "2600:1f18::1", "2a05:d07a:a000::1", "::", "::ffff:1.2.3.4",
};

static void count_prefix(void *ctx, const struct ip_prefix *p)
{
	(void)p;
	(*(size_t *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512];
	struct services s;
	int fd = fuzz_memfile(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	if (services_load(&s, path, err, sizeof(err)) == 0) {
		for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
			struct ip_addr a;
			struct ip_prefix matched;
			if (ip_addr_parse(probes[i], &a))
				(void)services_lookup(&s, &a, &matched);
		}
		/* Every address of the file's own prefixes, too. */
		for (size_t i = 0; i < s.nprefixes && i < 64; i++)
			(void)services_lookup(&s, &s.prefixes[i].prefix.addr, NULL);
		size_t n = 0;
		(void)services_region_prefixes(&s, "S3", "us-east-1", count_prefix, &n);
		services_free(&s);
	}
	close(fd);
	return 0;
}
