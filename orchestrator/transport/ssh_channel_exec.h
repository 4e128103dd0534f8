// Running one command on one channel of an established libssh session.
#pragma once

#include <libssh/libssh.h>

#include <string>

#include "transport/transport.h"

namespace shardctl {

/// Opens a session channel, execs command (no pty, no extra channels), and reads stdout and
/// stderr together until both reach EOF and the exit status or exit signal is in, sleeping in
/// poll(2) (via ssh_event) while nothing arrives: no spinning. Each stream keeps its first
/// options.max_output_bytes; the rest is read and dropped so the remote never blocks on a full
/// window. command should come from WrapRemoteCommand (transport/remote_wrapper.h): at the
/// deadline stdin gets EOF, which makes the node kill the command's process group; the call then
/// waits up to kKillConfirmWait for its exit (kTimedOut, remote_killed set when it came) and
/// closes the channel. When options.cancel is set (checked at least every 100 ms) stdin gets EOF
/// and the channel is closed at once (kCancelled): the node kills the group on that EOF.
/// options.stdin_data, when set, is written as the remote window allows (never blocking past the
/// deadline, reading output meanwhile), then EOF is sent.
/// *not_started is set when the failure happened before the command could have run (channel
/// open or exec request refused), so the caller may safely retry on a fresh session.
/// *session_broken is set when the session must not be reused (connection lost).
/// session must be used by this thread only for the duration of the call. duration is not set.
ExecResult ExecOnSession(ssh_session session, const std::string& command,
                         const ExecOptions& options, TimePoint deadline, bool* not_started,
                         bool* session_broken);

}  // namespace shardctl
