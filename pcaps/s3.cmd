build/flowgen/flowgen s3-endpoint -w pcaps/s3.pcap --topology pcaps/vpc-s3-endpoint-topology.json
