/* enrich.h - the fields of a record that come from the VPC model, not the
 * packets: traffic-path (spec 6) and pkt-src/dst-aws-service (spec 7), and
 * the --explain line that says why (the action's part from vpc/action.c). */
#ifndef VFE_ENRICH_H
#define VFE_ENRICH_H

#include <stddef.h>

#include "capture/vpc/action.h"
#include "capture/vpc/model.h"
#include "formats/record.h"

/* Sets r->traffic_path and the aws-service fields of the flow record r
 * logged on e. With explain (cap > 0), writes one line starting with "# "
 * and without a newline, ending with why the action is r->action (v: the
 * verdict of the flow's first packet). */
void enrich_record(const struct vpc_model *m, const struct eni *e, const struct verdict *v,
		   struct vpc_record *r, char *explain, size_t cap);

#endif
