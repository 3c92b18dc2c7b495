/* fuzz_topology.c - libFuzzer entry point for topology_load() and
 * routes_build(): the bytes are one topology JSON file (a memfd, opened by
 * its /proc/self/fd path as the CLI opens a real file). */
#include <stdio.h>
#include <string.h>

#include "capture/vpc/eni.h"
#include "capture/vpc/model.h"
#include "capture/vpc/routes.h"
#include "capture/vpc/topology.h"
#include "fuzz/fuzz_util.h"

/* What the model does with the tables (vpc/model.c, vpc/enrich.c): find
 * each subnet's table, look addresses up, and name each route's
 * traffic-path. */
static void use_routes(const struct topology *t, const struct route_tables *rts)
{
	static const char *const dsts[] = {"10.0.1.5", "0.0.0.0", "52.216.1.1", "2600:1f18::1"};

	for (size_t i = 0; i < t->nsubnets; i++)
		(void)routes_for_subnet(rts, t->subnets[i].id, t->subnets[i].vpc);
	(void)routes_for_subnet(rts, "subnet-1", "vpc-1");
	for (size_t i = 0; i < rts->n; i++) {
		for (size_t k = 0; k < sizeof(dsts) / sizeof(dsts[0]); k++) {
			struct ip_addr a;
			struct ip_prefix matched;
			if (!ip_addr_parse(dsts[k], &a))
				continue;
			const struct topo_route *r = routes_lookup(rts->v + i, &a, &matched);
			(void)routes_traffic_path(t, r, false, "us-east-1");
			(void)addr_is_public(&a);
		}
		for (size_t k = 0; k < rts->v[i].t->nroutes; k++)
			(void)routes_traffic_path(t, rts->v[i].t->routes + k, true, "us-east-1");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512];
	struct topology t = {0};
	int fd = fuzz_memfile(data, size, path, sizeof(path));

	if (fd < 0)
		return 0;
	int rc = topology_load(&t, path, err, sizeof(err));
	if (rc == 0) {
		/* A second load merges into the first (several files). */
		(void)topology_load(&t, path, err, sizeof(err));
		struct route_tables rts = {0};
		size_t unresolved = 0;
		if (routes_build(&rts, &t, NULL, &unresolved, err, sizeof(err)) == 0) {
			use_routes(&t, &rts);
			routes_free(&rts);
		}
	}
	topology_free(&t);
	if (rc == 0) {
		/* The whole -t path: ENIs, route tables, VPC blocks (model.c). */
		const char *files[1] = {path};
		struct model_options o = {.topology_files = files, .ntopology_files = 1};
		struct vpc_model m;
		struct eni_table enis;
		memset(&m, 0, sizeof(m));
		if (eni_table_init(&enis, 600) == 0) {
			if (model_build(&m, &enis, &o, err, sizeof(err)) == 0)
				(void)model_interval(&m, 0, true);
			model_free(&m);
			eni_table_free(&enis);
		}
	}
	close(fd);
	return 0;
}
