#!/usr/bin/env bash
# Fuzzes every input shardctl reads (inventory, playbook, drill, journal, probe output, command
# templates, ssh_config, Ansible inventories) with libFuzzer + ASan + UBSan (clang-14), in the
# sanitizer build tools/test.sh --sanitize uses (build-asan/).
#
#   tools/fuzz.sh SECONDS [TARGET...]    each target for SECONDS (default: all targets)
#
# Seeds: tests/fuzz/corpus/TARGET/ and the shipped files of that kind (read only). New inputs go
# to build-asan/fuzz/TARGET/, kept between runs. A crash stops that target, leaves its input as
# build-asan/fuzz/crash-fuzz_TARGET-* and makes the script exit 1. Prints executions per target
# and in total.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
usage() { echo "usage: tools/fuzz.sh SECONDS [TARGET...]" >&2; exit 2; }
[ $# -ge 1 ] && [[ "$1" =~ ^[1-9][0-9]*$ ]] || usage
seconds=$1; shift
all=(inventory playbook drill journal probe template ssh_config ansible)
targets=("${@:-${all[@]}}")
for t in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz: unknown target '$t' (${all[*]})" >&2; exit 2; }
done
tools/build.sh --sanitize address,undefined --target fuzzers

# The shipped files each target also starts from.
declare -A shipped=(
  [inventory]="$root/inventory" [playbook]="$root/playbooks" [drill]="$root/playbooks/drills"
  [ansible]="$root/tests/data/ansible"
)
total=0 failed=0
for t in "${targets[@]}"; do
  out=build-asan/fuzz
  line=$(tests/fuzz/run_fuzzer.sh "build-asan/bin/fuzz_$t" "$seconds" "$out/$t" "$out/$t.log" \
           "tests/fuzz/corpus/$t" ${shipped[$t]:-}) || failed=1
  echo "$line"
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/$t.log" | tail -1)
  total=$((total + ${runs:-0}))
done
echo "fuzz: $total executions in total"
exit "$failed"
