// The time limit of a remote command is enforced on the node, not only by the client: every
// command is sent inside a small POSIX-sh wrapper that runs it in its own process group (via
// coreutils `timeout`) and kills that whole group (TERM, then KILL 3 s later) when
//   - the channel's stdin reaches EOF: the client sends EOF at its deadline or on cancel, and
//     sshd closes stdin when the channel or the connection closes (client killed, network cut);
//   - or, as a backstop if the client is gone but the connection lingers, kBackstopMargin after
//     the command's own time limit.
// The command sees stdin as /dev/null and runs through the user's login shell ($SHELL -c), as
// before. A command that dies by a signal makes the wrapper die by the same signal, so the
// client still sees "killed by signal X". Requires /bin/sh and `timeout` (coreutils) on the
// node; without `timeout` the command still runs, and EOF kills only its top process.
#pragma once

#include <string>

#include "base/clock.h"

namespace shardctl {

/// How long after the client's deadline the node kills the command on its own.
inline constexpr Duration kBackstopMargin{5000};
/// How long the node waits after TERM before KILL.
inline constexpr Duration kRemoteKillAfter{3000};

/// The shell text to exec on the node for command with the given time limit. With
/// stdin_to_command (ExecOptions::stdin_data: the command reads the channel's stdin, so EOF
/// cannot be the kill signal) only the node's own limit applies: kBackstopMargin after timeout.
std::string WrapRemoteCommand(const std::string& command, Duration timeout,
                              bool stdin_to_command = false);

}  // namespace shardctl
