#!/usr/bin/env bash
# Installs what is missing, then configures and builds (binaries in DIR/bin/).
#
#   tools/build.sh          shardctl and validator-sim into build/: what the demo and an operator run
#   tools/build.sh --all    everything, the test binaries included
#   --sanitize address,undefined   into build-asan/ with clang-14, ASan + UBSan, and the libFuzzer
#                                  targets (the library is instrumented for their coverage)
#   --sanitize thread              into build-tsan/ with clang-14 and TSan
#   --target T              build target T (e.g. fuzzers) instead
set -euo pipefail
cd "$(dirname "$0")/.."
usage() {
  echo "usage: tools/build.sh [--all] [--sanitize address,undefined|thread] [--target T]" >&2
  exit 2
}
targets=(shardctl validator-sim)
dir=build sanitize='' extra=() packages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --all) targets=(all); shift ;;
    --target) [ $# -ge 2 ] || usage; targets=("$2"); shift 2 ;;
    --sanitize)
      [ $# -ge 2 ] || usage
      case "$2" in
        address,undefined) dir=build-asan extra=(-DSHARDCTL_FUZZ=ON) ;;
        thread) dir=build-tsan ;;
        *) usage ;;
      esac
      sanitize=$2 packages=(clang-14 libclang-rt-14-dev); shift 2 ;;
    *) usage ;;
  esac
done
tools/deps.sh "${packages[@]}"
[ -z "$sanitize" ] || export CC=clang-14 CXX=clang++-14
cmake -S . -B "$dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSHARDCTL_WERROR=ON \
  -DSHARDCTL_SANITIZE="$sanitize" "${extra[@]}" > /dev/null
cmake --build "$dir" -j "$(nproc)" --target "${targets[@]}"
