#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS from its seeds; what tools/fuzz.sh and the ctest fuzz
# tests both run.
#
#   run_fuzzer.sh BINARY SECONDS WORK_DIR LOG SEED_DIR...
#
# SHARDCTL_FUZZ_SECONDS in the environment overrides SECONDS (tools/fuzz.sh runs the suite's
# tests longer that way). New inputs go to WORK_DIR (kept between runs; the seed dirs are only
# read). The full libFuzzer output goes to LOG. Prints one line: executions, time and corpus
# size, peak RSS, or the failure with its input (WORK_DIR/../crash-NAME-{crash,timeout,oom}-*:
# timeout for an input over 1 s, oom over 512 MB). Exit status: the fuzzer's (0: none).
set -euo pipefail
[ $# -ge 5 ] || { echo "usage: run_fuzzer.sh BINARY SECONDS WORK_DIR LOG SEED_DIR..." >&2; exit 2; }
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1") seconds=${SHARDCTL_FUZZ_SECONDS:-$2}
work=$3 log=$4
shift 4
name=$(basename "$bin")
seeds=()
for d in "$@"; do [ -d "$d" ] && seeds+=("$(cd "$d" && pwd)"); done
mkdir -p "$work"
work=$(cd "$work" && pwd)
crash_prefix=$(dirname "$work")/crash-$name-
rc=0
# ASan keeps freed memory in a quarantine (256 MB by default) that counts in the RSS: replaying
# fuzz_ansible's 2,900 inputs reached 527 MB with it and 64 MB without. 32 MB still catches a
# use after free of recent allocations, and leaves the RSS limit measuring what an input costs.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=32"
# Inputs up to 16 KiB: enough for every structure the parsers know. An input that takes more
# than 1 s or makes the process use more than 512 MB counts as a failure, like a crash: every
# reader is bounded (docs/reliability.md).
(cd "$work" && exec "$bin" -max_total_time="$seconds" -max_len=16384 -timeout=1 \
   -rss_limit_mb=512 -print_final_stats=1 -artifact_prefix="$crash_prefix" "$work" \
   "${seeds[@]}") > "$log" 2>&1 || rc=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -1)
if [ "$rc" -ne 0 ]; then
  echo "$name: FAILED after ${runs:-0} executions (exit $rc); full output in $log:"
  grep -m 8 -E 'ERROR|SUMMARY|Test unit written|runtime error' "$log" || tail -n 8 "$log"
else
  echo "$name: ${runs:-0} executions in $seconds s, no crash, no timeout, peak RSS ${rss:-?} MB" \
    "($(ls "$work" | wc -l) inputs)"
fi
exit "$rc"
