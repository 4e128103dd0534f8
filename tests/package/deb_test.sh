#!/usr/bin/env bash
# The .deb end to end: CPack builds it from BUILD_DIR (shardctl must be built), it carries the
# shared-library dependencies, `dpkg -i` installs it, and the installed binary, man page, bash
# completion and playbooks work from their system paths. Needs root. The package stays
# installed (a later run installs over it: dpkg -i is idempotent).
#
#   tests/package/deb_test.sh BUILD_DIR
set -euo pipefail
build=$(cd "${1:?usage: deb_test.sh BUILD_DIR}" && pwd)
work=$(mktemp -d /tmp/shardctl-deb-XXXXXX)
fail() { echo "deb_test: FAIL: $*" >&2; exit 1; }
trap 'rm -rf "$work"' EXIT

cpack --config "$build/CPackConfig.cmake" -G DEB -B "$work" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$work"/shardctl_*.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no .deb in $work"
depends=$(dpkg-deb -f "$deb" Depends)
for lib in libssh libyaml-cpp libprometheus-cpp-core libc6; do
  grep -q "$lib" <<<"$depends" || fail "Depends lacks $lib: $depends"
done
dpkg-deb -c "$deb" >"$work/contents"
for f in ./usr/bin/shardctl ./usr/share/man/man1/shardctl.1 \
  ./usr/share/bash-completion/completions/shardctl ./usr/share/zsh/vendor-completions/_shardctl \
  ./usr/share/shardctl/playbooks/harmony-recover.json ./usr/lib/systemd/system/shardctl-watch@.service \
  ./usr/share/doc/shardctl/watch.md; do
  grep -q " $f\$" "$work/contents" || fail "$f missing from the package"
done

dpkg -i "$deb" >"$work/dpkg.log" 2>&1 || { cat "$work/dpkg.log" >&2; fail "dpkg -i"; }

/usr/bin/shardctl --help | grep -q '^Commands:' || fail "shardctl --help"
version=$(/usr/bin/shardctl --version)
grep -Eq '^shardctl [0-9]+\.[0-9]+\.[0-9]+' <<<"$version" || fail "--version printed '$version'"
if git -C "$(dirname "$0")" rev-parse --git-dir >/dev/null 2>&1; then
  grep -q '(git ' <<<"$version" || fail "--version from a checkout lacks git: '$version'"
fi
bash -c 'source /usr/share/bash-completion/completions/shardctl && complete -p shardctl' \
  | grep -q _shardctl || fail "bash completion does not load"
bash -c \
  'source /usr/share/bash-completion/completions/shardctl; COMP_WORDS=(shardctl inv); COMP_CWORD=1;
   _shardctl; echo "${COMPREPLY[*]}"' | grep -qx inventory || fail "completion of 'inv'"
if command -v man >/dev/null; then
  man -l /usr/share/man/man1/shardctl.1 2>/dev/null | grep -q SHARDCTL || fail "man page"
fi
/usr/bin/shardctl validate -i "$(dirname "$0")/../../inventory/harmony-mainnet.json" \
  -p /usr/share/shardctl/playbooks/harmony-recover.json >/dev/null || fail "installed playbook"
echo "deb_test: ok ($(basename "$deb"), $version)"
