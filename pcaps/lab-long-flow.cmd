build/flowgen/flowgen long-flow -w pcaps/lab-long-flow.pcap --topology pcaps/lab-topology.json
