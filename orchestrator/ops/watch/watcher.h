// `shardctl watch`, an operation on the run driver: its phases are the watch loop (a round
// every interval through the one wait loop, until the signal) and, whatever stopped it, the
// finish (the recovery in flight ends, the stop is journaled). Every interval a probe round of
// every watched node, each shard's state (ShardWatch), confirmation of the verdicts that lead to
// action, the guardrails, and recovery through RecoveryLauncher (recover on the run driver, under
// the lock). Everything is journaled (WatchJournal), paged (AlertBook), measured (WatchMetrics) and
// shown (PageState). docs/watch.md has the whole story.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "base/cancel.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "ops/watch/alert_sender.h"
#include "ops/watch/alerts.h"
#include "ops/watch/guardrails.h"
#include "ops/watch/metrics.h"
#include "ops/watch/recovery_launcher.h"
#include "ops/watch/shard_watch.h"
#include "ops/watch/watch_journal.h"
#include "run/context.h"
#include "run/driver.h"

namespace shardctl {

struct WatchSetup {
  std::vector<int> shards;  // the watched shards, in the playbook's order (never empty)
  bool act = false;         // --act; otherwise a dry run: journaled and alerted, nothing touched
  std::string state_dir;    // where the run journals are (to finish an interrupted run)
};

/// What the watcher uses and does not own; every pointer may be null but journal and peers.
struct WatchParts {
  WatchJournal* journal = nullptr;
  WatchPeers* peers = nullptr;
  RecoveryLauncher* launcher = nullptr;  // null: a dry run
  AlertSender* alerts = nullptr;
  WatchMetrics* metrics = nullptr;
  std::function<void(const WatchEntry&)> echo;  // each journaled line, for stdout
};

/// Refuses what watch must not start on: an empty selection, a playbook without a gate
/// section, shards missing from the inventory. The message says what to fix.
Status CheckWatchable(const Inventory& inv, const Playbook& pb, const std::vector<int>& shards);

/// Runs on one thread (Run, or Round from a test); PageState and Approve may be called from
/// any thread.
class Watcher : public Operation {
 public:
  /// Everything passed must outlive the watcher. policy may differ from pb.watch (--policy).
  Watcher(const Inventory& inv, const Playbook& pb, const WatchPolicy& policy, WatchSetup setup,
          Transport& transport, Clock& clock, const CancelToken& stop, WatchParts parts);
  ~Watcher() override;

  /// Runs this operation on the driver: journals the start, then rounds every interval until
  /// stop; then waits for a recovery run in flight to end (it stops between steps too) and
  /// journals the end. An error when the watch journal failed.
  Status Run();

  // Operation. Its context journals nothing: the watch journal is watch's audit trail, and
  // each recovery is a run of its own (RecoveryLauncher).
  OperationKind Kind() const override { return OperationKind::kWatch; }
  std::string Describe(const std::vector<int>& shards) const override;
  std::vector<OperationPhase> Phases(const std::vector<int>& shards) override;
  bool Succeeded() const override;
  std::string Summary() const override;
  /// One round: control lines, role, a finished run, probes, states, decisions, alerts, page.
  void Round();

  /// What the page and /api/state show. Thread-safe.
  nlohmann::json PageState() const;
  /// Journals an approval of shard by `by` (the page's button); the next round applies it.
  Status Approve(int shard, const std::string& by);

  ShardState state(int shard) const;

 private:
  // watcher.cc: the phases, the round and what it observes.
  void Loop(RunContext& ctx);
  void Finish();
  void Start();
  std::vector<std::vector<NodeStatus>> Probe(const std::vector<int>& shards);
  void Observe(int shard, const std::vector<NodeStatus>& nodes);
  void NoteVersions(const std::vector<NodeStatus>& nodes);
  void OnChange(const StateChange& c);
  void Record(WatchEntry e);
  // watcher_control.cc: what other shells and watchers say.
  void ReadControl(bool replay);
  void Apply(const WatchEntry& e, bool replay);
  void UpdateRole();
  void FindUnfinishedRun();
  // watcher_act.cc: decisions and the recovery runs.
  void Decide();
  void Held(const Decision& d);
  void NoteDecision(int shard, const std::string& decision, const std::string& detail);
  void Act(const std::vector<int>& shards);
  /// counts: a new recovery (max_recoveries counts it), not the finish of an earlier one.
  void StartRun(const RecoveryLauncher::Request& r, bool counts);
  void ResumePending();
  void CheckRun();
  void EndRun(const RecoveryLauncher::Finished& f);
  /// From the run's thread: the etcd record a successor finishes the run from.
  void SaveProgress(const std::string& run_id, const std::map<int, RecoverResume>& progress);
  // watcher_view.cc: alerts, metrics, the page.
  /// Fires (journaled when it was not firing) or updates an alert.
  void FireAlert(AlertName name, int shard, std::map<std::string, std::string> annotations);
  /// Resolves it (journaled) if it fires.
  void ResolveAlert(AlertName name, int shard, const std::string& resolution);
  void AlertState(const StateChange& c);
  void Publish(Duration probe_time);
  nlohmann::json BuildPageState() const;

  const Inventory& inv_;
  const Playbook& pb_;
  const WatchPolicy& policy_;
  const WatchSetup setup_;
  Clock& clock_;
  const CancelToken& stop_;
  const WatchParts parts_;
  std::unique_ptr<shardctl::Journal> no_journal_;  // probes journal nothing
  EventLog quiet_;
  RunContext ctx_;  // the probes' context: stop_ is its stop token

  // The loop's own state: touched only from the round's thread.
  std::map<int, std::unique_ptr<ShardWatch>> shards_;
  Guardrails guardrails_;
  AlertBook book_;
  uint64_t control_offset_ = 0;  // how far the journal's control lines were read
  bool paused_ = false;
  std::string pause_reason_;
  std::optional<WatchRole> role_;
  std::map<std::string, std::string> versions_;            // node -> version last seen
  std::map<int, std::pair<Guardrail, std::string>> held_;  // shard -> last held decision
  std::string run_id_;                                     // the recovery run in flight ("" none)
  std::set<int> run_shards_;
  std::optional<RecoveryLauncher::Request> pending_resume_;  // an unfinished run to finish
  std::vector<nlohmann::json> decisions_;                    // the last ones, for the page

  mutable std::mutex mu_;  // guards page_
  nlohmann::json page_;    // PageState's copy, rebuilt every round
};

}  // namespace shardctl
