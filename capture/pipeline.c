/* pipeline.c - wires the stages together; the only file that knows them all.
 *
 * source -> decode -> fragments -> attribute -> flow table -> emit -> sink.
 * Time is packet time (STYLE.md habit 10): a window closes when a packet at
 * or past its end arrives, or, live, when the clock passes it on a quiet
 * link. */
#include "capture/pipeline.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "capture/emit.h"
#include "capture/flow/frag.h"
#include "capture/flow/hash.h"
#include "capture/flow/table.h"
#include "capture/source/source.h"
#include "capture/vpc/attribute.h"
#include "capture/vpc/autodetect.h"
#include "capture/vpc/eni.h"
#include "capture/vpc/model.h"
#include "formats/cloudwatch.h"
#include "formats/mem.h"
#include "formats/render.h"
#include "formats/s3.h"
#include "formats/sink.h"

#define OUT_BUFFER (1u << 20)

/* Packets are decoded as they are read (the capture buffer is reused by the
 * next read) and counted in batches, so the cache misses of a batch's flow
 * lookups overlap instead of following one another. */
#define BATCH 32

struct staged {
	struct pkt_meta m;
	uint32_t sec;
	uint8_t nobs;
	struct observation obs[2];
	struct flow_key key[2];
	uint32_t hash[2];
};

struct pipeline {
	const struct config *cfg;
	struct source *src;
	struct eni_table enis;
	struct flow_table flows;
	struct frag_cache frag;
	struct sink out;
	struct emitter emit;
	struct vpc_model model;
	struct log_format format;   /* -f, else the flow log's LogFormat, else v5 */
	char header[RENDER_MAX_LINE];   /* of every delivered object */
	uint32_t last_sec;          /* of the last packet counted: the capture's end */
	struct flow **scratch;
	size_t scratch_cap;
	int64_t next_close;         /* earliest end of an open window */
	struct staged *batch;       /* decoded packets not yet counted */
	size_t nbatch;
	struct pipeline_stats st;
};

static struct source *open_source(const struct config *cfg, FILE *spool, char *err, size_t errlen)
{
	struct source *s;

	if (cfg->iface) {
		struct live_options o = {cfg->iface, cfg->snaplen, cfg->buffer_kib,
					 DEFAULT_TIMEOUT_MS};
		s = source_open_live(&o, err, errlen);
	} else if (spool) {
		/* A second reader of the spooled stdin, from its start. */
		int fd = dup(fileno(spool));
		FILE *fp = fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 ? fdopen(fd, "rb") : NULL;
		if (!fp) {
			if (fd >= 0)
				close(fd);
			snprintf(err, errlen, "stdin: %s", strerror(errno));
			return NULL;
		}
		s = source_open_stream(fp, "stdin", err, errlen);
	} else {
		s = source_open_file(cfg->read_file, err, errlen);
	}
	if (s && cfg->filter && source_set_filter(s, cfg->filter, err, errlen) != 0) {
		source_close(s);
		return NULL;
	}
	return s;
}

/* stdin can be read once; the address pre-pass needs it twice. */
static FILE *spool_stdin(char *err, size_t errlen)
{
	FILE *tmp = tmpfile();
	char buf[65536];
	size_t n;

	if (!tmp) {
		snprintf(err, errlen, "stdin: cannot make a temporary file: %s", strerror(errno));
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		if (fwrite(buf, 1, n, tmp) != n) {
			snprintf(err, errlen, "stdin: spooling: %s", strerror(errno));
			fclose(tmp);
			return NULL;
		}
	}
	if (fflush(tmp) != 0 || ferror(stdin)) {
		snprintf(err, errlen, "stdin: %s", strerror(errno));
		fclose(tmp);
		return NULL;
	}
	return tmp;
}

static int autodetect(struct pipeline *p, FILE *spool, char *notice, size_t noticelen,
		      char *err, size_t errlen)
{
	struct source *s = open_source(p->cfg, spool, err, errlen);
	struct ip_addr a;
	uint64_t nflows = 0;
	char text[IP_ADDR_STRLEN];

	if (!s)
		return -1;
	int rc = autodetect_local(s, p->cfg->max_flows, &a, &nflows, err, errlen);
	source_close(s);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		snprintf(notice, noticelen, "no IP packets: no ENI address to pick; give --local-ip");
		return 0;
	}
	ip_addr_format(&a, text);
	snprintf(notice, noticelen, "ENI address %s (seen in %llu flows); set it with --local-ip",
		 text, (unsigned long long)nflows);
	return eni_add(&p->enis, &a, 1) < 0 ? -1 : 0;
}

static int live_enis(struct pipeline *p, char *err, size_t errlen)
{
	struct ip_addr a[CONFIG_MAX_ADDRS];
	int n = eni_interface_addrs(p->cfg->iface, a, CONFIG_MAX_ADDRS);

	if (n <= 0) {
		snprintf(err, errlen, "%s: the interface has no addresses; give --local-ip or --vpc-cidr",
			 p->cfg->iface);
		return -1;
	}
	return eni_add(&p->enis, a, (size_t)n) < 0 ? -1 : 0;
}

static int setup_enis(struct pipeline *p, FILE *spool, char *notice, size_t noticelen,
		      char *err, size_t errlen)
{
	const struct config *cfg = p->cfg;

	if (cfg->nlocal > 0 && eni_add(&p->enis, cfg->local, cfg->nlocal) < 0) {
		snprintf(err, errlen, "--local-ip: an address is given twice, or belongs to an "
			 "interface of the topology already");
		return -1;
	}
	for (size_t i = 0; i < cfg->ncidrs; i++)
		if (eni_add_cidr(&p->enis, cfg->cidrs + i) != 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	if (cfg->nlocal > 0 || cfg->ncidrs > 0 || p->enis.n > 0)
		return 0;
	if (cfg->iface)
		return live_enis(p, err, errlen);
	return autodetect(p, spool, notice, noticelen, err, errlen);
}

/* -o and --cloudwatch replace stdout (PRODUCT.md sections 2 and 5). */
static int open_delivery(struct pipeline *p, char *err, size_t errlen)
{
	const struct config *cfg = p->cfg;
	const struct topo_flow_log *fl = p->model.flow_log;
	static const char *const suffix[] = {"all", "accept", "reject"};

	if (cfg->out_dir) {
		render_header(&p->format, p->header, sizeof(p->header));
		struct s3_options o = {
			.dir = cfg->out_dir,
			.hive = cfg->hive || (fl && fl->hive),
			.per_hour = cfg->per_hour || (fl && fl->per_hour),
			.flow_log_id = fl ? fl->id : NULL,
			.level = 1,
			.header = p->header,
		};
		if (!(p->emit.s3 = s3_open(&o, err, errlen)))
			return -1;
	}
	if (cfg->cloudwatch &&
	    !(p->emit.cw = cw_open(cfg->cloudwatch, suffix[p->emit.traffic], err, errlen)))
		return -1;
	if (p->emit.s3 || p->emit.cw)
		p->emit.out = NULL;
	return 0;
}

/* The VPC model, and the flow log settings it carries (PRODUCT.md
 * section 2: the topology's FlowLogs are the defaults, flags override). */
static int open_model(struct pipeline *p, char *err, size_t errlen)
{
	const struct config *cfg = p->cfg;
	const struct model_options o = {cfg->topology, cfg->ntopology, cfg->ip_ranges,
					cfg->interval, cfg->cidrs, cfg->ncidrs};
	char ferr[256];

	if (model_build(&p->model, &p->enis, &o, err, errlen) != 0)
		return -1;
	const struct topo_flow_log *fl = p->model.flow_log;
	/* ENIs the topology does not describe: the flow log's interval. */
	p->enis.interval = model_interval(&p->model, cfg->interval, false);
	p->format = cfg->format;
	if (!cfg->format_set && fl && fl->format &&
	    format_parse(fl->format, &p->format, ferr, sizeof(ferr)) != 0) {
		snprintf(err, errlen, "flow log %s: LogFormat: %s", fl->id ? fl->id : "(no id)", ferr);
		return -1;
	}
	p->emit.traffic = TRAFFIC_ALL;
	if (cfg->traffic_type >= 0) {
		p->emit.traffic = (enum traffic_type)cfg->traffic_type;
	} else if (fl && fl->traffic_type) {
		int t = traffic_type_parse(fl->traffic_type);
		if (t < 0) {
			snprintf(err, errlen, "flow log %s: TrafficType \"%s\" is not ACCEPT, "
				 "REJECT or ALL", fl->id ? fl->id : "(no id)", fl->traffic_type);
			return -1;
		}
		p->emit.traffic = (enum traffic_type)t;
	}
	p->emit.explain = cfg->explain;
	return open_delivery(p, err, errlen);
}

struct pipeline *pipeline_open(const struct config *cfg, char *notice, size_t noticelen,
			       char *err, size_t errlen)
{
	struct pipeline *p = vfe_calloc(1, sizeof(*p));
	FILE *spool = NULL;

	notice[0] = '\0';
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	p->cfg = cfg;
	if (eni_table_init(&p->enis, 600) != 0 ||
	    flow_table_init(&p->flows, cfg->max_flows, hash_seed()) != 0 ||
	    sink_init(&p->out, STDOUT_FILENO, OUT_BUFFER) != 0) {
		snprintf(err, errlen, "out of memory for %u flows", cfg->max_flows);
		goto fail;
	}
	p->batch = vfe_calloc(BATCH, sizeof(*p->batch));
	if (!p->batch) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	emit_init(&p->emit, &p->format, &p->out, &p->enis, &p->model);
	if (open_model(p, err, errlen) != 0)
		goto fail;
	bool need_two_passes = cfg->read_file && cfg->nlocal == 0 && cfg->ncidrs == 0 &&
			       p->enis.n == 0;
	if (need_two_passes && strcmp(cfg->read_file, "-") == 0 &&
	    !(spool = spool_stdin(err, errlen)))
		goto fail;
	/* Live: the interface must exist before its addresses are asked for.
	 * A file: the address pre-pass reads it before the real pass does. */
	if (cfg->iface && !(p->src = open_source(cfg, NULL, err, errlen)))
		goto fail;
	if (setup_enis(p, spool, notice, noticelen, err, errlen) != 0)
		goto fail;
	if (!p->src && !(p->src = open_source(cfg, spool, err, errlen)))
		goto fail;
	if (p->model.unresolved_prefix_lists && !notice[0])
		snprintf(notice, noticelen, "%zu prefix-list routes name prefix lists that neither "
			 "PrefixLists (-t) nor ip-ranges.json (-R) resolve: they are left out",
			 p->model.unresolved_prefix_lists);
	if (spool)
		fclose(spool);
	p->next_close = INT64_MAX;
	return p;
fail:
	if (spool)
		fclose(spool);
	pipeline_close(p);
	return NULL;
}

static void make_key(const struct pipeline *p, const struct observation *o,
		     const struct pkt_meta *m, uint32_t sec, struct flow_key *k)
{
	const struct eni *e = p->enis.v[o->eni];

	memset(k, 0, sizeof(*k));
	k->src = m->src;
	k->dst = m->dst;
	k->eni = o->eni;
	k->wstart = sec - sec % e->interval;
	k->sport = m->sport;
	k->dport = m->dport;
	k->proto = m->proto;
	k->action = ACTION_ACCEPT;
	k->dir = o->dir;
}

static void count_observation(struct pipeline *p, const struct flow_key *k, uint32_t h,
			      const struct pkt_meta *m, uint32_t sec)
{
	uint32_t interval = p->enis.v[k->eni]->interval;
	struct flow *f = flow_table_get_hashed(&p->flows, k, h, interval);

	if ((int64_t)k->wstart + interval < p->next_close)
		p->next_close = (int64_t)k->wstart + interval;
	if (!f) {
		p->st.refused++;
		emit_note_skip(&p->emit, k->eni, k->wstart, interval);
		return;
	}
	if (f->packets == 0) {
		f->first = f->last = sec;
		f->family = m->family;
		p->st.flows++;
	}
	/* Packets of a file can be slightly out of order (multi-queue NICs). */
	if (sec < f->first)
		f->first = sec;
	if (sec > f->last)
		f->last = sec;
	f->packets++;
	f->bytes += m->ip_len;
	f->tcp_flags |= flow_tcp_flags(m->tcp_flags);
	p->st.observations++;
}

static int flush(struct pipeline *p, int64_t now)
{
	int rc = flow_table_flush(&p->flows, now, emit_window, &p->emit, &p->scratch,
				  &p->scratch_cap);
	p->next_close = flow_table_next_close(&p->flows);
	/* Live, a closed window's records are written now, not when 1 MiB of
	 * them has piled up. */
	if (rc == 0 && p->src->live && p->out.len > 0 && sink_flush(&p->out) != 0)
		rc = -1;
	return rc;
}

/* Live on a quiet link: windows end by the clock, idle ones give NODATA. */
static int flush_by_clock(struct pipeline *p)
{
	int64_t now = (int64_t)time(NULL);

	if (flush(p, now) != 0 || emit_finish(&p->emit, now) != 0)
		return -1;
	return 0;
}

/* Decodes one packet into the batch; packets that are not OK stop here. */
static void stage_packet(struct pipeline *p, const struct packet *pkt)
{
	struct staged *b = p->batch + p->nbatch;

	p->st.packets++;
	/* Window arithmetic is in uint32 seconds: 1970 to 2106. */
	if (pkt->ts_sec < 0 || pkt->ts_sec >= (int64_t)UINT32_MAX - 600) {
		p->st.bad_time++;
		return;
	}
	enum decode_result r = decode_packet(p->src->dlt, pkt->data, pkt->caplen,
					     pkt->wirelen, &b->m);
	p->st.result[r]++;
	p->st.event[b->m.event]++;
	if (r != DECODE_OK)
		return;
	b->sec = (uint32_t)pkt->ts_sec;
	p->nbatch++;
}

/* Counts the batch in packet order. The first two loops only compute and
 * prefetch; the last one does everything that has an effect, in the same
 * order as if each packet had been counted alone. */
static int count_batch(struct pipeline *p)
{
	for (size_t i = 0; i < p->nbatch; i++) {
		struct staged *b = p->batch + i;
		frag_resolve(&p->frag, &b->m, b->sec);
		enum unlogged u = model_unlogged(&p->model, &b->m);
		if (u != UNLOGGED_NO) {
			p->st.unlogged[u]++;
			b->nobs = 0;
			continue;
		}
		b->nobs = (uint8_t)attribute(&p->enis, &b->m, b->obs);
		if (b->nobs == 0)
			p->st.unattributed++;
		for (int k = 0; k < b->nobs; k++) {
			make_key(p, b->obs + k, &b->m, b->sec, b->key + k);
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
		if (b->sec >= p->next_close && flush(p, b->sec) != 0)
			return -1;
		for (int k = 0; k < b->nobs; k++)
			count_observation(p, b->key + k, b->hash[k], &b->m, b->sec);
		if (b->sec > p->last_sec)
			p->last_sec = b->sec;
	}
	p->nbatch = 0;
	return 0;
}

static bool time_is_up(const struct pipeline *p, time_t t0)
{
	return p->cfg->duration && time(NULL) - t0 >= (time_t)p->cfg->duration;
}

/* The read loop. Ends at the end of the input, -c, --duration or *stop. */
static int read_loop(struct pipeline *p, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	const struct config *cfg = p->cfg;
	time_t t0 = time(NULL);
	struct packet pkt;

	while (!*stop && !(cfg->count && p->st.packets >= cfg->count)) {
		enum source_status s = source_next(p->src, &pkt);
		if (s == SRC_PACKET) {
			stage_packet(p, &pkt);
			if (p->nbatch < BATCH)
				continue;
		}
		if (count_batch(p) != 0)
			return -1;
		if (s == SRC_EOF || (s == SRC_ERROR && *stop))
			break;  /* the end, or a read interrupted by SIGINT/SIGTERM */
		if (s == SRC_ERROR) {
			snprintf(err, errlen, "%s", p->src->err);
			return 1;
		}
		if (s == SRC_TIMEOUT && flush_by_clock(p) != 0)
			return -1;
		if (p->src->live && time_is_up(p, t0))
			break;
	}
	return count_batch(p);
}

/* Completes every object and stream; the first error wins the message. */
static int close_delivery(struct pipeline *p, char *err, size_t errlen)
{
	char e[512];
	int rc = 0;

	if (p->emit.s3) {
		rc |= s3_close_before(p->emit.s3, INT64_MAX);
		p->st.objects = s3_objects(p->emit.s3);
		rc |= s3_close(p->emit.s3, e, sizeof(e));
		if (rc && err)
			snprintf(err, errlen, "%s", e);
		p->emit.s3 = NULL;
	}
	if (p->emit.cw) {
		p->st.streams = cw_streams(p->emit.cw);
		if (cw_close(p->emit.cw, e, sizeof(e)) != 0) {
			if (!rc && err)
				snprintf(err, errlen, "%s", e);
			rc = -1;
		}
		p->emit.cw = NULL;
	}
	return rc;
}

int pipeline_run(struct pipeline *p, volatile sig_atomic_t *stop, char *err, size_t errlen)
{
	int rc = 0;

	if (p->cfg->header && emit_header(&p->emit) != 0)
		rc = -1;
	if (rc == 0)
		rc = read_loop(p, stop, err, errlen);
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
	p->st.records_read = ss.records;
	p->st.bad_records = ss.bad_records;
	p->st.kernel_drops = ss.kernel_drops;
	p->st.if_drops = ss.if_drops;
	p->st.frag_matched = p->frag.matched;
	p->st.frag_orphans = p->frag.orphans;
	p->st.records = p->emit.records;
	p->st.skipdata = p->emit.skipdata;
	p->st.nodata = p->emit.nodata;
	p->st.filtered = p->emit.filtered;
	return rc;
}

const struct pipeline_stats *pipeline_stats(const struct pipeline *p)
{
	return &p->st;
}

void pipeline_close(struct pipeline *p)
{
	if (!p)
		return;
	source_close(p->src);
	close_delivery(p, NULL, 0);   /* after an early failure: still no leak */
	emit_free(&p->emit);
	model_free(&p->model);
	vfe_free(p->scratch);
	vfe_free(p->batch);
	sink_free(&p->out);
	flow_table_free(&p->flows);
	eni_table_free(&p->enis);
	vfe_free(p);
}
