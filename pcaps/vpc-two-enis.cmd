build/flowgen/flowgen two-enis -w pcaps/vpc-two-enis.pcap --topology pcaps/vpc-two-enis-topology.json
