#!/usr/bin/env bash
# Fuzzes every input shardctl reads (inventory, playbook, drill, journal, probe output, command
# templates, ssh_config, Ansible inventories) with libFuzzer + ASan + UBSan (clang-14), in the
# sanitizer build tools/test.sh --sanitize uses (build-asan/).
#
#   tools/fuzz.sh SECONDS [TARGET...]    each target for SECONDS (default: all targets)
#
# It runs the suite's own fuzz tests (ctest label `fuzz`, tests/fuzz/CMakeLists.txt: the targets,
# their seeds and shipped files), as many at once as there are cores, for SECONDS each instead of
# the suite's few. New inputs go to build-asan/fuzz/TARGET/, kept between runs. A crash, an input
# taking over 1 s or a process over 512 MB RSS stops that target, leaves its input as
# build-asan/fuzz/crash-fuzz_TARGET-{crash,timeout,oom}-* and makes the script exit 1.
# Prints executions and peak RSS per target, and executions in total. Run long campaigns with
# `nice -n 10` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."
usage() { echo "usage: tools/fuzz.sh SECONDS [TARGET...]   (--help for more)" >&2; exit 2; }
if [ "${1:-}" = --help ] || [ "${1:-}" = -h ]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 0
fi
[ $# -ge 1 ] && [[ "$1" =~ ^[1-9][0-9]*$ ]] || usage
seconds=$1; shift
tools/build.sh --sanitize address,undefined --target fuzzers
known=$(cd build-asan && ctest -N -L fuzz | sed -n 's/.*Test *#[0-9]*: fuzz\.//p' | xargs)
for t in "$@"; do
  [[ " $known " == *" $t "* ]] || { echo "fuzz: unknown target '$t' ($known)" >&2; exit 2; }
done
names=$(IFS='|'; echo "${*:-.*}")
log=build-asan/fuzz/fuzz.log
mkdir -p build-asan/fuzz
rc=0
(cd build-asan && SHARDCTL_FUZZ_SECONDS=$seconds ctest -L fuzz -R "^fuzz\.($names)\$" -V \
   -j "$(nproc)" --timeout $((seconds + 120))) > "$log" 2>&1 || rc=1
# run_fuzzer.sh's one line per target, without ctest's "N: " prefix.
sed -n 's/^[0-9]*: \(fuzz_[a-z_]*: .*\)/\1/p' "$log"
[ "$rc" -eq 0 ] ||
  sed -n -E 's/^[0-9]+: (.*(ERROR|SUMMARY|Test unit written|runtime error).*)/  \1/p' "$log"
awk '/fuzz_[a-z_]*: .*[0-9]+ executions/ {
       for (i = 1; i < NF; i++) if ($(i + 1) == "executions") total += $i
     } END { printf "fuzz: %d executions in total\n", total }' "$log"
exit "$rc"
