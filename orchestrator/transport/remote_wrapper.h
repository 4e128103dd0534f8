// The time limit of a remote command is enforced on the node, not only by the client, and the
// command runs in the user's login shell once, as `ssh host CMD` would: sshd starts that shell
// (which reads its rc files, once), and the shell runs a few lines of POSIX sh around the
// command. They start one watchdog (a subshell of that shell, so no rc files again) and then
// `eval` the command in the login shell itself, with stdin from /dev/null. sshd made the login
// shell a session and process-group leader, so the group is the command's whole tree. The
// watchdog kills that group (TERM, then KILL kRemoteKillAfter later) when
//   - the channel's stdin reaches EOF while the command still runs: the client sends EOF at its
//     deadline or on cancel, and sshd closes stdin when the channel or the connection closes
//     (client killed, network cut);
//   - or, as a backstop if the client is gone but the connection lingers, kBackstopMargin after
//     the command's own time limit (`read -t`; a login shell without it, such as dash, has only
//     the EOF rule).
// The rc files ran before the watchdog existed, so a kill reaches the command, never an rc
// file's own helpers. A command that dies by a signal makes the shell die by the same signal,
// so the client still sees "killed by signal X". Requires a POSIX login shell (sh, bash, dash,
// zsh, ksh) on the node.
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
/// cannot be the kill signal) only the node's own limit applies, kBackstopMargin after timeout,
/// kept by a `sleep` in the watchdog.
std::string WrapRemoteCommand(const std::string& command, Duration timeout,
                              bool stdin_to_command = false);

}  // namespace shardctl
