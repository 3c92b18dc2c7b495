cc -O2 -std=c11 -D_DEFAULT_SOURCE -o bench/out/pktgen bench/pktgen.c bench/pktgen_lab.c bench/pktgen_bench.c && bench/out/pktgen lab -w pcaps/seed-lab.pcap
