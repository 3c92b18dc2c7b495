/* pcap_loop.c - the benchmark ceiling: read every packet of a capture file
 * with libpcap and touch one byte of each, nothing else.
 *
 * vpcflowemu cannot read a file faster than this loop; bench/run reports
 * the emulator's time as a multiple of it. Prints the packet count. */
#include <inttypes.h>
#include <stdio.h>

#include <pcap/pcap.h>

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint64_t packets = 0;
	unsigned int sum = 0;
	pcap_t *pc;
	int rc;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap_loop FILE\n");
		return 2;
	}
	pc = pcap_open_offline(argv[1], errbuf);
	if (pc == NULL) {
		fprintf(stderr, "pcap_loop: %s\n", errbuf);
		return 1;
	}
	while ((rc = pcap_next_ex(pc, &h, &data)) == 1) {
		packets++;
		/* The byte after the MAC addresses: forces the data to be read. */
		if (h->caplen > 12)
			sum += data[12];
	}
	if (rc == PCAP_ERROR) {
		fprintf(stderr, "pcap_loop: %s: %s\n", argv[1], pcap_geterr(pc));
		pcap_close(pc);
		return 1;
	}
	pcap_close(pc);
	printf("%" PRIu64 " packets (checksum %u)\n", packets, sum);
	return 0;
}
