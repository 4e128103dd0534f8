#include "run/shard_task.h"

#include <algorithm>

#include "base/parallel.h"

namespace shardctl {

ShardTask::ShardTask(RunContext& ctx, const Shard& shard)
    : ctx_(ctx), shard_(shard), ops_(ctx, shard.id), began_(ctx.clock.Now()) {}

void ShardTask::Begin(ShardResult* result) {
  began_ = ctx_.clock.Now();
  result->shard = shard_.id;
  result->started_unix_ms = ctx_.clock.UnixMillis();
}

void ShardTask::Enter(Phase p, const std::string& message) {
  {
    std::lock_guard<std::mutex> l(mu_);
    phase_ = p;
  }
  // A failed write makes the journal sticky-failed; the task sees it through ctx_.Stopping().
  (void)ctx_.journal.RecordPhase(shard_.id, Step::kPhase, p, message);
  Emit(Event::Kind::kPhase, "", message);
}

void ShardTask::Emit(Event::Kind kind, const std::string& node, const std::string& message) {
  Event e{.kind = kind,
          .unix_ms = ctx_.clock.UnixMillis(),
          .shard = shard_.id,
          .node = node,
          .nodes_total = static_cast<int>(shard_.nodes.size()),
          .elapsed = ctx_.clock.Now() - began_,
          .message = message};
  {
    std::lock_guard<std::mutex> l(mu_);
    e.phase = phase_;
    e.round = round_;
    e.height = height_;
    e.nodes_up = nodes_up_;
    if (kind != Event::Kind::kProgress) {
      std::string what = std::string(PhaseName(phase_)) + (node.empty() ? "" : " " + node) +
                         (message.empty() ? "" : ": " + message);
      timeline_.push_back({e.unix_ms, e.elapsed, what});
    }
  }
  ctx_.Emit(e);
}

void ShardTask::Progress(const SampleSummary& s) {
  {
    std::lock_guard<std::mutex> l(mu_);
    height_ = std::max(height_, s.top);
    nodes_up_ = s.nodes_answering;
  }
  Emit(Event::Kind::kProgress, "", s.Describe());
}

void ShardTask::SetRound(int round) {
  std::lock_guard<std::mutex> l(mu_);
  round_ = round;
}

std::vector<Status> ShardTask::ApplyAll(NodeAction& action, const std::vector<const Node*>& nodes) {
  std::vector<Status> out(nodes.size());
  ParallelFor(nodes.size(), ctx_.pb.parallel_nodes, [&](size_t i) {
    out[i] = action.Apply(ops_, *nodes[i], ResumeAction::kRestart, *this)
                 .Annotate(nodes[i]->name + ": ");
  });
  return out;
}

void ShardTask::ReplacedBinary(const std::string& node, const std::string& why) {
  {
    std::lock_guard<std::mutex> l(mu_);
    if (std::count(replaced_.begin(), replaced_.end(), node) == 0) replaced_.push_back(node);
  }
  Warn(node, "binary failed verification (" + why + "); known-good copy restored and verified");
}

void ShardTask::Finish(ShardResult* result, Phase verdict, const std::string& reason) {
  {
    std::lock_guard<std::mutex> l(mu_);
    phase_ = verdict;
  }
  result->verdict = verdict;
  result->reason = reason;
  Status logged = ctx_.journal.RecordPhase(shard_.id, Step::kShard, verdict, reason);
  if (!logged.ok())
    result->reason += " (the journal could not record it: " + logged.message() + ")";
  result->finished_unix_ms = ctx_.clock.UnixMillis();
  Emit(Event::Kind::kShardDone, "", reason);
  std::lock_guard<std::mutex> l(mu_);
  result->replaced_binaries = replaced_;
  result->timeline = timeline_;
}

Phase ShardTask::phase() const {
  std::lock_guard<std::mutex> l(mu_);
  return phase_;
}

int64_t ShardTask::height() const {
  std::lock_guard<std::mutex> l(mu_);
  return height_;
}

std::vector<const Node*> ShardTask::AllNodes() const {
  std::vector<const Node*> out;
  for (const Node& n : shard_.nodes) out.push_back(&n);
  return out;
}

}  // namespace shardctl
