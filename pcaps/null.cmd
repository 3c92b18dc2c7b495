cc -O2 -std=c11 -D_DEFAULT_SOURCE -o bench/out/pktgen bench/pktgen.c bench/pktgen_kinds.c && bench/out/pktgen kinds -w pcaps null
