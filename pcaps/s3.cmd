build/flowgen/flowgen s3-endpoint -w pcaps/s3.pcap
