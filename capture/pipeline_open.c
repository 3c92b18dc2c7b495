/* pipeline_open.c - everything the pipeline needs before the first packet
 * and releases after the last: the packet source (and the stdin spool the
 * address pre-pass needs), the ENIs, the VPC model with its flow log
 * settings, and the delivery outputs. The read loop is in pipeline.c. */
#include "capture/pipeline_int.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture/flow/hash.h"
#include "capture/privdrop.h"
#include "capture/vpc/autodetect.h"
#include "formats/cloudwatch.h"
#include "formats/mem.h"
#include "formats/s3.h"

static struct source *open_source(const struct config *cfg, FILE *spool, char *err, size_t errlen)
{
	struct source *s;

	if (cfg->iface) {
		struct live_options o = {cfg->iface, cfg->snaplen, cfg->buffer_kib,
					 DEFAULT_TIMEOUT_MS};
		s = source_open_live(&o, err, errlen);
	} else if (spool) {
		/* Another reader of the open file (or spooled stdin), from its
		 * start: opened once, read twice, even after dropping root. */
		const char *name = strcmp(cfg->read_file, "-") == 0 ? "stdin" : cfg->read_file;
		int fd = dup(fileno(spool));
		FILE *fp = fd >= 0 && lseek(fd, 0, SEEK_SET) == 0 ? fdopen(fd, "rb") : NULL;
		if (!fp) {
			if (fd >= 0)
				close(fd);
			snprintf(err, errlen, "%s: %s", name, strerror(errno));
			return NULL;
		}
		s = source_open_stream(fp, name, err, errlen);
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

static FILE *open_for_two_passes(const char *path, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");

	if (!fp)
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
	return fp;
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
	/* Connection tracking holds as many connections as the flow table
	 * holds flows (--max-flows): one bound for the user to set. */
	p->judge = p->model.nsg_enis > 0 || p->model.nacl_enis > 0;
	if (p->model.nsg_enis > 0 && conntrack_init(&p->ct, cfg->max_flows, hash_seed()) != 0) {
		snprintf(err, errlen, "out of memory for tracking %u connections", cfg->max_flows);
		return -1;
	}
	return open_delivery(p, err, errlen);
}

static int drop_privileges(struct pipeline *p, char *err, size_t errlen)
{
	const struct config *cfg = p->cfg;

	if ((cfg->out_dir && privdrop_chown(cfg->out_dir, cfg->user, err, errlen) != 0) ||
	    (cfg->cloudwatch && privdrop_chown(cfg->cloudwatch, cfg->user, err, errlen) != 0))
		return -1;
	return privdrop(cfg->user, err, errlen);
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
	p->read = vfe_calloc(BATCH, sizeof(*p->read));
	if (!p->batch || !p->read) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	emit_init(&p->emit, &p->format, &p->out, &p->enis, &p->model);
	if (open_model(p, err, errlen) != 0)
		goto fail;
	bool need_two_passes = cfg->read_file && cfg->nlocal == 0 && cfg->ncidrs == 0 &&
			       p->enis.n == 0;
	/* Open everything that may need root before any byte is read: the
	 * interface (it must exist before its addresses are asked for), or the
	 * file, once; the address pre-pass and the real pass both read that
	 * open file (stdin is spooled to a temporary file first). */
	if (need_two_passes)
		spool = strcmp(cfg->read_file, "-") == 0 ? spool_stdin(err, errlen)
							 : open_for_two_passes(cfg->read_file, err, errlen);
	if (need_two_passes && !spool)
		goto fail;
	if (!need_two_passes && !(p->src = open_source(cfg, NULL, err, errlen)))
		goto fail;
	/* The capture and the output directories (given to the user first)
	 * are open: drop root before the first packet is read. */
	if (cfg->user && drop_privileges(p, err, errlen) != 0)
		goto fail;
	if (setup_enis(p, spool, notice, noticelen, err, errlen) != 0)
		goto fail;
	if (!p->src && !(p->src = open_source(cfg, spool, err, errlen)))
		goto fail;
	if (p->model.unresolved_prefix_lists && !notice[0])
		snprintf(notice, noticelen, "%zu prefix-list routes name prefix lists that neither "
			 "PrefixLists (-t) nor ip-ranges.json (-R) resolve: they are left out",
			 p->model.unresolved_prefix_lists);
	if (p->model.sgs.unresolved && !notice[0])
		snprintf(notice, noticelen, "%zu security group rules name prefix lists that neither "
			 "PrefixLists (-t) nor ip-ranges.json (-R) resolve: those sources allow nothing",
			 p->model.sgs.unresolved);
	if (spool)
		fclose(spool);
	p->next_close = INT64_MAX;
	/* A file is read ahead, and its big windows written, on a second
	 * core, if there is one. Only a regular file (its size is known): the
	 * reader of a pipe could wait for its writer long after counting has
	 * failed and wants to stop. */
	p->threads = !p->src->live && p->src->size > 0 && !cfg->one_thread &&
		     sysconf(_SC_NPROCESSORS_ONLN) > 1;
	if (p->threads) {
		emit_use_helper(&p->emit);
		/* Full buffers of stdout are written on a thread of their own
		 * (without one, this thread writes them). */
		sink_use_writer(&p->out, OUT_BUFFERS);
	}
	return p;
fail:
	if (spool)
		fclose(spool);
	pipeline_close(p);
	return NULL;
}

/* Completes every object and stream; the first error wins the message. */
int close_delivery(struct pipeline *p, char *err, size_t errlen)
{
	char e[512] = "";
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

void pipeline_listening(const struct pipeline *p, char *buf, size_t len)
{
	const struct source *s = p->src;

	if (!s->live) {
		buf[0] = '\0';
		return;
	}
	const char *name = pcap_datalink_val_to_name(s->dlt);
	const char *desc = pcap_datalink_val_to_description(s->dlt);
	snprintf(buf, len, "listening on %s, link-type %s (%s), snapshot length %u bytes", s->name,
		 name ? name : "?", desc ? desc : "?", s->snaplen);
}

void pipeline_close(struct pipeline *p)
{
	if (!p)
		return;
	source_close(p->src);
	close_delivery(p, NULL, 0);   /* after an early failure: still no leak */
	emit_free(&p->emit);
	model_free(&p->model);
	conntrack_free(&p->ct);
	vfe_free(p->batch);
	vfe_free(p->read);
	sink_free(&p->out);
	flow_table_free(&p->flows);
	eni_table_free(&p->enis);
	vfe_free(p);
}
