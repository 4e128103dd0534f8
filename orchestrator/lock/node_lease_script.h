// The wire format of a lease on a node: one POSIX sh script, run through the node's login shell,
// that creates, renews, releases or reads the lease file under a mkdir mutex, and its answer.
#pragma once

#include <string>

#include "base/status.h"
#include "lock/lease_holder.h"

namespace shardctl {

enum class NodeLeaseOp { kAcquire, kRenew, kRelease, kBreak, kRead };

/// What the node answered; the first word of the script's output.
enum class NodeLeaseState {
  kAcquired,  // acquire: the lease is now ours (new, or already ours and renewed)
  kTookOver,  // acquire: an expired lease of another run was replaced by ours; holder = it
  kHeld,      // acquire: a live lease of another run; holder = it
  kRenewed,   // renew: still ours, expiry moved on
  kLost,      // renew: no longer ours (broken or taken over); holder = the file's run, if any
  kReleased,  // release: the lease of that run was removed (break: replaced by a tombstone)
  kNotHeld,   // release, break: that run held no lease here; holder = the file's run, if any
  kFree,      // read: no lease file
  kLease,     // read: holder = the file's content
};

/// "acquire", "renew", ... ; the script's operation words.
const char* NodeLeaseOpName(NodeLeaseOp op);
/// "acquired", "took-over", ... ; the script's answer words (one mapping, both ways).
const char* NodeLeaseStateName(NodeLeaseState s);

/// The command for one node: `sh -c SCRIPT shardctl-lease OP PATH RUN TTL BODY`. path_word is
/// shell text (a rendered lease.path template: its variables already quoted; a leading ~
/// expands); every other value is quoted here. For kRelease, run.run_id names the lease to
/// remove; for kBreak, the run whose lease is replaced by a tombstone naming broken_by ("WHO at
/// WHEN: WHY"), which that run's next renewal reads back.
std::string NodeLeaseCommand(NodeLeaseOp op, const std::string& path_word, const LeaseHolder& run,
                             int64_t ttl_s, const std::string& broken_by = "");

struct NodeLeaseReply {
  NodeLeaseState state = NodeLeaseState::kFree;
  int64_t node_now_s = 0;  // the node's clock when it answered
  LeaseHolder holder;      // see NodeLeaseState; empty run_id when there is none
  std::string broken_by;   // a lock break's tombstone is in place: who broke it, when and why
};

/// Parses the script's stdout. kFailed with the script's own error line ("error ...") or a
/// description of what was unexpected.
Result<NodeLeaseReply> ParseNodeLeaseReply(const std::string& out);

}  // namespace shardctl
