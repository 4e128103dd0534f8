// A run's set-up and tear-down: what every command that changes nodes holds from its start to
// its end, taken in this order and given back in reverse: the state dir's run lock, the leases
// on the nodes of every shard the run may touch (and the network's etcd key when the inventory
// names one), the journal and its prologue (the run header, the window line), and the
// RunContext the operation runs in. The CLI parses, loads, confirms and renders; the session
// does the rest, so every operation (and the next one) gets it the same way.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/status.h"
#include "lock/run_leases.h"
#include "run/context.h"
#include "run/journal.h"
#include "run/run_lock.h"

namespace shardctl {

/// A line journaled before the run begins (Step::kRun): the header, the window.
struct PrologueLine {
  Outcome outcome = Outcome::kHeader;
  std::string detail;
};

struct SessionRequest {
  std::string state_dir;          // absolute
  std::string run_id;             // a new one (NewRunId), or the resumed run's
  std::string command;            // "shardctl upgrade": in the lock file and the leases, for others
  std::vector<int> lease_shards;  // the shards the run may touch
  std::vector<PrologueLine> prologue;  // journaled first, in order; an error starts nothing
  /// Called once the run lock and the leases are held, before the journal opens (may be
  /// empty): where a caller records why it runs (watch's decision), so a refused run leaves no
  /// journal behind. An error starts nothing and gives the leases and the lock back.
  std::function<Status()> before_journal;
  /// Makes a transport (one for the leases, whose renewals never queue behind a node's
  /// command, and one for the run).
  std::function<std::unique_ptr<Transport>()> make_transport;
  Observer* watcher = nullptr;        // the run's events (not owned)
  const CancelToken* stop = nullptr;  // the operator's stop (not owned)
  /// A line for the operator (took over a dead run's lock, an expired lease; a lease lost).
  std::function<void(const std::string&)> say;
};

class RunSession {
 public:
  /// Takes the run lock (Status::Locked naming the holder when another live run has it), the
  /// leases (Locked naming the holder; taken before the journal, so a refused run leaves no
  /// journal for resume to find), opens the journal and writes the prologue, then keeps the
  /// leases renewed: a lost one aborts the run (RunContext::Abort), whose step in flight
  /// finishes and nothing new starts.
  static Result<std::unique_ptr<RunSession>> Open(const Inventory& inv, const Playbook& pb,
                                                  Clock& clock, const SessionRequest& request);
  /// Close.
  ~RunSession();
  RunSession(const RunSession&) = delete;
  RunSession& operator=(const RunSession&) = delete;

  RunContext& ctx() { return *ctx_; }
  Journal& journal() { return *journal_; }
  /// Closes the run's sessions, gives the leases back and releases the run lock (the journal
  /// stays open for the caller to read). Idempotent.
  void Close();
  /// A lease was lost during the run (it was aborted for it).
  bool lease_lost() const { return leases_ && leases_->lost(); }

 private:
  RunSession() = default;
  Status TakeLeases(const Inventory& inv, const Playbook& pb, Clock& clock,
                    const SessionRequest& request, std::vector<std::string>* notes);

  std::unique_ptr<RunLock> lock_;
  std::unique_ptr<Transport> lease_transport_;
  std::unique_ptr<RunLeases> leases_;
  std::unique_ptr<Journal> journal_;
  std::unique_ptr<Transport> transport_;
  std::unique_ptr<RunContext> ctx_;
};

}  // namespace shardctl
