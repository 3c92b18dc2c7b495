build/flowgen/flowgen scan -w pcaps/lab-scan.pcap --topology pcaps/lab-topology.json
