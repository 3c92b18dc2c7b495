build/flowgen/flowgen fragments -w pcaps/lab-fragments.pcap --topology pcaps/lab-topology.json
