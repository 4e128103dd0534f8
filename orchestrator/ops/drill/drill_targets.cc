#include "ops/drill/drill_targets.h"

#include <fnmatch.h>

#include <algorithm>
#include <cstdio>
#include <random>

#include "base/text.h"
#include "model/node_set.h"

namespace shardctl {
namespace {

struct Resolver {
  const DrillSpec& spec;
  const Playbook& pb;
  const Inventory& inv;
  const std::map<int, std::string>& leaders;
  std::mt19937_64 rng;
};

int64_t DrillPowerOf(const std::vector<const Node*>& nodes) {
  int64_t p = 0;
  for (const Node* n : nodes) p += n->voting_power;
  return p;
}

std::string PowerText(int64_t taken, int64_t total) {
  return std::to_string(taken) + " of " + std::to_string(total) + " voting power, " +
         FormatPercent(static_cast<double>(taken) / static_cast<double>(total));
}

/// Fisher-Yates with the drill's generator: the same seed gives the same order everywhere.
void Shuffle(std::vector<const Node*>* v, std::mt19937_64* rng) {
  for (size_t i = v->size(); i > 1; --i) {
    size_t j = static_cast<size_t>((*rng)() % i);
    std::swap((*v)[i - 1], (*v)[j]);
  }
}

/// The nodes a random rule takes from the shuffled candidates: a count takes a prefix; a
/// lower-bound power rule the shortest prefix that meets it (and the count); an upper-bound rule
/// every candidate, in order, that still fits (up to the count). Empty when nothing meets it.
std::vector<const Node*> Choose(const TargetRule& t, const std::vector<const Node*>& cand,
                                int64_t total, const QuorumRule& quorum) {
  size_t count = static_cast<size_t>(t.count);
  if (!t.power) {
    if (cand.size() < count) return {};
    return {cand.begin(), cand.begin() + static_cast<std::ptrdiff_t>(count)};
  }
  std::vector<const Node*> out;
  int64_t taken = 0;
  for (const Node* n : cand) {
    if (t.power->IsLowerBound()) {
      out.push_back(n);
      taken += n->voting_power;
      if (out.size() >= count && t.power->Satisfied(taken, total, quorum)) return out;
    } else if ((count == 0 || out.size() < count) &&
               t.power->Satisfied(taken + n->voting_power, total, quorum)) {
      out.push_back(n);
      taken += n->voting_power;
    }
  }
  if (t.power->IsLowerBound()) return {};
  return out;
}

std::string RuleText(const TargetRule& t) {
  std::string rule = t.power ? "power " + t.power->text : "";
  if (t.count > 0) {
    std::string c = std::to_string(t.count);
    if (!t.power) {
      rule = "count " + c;
    } else {
      rule += t.power->IsLowerBound() ? ", at least " + c + " nodes" : ", at most " + c + " nodes";
    }
  }
  if (!t.glob.empty()) rule += ", among " + t.glob;
  return rule;
}

Result<std::vector<const Node*>> PickRandom(Resolver& r, const TargetRule& t, const Shard& shard,
                                            std::string* why) {
  std::vector<const Node*> cand;
  for (const Node& n : shard.nodes) {
    if (t.glob.empty() || fnmatch(t.glob.c_str(), n.name.c_str(), 0) == 0) cand.push_back(&n);
  }
  Shuffle(&cand, &r.rng);
  int64_t total = shard.TotalPower();
  std::vector<const Node*> chosen = Choose(t, cand, total, r.pb.quorum);
  if (chosen.empty()) {
    return Status::Invalid(t.where + ": shard " + std::to_string(shard.id) + ": no choice among " +
                           std::to_string(cand.size()) + " candidate(s) meets " + RuleText(t) +
                           " (quorum: " + r.pb.quorum.Describe() + ")");
  }
  *why = "random, " + RuleText(t) + "; " + PowerText(DrillPowerOf(chosen), total);
  return chosen;
}

Result<std::vector<const Node*>> PickInShard(Resolver& r, const TargetRule& t, const Shard& shard,
                                             std::string* why) {
  if (t.leader) {
    auto it = r.leaders.find(shard.id);
    const Node* leader = it == r.leaders.end() ? nullptr : r.inv.FindNode(it->second);
    if (leader == nullptr || leader->shard != shard.id) {
      return Status::Invalid(t.where + "/leader: no node of shard " + std::to_string(shard.id) +
                             " reported itself leader in the probe before the drill");
    }
    *why = "the leader; " + PowerText(leader->voting_power, shard.TotalPower());
    return std::vector<const Node*>{leader};
  }
  if (t.IsRandom()) return PickRandom(r, t, shard, why);
  std::vector<const Node*> out;
  for (const Node& n : shard.nodes) {
    if (fnmatch(t.glob.c_str(), n.name.c_str(), 0) == 0) out.push_back(&n);
  }
  *why = "every node matching " + t.glob + "; " + PowerText(DrillPowerOf(out), shard.TotalPower());
  return out;
}

Result<ResolvedStep> ResolveStep(Resolver& r, const FaultStep& step,
                                 const std::vector<ResolvedStep>& earlier) {
  ResolvedStep out;
  out.step = &step;
  const TargetRule& t = step.targets;
  if (!t.same_as.empty()) {
    for (const ResolvedStep& e : earlier) {
      if (e.step->name == t.same_as) out.nodes = e.nodes;
    }
    out.choices.push_back("the nodes of step \"" + t.same_as +
                          "\": " + FoldNodeNames(NodeNames(out.nodes)));
    return out;
  }
  if (!t.nodes.empty()) {
    for (const std::string& name : t.nodes) out.nodes.push_back(r.inv.FindNode(name));
    out.choices.push_back("named: " + FoldNodeNames(t.nodes));
    return out;
  }
  ShardSet shards = t.shards_given ? t.shards : r.spec.blast_shards;
  for (int id : shards.Resolve(r.inv)) {
    std::string why;
    auto picked = PickInShard(r, t, *r.inv.FindShard(id), &why);
    if (!picked.ok()) return picked.status();
    if (picked->empty()) continue;
    out.choices.push_back("shard " + std::to_string(id) + ": " + FoldNodeNames(NodeNames(*picked)) +
                          " (" + why + ")");
    out.nodes.insert(out.nodes.end(), picked->begin(), picked->end());
  }
  if (out.nodes.empty()) return Status::Invalid(t.where + ": chooses no node");
  return out;
}

std::string DrillSecs(Duration d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%gs", static_cast<double>(d.count()) / 1000.0);
  return buf;
}

}  // namespace

std::vector<std::string> DescribeTimeline(const DrillSpec& spec, const Playbook& pb,
                                          const DrillTargets& targets) {
  std::vector<std::string> lines;
  for (const ResolvedStep& r : targets.faults) {
    const FaultStep& s = *r.step;
    std::string params;
    for (const auto& [k, v] : s.params) params += (params.empty() ? " " : ", ") + k + "=" + v;
    const FaultDef* fault = FindFault(pb.faults, s.fault);
    std::string undo = fault == nullptr || fault->undo.empty() ? ", no undo"
                       : s.duration ? ", undone at t+" + DrillSecs(s.at + *s.duration)
                                    : ", undone by the rollbacks";
    lines.push_back("t+" + DrillSecs(s.at) + " " + s.fault + params + " on " +
                    FoldNodeNames(NodeNames(r.nodes)) + undo);
  }
  lines.push_back("t+" + DrillSecs(spec.recovery.at) +
                  " recovery: " + RecoveryModeName(spec.recovery.mode) +
                  (spec.recovery.mode == RecoveryMode::kRecover
                       ? " (shardctl recover on the unhealthy hypothesis shards)"
                       : " (up to " + DrillSecs(spec.recovery.within) + ")"));
  lines.push_back("abort: time limit " + DrillSecs(spec.abort.time_limit) +
                  ", a shard outside the blast radius without a block for " +
                  DrillSecs(spec.abort.outside_halt) + ", or Ctrl-C; then the rollbacks");
  return lines;
}

Result<DrillTargets> ResolveTargets(const DrillSpec& spec, const Playbook& pb, const Inventory& inv,
                                    const std::map<int, std::string>& leaders, uint64_t seed) {
  Resolver r{spec, pb, inv, leaders, std::mt19937_64(seed)};
  DrillTargets out;
  out.seed = seed;
  for (const FaultStep& step : spec.faults) {
    auto resolved = ResolveStep(r, step, out.faults);
    if (!resolved.ok()) return resolved.status();
    out.faults.push_back(std::move(*resolved));
  }
  for (const FaultStep& step : spec.rollbacks) {
    auto resolved = ResolveStep(r, step, out.faults);
    if (!resolved.ok()) return resolved.status();
    out.rollbacks.push_back(std::move(*resolved));
  }
  return out;
}

}  // namespace shardctl
