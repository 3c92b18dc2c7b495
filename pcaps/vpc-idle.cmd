build/flowgen/flowgen idle -w pcaps/vpc-idle.pcap
