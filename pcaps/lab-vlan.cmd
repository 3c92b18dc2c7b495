build/flowgen/flowgen vlan -w pcaps/lab-vlan.pcap --topology pcaps/lab-topology.json
