/* nitro.h - is an instance type built on the Nitro System? (spec 6.3)
 *
 * It decides traffic-path 7/8 versus 2 and the 60 s aggregation interval
 * (spec 6.2, 9.1). */
#ifndef VFE_NITRO_H
#define VFE_NITRO_H

#include <stdbool.h>

/* true for Nitro. why receives a short static reason for --explain:
 * "t3 is a Nitro family", "t2 is a Xen family", "bare metal",
 * "generation 7 (newer than the documented list)", "unknown family,
 * taken as Xen". A NULL or empty type is not Nitro. */
bool nitro_instance_type(const char *type, const char **why);

#endif
