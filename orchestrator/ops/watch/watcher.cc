#include "ops/watch/watcher.h"

#include <algorithm>

#include "base/parallel.h"
#include "base/text.h"
#include "run/driver.h"
#include "run/node_ops.h"
#include "run/wait.h"

namespace shardctl {

Status CheckWatchable(const Inventory& inv, const Playbook& pb, const std::vector<int>& shards) {
  if (shards.empty()) {
    return Status::Invalid(
        "watch refused: the selection holds no shard, so there would be nothing to watch (an "
        "empty selection must never mean \"everything\" or \"act on nothing silently\"); check "
        "--shard and the inventory");
  }
  if (!pb.gate.present) {
    return Status::Invalid(pb.path +
                           ":/gate: expected a gate section (min_new_blocks, within_s, max_lag): "
                           "watch acts only on a playbook that says what \"healthy\" means");
  }
  for (int id : shards) {
    if (inv.FindShard(id) == nullptr) {
      return Status::Invalid("watch refused: shard " + std::to_string(id) + " is not in " +
                             inv.path);
    }
  }
  return Status::Ok();
}

Watcher::Watcher(const Inventory& inv, const Playbook& pb, const WatchPolicy& policy,
                 WatchSetup setup, Transport& transport, Clock& clock, const CancelToken& stop,
                 WatchParts parts)
    : inv_(inv),
      pb_(pb),
      policy_(policy),
      setup_(std::move(setup)),
      clock_(clock),
      stop_(stop),
      parts_(parts),
      no_journal_(Journal::Disabled(clock)),
      ctx_(inv, pb, transport, clock, *no_journal_, quiet_, stop),
      guardrails_(policy, clock),
      book_(policy.alert_repeat, clock) {
  for (int id : setup_.shards) {
    shards_[id] = std::make_unique<ShardWatch>(*inv.FindShard(id), pb, policy, clock);
  }
  page_ = BuildPageState();
}

Watcher::~Watcher() = default;

Status Watcher::Run() {
  auto run = RunOperation(ctx_, *this, DriverOptions{.shards = setup_.shards});
  if (!run.ok()) return run.status();
  if (parts_.journal->failed()) {
    return Status::Io("the watch journal could not be written: " + parts_.journal->failure());
  }
  return Status::Ok();
}

std::string Watcher::Describe(const std::vector<int>& shards) const {
  return "watch " + std::to_string(shards.size()) + " shard(s)" +
         (setup_.act ? ", --act" : ", dry run");
}

std::vector<OperationPhase> Watcher::Phases(const std::vector<int>&) {
  return {OperationPhase::ForRun([this](RunContext& ctx) { Loop(ctx); }),
          OperationPhase::ForRun([this](RunContext&) { Finish(); }, OperationPhase::When::kAlways)};
}

bool Watcher::Succeeded() const { return !parts_.journal->failed(); }

std::string Watcher::Summary() const {
  return Succeeded() ? "stopped by a signal" : "the watch journal failed";
}

void Watcher::Loop(RunContext& ctx) {
  Start();
  // A round every interval from the start of the last one, until the signal (or the journal
  // fails: nothing unjournaled is done).
  WaitSpec every{.every = policy_.interval, .stop = StopRule::kEndEarly, .pace = Pace::kFixedRate};
  PollUntil(ctx, every, [this] {
    if (!parts_.journal->failed()) Round();
    return parts_.journal->failed();
  });
}

void Watcher::Finish() {
  if (parts_.launcher != nullptr) {
    parts_.launcher->Wait();  // the run stops between steps too; its nodes are never left down
    CheckRun();
    Publish(Duration(0));
  }
  std::string why = parts_.journal->failed()
                        ? "the watch journal could not be written: " + parts_.journal->failure()
                        : "stopped by a signal";
  Record({.event = WatchEvent::kStop, .detail = why});
}

void Watcher::Start() {
  nlohmann::json detail = {{"mode", setup_.act ? "act" : "dry-run"},
                           {"shards", setup_.shards},
                           {"playbook", pb_.path},
                           {"policy", WatchPolicyToJson(policy_)}};
  Record({.event = WatchEvent::kStart, .detail = detail.dump()});
  ReadControl(/*replay=*/true);
  FireAlert(AlertName::kWatchdog, -1,
            {{"summary", "shardctl watch is running (always firing: a dead-man's switch)"}});
  if (setup_.act) FindUnfinishedRun();
}

void Watcher::Round() {
  ReadControl(/*replay=*/false);
  UpdateRole();
  CheckRun();
  TimePoint began = clock_.Now();
  auto looks = Probe(setup_.shards);
  Duration took = clock_.Now() - began;
  for (size_t i = 0; i < looks.size(); ++i) Observe(setup_.shards[i], looks[i]);
  Decide();
  ResumePending();
  Publish(took);
}

std::vector<std::vector<NodeStatus>> Watcher::Probe(const std::vector<int>& shards) {
  std::vector<std::vector<NodeStatus>> out(shards.size());
  ParallelFor(shards.size(), 0, [&](size_t i) {
    std::vector<const Node*> nodes;
    for (const Node& n : inv_.FindShard(shards[i])->nodes) nodes.push_back(&n);
    // Only a node that does not answer is asked is_running: down, or just silent?
    out[i] = NodeOps(ctx_, shards[i]).ProbeAll(nodes, /*ask_running=*/true);
  });
  return out;
}

void Watcher::Observe(int shard, const std::vector<NodeStatus>& nodes) {
  ShardWatch& w = *shards_.at(shard);
  bool was_blind = w.snapshot().last_round_blind;
  auto change = w.Observe(nodes);
  NoteVersions(nodes);
  // While a run restarts the shard its nodes are expected to be silent: not worth a line.
  if (w.snapshot().last_round_blind && !was_blind && w.state() != ShardState::kRecovering) {
    Record({.event = WatchEvent::kBlind,
            .shard = shard,
            .detail = "no node answered; state kept, nothing decided: " + Join(NodesDown(nodes))});
  }
  if (change) OnChange(*change);
}

void Watcher::NoteVersions(const std::vector<NodeStatus>& nodes) {
  for (const NodeStatus& n : nodes) {
    if (!n.answered || !n.fields.version || n.fields.version->empty()) continue;
    std::string& seen = versions_[n.node];
    if (!seen.empty() && seen != *n.fields.version) {
      std::string what = n.node + " " + seen + " -> " + *n.fields.version;
      guardrails_.NoteDeploy(what);
      Record(
          {.event = WatchEvent::kVersion, .shard = inv_.FindNode(n.node)->shard, .detail = what});
    }
    seen = *n.fields.version;
  }
}

void Watcher::OnChange(const StateChange& c) {
  Record({.event = WatchEvent::kState,
          .shard = c.shard,
          .detail = c.reason,
          .from = c.from,
          .to = c.to,
          .last_block_unix_ms = c.last_block_unix_ms});
  if (IsActionable(c.to) && !IsActionable(c.from)) guardrails_.NoteHalt(c.shard);
  if (c.to == ShardState::kHealthy || c.to == ShardState::kDegraded) {
    guardrails_.EndIncident(c.shard);
    held_.erase(c.shard);
  }
  AlertState(c);
}

void Watcher::Record(WatchEntry e) {
  e.unix_ms = clock_.UnixMillis();
  // A failed write is kept by the journal and ends the loop: nothing unjournaled is done.
  (void)parts_.journal->Append(e);
  if (parts_.echo) parts_.echo(e);
}

ShardState Watcher::state(int shard) const { return shards_.at(shard)->state(); }

}  // namespace shardctl
