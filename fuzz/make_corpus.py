#!/usr/bin/env python3
"""make_corpus.py - builds the seed corpora of the fuzz targets into
fuzz/corpus/<target>/ from the project's own data: pcaps/, tests/data/topology,
../shared/corpus (flow logs, ip-ranges.json) and a few format strings.
Run from the source root: python3 fuzz/make_corpus.py [SHARED_CORPUS_DIR]"""
import gzip, hashlib, json, os, struct, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, '..', 'shared', 'corpus')
OUT = os.path.join(ROOT, 'fuzz', 'corpus')
MAX_SEED = 64 * 1024

# DLT_ value -> index of the link type in fuzz_decode.c's table.
DLT_INDEX = {1: 0, 113: 1, 276: 2, 12: 3, 14: 3, 101: 3, 228: 4, 229: 5, 0: 6, 108: 7}

def put(target, data):
    if len(data) > MAX_SEED:
        return
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, hashlib.sha1(data).hexdigest()[:16]), 'wb') as f:
        f.write(data)

def pcap_records(data):
    """(linktype, [(ts, frame)]) of a classic pcap."""
    magic = data[:4]
    e = '<' if magic in (b'\xd4\xc3\xb2\xa1', b'\x4d\x3c\xb2\xa1') else '>'
    link = struct.unpack(e + 'I', data[20:24])[0] & 0x0fffffff
    off, recs = 24, []
    while off + 16 <= len(data):
        sec, usec, incl, orig = struct.unpack(e + 'IIII', data[off:off + 16])
        off += 16
        recs.append(((sec, usec, orig), data[off:off + incl]))
        off += incl
    return link, recs

def pcapng(link, recs):
    """The same packets as a little-endian pcapng file."""
    def block(t, body):
        body += b'\0' * (-len(body) % 4)
        n = 12 + len(body)
        return struct.pack('<II', t, n) + body + struct.pack('<I', n)
    out = block(0x0A0D0D0A, struct.pack('<IHHq', 0x1A2B3C4D, 1, 0, -1))
    out += block(1, struct.pack('<HHI', link, 0, 0))
    for (sec, usec, orig), frame in recs:
        ts = sec * 1000000 + usec
        out += block(6, struct.pack('<IIIII', 0, ts >> 32, ts & 0xffffffff,
                                    len(frame), orig) + frame)
    return out

def pcaps():
    d = os.path.join(ROOT, 'pcaps')
    for name in sorted(os.listdir(d)):
        if not name.endswith('.pcap'):
            continue
        data = open(os.path.join(d, name), 'rb').read()
        put('pcap', data)
        link, recs = pcap_records(data)
        put('pcap', pcapng(link, recs[:8]))
        idx = DLT_INDEX.get(link)
        if idx is None:
            continue
        for _, frame in recs[:40]:
            put('decode', bytes([idx]) + frame)

def topologies():
    d = os.path.join(ROOT, 'tests', 'data', 'topology')
    for name in sorted(os.listdir(d)):
        if name.endswith('.json'):
            put('topology', open(os.path.join(d, name), 'rb').read())
    for name in sorted(os.listdir(os.path.join(ROOT, 'pcaps'))):
        if name.endswith('.json'):
            put('topology', open(os.path.join(ROOT, 'pcaps', name), 'rb').read())

def ipranges():
    full = json.load(open(os.path.join(SHARED, 'ip-ranges', 'ip-ranges.json')))
    # Small slices with many services: the whole file (2.5 MB) is too slow a seed.
    v4, v6, seen = [], [], set()
    for p in full['prefixes']:
        if (p['service'], p['region']) not in seen or len(v4) < 20:
            seen.add((p['service'], p['region']))
            v4.append(p)
    for p in full['ipv6_prefixes'][:30]:
        v6.append(p)
    for n in (5, 40, 200):
        doc = {'syncToken': full['syncToken'], 'createDate': full['createDate'],
               'prefixes': v4[:n], 'ipv6_prefixes': v6[:n // 5 + 1]}
        put('ipranges', json.dumps(doc, indent=2).encode())

def flowlogs():
    for dirpath, _, files in os.walk(SHARED):
        for name in sorted(files):
            if name in ('README.md', 'ip-ranges.json') or name.endswith(('.parquet', '.yml', '.py')):
                continue
            data = open(os.path.join(dirpath, name), 'rb').read()
            put('reader', data)
            if not name.endswith('.gz') and len(data) < 8192:
                put('reader', gzip.compress(data, mtime=0))

def formats():
    for s in ['default', 'v5', 'all',
              '${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport}'
              ' ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}',
              '${vpc-id} ${subnet-id} ${instance-id} ${tcp-flags} ${type} ${pkt-srcaddr} ${pkt-dstaddr}',
              '  ${region}\t${az-id}\n${sublocation-type} ${sublocation-id}  ',
              '${pkt-src-aws-service} ${pkt-dst-aws-service} ${flow-direction} ${traffic-path}',
              '${ecs-cluster-arn} ${ecs-task-id} ${reject-reason}', '${srcaddr}${dstaddr}',
              '${srcaddr', '']:
        put('format', s.encode())

if __name__ == '__main__':
    pcaps(); topologies(); ipranges(); flowlogs(); formats()
    for t in sorted(os.listdir(OUT)):
        print(t, len(os.listdir(os.path.join(OUT, t))))
