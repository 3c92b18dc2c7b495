#!/bin/bash
# tests/live-netns.sh - live capture between two network namespaces the
# test makes itself (issue 8): vfe-a (10.77.0.1) and vfe-b (10.77.0.2) on a
# veth pair. Traffic goes only between those two addresses. Prints TAP.
# Usage: live-netns.sh VPCFLOWEMU [FLOWGEN]
set -u
emu=$1 flowgen=${2:-}
a=vfe-a-$$ b=vfe-b-$$ va=vfa$$ vb=vfb$$
tmp=$(mktemp -d /tmp/vfe-netns-XXXXXX)
n=0 failed=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; [ -n "${2:-}" ] && sed 's/^/# /' "$2"; }
check() { if eval "$2"; then ok "$1"; else not_ok "$1" "${3:-}"; fi; }
cleanup() { ip netns del "$a" 2>/dev/null; ip netns del "$b" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

if [ "$(id -u)" != 0 ] || ! ip netns add "$a" 2>/dev/null; then
	echo "1..0 # SKIP network namespaces need root (ip netns add failed)"
	exit 0
fi
ip netns add "$b"
ip link add "$va" type veth peer name "$vb"
ip link set "$va" netns "$a"
ip link set "$vb" netns "$b"
ip -n "$a" addr add 10.77.0.1/24 dev "$va"
ip -n "$b" addr add 10.77.0.2/24 dev "$vb"
ip -n "$a" link set "$va" up
ip -n "$b" link set "$vb" up
ip -n "$a" link set lo up
ip -n "$b" link set lo up

# UDP datagrams from vfe-b to 10.77.0.1:$1, $2 of them, 50 ms apart, each
# from a new socket (its own source port, so its own flow), 4 bytes: IP 32.
send_udp() {
	ip netns exec "$b" bash -c "for i in \$(seq $2); do echo vfe > /dev/udp/10.77.0.1/$1; sleep 0.05; done" 2>/dev/null
}
# Waits (at most 20 s) until the capture writing stderr to $1 says it is
# listening: packets sent from then on are seen, however slowly it started
# (under ASan or valgrind, on a busy machine).
listening() {
	for _ in $(seq 200); do
		grep -q 'listening on ' "$1" 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}
fmt='${interface-id} ${srcaddr} ${dstaddr} ${srcport} ${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${log-status} ${flow-direction}'

# 1. Records for plain socket traffic; the ENI is the interface's address;
#    --duration ends the capture.
start=$(date +%s)
ip netns exec "$a" "$emu" -i "$va" --duration 3 -f "$fmt" udp port 5001 >"$tmp/1.out" 2>"$tmp/1.err" &
pid=$!
listening "$tmp/1.err" && send_udp 5001 5
wait $pid
rc=$? took=$(($(date +%s) - start))
check "udp from the other namespace gives one ingress record per flow" \
	"[ \$(grep -c ' 10.77.0.2 10.77.0.1 [0-9]* 5001 17 1 32 .* OK ingress$' '$tmp/1.out') = 5 ]" "$tmp/1.out"
check "--duration 3 stops the capture (exit $rc after ${took}s)" "[ $rc = 0 ] && [ $took -le 6 ]" "$tmp/1.err"

# 2. -Z nobody: the running capture belongs to nobody.
ip netns exec "$a" "$emu" -i "$va" --duration 3 -Z nobody -f "$fmt" udp port 5002 >"$tmp/2.out" 2>"$tmp/2.err" &
pid=$!
listening "$tmp/2.err"
uid=$(awk '/^Uid:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
wait $pid
check "-Z nobody runs as uid 65534 (saw ${uid:-none})" "[ '${uid:-}' = 65534 ]" "$tmp/2.err"

# 3. SIGINT: the open window is written to valid gzip S3 objects, exit 0.
ip netns exec "$a" "$emu" -i "$va" -o "$tmp/s3" udp port 5003 >"$tmp/3.out" 2>"$tmp/3.err" &
pid=$!
listening "$tmp/3.err"
send_udp 5003 3
sleep 1
kill -INT $pid
wait $pid
rc=$?
obj=$(find "$tmp/s3" -name '*.log.gz' 2>/dev/null | head -1)
check "SIGINT writes complete gzip objects and exits 0 (exit $rc)" \
	"[ $rc = 0 ] && [ -n '$obj' ] && gzip -t '$obj' && [ \$(zcat '$obj' | grep -c ' 5003 17 1 32 ') = 3 ]" "$tmp/3.err"

# 4. A quiet link: a window's records are written within a second or two of
#    its end, while the capture goes on (60 s windows).
now=$(date +%s)
wait_s=$((60 - now % 60))
[ $wait_s -lt 5 ] && { sleep "$wait_s"; now=$(date +%s); wait_s=$((60 - now % 60)); }
ip netns exec "$a" "$emu" -i "$va" --interval 60 --duration $((wait_s + 8)) -f "$fmt" udp port 5004 \
	>"$tmp/4.out" 2>"$tmp/4.err" &
pid=$!
listening "$tmp/4.err"
send_udp 5004 2
sleep $((wait_s + 2))
early=$(grep -c ' 5004 17 ' "$tmp/4.out")
wait $pid
check "a quiet link's window is written within 2 s of its end (saw $early record lines)" \
	"[ '$early' -ge 1 ]" "$tmp/4.err"

# 5. A tiny buffer and a burst: the kernel drops, and the window says SKIPDATA.
ip netns exec "$a" "$emu" -i "$va" --duration 4 -B 1 --snaplen 65535 -f "$fmt" udp port 5005 \
	>"$tmp/5.out" 2>"$tmp/5.err" &
pid=$!
listening "$tmp/5.err"
ip netns exec "$b" python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(100000):
    s.sendto(b'x' * 1000, ('10.77.0.1', 5005))
" 2>/dev/null
wait $pid
if grep -q ' 0 packets dropped by the kernel, 0 by the interface' "$tmp/5.err"; then
	n=$((n + 1)); echo "ok $n - # SKIP the kernel kept up with the burst"
else
	check "kernel drops give SKIPDATA" "grep -q ' SKIPDATA ' '$tmp/5.out'" "$tmp/5.err"
fi

# 6. Traffic injected by flowgen -i: a scenario file with only the two
#    namespace addresses, sent from vfe-b; the capture keeps what vfe-b sent.
if [ -n "$flowgen" ]; then
	mac_a=$(ip netns exec "$a" cat "/sys/class/net/$va/address")
	mac_b=$(ip netns exec "$b" cat "/sys/class/net/$vb/address")
	printf '%s\n' "local 10.77.0.1 $mac_a" "local 10.77.0.2 $mac_b" \
		"0    tcp  10.77.0.2:41000 10.77.0.1:8080 connect out=3000 in=1000 rtt=0.001" \
		"0.1  udp  10.77.0.2:41001 10.77.0.1:5006 request size=100 count=3 every=0.05" \
		"0.2  icmp 10.77.0.2       10.77.0.1      echo count=2 every=0.05" >"$tmp/live.scn"
	ip netns exec "$a" "$emu" -i "$va" --duration 3 -f "$fmt" src host 10.77.0.2 \
		>"$tmp/6.out" 2>"$tmp/6.err" &
	pid=$!
	listening "$tmp/6.err"
	ip netns exec "$b" "$flowgen" "$tmp/live.scn" -i "$vb" 2>"$tmp/6.gen"
	grc=$?
	wait $pid
	check "flowgen -i injects the scenario (exit $grc)" "[ $grc = 0 ]" "$tmp/6.gen"
	check "flowgen's connection: 8 packets, 3424 bytes in one ingress record" \
		"grep -q ' 10.77.0.2 10.77.0.1 41000 8080 6 8 3424 .* OK ingress$' '$tmp/6.out'" "$tmp/6.out"
	check "flowgen's UDP requests and pings: 3 x 128 and 2 x 84 bytes" \
		"grep -q ' 41001 5006 17 3 384 ' '$tmp/6.out' && grep -q ' 0 0 1 2 168 ' '$tmp/6.out'" "$tmp/6.out"

	# 7. The same scenario written to a capture, then replayed as fast as
	#    it goes (batched sendmmsg): the same records.
	"$flowgen" "$tmp/live.scn" -w "$tmp/live.pcap" 2>"$tmp/7.gen"
	ip netns exec "$a" "$emu" -i "$va" --duration 3 -f "$fmt" src host 10.77.0.2 \
		>"$tmp/7.out" 2>"$tmp/7.err" &
	pid=$!
	listening "$tmp/7.err"
	ip netns exec "$b" "$flowgen" "$tmp/live.pcap" -i "$vb" --pps max 2>>"$tmp/7.gen"
	grc=$?
	wait $pid
	check "flowgen replays its capture at full speed (exit $grc), same records" \
		"[ $grc = 0 ] && grep -q ' 41000 8080 6 8 3424 .* OK ingress$' '$tmp/7.out' && grep -q ' 41001 5006 17 3 384 ' '$tmp/7.out'" "$tmp/7.gen"
fi

echo "1..$n"
exit $((failed > 0))
