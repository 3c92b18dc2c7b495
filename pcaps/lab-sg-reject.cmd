build/flowgen/flowgen sg-reject -w pcaps/lab-sg-reject.pcap --topology pcaps/sg-reject-topology.json
