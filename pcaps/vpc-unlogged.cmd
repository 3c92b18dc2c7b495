build/flowgen/flowgen unlogged -w pcaps/vpc-unlogged.pcap
