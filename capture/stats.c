/* stats.c - the run statistics the CLI prints on stderr (PRODUCT.md
 * section 2): one summary line, and every counter with -v. */
#include "capture/stats.h"

#include <stdio.h>

#include "capture/log.h"
#include "capture/vpc/conntrack.h"

static unsigned long long u(uint64_t v)
{
	return (unsigned long long)v;
}

static void verbose_counters(const struct pipeline_stats *st)
{
	log_verbose("capture records %llu, bad record headers %llu, bad timestamps %llu, "
		    "late for a written window %llu", u(st->records_read), u(st->bad_records),
		    u(st->bad_time), u(st->late));
	for (int r = 0; r < DECODE_RESULT_COUNT; r++)
		log_verbose("decode %-12s %llu", decode_result_name((enum decode_result)r),
			    u(st->result[r]));
	for (int e = 1; e < EV_COUNT; e++)
		if (st->event[e])
			log_verbose("  event %-24s %llu", decode_event_name((enum decode_event)e),
				    u(st->event[e]));
	log_verbose("fragments: %llu given their first fragment's ports, %llu without",
		    u(st->frag_matched), u(st->frag_orphans));
	for (int i = 1; i < UNLOGGED_COUNT; i++)
		if (st->unlogged[i])
			log_verbose("not logged: %-18s %llu", unlogged_name((enum unlogged)i),
				    u(st->unlogged[i]));
	log_verbose("observations %llu, refused by a full flow table %llu", u(st->observations),
		    u(st->refused));
	log_verbose("records: NODATA %llu, SKIPDATA %llu, left out by TrafficType %llu",
		    u(st->nodata), u(st->skipdata), u(st->filtered));
	log_verbose("security groups and network ACLs: %llu observations rejected, %llu of them "
		    "on egress (never reached the receiving ENI)", u(st->rejected),
		    u(st->never_arrived));
	if (st->track_max)
		log_verbose("connection tracking: %llu connections, at most %u at once "
			    "(%llu KiB) of %u (%llu KiB bound)", u(st->tracked), st->track_peak,
			    u((uint64_t)st->track_peak * sizeof(struct ct_entry) / 1024),
			    st->track_max, u(st->track_bytes / 1024));
	if (st->nodata_dropped)
		log_info("%llu idle windows of gaps longer than %u windows got no NODATA line",
			 u(st->nodata_dropped), 10080u);
}

void stats_print(const struct pipeline_stats *st, bool live)
{
	uint64_t unlogged = 0;

	for (int i = 1; i < UNLOGGED_COUNT; i++)
		unlogged += st->unlogged[i];
	log_info("%llu packets read, %llu decoded, %llu not logged by rule, %llu unattributed, "
		 "%llu flows, %llu records", u(st->packets), u(st->result[DECODE_OK]),
		 u(unlogged), u(st->unattributed), u(st->flows), u(st->records));
	if (st->objects)
		log_info("S3 objects written: %llu", u(st->objects));
	if (st->streams)
		log_info("CloudWatch log streams written: %llu", u(st->streams));
	if (live)
		log_info("%llu packets dropped by the kernel, %llu by the interface",
			 u(st->kernel_drops), u(st->if_drops));
	/* Said once, at the end: the decisions were made packet by packet. */
	if (st->untracked)
		log_info("connection tracking table full (%u connections, --max-flows): %llu "
			 "connections were not tracked and their replies were judged by the "
			 "rules alone", st->track_max, u(st->untracked));
	verbose_counters(st);
}
