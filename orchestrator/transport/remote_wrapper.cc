#include "transport/remote_wrapper.h"

#include "base/shell_quote.h"

namespace shardctl {
namespace {

// Run by the login shell sshd starts: @LIMIT@ (backstop, s), @KILL@ (TERM-to-KILL delay, s) and
// @CMD@ (the command, quoted) are filled in. $$ is the login shell, leader of the process group.
// The watchdog first waits (stdin's EOF, or the backstop), then kills the group only if the shell
// still runs, ignoring the TERM it sends itself. Names are prefixed: the command runs in this
// shell and sees its variables.
constexpr const char* kPrologueWatchingStdin = R"sh(exec 3<&0 </dev/null
{ read -r -t @LIMIT@ __shardctl_line 2>/dev/null; [ $? -ne 2 ] || read -r __shardctl_line
)sh";
constexpr const char* kPrologueWithStdin = R"sh({ sleep @LIMIT@
)sh";
constexpr const char* kKillAndRun = R"sh(  kill -0 $$ 2>/dev/null || exit 0
  trap '' TERM; kill -TERM -$$ 2>/dev/null || kill -TERM $$
  sleep @KILL@; kill -KILL -$$ 2>/dev/null || kill -KILL $$
} @IN@ >/dev/null 2>&1 &
__shardctl_w=$!
@CLOSE@eval @CMD@
__shardctl_s=$?
kill $__shardctl_w 2>/dev/null
if [ $__shardctl_s -gt 128 ] && [ $__shardctl_s -le 192 ]; then
  trap - HUP INT QUIT TERM; kill -$((__shardctl_s - 128)) $$
fi
exit $__shardctl_s)sh";

long long WholeSecondsUp(Duration d) { return (d.count() + 999) / 1000; }

void ReplaceAll(std::string* text, const std::string& from, const std::string& to) {
  for (size_t at = text->find(from); at != std::string::npos; at = text->find(from, at)) {
    text->replace(at, from.size(), to);
    at += to.size();
  }
}

}  // namespace

std::string WrapRemoteCommand(const std::string& command, Duration timeout, bool stdin_to_command) {
  long long limit = WholeSecondsUp(timeout) + WholeSecondsUp(kBackstopMargin);
  std::string text =
      std::string(stdin_to_command ? kPrologueWithStdin : kPrologueWatchingStdin) + kKillAndRun;
  ReplaceAll(&text, "@IN@", stdin_to_command ? "</dev/null" : "<&3");
  ReplaceAll(&text, "@CLOSE@", stdin_to_command ? "" : "exec 3<&-\n");
  ReplaceAll(&text, "@LIMIT@", std::to_string(limit));
  ReplaceAll(&text, "@KILL@", std::to_string(WholeSecondsUp(kRemoteKillAfter)));
  ReplaceAll(&text, "@CMD@", ShellQuote(command));  // last: the command's text is not scanned
  return text;
}

}  // namespace shardctl
