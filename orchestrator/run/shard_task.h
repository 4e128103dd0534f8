// What one shard's part of any operation shares: its phase, round and last-seen progress, the
// events it emits and the timeline they leave, the journal's phase and verdict lines.
#pragma once

#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "consensus/sample.h"
#include "run/context.h"
#include "run/events.h"
#include "run/node_action.h"
#include "run/node_ops.h"
#include "run/run_report.h"

namespace shardctl {

/// Lock discipline: a derived task runs on one thread and touches its own members only from
/// it; nodes of a step run in parallel and report only through the methods below, which take
/// this class's one lock. The shard and context must outlive the task.
class ShardTask : public NodeNotes {
 public:
  ~ShardTask() override = default;
  ShardTask(const ShardTask&) = delete;
  ShardTask& operator=(const ShardTask&) = delete;

  /// node's binary failed verification and was replaced: remembered once, and a warning.
  void ReplacedBinary(const std::string& node, const std::string& why) override;

 protected:
  ShardTask(RunContext& ctx, const Shard& shard);

  /// Starts the clock for elapsed times; result gets its shard and start time.
  void Begin(ShardResult* result);
  /// Journals the phase line and emits a kPhase event.
  void Enter(Phase p, const std::string& message = "");
  void Emit(Event::Kind kind, const std::string& node, const std::string& message);
  void Warn(const std::string& node, const std::string& message) {
    Emit(Event::Kind::kWarning, node, message);
  }
  /// Keeps the sample's top height and answering nodes for later events; emits kProgress.
  void Progress(const SampleSummary& s);
  void SetRound(int round);
  /// action on every node (playbook nodes.parallel at once), as a fresh step (ResumeAction::
  /// kRestart), reporting to this task; statuses in input order, each prefixed "NODE: ".
  std::vector<Status> ApplyAll(NodeAction& action, const std::vector<const Node*>& nodes);
  /// Journals the verdict line (checked: a failure is added to the reason) and emits kShardDone;
  /// fills result's verdict, reason, finish time, replaced binaries and timeline.
  void Finish(ShardResult* result, Phase verdict, const std::string& reason);

  Phase phase() const;
  int64_t height() const;
  std::vector<const Node*> AllNodes() const;

  RunContext& ctx_;
  const Shard& shard_;
  NodeOps ops_;
  TimePoint began_;

 private:
  mutable std::mutex mu_;  // guards every member below
  Phase phase_ = Phase::kPending;
  int round_ = 0;
  int64_t height_ = -1;
  int nodes_up_ = -1;
  std::vector<TimelineEntry> timeline_;
  std::vector<std::string> replaced_;
};

}  // namespace shardctl
