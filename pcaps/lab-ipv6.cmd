build/flowgen/flowgen ipv6 -w pcaps/lab-ipv6.pcap --topology pcaps/lab-topology.json
