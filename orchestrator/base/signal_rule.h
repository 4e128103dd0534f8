// What a signal does to shardctl (issue 11 item 8). InstallSignalCancel (base/cancel.h) routes
// SIGINT, SIGTERM and SIGHUP (the terminal closed) to the process's token: the first one
// cancels it, so steps in flight finish and nothing new starts. SIGPIPE is ignored: a closed
// output pipe must not kill a run in the middle of a restart.
#pragma once

namespace shardctl {

/// What a second signal does. false (the default, read-only commands): exit at once with
/// 128 + signal, since nothing would be left half-done. true (set once a run may touch nodes):
/// only say that the run is finishing its step, so no node is left stopped by our hand and the
/// run still prints where it stopped and the command that continues it; SIGKILL abandons it.
void HoldSecondSignal(bool hold);

}  // namespace shardctl
