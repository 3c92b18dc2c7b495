cc -O2 -std=c11 -D_DEFAULT_SOURCE -DPKTGEN_KINDS -o bench/out/pktgen bench/pktgen.c bench/pktgen_lab.c bench/pktgen_bench.c bench/pktgen_kinds.c && bench/out/pktgen kinds -w pcaps sll2
