#include "transport/remote_wrapper.h"

#include "base/shell_quote.h"

namespace shardctl {
namespace {

// $1: backstop limit (s), $2: TERM-to-KILL delay (s), $3: the command. fd 3 keeps the channel's
// stdin for the watchdog (an asynchronous list would otherwise get /dev/null as stdin).
constexpr const char* kWrapper = R"sh(exec 3<&0
if command -v timeout >/dev/null 2>&1; then
  timeout -k "$2" "$1" "${SHELL:-/bin/sh}" -c "$3" </dev/null 3<&- &
else
  "${SHELL:-/bin/sh}" -c "$3" </dev/null 3<&- &
fi
p=$!
{ while read -r _; do :; done; kill -TERM -"$p" 2>/dev/null || kill -TERM "$p"; } <&3 >/dev/null 2>&1 &
w=$!
exec 3<&-
wait "$p"; s=$?
kill "$w" 2>/dev/null
if [ "$s" -gt 128 ] && [ "$s" -le 192 ]; then kill -"$((s - 128))" "$$"; fi
exit "$s")sh";

// The same limits for a command that reads the channel's stdin itself.
constexpr const char* kWrapperWithStdin = R"sh(if command -v timeout >/dev/null 2>&1; then
  exec timeout -k "$2" "$1" "${SHELL:-/bin/sh}" -c "$3"
fi
exec "${SHELL:-/bin/sh}" -c "$3")sh";

long long WholeSecondsUp(Duration d) { return (d.count() + 999) / 1000; }

}  // namespace

std::string WrapRemoteCommand(const std::string& command, Duration timeout, bool stdin_to_command) {
  long long limit = WholeSecondsUp(timeout) + WholeSecondsUp(kBackstopMargin);
  return "exec /bin/sh -c " + ShellQuote(stdin_to_command ? kWrapperWithStdin : kWrapper) +
         " shardctl-run " + std::to_string(limit) + " " +
         std::to_string(WholeSecondsUp(kRemoteKillAfter)) + " " + ShellQuote(command);
}

}  // namespace shardctl
