#!/usr/bin/env bash
# Installs the Debian packages shardctl needs to build, test and run its sandbox, if any is
# missing. Safe to run repeatedly; does nothing when all are present. Needs root (or sudo).
# Arguments name extra packages (tools/fuzz.sh: clang-14 libclang-rt-14-dev).
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config git libssh-dev libssl-dev libboost-program-options-dev
  nlohmann-json3-dev libspdlog-dev libgtest-dev libcpp-httplib-dev libyaml-cpp-dev openssh-server
  openssh-client curl ca-certificates etcd-server etcd-client dpkg-dev file openssl
  procps util-linux prometheus-cpp-dev prometheus chromium "$@")

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
