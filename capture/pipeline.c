/* pipeline.c - the read loop: the one place where the stages meet
 * (STYLE.md section 1).
 *
 * source -> decode -> fragments -> attribute -> action -> flow table -> emit
 * -> sink.
 * Time is packet time (STYLE.md habit 10): a window closes when a packet at
 * or past its end arrives, or, live, when the clock passes it on a quiet
 * link. Reading and decoding are in readahead.c (for a file, on a thread
 * of their own); setting up and tearing down are in pipeline_open.c. */
#include "capture/pipeline_int.h"
#include "capture/readahead.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

/* The start of sec's window of this interval, without a division for
 * nearly every packet: the last window of two intervals is kept (60 and
 * 600 are the only ones in practice). */
static uint32_t window_start(struct pipeline *p, uint32_t sec, uint32_t interval)
{
	struct window_memo *w = p->windows;

	if (w[0].interval == interval && sec - w[0].start < interval)
		return w[0].start;
	if (w[1].interval == interval && sec - w[1].start < interval)
		return w[1].start;
	if (w[0].interval != interval && w[0].interval != 0)
		w++;
	w->interval = interval;
	w->start = sec - sec % interval;
	return w->start;
}

static void make_key(struct pipeline *p, const struct observation *o, const struct pkt_meta *m,
		     uint32_t sec, uint8_t action, struct flow_key *k)
{
	memset(k, 0, sizeof(*k));
	k->src = m->src;
	k->dst = m->dst;
	k->eni = o->eni;
	k->wstart = window_start(p, sec, o->interval);
	k->sport = m->sport;
	k->dport = m->dport;
	k->proto = m->proto;
	k->action = action;
	k->dir = o->dir;
}

static void count_observation(struct pipeline *p, const struct flow_key *k, uint32_t h,
			      uint32_t interval, const struct verdict *v, const struct pkt_meta *m,
			      uint32_t sec)
{
	/* Its window is already written: a second record for the same flow and
	 * window would be wrong, so the packet is counted as late instead. */
	if ((int64_t)k->wstart + interval <= p->closed_to) {
		p->st.late++;
		return;
	}
	bool fresh;
	uint32_t tag = emit_flow_tag(sec - k->wstart, k->eni);
	struct flow *f = flow_table_get_hashed(&p->flows, k, h, interval, tag, &fresh);

	if ((int64_t)k->wstart + interval < p->next_close)
		p->next_close = (int64_t)k->wstart + interval;
	if (!f) {
		p->st.refused++;
		emit_note_skip(&p->emit, k->eni, k->wstart, interval, SKIP_TABLE_FULL);
		return;
	}
	p->st.observations++;
	if (fresh) {
		/* Every counter written, none read: the line need not come. */
		f->packets = 1;
		f->bytes = m->ip_len;
		f->first = f->last = sec;
		f->tcp_flags = flow_tcp_flags(m->tcp_flags);
		f->family = m->family;
		f->sg_why = v->sg;
		f->acl_why = v->acl;
		p->st.flows++;
		return;
	}
	/* Packets of a file can be slightly out of order (multi-queue NICs). */
	if (sec < f->first) {
		f->first = sec;
		flow_table_retag(&p->flows, f, interval, tag);
	}
	if (sec > f->last)
		f->last = sec;
	f->packets++;
	f->bytes += m->ip_len;
	f->tcp_flags |= flow_tcp_flags(m->tcp_flags);
}

/* Live: packets the kernel or the interface dropped since the last look
 * make every window now closing incomplete, for every ENI (PRODUCT.md
 * section 3). Drops are seen when windows close, so they are charged to
 * the windows that close then. */
static void note_drops(struct pipeline *p, int64_t now)
{
	struct source_stats ss;

	source_stats(p->src, &ss);
	uint64_t drops = ss.kernel_drops + ss.if_drops;
	bool charged = false;
	if (drops == p->drops_seen)
		return;
	for (uint32_t w = 0; w < p->flows.nwin; w++) {
		const struct flow_window *fw = p->flows.win + w;
		if ((int64_t)fw->wstart + fw->interval > now)
			continue;
		for (uint32_t i = 0; i < p->enis.n; i++)
			if (p->enis.v[i]->interval == fw->interval)
				emit_note_skip(&p->emit, i, fw->wstart, fw->interval,
					       SKIP_DROPS);
		charged = true;
	}
	/* No window closes now: the drops wait for the next one that does. */
	if (charged)
		p->drops_seen = drops;
}

static int flush(struct pipeline *p, int64_t now)
{
	if (p->src->live)
		note_drops(p, now);
	if (now > p->closed_to)
		p->closed_to = now;
	int rc = flow_table_flush(&p->flows, now, emit_window, &p->emit);
	p->next_close = flow_table_next_close(&p->flows);
	/* Live, a closed window's records are written now, not when 1 MiB of
	 * them has piled up. */
	if (rc == 0 && p->src->live && p->out.len > 0 && sink_flush(&p->out) != 0) {
		snprintf(p->emit.err, sizeof(p->emit.err), "stdout: %s", strerror(p->out.err));
		rc = -1;
	}
	return rc;
}

/* Live on a quiet link: windows end by the clock (a grace second after,
 * for packets still in the kernel's buffer), idle ones give NODATA, and
 * delivered objects and streams that can get nothing more are completed. */
static int flush_by_clock(struct pipeline *p)
{
	int64_t now = (int64_t)time(NULL) - GRACE;

	if (flush(p, now) != 0 || emit_finish(&p->emit, now) != 0 ||
	    emit_deliver_before(&p->emit, now) != 0)
		return -1;
	return 0;
}

/* Security groups and network ACLs decide each observation's action
 * (vpc/action.c). A packet its sender's side rejects never arrives: the
 * receiving ENI gets no observation of it (attribute() puts the egress
 * observation first). */
static void judge(struct pipeline *p, struct staged *b)
{
	for (int k = 0; k < b->nobs; k++) {
		const struct observation *o = b->obs + k;
		const struct eni *peer = b->nobs == 2 ? p->enis.v[b->obs[1 - k].eni] : NULL;
		action_decide(&p->ct, &p->model, p->enis.v[o->eni], o->dir, peer, &b->d->m, b->d->sec,
			      b->ck + k, b->cth[k], b->v + k);
		if (b->v[k].action != ACTION_REJECT)
			continue;
		p->st.rejected++;
		if (o->dir == DIR_EGRESS && b->nobs == 2) {
			p->st.never_arrived++;
			b->nobs = 1;
			return;
		}
	}
}

/* Attribution, in packet order (fragments and never-logged traffic were
 * settled as the packets were read, readahead.c); with
 * rules, the tracking lookups of the batch are prefetched, then decided
 * in packet order (tracking changes there, as if each packet came alone). */
static void observe_batch(struct pipeline *p)
{
	/* The address map's slots arrive while the first packets are looked
	 * at: those the reader's copy of it could not answer. */
	for (size_t i = 0; i < p->nbatch; i++)
		for (int k = 0; k < 2; k++)
			if (p->batch[i].d->eni[k] == ENI_ASK)
				eni_prefetch(&p->enis, p->batch[i].d->eni_hash[k]);
	for (size_t i = 0; i < p->nbatch; i++) {
		struct staged *b = p->batch + i;
		memset(b->v, 0, sizeof(b->v));
		if (b->d->unlogged != UNLOGGED_NO) {
			b->nobs = 0;
			continue;
		}
		b->nobs = (uint8_t)attribute_known(&p->enis, &b->d->m, b->d->eni_hash, b->d->eni,
						   b->obs);
		if (b->nobs == 0)
			p->st.unattributed++;
		/* The ENI's first line: its security groups and ACL. */
		for (int k = 0; p->judge && k < b->nobs; k++)
			__builtin_prefetch(&p->enis.v[b->obs[k].eni]->sg);
	}
	if (!p->judge)
		return;
	for (size_t i = 0; i < p->nbatch; i++) {
		struct staged *b = p->batch + i;
		for (int k = 0; k < b->nobs; k++)
			b->cth[k] = action_prefetch(&p->ct, p->enis.v[b->obs[k].eni], b->obs[k].dir,
						    &b->d->m, b->ck + k);
	}
	for (size_t i = 0; i < p->nbatch; i++)
		for (int k = 0; k < p->batch[i].nobs; k++)
			if (p->batch[i].cth[k])
				conntrack_prefetch_entry(&p->ct, p->batch[i].cth[k]);
	for (size_t i = 0; i < p->nbatch; i++)
		judge(p, p->batch + i);
}

/* Counts the batch in packet order. observe_batch() decides what each
 * packet is; the next three loops only compute keys and prefetch; the last
 * one does everything else that has an effect, in the same order as if
 * each packet had been counted alone. */
static int count_batch(struct pipeline *p)
{
	observe_batch(p);
	/* Keys first, hashes after: a key is stored field by field, and
	 * hashing it reads it 8 bytes at a time, which waits until those
	 * stores have left the store buffer. */
	for (size_t i = 0; i < p->nbatch; i++) {
		struct staged *b = p->batch + i;
		for (int k = 0; k < b->nobs; k++)
			make_key(p, b->obs + k, &b->d->m, b->d->sec, b->v[k].action, b->key + k);
	}
	for (size_t i = 0; i < p->nbatch; i++) {
		struct staged *b = p->batch + i;
		for (int k = 0; k < b->nobs; k++) {
			b->hash[k] = flow_table_hash(&p->flows, b->key + k);
			flow_table_prefetch_slot(&p->flows, b->hash[k]);
		}
	}
	for (size_t i = 0; i < p->nbatch; i++)
		for (int k = 0; k < p->batch[i].nobs; k++)
			flow_table_prefetch_flow(&p->flows, p->batch[i].hash[k]);
	for (size_t i = 0; i < p->nbatch; i++) {
		const struct staged *b = p->batch + i;
		/* Windows that ended before this packet close first, so their
		 * flows make room in the table for the new window's. */
		if (b->d->sec >= p->next_close + GRACE && flush(p, b->d->sec - GRACE) != 0)
			return -1;
		for (int k = 0; k < b->nobs; k++)
			count_observation(p, b->key + k, b->hash[k], b->obs[k].interval, b->v + k,
					  &b->d->m, b->d->sec);
		if (b->d->sec > p->last_sec)
			p->last_sec = b->d->sec;
	}
	p->nbatch = 0;
	return 0;
}

static bool time_is_up(const struct pipeline *p, time_t t0)
{
	return p->cfg->duration && time(NULL) - t0 >= (time_t)p->cfg->duration;
}

/* A read batch becomes the batch to count: each packet is counted where
 * reading left it (the batch is held until then, not copied); what
 * reading it counted joins the statistics. */
static void stage_batch(struct pipeline *p, const struct batch *b)
{
	const struct stage_counts *c = &b->counts;

	for (size_t i = 0; i < b->n; i++)
		p->batch[i].d = b->pkt + i;
	p->nbatch = b->n;
	p->counts.packets += c->packets;
	p->counts.bad_time += c->bad_time;
	for (size_t i = 0; i < DECODE_RESULT_COUNT; i++)
		p->counts.result[i] += c->result[i];
	for (size_t i = 0; i < EV_COUNT; i++)
		p->counts.event[i] += c->event[i];
	for (size_t i = 0; i < UNLOGGED_COUNT; i++)
		p->counts.unlogged[i] += c->unlogged[i];
}

/* The read loop, reading on this thread. Ends at the end of the input,
 * -c, --duration or *stop. */
static int read_loop(struct pipeline *p, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	time_t t0 = time(NULL);

	for (;;) {
		struct batch b = {.pkt = p->read};
		batch_fill(p, &b, p->counts.packets, stop, NULL);
		stage_batch(p, &b);
		if (count_batch(p) != 0)
			return -1;
		if (b.end == SRC_EOF)
			return 0;
		if (b.end == SRC_ERROR) {
			snprintf(err, errlen, "%s", p->src->err);
			return 1;
		}
		if (b.end == SRC_TIMEOUT && flush_by_clock(p) != 0)
			return -1;
		if (p->src->live && time_is_up(p, t0))
			return 0;
	}
}

/* The same with the reading and decoding on a thread of their own
 * (readahead.h): batches are counted in the order they were read, until
 * one ends the input or *stop is set. */
static int count_ahead(struct pipeline *p, struct readahead *ra, volatile sig_atomic_t *stop,
		       char *err, size_t errlen)
{
	for (;;) {
		const struct batch *b = readahead_take(ra);
		enum source_status end = b->end;
		readahead_prefetch_next(ra);
		stage_batch(p, b);
		int rc = count_batch(p);
		readahead_release(ra);
		if (rc != 0)
			return -1;
		readahead_enis(ra);
		if (end == SRC_ERROR) {
			snprintf(err, errlen, "%s", p->src->err);
			return 1;
		}
		/* Anything but a full batch ends the input: the reader has
		 * stopped after it. */
		if (end != SRC_PACKET || *stop)
			return 0;
	}
}

static int read_all(struct pipeline *p, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	struct readahead *ra = p->threads ? readahead_start(p) : NULL;

	if (!ra)
		return read_loop(p, stop, err, errlen);
	int rc = count_ahead(p, ra, stop, err, errlen);
	readahead_stop(ra);
	return rc;
}

void pipeline_set_progress(struct pipeline *p, pipeline_progress_fn fn)
{
	p->progress = p->src->live ? NULL : fn;
}

int pipeline_run(struct pipeline *p, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	int rc = 0;

	if (p->cfg->header && emit_header(&p->emit) != 0)
		rc = -1;
	if (rc == 0)
		rc = read_all(p, stop, err, errlen);
	/* Whatever stopped the loop, every open window is written, and the
	 * idle windows up to the end of the capture (its last second; live,
	 * now) give NODATA. */
	int64_t end = p->src->live ? (int64_t)time(NULL) : (int64_t)p->last_sec + 1;
	if (rc != -1 && (flush(p, INT64_MAX) != 0 || emit_finish(&p->emit, end) != 0))
		rc = -1;
	if (rc == -1) {
		snprintf(err, errlen, "%s", p->emit.err[0] ? p->emit.err : "out of memory");
		rc = 1;
	}
	if (sink_flush(&p->out) != 0 && rc == 0) {
		snprintf(err, errlen, "stdout: %s", strerror(p->out.err));
		rc = 1;
	}
	if (close_delivery(p, rc == 0 ? err : NULL, errlen) != 0)
		rc = 1;
	struct source_stats ss;
	source_stats(p->src, &ss);
	p->st.packets = p->counts.packets;
	p->st.bad_time = p->counts.bad_time;
	memcpy(p->st.result, p->counts.result, sizeof(p->st.result));
	memcpy(p->st.event, p->counts.event, sizeof(p->st.event));
	memcpy(p->st.unlogged, p->counts.unlogged, sizeof(p->st.unlogged));
	p->st.records_read = ss.records;
	p->st.bad_records = ss.bad_records;
	p->st.kernel_drops = ss.kernel_drops;
	p->st.if_drops = ss.if_drops;
	p->st.frag_matched = p->frag.matched;
	p->st.frag_orphans = p->frag.orphans;
	p->st.records = p->emit.count[EMIT_RECORDS];
	p->st.skipdata = p->emit.count[EMIT_SKIPDATA];
	p->st.nodata = p->emit.count[EMIT_NODATA];
	p->st.nodata_dropped = p->emit.nodata_dropped;
	p->st.filtered = p->emit.count[EMIT_FILTERED];
	p->st.tracked = p->ct.opened;
	p->st.untracked = p->ct.refused;
	p->st.track_max = p->ct.max;
	p->st.track_peak = p->ct.peak;
	p->st.track_bytes = p->ct.max ? conntrack_bound(p->ct.max) : 0;
	return rc;
}

const struct pipeline_stats *pipeline_stats(const struct pipeline *p)
{
	return &p->st;
}
