/* builtin.c - the table of built-in scenarios (flowgen(1), SCENARIOS). */
#include "flowgen/builtin.h"

#include <string.h>

static const struct fg_builtin builtins[] = {
	{ "seed-lab", "a t3.micro lab: ssh in; https, ping, NTP out; DNS, Time Sync; "
	  "S3 over an internet gateway", "seed-lab.scn", "lab.json" },
	{ "s3-endpoint", "https to S3 through a gateway endpoint, and to EC2 over the "
	  "internet gateway", "s3-endpoint.scn", "lab-s3-endpoint.json" },
	{ "sg-reject", "traffic a security group or network ACL rejects, next to "
	  "traffic they accept", "sg-reject.scn", "sg-reject.json" },
	{ "long-flow", "one connection across four 60 s windows", "long-flow.scn", "lab.json" },
	{ "idle", "an ssh session quiet for three minutes: NODATA windows", "idle.scn",
	  "lab.json" },
	{ "ipv6", "https, ping, NTP and ssh over IPv6", "ipv6.scn", "lab.json" },
	{ "fragments", "UDP and ICMP above the MTU, as IPv4 and IPv6 fragments",
	  "fragments.scn", "lab.json" },
	{ "vlan", "traffic seen on a trunk port with 802.1Q tags", "vlan.scn", "lab.json" },
	{ "scan", "a TCP port scan and a UDP probe sweep from outside", "scan.scn",
	  "lab.json" },
	{ "unlogged", "DHCP, Amazon DNS, metadata, Time Sync and router traffic AWS never "
	  "logs", "unlogged.scn", "lab.json" },
	{ "two-enis", "two instances in one subnet talking, then to the internet",
	  "two-enis.scn", "two-enis.json" },
	{ "secondary-ip", "traffic to and from a secondary private address",
	  "secondary-ip.scn", "secondary-ip.json" },
	{ "bench", "--flows N conversations, --packets M packets: a large mixed capture",
	  NULL, NULL },
};

const struct fg_builtin *builtin_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++)
		if (strcmp(builtins[i].name, name) == 0)
			return &builtins[i];
	return NULL;
}

const struct fg_builtin *builtin_list(size_t *n)
{
	*n = sizeof(builtins) / sizeof(builtins[0]);
	return builtins;
}

const struct fg_text *builtin_text(const char *file)
{
	size_t i;

	for (i = 0; file && i < fg_ntexts; i++)
		if (strcmp(fg_texts[i].name, file) == 0)
			return &fg_texts[i];
	return NULL;
}
