build/flowgen/flowgen seed-lab -w pcaps/seed-lab.pcap --topology pcaps/lab-topology.json
