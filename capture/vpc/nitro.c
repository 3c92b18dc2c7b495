/* nitro.c - the instance family table of spec 6.3 (EC2 guide, 2023).
 *
 * Families on the documented lists decide by the list; bare-metal sizes
 * are Nitro; a family the lists do not name is Nitro when its generation
 * digit is 5 or more (every family since 2017 is Nitro, spec 6.3 [INF]),
 * and otherwise taken as Xen, which is what the old families are. */
#include "capture/vpc/nitro.h"

#include <ctype.h>
#include <stddef.h>
#include <string.h>

static const char *const nitro_families[] = {
	"a1", "m5", "m5a", "m5ad", "m5d", "m5dn", "m5n", "m5zn", "m6a", "m6g", "m6gd",
	"m6i", "m6id", "m6idn", "m6in", "m7g", "t3", "t3a", "t4g", "c5", "c5a", "c5ad",
	"c5d", "c5n", "c6a", "c6g", "c6gd", "c6gn", "c6i", "c6id", "c6in", "c7g", "hpc6a",
	"hpc6id", "r5", "r5a", "r5ad", "r5b", "r5d", "r5dn", "r5n", "r6a", "r6g", "r6gd",
	"r6i", "r6idn", "r6in", "r6id", "r7g", "u-3tb1", "u-6tb1", "u-9tb1", "u-12tb1",
	"x2gd", "x2idn", "x2iedn", "x2iezn", "z1d", "d3", "d3en", "i3en", "i4g", "i4i",
	"im4gn", "is4gen", "dl1", "g4ad", "g4dn", "g5", "g5g", "inf1", "inf2", "p3dn",
	"p4d", "p4de", "trn1", "trn1n", "vt1", NULL,
};

static const char *const xen_families[] = {
	"t2", "m4", "c4", "r4", "x1", "x1e", "i3", "d2", "h1", "g3", "p2", "p3", "f1",
	"m1", "m2", "m3", "c1", "c3", "cc1", "cc2", "cg1", "cr1", "r3", "i2", "hi1", "hs1",
	"g2", "t1", NULL,
};

static bool listed(const char *const *list, const char *family)
{
	for (; *list; list++)
		if (strcmp(*list, family) == 0)
			return true;
	return false;
}

/* The digit after the leading letters: "m7i" -> 7, "hpc7g" -> 7. */
static int generation(const char *family)
{
	while (isalpha((unsigned char)*family))
		family++;
	return isdigit((unsigned char)*family) ? *family - '0' : -1;
}

bool nitro_instance_type(const char *type, const char **why)
{
	char family[32];
	const char *dot;
	size_t n;

	if (!type || !*type) {
		*why = "no instance type";
		return false;
	}
	dot = strchr(type, '.');
	n = dot ? (size_t)(dot - type) : strlen(type);
	if (n >= sizeof(family))
		n = sizeof(family) - 1;
	for (size_t i = 0; i < n; i++)
		family[i] = (char)tolower((unsigned char)type[i]);
	family[n] = '\0';
	if (dot && strstr(dot + 1, "metal")) {
		*why = "bare metal";
		return true;
	}
	if (listed(nitro_families, family)) {
		*why = "a Nitro family";
		return true;
	}
	if (listed(xen_families, family)) {
		*why = "a Xen family";
		return false;
	}
	if (generation(family) >= 5) {
		*why = "generation 5 or newer, not on the documented list";
		return true;
	}
	*why = "unknown family, taken as Xen";
	return false;
}
