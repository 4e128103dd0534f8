// What a signal does to shardctl (issue 11 item 8, issue 20). InstallSignalCancel (base/cancel.h)
// routes SIGINT, SIGTERM and SIGHUP to the process's token. While nothing has been touched
// (inputs are being read, parsed, downloaded and checked) a signal ends shardctl at once: there is
// nothing to finish. Once something may be touched (a node contacted, a state file written) the
// first signal cancels the token, so steps in flight finish and nothing new starts. SIGPIPE is
// ignored: a closed output pipe must not kill a run in the middle of a restart.
#pragma once

namespace shardctl {

/// Marks that nodes or state may be touched from now on (idempotent); false goes back to the
/// start state (for tests). Call it before the first SSH connection or state-dir write.
void MarkTouching(bool touching = true);

/// What a second signal does once touching. false (the default, read-only commands): exit at
/// once with 128 + signal, since nothing would be left half-done. true (set once a run may change
/// nodes): only say that the run is finishing its step, so no node is left stopped by our hand and
/// the run still prints where it stopped and the command that continues it; SIGKILL abandons it.
void HoldSecondSignal(bool hold);

}  // namespace shardctl
