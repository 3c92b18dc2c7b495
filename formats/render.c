/* render.c - writes the header line and the text line of one vpc_record.
 *
 * The record path is hand-written (no printf, no allocation), from the
 * writers of render_text.h: which field is which text, the line head of an
 * ENI, the default format's fields in one run. Never writes past the
 * caller's capacity. Spec vpc-flow-logs.md 1, 2, 3.3, 5.2, 13.11;
 * PRODUCT.md 3 for the fields a NODATA/SKIPDATA line keeps. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "formats/render.h"
#include "formats/render_text.h"

/* Fields a NODATA or SKIPDATA line fills; every other one is "-". These
 * are the window bounds and the metadata of the ENI itself (PRODUCT.md 3),
 * which gives AWS's layout for the default format (spec 5.2). */
static const bool nodata_keeps[FLD_COUNT] = {
	[FLD_VERSION] = true,
	[FLD_ACCOUNT_ID] = true,
	[FLD_INTERFACE_ID] = true,
	[FLD_START] = true,
	[FLD_END] = true,
	[FLD_LOG_STATUS] = true,
	[FLD_VPC_ID] = true,
	[FLD_SUBNET_ID] = true,
	[FLD_INSTANCE_ID] = true,
	[FLD_REGION] = true,
	[FLD_AZ_ID] = true,
	[FLD_SUBLOCATION_TYPE] = true,
	[FLD_SUBLOCATION_ID] = true,
};

static const char *meta_field(const struct eni_meta *m, enum field_id id)
{
	if (m == NULL)
		return NULL;
	switch (id) {
	case FLD_ACCOUNT_ID:            return m->account_id;
	case FLD_INTERFACE_ID:          return m->interface_id;
	case FLD_VPC_ID:                return m->vpc_id;
	case FLD_SUBNET_ID:             return m->subnet_id;
	case FLD_INSTANCE_ID:           return m->instance_id;
	case FLD_REGION:                return m->region;
	case FLD_AZ_ID:                 return m->az_id;
	case FLD_SUBLOCATION_TYPE:      return m->sublocation_type;
	case FLD_SUBLOCATION_ID:        return m->sublocation_id;
	case FLD_RESOURCE_ID:           return m->resource_id;
	case FLD_INTERFACE_TYPE:        return m->interface_type;
	case FLD_INSTANCE_TAG:          return m->instance_tag[0];
	case FLD_INSTANCE_TAG_2:        return m->instance_tag[1];
	case FLD_INTERFACE_TAG:         return m->interface_tag[0];
	case FLD_INTERFACE_TAG_2:       return m->interface_tag[1];
	case FLD_ASG_TAG:               return m->asg_tag[0];
	case FLD_ASG_TAG_2:             return m->asg_tag[1];
	default:
		break;
	}
	/* eni_meta.ecs[] holds the v7 fields in enum (spec 2.5) order. */
	if (id >= FLD_ECS_CLUSTER_ARN && id <= FLD_ECS_TASK_ID)
		return m->ecs[id - FLD_ECS_CLUSTER_ARN];
	return NULL;
}

/* The other string-valued fields; NULL renders "-". */
static const char *text_field(const struct vpc_record *r, enum field_id id)
{
	switch (id) {
	case FLD_PKT_SRC_AWS_SERVICE:
		return r->pkt_src_aws_service;
	case FLD_PKT_DST_AWS_SERVICE:
		return r->pkt_dst_aws_service;
	case FLD_REJECT_REASON:
		return r->reject_reason;
	default:
		break;
	}
	if (id >= FLD_NEXT_HOP_INTERFACE_ID &&
	    id <= FLD_NEXT_HOP_INTERFACE_TYPE)
		return r->next_hop[id - FLD_NEXT_HOP_INTERFACE_ID];
	return meta_field(r->meta, id);
}

/* The fixed words of the enum-valued fields, padded to 8 bytes (no NUL):
 * with room, one 8-byte copy and the cursor moves by the word's length.
 * n == 0 renders "-". */
struct word {
	char s[8];
	uint8_t n;
};

#define WORD(s) {s, sizeof(s) - 1}

static bool put_word(struct out *o, const struct word *w)
{
	if (w->n == 0)
		return put_dash(o);
	if (o->end - o->p < (ptrdiff_t)sizeof(w->s))
		return put(o, w->s, w->n);
	memcpy(o->p, w->s, sizeof(w->s));
	o->p += w->n;
	return true;
}

/* The word of an enum-valued field (action, log-status, type,
 * flow-direction); n == 0 for a value without one. */
__attribute__((always_inline))
static inline const struct word *enum_word(const struct vpc_record *r, enum field_id id)
{
	static const struct word action[] = {
		[ACTION_ACCEPT] = WORD("ACCEPT"), [ACTION_REJECT] = WORD("REJECT"),
	};
	static const struct word status[] = {
		[LOG_OK] = WORD("OK"), [LOG_NODATA] = WORD("NODATA"),
		[LOG_SKIPDATA] = WORD("SKIPDATA"),
	};
	static const struct word type[] = {[4] = WORD("IPv4"), [6] = WORD("IPv6")};
	static const struct word dir[] = {
		[DIR_INGRESS] = WORD("ingress"), [DIR_EGRESS] = WORD("egress"),
	};
	static const struct word none = {"", 0};

#define PICK(table, i) ((size_t)(i) < sizeof(table) / sizeof(table[0]) ? &table[i] : &none)
	switch (id) {
	case FLD_ACTION:                return PICK(action, r->action);
	case FLD_LOG_STATUS:            return PICK(status, r->status);
	case FLD_TYPE:                  return PICK(type, r->family);
	default:                        return PICK(dir, r->direction);
	}
#undef PICK
}

static bool put_enum_word(struct out *o, const struct vpc_record *r, enum field_id id)
{
	return put_word(o, enum_word(r, id));
}

/* Inlined into render_record's loop: a call per field costs more than the
 * line head saves. */
__attribute__((always_inline))
static inline bool render_field(struct out *o, const struct log_format *f,
				const struct vpc_record *r, bool flow, enum field_id id)
{
	/* Also keeps a corrupt id away from nodata_keeps[]. */
	if ((unsigned)id >= FLD_COUNT)
		return put_dash(o);
	if (!flow && !nodata_keeps[id])
		return put_dash(o);
	switch (id) {
	case FLD_VERSION:       return put_u64(o, f->version);
	case FLD_SRCADDR:       return put_addr(o, &r->srcaddr);
	case FLD_DSTADDR:       return put_addr(o, &r->dstaddr);
	case FLD_PKT_SRCADDR:   return put_addr(o, &r->pkt_srcaddr);
	case FLD_PKT_DSTADDR:   return put_addr(o, &r->pkt_dstaddr);
	case FLD_SRCPORT:       return put_u64(o, r->srcport);
	case FLD_DSTPORT:       return put_u64(o, r->dstport);
	case FLD_PROTOCOL:      return put_u64(o, r->protocol);
	case FLD_PACKETS:       return put_u64(o, r->packets);
	case FLD_BYTES:         return put_u64(o, r->bytes);
	case FLD_START:
		o->start = o->p;
		if (!put_i64(o, r->start))
			return false;
		o->start_len = (size_t)(o->p - o->start);
		return true;
	case FLD_END:
		if (o->start && r->end == r->start)
			return put(o, o->start, o->start_len);
		return put_i64(o, r->end);
	case FLD_TCP_FLAGS:
		if (r->tcp_flags == TCP_FLAGS_UNSET)
			return put_dash(o);
		return put_u64(o, r->tcp_flags);
	case FLD_TRAFFIC_PATH:
		if (r->traffic_path == TRAFFIC_PATH_NONE)
			return put_dash(o);
		return put_u64(o, r->traffic_path);
	case FLD_ENCRYPTION_STATUS:
		if (r->encryption_status < 0)
			return put_dash(o);
		return put_i64(o, r->encryption_status);
	case FLD_ACTION:
	case FLD_LOG_STATUS:
	case FLD_TYPE:
	case FLD_FLOW_DIRECTION:
		return put_enum_word(o, r, id);
	case FLD_ACCOUNT_ID:
	case FLD_INTERFACE_ID:
	case FLD_VPC_ID:
	case FLD_SUBNET_ID:
	case FLD_INSTANCE_ID:
	case FLD_REGION:
	case FLD_AZ_ID:
		if (r->meta && r->meta->safe)
			return put_safe(o, meta_field(r->meta, id));
		return put_str(o, meta_field(r->meta, id));
	default:
		return put_str(o, text_field(r, id));
	}
}

/* A word with room for its 8 bytes at p; "-" for none. */
static char *put_word_at(char *p, const struct word *w)
{
	if (w->n == 0) {
		*p = '-';
		return p + 1;
	}
	memcpy(p, w->s, sizeof(w->s));
	return p + w->n;
}

/* Room for any number, address or word field and the separator before
 * it: the widest is an address, IP_ADDR_STRLEN with its NUL. */
#define FIELD_ROOM (IP_ADDR_STRLEN + 2)

/* A flow record's field when at least FIELD_ROOM bytes are left at p:
 * numbers, addresses and words are written with no bound check, the
 * cursor in a register; strings and the rest go through render_field,
 * which checks. Same bytes as render_field. Returns the new cursor, NULL
 * when the line does not fit. */
__attribute__((always_inline))
static inline char *render_roomy(struct out *o, char *p, const struct log_format *f,
				 const struct vpc_record *r, enum field_id id)
{
	switch (id) {
	case FLD_SRCADDR:       return addr_text(p, &r->srcaddr);
	case FLD_DSTADDR:       return addr_text(p, &r->dstaddr);
	case FLD_PKT_SRCADDR:   return addr_text(p, &r->pkt_srcaddr);
	case FLD_PKT_DSTADDR:   return addr_text(p, &r->pkt_dstaddr);
	case FLD_SRCPORT:       return digits_u32(p, r->srcport);
	case FLD_DSTPORT:       return digits_u32(p, r->dstport);
	case FLD_PROTOCOL:      return digits_u32(p, r->protocol);
	case FLD_PACKETS:
		if (r->packets <= UINT32_MAX)
			return digits_u32(p, (uint32_t)r->packets);
		break;
	case FLD_BYTES:
		if (r->bytes <= UINT32_MAX)
			return digits_u32(p, (uint32_t)r->bytes);
		break;
	case FLD_START:
		if (r->start < 0 || r->start > UINT32_MAX)
			break;
		o->start = p;
		p = digits_u32(p, (uint32_t)r->start);
		o->start_len = (size_t)(p - o->start);
		return p;
	case FLD_END:
		/* Written again rather than copied from the start's digits:
		 * reading bytes just stored a few at a time stalls the load. */
		if (r->end >= 0 && r->end <= UINT32_MAX)
			return digits_u32(p, (uint32_t)r->end);
		break;
	case FLD_TRAFFIC_PATH:
		if (r->traffic_path == TRAFFIC_PATH_NONE)
			break;
		return digits_u32(p, r->traffic_path);
	case FLD_TCP_FLAGS:
		if (r->tcp_flags == TCP_FLAGS_UNSET)
			break;
		return digits_u32(p, r->tcp_flags);
	case FLD_PKT_SRC_AWS_SERVICE:
	case FLD_PKT_DST_AWS_SERVICE:
		/* Mostly none: "-" without the string routine. */
		if ((id == FLD_PKT_SRC_AWS_SERVICE ? r->pkt_src_aws_service :
						     r->pkt_dst_aws_service) != NULL)
			break;
		*p = '-';
		return p + 1;
	case FLD_ACTION:
	case FLD_LOG_STATUS:
	case FLD_TYPE:
	case FLD_FLOW_DIRECTION:
		return put_word_at(p, enum_word(r, id));
	default:
		break;
	}
	o->p = p;
	return render_field(o, f, r, true, id) ? o->p : NULL;
}

/* The fields that follow version, account-id and interface-id in AWS's
 * default format, and so in most lines (spec 1). */
static const enum field_id default_tail[] = {
	FLD_SRCADDR, FLD_DSTADDR, FLD_SRCPORT, FLD_DSTPORT, FLD_PROTOCOL, FLD_PACKETS,
	FLD_BYTES, FLD_START, FLD_END, FLD_ACTION, FLD_LOG_STATUS,
};

#define TAIL_N (sizeof(default_tail) / sizeof(default_tail[0]))
/* Room for the tail at its widest: two addresses, three 16-bit numbers,
 * two 64-bit ones, two seconds, two words and the separators; the 16
 * spare bytes take the last number's store past its digits. */
#define TAIL_ROOM (2 * IP_ADDR_STRLEN + 3 * 5 + 2 * 20 + 2 * 10 + 2 * 8 + TAIL_N + 16)

/* The default tail of a flow line with TAIL_ROOM bytes at p, in one run of
 * code: no field dispatch, each separator written with its field. Same
 * bytes as render_roomy() field by field; NULL (nothing written) when a
 * second is outside 32 bits, which the field-by-field path handles. */
static char *render_default_tail(char *p, const struct vpc_record *r)
{
	if (r->start < 0 || r->start > UINT32_MAX || r->end < 0 || r->end > UINT32_MAX)
		return NULL;
	*p++ = ' ';
	p = addr_text(p, &r->srcaddr);
	*p++ = ' ';
	p = addr_text(p, &r->dstaddr);
	*p++ = ' ';
	p = digits_u32(p, r->srcport);
	*p++ = ' ';
	p = digits_u32(p, r->dstport);
	*p++ = ' ';
	p = digits_u8(p, r->protocol);
	*p++ = ' ';
	/* Most flows have few packets: a byte's text, one copy. */
	p = r->packets < 256 ? digits_u8(p, (uint8_t)r->packets) : digits_u64(p, r->packets);
	*p++ = ' ';
	p = digits_u64(p, r->bytes);
	*p++ = ' ';
	p = seconds_pair(p, (uint32_t)r->start, (uint32_t)r->end);
	*p++ = ' ';
	p = put_word_at(p, enum_word(r, FLD_ACTION));
	*p++ = ' ';
	return put_word_at(p, enum_word(r, FLD_LOG_STATUS));
}

/* What v5 adds after the default fields (format.c's preset), written in
 * one run too when they end the line and name no service (nearly every
 * line). */
static const enum field_id v5_tail[] = {
	FLD_PKT_SRC_AWS_SERVICE, FLD_PKT_DST_AWS_SERVICE, FLD_FLOW_DIRECTION, FLD_TRAFFIC_PATH,
};

#define V5_N (sizeof(v5_tail) / sizeof(v5_tail[0]))
#define V5_ROOM 32              /* " - - ", an 8-byte word, a number's store */

static char *render_v5_tail(char *p, const struct vpc_record *r)
{
	memcpy(p, " - - ", 5);
	p = put_word_at(p + 5, enum_word(r, FLD_FLOW_DIRECTION));
	*p++ = ' ';
	if (r->traffic_path == TRAFFIC_PATH_NONE)
		*p++ = '-';
	else
		p = digits_u8(p, r->traffic_path);
	return p;
}

void render_seal_meta(struct eni_meta *m)
{
	static const enum field_id ids[] = {
		FLD_ACCOUNT_ID, FLD_INTERFACE_ID, FLD_VPC_ID, FLD_SUBNET_ID, FLD_INSTANCE_ID,
		FLD_REGION, FLD_AZ_ID,
	};
	size_t i;

	m->safe = false;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (!safe_str(meta_field(m, ids[i])))
			return;
	m->safe = true;
}

/* Fields the same in every line of one ENI and one format: those a NODATA
 * line keeps, less the window and the status. */
static bool head_field(enum field_id id)
{
	return (unsigned)id < FLD_COUNT && nodata_keeps[id] && id != FLD_START && id != FLD_END &&
	       id != FLD_LOG_STATUS;
}

void render_seal_head(struct eni_meta *m, const struct log_format *f)
{
	struct vpc_record r;
	struct out o = {m->head, m->head + sizeof(m->head), NULL, 0};
	unsigned k;

	memset(&r, 0, sizeof(r));
	r.meta = m;
	m->head_fmt = NULL;
	m->head_fields = 0;
	m->head_len = 0;
	m->head_then_default = false;
	m->default_then_v5 = false;
	for (k = 0; k < f->n && k < UINT8_MAX && head_field((enum field_id)f->ids[k]); k++) {
		char *mark = o.p;
		if ((k > 0 && !put_c(&o, ' ')) ||
		    !render_field(&o, f, &r, true, (enum field_id)f->ids[k])) {
			o.p = mark;
			break;
		}
	}
	if (k == 0)
		return;
	m->head_fmt = f;
	m->head_fields = (uint8_t)k;
	m->head_len = (uint8_t)(o.p - m->head);
	m->head_then_default = k + TAIL_N <= f->n;
	for (unsigned i = 0; i < TAIL_N && m->head_then_default; i++)
		m->head_then_default = f->ids[k + i] == default_tail[i];
	m->default_then_v5 = m->head_then_default && k + TAIL_N + V5_N == f->n;
	for (unsigned i = 0; i < V5_N && m->default_then_v5; i++)
		m->default_then_v5 = f->ids[k + TAIL_N + i] == v5_tail[i];
}

size_t render_record(const struct log_format *f, const struct vpc_record *r,
		     char *buf, size_t cap)
{
	struct out o;
	unsigned i = 0;

	if (buf == NULL || cap == 0)
		return 0;
	o.p = buf;
	o.end = buf + cap;
	o.start = NULL;
	bool flow = record_is_flow(r);
	if (r->meta && r->meta->head_fmt == f) {
		/* With room, the whole head buffer in one fixed-size copy (a
		 * copy of the head's own length is a slow string move). */
		if (cap >= sizeof(r->meta->head))
			memcpy(o.p, r->meta->head, sizeof(r->meta->head));
		else if (r->meta->head_len > cap)
			return 0;
		else
			memcpy(o.p, r->meta->head, r->meta->head_len);
		o.p += r->meta->head_len;
		i = r->meta->head_fields;
	}
	/* A flow line with room to spare, which is nearly every line, goes
	 * field by field without bound checks; the last fields, or any
	 * NODATA line, with them. */
	if (flow) {
		char *p = o.p, *q;
		if (i > 0 && r->meta->head_then_default && (size_t)(o.end - p) >= TAIL_ROOM &&
		    (q = render_default_tail(p, r)) != NULL) {
			p = q;
			i += TAIL_N;
			if (r->meta->default_then_v5 && !r->pkt_src_aws_service &&
			    !r->pkt_dst_aws_service && (size_t)(o.end - p) >= V5_ROOM) {
				p = render_v5_tail(p, r);
				i += V5_N;
			}
		}
		for (; i < f->n && (size_t)(o.end - p) >= FIELD_ROOM; i++) {
			if (i > 0)
				*p++ = ' ';
			if ((p = render_roomy(&o, p, f, r, (enum field_id)f->ids[i])) == NULL)
				return 0;
		}
		o.p = p;
	}
	for (; i < f->n; i++) {
		if (i > 0 && !put_c(&o, ' '))
			return 0;
		if (!render_field(&o, f, r, flow, (enum field_id)f->ids[i]))
			return 0;
	}
	if (!put_c(&o, '\n'))
		return 0;
	return (size_t)(o.p - buf);
}

size_t render_header(const struct log_format *f, char *buf, size_t cap)
{
	const struct field_info *fi;
	struct out o;
	unsigned i;

	if (buf == NULL || cap == 0)
		return 0;
	o.p = buf;
	o.end = buf + cap;
	o.start = NULL;
	for (i = 0; i < f->n; i++) {
		fi = field_info((enum field_id)f->ids[i]);
		if (i > 0 && !put_c(&o, ' '))
			return 0;
		if (!put(&o, fi ? fi->token : "-", fi ? strlen(fi->token) : 1))
			return 0;
	}
	if (!put_c(&o, '\n'))
		return 0;
	return (size_t)(o.p - buf);
}
