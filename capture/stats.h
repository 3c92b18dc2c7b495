/* stats.h - what the CLI prints on stderr about a run. */
#ifndef VFE_STATS_H
#define VFE_STATS_H

#include <stdbool.h>

#include "capture/pipeline.h"

/* The summary line (unless -q) and, with -v, every counter. */
void stats_print(const struct pipeline_stats *st, bool live);

#endif
