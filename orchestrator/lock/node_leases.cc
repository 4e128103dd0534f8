#include "lock/node_leases.h"

#include <algorithm>

#include "transport/fanout.h"

namespace shardctl {
namespace {

int64_t CeilSeconds(Duration d) { return std::max<int64_t>(1, (d.count() + 999) / 1000); }

bool Ours(const NodeLeaseAnswer& a) {
  return a.answered &&
         (a.reply.state == NodeLeaseState::kAcquired ||
          a.reply.state == NodeLeaseState::kTookOver || a.reply.state == NodeLeaseState::kRenewed);
}

// "shard 0 is held by run R (...) on s0-n1, s0-n2; s0-n3 did not answer (...)".
std::string Refusal(int shard, size_t total, const std::vector<NodeLeaseAnswer>& answers) {
  std::map<std::string, std::string> holders;  // description -> nodes
  std::string silent;
  for (const NodeLeaseAnswer& a : answers) {
    if (!a.answered) silent += (silent.empty() ? "" : ", ") + a.node + " (" + a.error + ")";
    if (a.answered && a.reply.state == NodeLeaseState::kHeld) {
      std::string& nodes = holders[DescribeLeaseHolder(a.reply.holder)];
      nodes += (nodes.empty() ? "" : ", ") + a.node;
    }
  }
  std::string msg = "shard " + std::to_string(shard) +
                    ": cannot hold the lease on more than half "
                    "of its " +
                    std::to_string(total) + " nodes";
  for (const auto& [who, nodes] : holders) msg += "; held by " + who + " on " + nodes;
  if (!silent.empty()) msg += "; not answering: " + silent;
  return msg;
}

/// What a node whose lease we lost holds now.
std::string NowHolds(const NodeLeaseReply& r) {
  if (!r.holder.run_id.empty()) return "held by " + DescribeLeaseHolder(r.holder);
  if (!r.broken_by.empty()) return "has no lease: it was broken by " + r.broken_by;
  return "has no lease";
}

}  // namespace

std::vector<NodeLeaseAnswer> RunNodeLeaseOp(Transport& transport, const Inventory& inv,
                                            const std::vector<const Node*>& nodes,
                                            const NodeLeaseConfig& cfg, NodeLeaseOp op,
                                            const LeaseHolder& run, const std::string& broken_by) {
  std::vector<NodeLeaseAnswer> answers(nodes.size());
  std::vector<std::string> commands(nodes.size());
  for (size_t i = 0; i < nodes.size(); ++i) {
    answers[i].node = nodes[i]->name;
    answers[i].shard = nodes[i]->shard;
    auto path = RenderLeasePath(cfg.policy, inv, *nodes[i]);
    if (!path.ok()) answers[i].error = path.status().message();
    if (path.ok()) {
      commands[i] = NodeLeaseCommand(op, *path, run, CeilSeconds(cfg.policy.ttl), broken_by);
    }
  }
  ExecOptions options;
  options.timeout = cfg.command_timeout;
  auto results = RunOnNodes(
      transport, nodes,
      [&](const Node& n) -> std::string {
        for (size_t i = 0; i < nodes.size(); ++i) {
          if (nodes[i] == &n) return commands[i].empty() ? "false" : commands[i];
        }
        return "false";
      },
      options, static_cast<int>(nodes.size()));
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (commands[i].empty()) continue;
    auto reply = ParseNodeLeaseReply(results[i].out);
    if (results[i].outcome != ExecResult::Outcome::kExited) {
      answers[i].error = results[i].Reason();
    } else if (!reply.ok()) {
      answers[i].error = reply.status().message();
    } else {
      answers[i].answered = true;
      answers[i].reply = *reply;
    }
  }
  return answers;
}

NodeLeases::NodeLeases(Transport& transport, const Inventory& inv, Clock& clock,
                       NodeLeaseConfig cfg, LeaseHolder me)
    : transport_(transport), inv_(inv), clock_(clock), cfg_(std::move(cfg)), me_(std::move(me)) {}

std::vector<const Node*> NodeLeases::Nodes(int shard) const {
  std::vector<const Node*> out;
  if (const Shard* s = inv_.FindShard(shard)) {
    for (const Node& n : s->nodes) out.push_back(&n);
  }
  return out;
}

Status NodeLeases::Acquire(int shard, std::vector<std::string>* notes) {
  auto nodes = Nodes(shard);
  if (nodes.empty()) return Status::Invalid("no shard " + std::to_string(shard));
  TimePoint sent = clock_.Now();
  auto answers = RunNodeLeaseOp(transport_, inv_, nodes, cfg_, NodeLeaseOp::kAcquire, me_);
  size_t ours = std::count_if(answers.begin(), answers.end(), Ours);
  if (ours * 2 <= nodes.size()) {
    std::vector<const Node*> taken;
    for (size_t i = 0; i < nodes.size(); ++i) {
      if (Ours(answers[i])) taken.push_back(nodes[i]);
    }
    RunNodeLeaseOp(transport_, inv_, taken, cfg_, NodeLeaseOp::kRelease, me_);
    return Status::Failed(Refusal(shard, nodes.size(), answers));
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (const NodeLeaseAnswer& a : answers) {
    if (!Ours(a)) continue;
    valid_until_[shard][a.node] = sent + cfg_.policy.ttl;
    if (a.reply.state == NodeLeaseState::kTookOver && notes) {
      notes->push_back(a.node + ": took over the expired lease of " +
                       DescribeLeaseHolder(a.reply.holder));
    }
  }
  return Status::Ok();
}

int NodeLeases::HeldCount(int shard, TimePoint now) const {
  int count = 0;
  auto it = valid_until_.find(shard);
  if (it == valid_until_.end()) return 0;
  for (const auto& [node, until] : it->second) count += until > now ? 1 : 0;
  return count;
}

Status NodeLeases::Renew() {
  std::vector<const Node*> nodes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [shard, held] : valid_until_) {
      for (const auto& [name, until] : held) nodes.push_back(inv_.FindNode(name));
    }
  }
  TimePoint sent = clock_.Now();
  auto answers = RunNodeLeaseOp(transport_, inv_, nodes, cfg_, NodeLeaseOp::kRenew, me_);
  std::lock_guard<std::mutex> lock(mu_);
  std::string lost;
  for (const NodeLeaseAnswer& a : answers) {
    auto shard = valid_until_.find(a.shard);
    if (shard == valid_until_.end() || !shard->second.count(a.node)) continue;  // released
    if (Ours(a)) shard->second[a.node] = sent + cfg_.policy.ttl;
    if (a.answered && a.reply.state == NodeLeaseState::kLost) {
      shard->second[a.node] = TimePoint{};
      lost += "; " + a.node + " now " + NowHolds(a.reply);
    }
  }
  TimePoint now = clock_.Now();
  for (const auto& [shard, held] : valid_until_) {
    if (held.empty()) continue;
    size_t total = Nodes(shard).size();
    if (static_cast<size_t>(HeldCount(shard, now)) * 2 <= total) {
      return Status::Failed("shard " + std::to_string(shard) +
                            ": the lease is no longer held on more than half of its " +
                            std::to_string(total) + " nodes" + lost);
    }
  }
  return Status::Ok();
}

void NodeLeases::Release() {
  std::vector<const Node*> nodes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [shard, held] : valid_until_) {
      for (const auto& [name, until] : held) nodes.push_back(inv_.FindNode(name));
    }
    valid_until_.clear();
  }
  if (!nodes.empty()) {
    RunNodeLeaseOp(transport_, inv_, nodes, cfg_, NodeLeaseOp::kRelease, me_);
  }
}

std::vector<int> NodeLeases::shards() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> out;
  for (const auto& [shard, held] : valid_until_) {
    if (!held.empty()) out.push_back(shard);
  }
  return out;
}

}  // namespace shardctl
