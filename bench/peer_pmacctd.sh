#!/usr/bin/env bash
# bench/peer_pmacctd.sh CONF LOG - how bench/peers runs pmacctd on a capture
# file: `pmacctd -f CONF`, its log in LOG, stopped once it is done.
#
# pmacctd alone, at the end of a pcap_savefile, sleeps 2 s and stops its
# plugins whatever their queue still holds: on a large capture most packets
# never reach the print plugin (21 % of a 10M-packet capture were accounted
# for). So CONF sets pcap_savefile_wait: true, which makes the core wait at
# the end of the file, and this script sends the core SIGINT -- the plugins
# then write out their caches and exit, as at the end of a file -- once the
# log says the file is read and none of pmacctd's processes has used CPU
# for 0.5 s. The wait costs about 0.5 s of wall time; the polling uses
# only bash builtins, so it costs next to no CPU.
set -u
[ $# = 2 ] || { echo "usage: bench/peer_pmacctd.sh CONF LOG" >&2; exit 2; }
conf=$1
log=$2

: >"$log" || exit 1
pmacctd -f "$conf" 2>"$log" &
core=$!
exec {tick}<> <(:)	# a pipe nobody writes: read -t on it sleeps without a process
exec {lines}<"$log"
nap() { read -r -t "$1" -u "$tick" _; }

# The log so far: has the core finished reading the file?
done_reading=0
pending=
scan() {
	local line
	while IFS= read -r -u "$lines" line; do
		line="$pending$line"
		pending=
		[[ $line == *"finished reading PCAP capture file"* ]] && done_reading=1
	done
	pending+=$line
}

# CPU ticks of a process and its descendants (own and reaped), into total.
total=0
add() {
	local s kids k
	local -a f
	read -r s 2>/dev/null <"/proc/$1/stat" || return 0
	s=${s##*) }
	read -r -a f <<<"$s"
	total=$((total + f[11] + f[12] + f[13] + f[14]))	# utime stime cutime cstime
	kids=
	read -r kids 2>/dev/null <"/proc/$1/task/$1/children"	# no newline: status 1
	for k in $kids; do
		add "$k"
	done
}

while kill -0 "$core" 2>/dev/null; do
	scan
	[ "$done_reading" = 1 ] && break
	nap 0.1
done
prev=-1
quiet=0
polls=0
while kill -0 "$core" 2>/dev/null; do
	total=0
	add "$core"
	if [ "$total" = "$prev" ]; then quiet=$((quiet + 1)); else quiet=0; fi
	prev=$total
	[ "$quiet" -ge 5 ] && break
	polls=$((polls + 1))
	if [ "$polls" -ge 6000 ]; then
		echo "bench/peer_pmacctd.sh: pmacctd still busy 10 minutes after the end of the file" >&2
		break
	fi
	nap 0.1
done
kill -INT "$core" 2>/dev/null

# Its plugins write out their caches and exit, then the core; a plugin that
# never ends (a writer of pmacct's has been seen spinning) is killed after
# 5 minutes, with the rest of pmacctd's processes.
kill_tree() {
	local kids= k
	read -r kids 2>/dev/null <"/proc/$1/task/$1/children"
	kill -KILL "$1" 2>/dev/null
	for k in $kids; do
		kill_tree "$k"
	done
}
for polls in $(seq 3000); do
	kill -0 "$core" 2>/dev/null || break
	nap 0.1
done
if kill -0 "$core" 2>/dev/null; then
	echo "bench/peer_pmacctd.sh: pmacctd did not exit 5 minutes after SIGINT; killed" >&2
	kill_tree "$core"
	wait "$core"
	exit 1
fi
wait "$core"
