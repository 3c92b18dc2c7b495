#!/bin/sh
# run.sh TARGET [SECONDS] - runs one fuzz target from build-fuzz/ for SECONDS
# (default 600, issue 9's minimum) in fuzz/out/TARGET/: new inputs go to
# fuzz/out/TARGET/corpus, the seeds in fuzz/corpus/TARGET are only read,
# crashes land in fuzz/out/TARGET/ and the log in fuzz/out/TARGET/log.
set -eu
t=$1
secs=${2:-600}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${BUILD:-$root/build-fuzz}/fuzz/fuzz_$t
out=$root/fuzz/out/$t
mkdir -p "$out/corpus"
cd "$out"
exec "$bin" -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 \
	-jobs=1 -workers=1 -artifact_prefix="$out/" -print_final_stats=1 \
	"$out/corpus" "$root/fuzz/corpus/$t" >"$out/log" 2>&1
