build/flowgen/flowgen secondary-ip -w pcaps/vpc-secondary-ip.pcap --topology pcaps/vpc-secondary-ip-topology.json
