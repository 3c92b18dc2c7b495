cc -O2 -std=c11 -D_DEFAULT_SOURCE -DPKTGEN_VPC -o bench/out/pktgen bench/pktgen.c bench/pktgen_lab.c bench/pktgen_bench.c bench/pktgen_vpc.c && bench/out/pktgen vpc -w pcaps vpc-secondary-ip
