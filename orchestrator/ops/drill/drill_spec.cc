#include "ops/drill/drill_spec.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <set>

#include "model/json_reader.h"

namespace shardctl {
namespace {

constexpr double kMaxSeconds = 7 * 86400;

Result<std::string> OptionalString(const JsonAt& at, const std::string& key) {
  if (!at.Has(key)) return std::string();
  return at[key].String();
}

Result<Duration> ReadSeconds(const JsonAt& at, bool allow_zero) {
  const auto& v = at.value();
  double s = v.is_number() ? v.get<double>() : -1;
  if (!v.is_number() || s < 0 || (!allow_zero && s == 0) || s > kMaxSeconds) {
    return at.Expected(std::string("seconds, a number ") + (allow_zero ? ">= 0" : "above 0") +
                       " and at most 604800");
  }
  return Duration(static_cast<int64_t>(std::llround(s * 1000)));
}

Result<ShardSet> ReadShardSet(const JsonAt& at) {
  const std::string want = "\"all\" or a non-empty array of distinct shard ids";
  ShardSet set;
  if (at.value().is_string() && at.value() == "all") return set;
  if (!at.value().is_array() || at.value().empty()) return at.Expected(want);
  set.all = false;
  for (size_t i = 0; i < at.value().size(); ++i) {
    auto id = at[i].Int(0, 1'000'000);
    if (!id.ok()) return id.status();
    if (std::count(set.ids.begin(), set.ids.end(), *id) > 0) return at[i].Expected(want);
    set.ids.push_back(static_cast<int>(*id));
  }
  return set;
}

/// A share of voting power: a number in (0, 1] or a fraction string "1/3".
Result<double> ReadShare(const JsonAt& at) {
  const std::string want = "a share of voting power: a number above 0 and at most 1, or \"1/3\"";
  const auto& v = at.value();
  double share = -1;
  if (v.is_number()) {
    share = v.get<double>();
  } else if (v.is_string()) {
    const std::string& s = v.get_ref<const std::string&>();
    int num = 0, den = 0;
    char slash = 0;
    size_t pos = s.find('/');
    if (pos != std::string::npos && pos > 0 && pos + 1 < s.size() &&
        s.find_first_not_of("0123456789/") == std::string::npos &&
        std::sscanf(s.c_str(), "%d%c%d", &num, &slash, &den) == 3 && den > 0) {
      share = static_cast<double>(num) / den;
    }
  }
  if (!(share > 0 && share <= 1)) return at.Expected(want);
  return share;
}

Result<PowerRule> ReadPowerRule(const JsonAt& at) {
  const std::string want =
      "\"breaks_quorum\", \"keeps_quorum\", {\"more_than\": SHARE} or {\"at_most\": SHARE}";
  PowerRule rule;
  const auto& v = at.value();
  if (v == "breaks_quorum" || v == "keeps_quorum") {
    rule.kind =
        v == "breaks_quorum" ? PowerRule::Kind::kBreaksQuorum : PowerRule::Kind::kKeepsQuorum;
    rule.text = v.get<std::string>();
    return rule;
  }
  if (!v.is_object() || v.size() != 1) return at.Expected(want);
  bool more = v.contains("more_than");
  if (!more && !v.contains("at_most")) return at.Expected(want);
  JsonAt share_at = at[more ? "more_than" : "at_most"];
  auto share = ReadShare(share_at);
  if (!share.ok()) return share.status();
  rule.kind = more ? PowerRule::Kind::kMoreThan : PowerRule::Kind::kAtMost;
  rule.share = *share;
  rule.text = std::string(more ? "more than " : "at most ") +
              (share_at.value().is_string() ? share_at.value().get<std::string>()
                                            : share_at.value().dump());
  return rule;
}

Status ReadTargetChoice(const JsonAt& at, TargetRule* t) {
  if (at.Has("nodes")) {
    JsonAt nodes = at["nodes"];
    if (!nodes.value().is_array() || nodes.value().empty()) {
      return nodes.Expected("a non-empty array of node names");
    }
    for (size_t i = 0; i < nodes.value().size(); ++i) {
      auto n = nodes[i].String();
      if (!n.ok()) return n.status();
      t->nodes.push_back(*n);
    }
  }
  if (at.Has("glob")) {
    auto g = at["glob"].String();
    if (!g.ok()) return g.status();
    t->glob = *g;
  }
  if (at.Has("leader")) {
    auto l = at["leader"].Bool();
    if (!l.ok()) return l.status();
    if (!*l) return at["leader"].Expected("true (or leave \"leader\" out)");
    t->leader = true;
  }
  if (at.Has("count")) {
    auto c = at["count"].Int(1, 100000);
    if (!c.ok()) return c.status();
    t->count = static_cast<int>(*c);
  }
  if (at.Has("power")) {
    auto p = ReadPowerRule(at["power"]);
    if (!p.ok()) return p.status();
    t->power = *p;
  }
  if (at.Has("same_as")) {
    auto s = at["same_as"].String();
    if (!s.ok()) return s.status();
    t->same_as = *s;
  }
  return Status::Ok();
}

/// Exactly one way of choosing; `shards` only where it means something.
Status CheckTargetCombination(const JsonAt& at, const TargetRule& t) {
  int ways = !t.nodes.empty() + t.leader + !t.same_as.empty() + (t.IsRandom() || !t.glob.empty());
  if (ways == 0) {
    return at.Error(
        "expected one way to choose nodes: \"nodes\", \"glob\", \"leader\", "
        "\"count\", \"power\" or \"same_as\"");
  }
  if (ways > 1 || (!t.glob.empty() && (t.leader || !t.nodes.empty()))) {
    return at.Error(
        "expected one way to choose nodes, found several (\"nodes\", \"leader\" and "
        "\"same_as\" stand alone; \"glob\" may narrow \"count\" and \"power\")");
  }
  if (t.shards_given && (!t.nodes.empty() || !t.same_as.empty())) {
    return at["shards"].Error("\"shards\" does not combine with \"nodes\" or \"same_as\"");
  }
  return Status::Ok();
}

Result<TargetRule> ReadTargets(const JsonAt& at) {
  SHARDCTL_RETURN_IF_ERROR(
      at.OnlyKeys({"shards", "nodes", "glob", "leader", "count", "power", "same_as"}));
  TargetRule t;
  t.where = at.Where();
  if (at.Has("shards")) {
    auto s = ReadShardSet(at["shards"]);
    if (!s.ok()) return s.status();
    t.shards = *s;
    t.shards_given = true;
  }
  SHARDCTL_RETURN_IF_ERROR(ReadTargetChoice(at, &t));
  SHARDCTL_RETURN_IF_ERROR(CheckTargetCombination(at, t));
  return t;
}

/// A fault step (`rollback` false) or a rollback action (no name, at_s or duration_s).
Result<FaultStep> ReadStep(const JsonAt& at, bool rollback) {
  if (rollback) {
    SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"fault", "targets", "params"}));
  } else {
    SHARDCTL_RETURN_IF_ERROR(
        at.OnlyKeys({"name", "at_s", "fault", "targets", "params", "duration_s"}));
  }
  FaultStep step;
  step.where = at.Where();
  auto name = OptionalString(at, "name");
  if (!name.ok()) return name.status();
  step.name = *name;
  if (!rollback) {
    if (!at.Has("at_s")) return at.Error("missing \"at_s\" (seconds after the faults start)");
    auto t = ReadSeconds(at["at_s"], true);
    if (!t.ok()) return t.status();
    step.at = *t;
  }
  if (!at.Has("fault")) return at.Error("missing \"fault\" (a fault of the playbook)");
  auto fault = at["fault"].String();
  if (!fault.ok()) return fault.status();
  step.fault = *fault;
  if (!at.Has("targets")) return at.Error("missing \"targets\" (which nodes)");
  auto targets = ReadTargets(at["targets"]);
  if (!targets.ok()) return targets.status();
  step.targets = *targets;
  if (at.Has("params")) SHARDCTL_RETURN_IF_ERROR(ReadFaultParams(at["params"], &step.params));
  if (at.Has("duration_s")) {
    auto d = ReadSeconds(at["duration_s"], false);
    if (!d.ok()) return d.status();
    step.duration = *d;
  }
  return step;
}

/// `names`: step names `same_as` may refer to (the fault steps' for rollbacks); grows.
Result<std::vector<FaultStep>> ReadSteps(const JsonAt& at, bool rollback,
                                         std::set<std::string>* names) {
  SHARDCTL_RETURN_IF_ERROR(at.RequireArray());
  if (!rollback && at.value().empty()) return at.Expected("at least one fault step");
  std::vector<FaultStep> steps;
  for (size_t i = 0; i < at.value().size(); ++i) {
    auto step = ReadStep(at[i], rollback);
    if (!step.ok()) return step.status();
    const std::string& same = step->targets.same_as;
    if (!same.empty() && names->count(same) == 0) {
      return at[i]["targets"]["same_as"].Error("expected the name of an earlier step, found \"" +
                                               same + "\"");
    }
    if (!step->name.empty() && !names->insert(step->name).second) {
      return at[i]["name"].Error("duplicate step name \"" + step->name + "\"");
    }
    steps.push_back(std::move(*step));
  }
  return steps;
}

Status ReadBlastRadius(const JsonAt& at, DrillSpec* spec) {
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"shards", "max_power_share"}));
  if (!at.Has("shards")) return at.Error("missing \"shards\" (which shards the faults may touch)");
  auto shards = ReadShardSet(at["shards"]);
  if (!shards.ok()) return shards.status();
  spec->blast_shards = *shards;
  if (!at.Has("max_power_share")) {
    return at.Error(
        "missing \"max_power_share\" (the largest share of a shard's voting power "
        "the faults may touch, e.g. 0.4 or \"1/3\")");
  }
  auto share = ReadShare(at["max_power_share"]);
  if (!share.ok()) return share.status();
  spec->max_power_share = *share;
  return Status::Ok();
}

Status ReadHypothesis(const JsonAt& at, DrillSpec* spec) {
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"shards"}));
  if (!at.Has("shards")) return at.Error("missing \"shards\" (which shards must be healthy)");
  auto shards = ReadShardSet(at["shards"]);
  if (!shards.ok()) return shards.status();
  spec->hypothesis = *shards;
  return Status::Ok();
}

Status ReadRecovery(const JsonAt& at, RecoverySpec* r) {
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"mode", "at_s", "within_s"}));
  if (!at.Has("mode")) return at.Error("missing \"mode\" (recover, observe or wait)");
  const auto& mode = at["mode"].value();
  auto parsed = mode.is_string() ? ParseRecoveryMode(mode.get<std::string>()) : std::nullopt;
  if (!parsed) return at["mode"].Expected("\"recover\", \"observe\" or \"wait\"");
  r->mode = *parsed;
  if (at.Has("at_s")) {
    auto t = ReadSeconds(at["at_s"], true);
    if (!t.ok()) return t.status();
    r->at = *t;
    r->at_given = true;
  }
  if (at.Has("within_s")) {
    auto w = ReadSeconds(at["within_s"], false);
    if (!w.ok()) return w.status();
    r->within = *w;
  }
  return Status::Ok();
}

Status ReadAbort(const JsonAt& at, AbortSpec* a) {
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"time_limit_s", "outside_halt_s"}));
  if (at.Has("time_limit_s")) {
    auto t = ReadSeconds(at["time_limit_s"], false);
    if (!t.ok()) return t.status();
    a->time_limit = *t;
  }
  if (at.Has("outside_halt_s")) {
    auto t = ReadSeconds(at["outside_halt_s"], false);
    if (!t.ok()) return t.status();
    a->outside_halt = *t;
  }
  return Status::Ok();
}

Status ReadHeader(const JsonAt& root, DrillSpec* spec) {
  if (!root.Has("name")) return root.Error("missing \"name\"");
  auto name = root["name"].String();
  if (!name.ok()) return name.status();
  spec->name = *name;
  auto desc = OptionalString(root, "description");
  if (!desc.ok()) return desc.status();
  spec->description = *desc;
  if (root.Has("seed")) {
    auto seed = root["seed"].Int(0, int64_t{1} << 53);
    if (!seed.ok()) return seed.status();
    spec->seed = static_cast<uint64_t>(*seed);
  }
  return Status::Ok();
}

Status ReadSections(const JsonAt& root, DrillSpec* spec) {
  for (const char* key : {"hypothesis", "blast_radius", "faults", "recovery"}) {
    if (!root.Has(key)) return root.Error(std::string("missing \"") + key + "\"");
  }
  SHARDCTL_RETURN_IF_ERROR(ReadHypothesis(root["hypothesis"], spec));
  SHARDCTL_RETURN_IF_ERROR(ReadBlastRadius(root["blast_radius"], spec));
  std::set<std::string> names;
  auto faults = ReadSteps(root["faults"], false, &names);
  if (!faults.ok()) return faults.status();
  spec->faults = std::move(*faults);
  SHARDCTL_RETURN_IF_ERROR(ReadRecovery(root["recovery"], &spec->recovery));
  if (root.Has("abort")) SHARDCTL_RETURN_IF_ERROR(ReadAbort(root["abort"], &spec->abort));
  if (root.Has("rollbacks")) {
    auto rollbacks = ReadSteps(root["rollbacks"], true, &names);
    if (!rollbacks.ok()) return rollbacks.status();
    spec->rollbacks = std::move(*rollbacks);
  }
  return Status::Ok();
}

}  // namespace

bool ShardSet::Contains(int id) const { return all || std::count(ids.begin(), ids.end(), id) > 0; }

std::vector<int> ShardSet::Resolve(const Inventory& inv) const {
  std::vector<int> out;
  for (const Shard& s : inv.shards) {
    if (Contains(s.id)) out.push_back(s.id);
  }
  return out;
}

std::string ShardSet::ToString() const {
  if (all) return "all";
  std::string out;
  for (int id : ids) out += (out.empty() ? "" : ", ") + std::to_string(id);
  return out;
}

bool PowerRule::Satisfied(int64_t taken, int64_t total, const QuorumRule& quorum) const {
  bool kept = quorum.Holds(static_cast<int>(total - taken), static_cast<int>(total));
  switch (kind) {
    case Kind::kBreaksQuorum:
      return !kept;
    case Kind::kKeepsQuorum:
      return kept;
    case Kind::kMoreThan:
      return static_cast<double>(taken) > share * static_cast<double>(total) + 1e-9;
    case Kind::kAtMost:
      return static_cast<double>(taken) <= share * static_cast<double>(total) + 1e-9;
  }
  return false;
}

const FaultStep* DrillSpec::FindStep(const std::string& step_name) const {
  for (const FaultStep& s : faults) {
    if (!s.name.empty() && s.name == step_name) return &s;
  }
  return nullptr;
}

Duration DrillSpec::LastStepEnd() const {
  Duration end{0};
  for (const FaultStep& s : faults) end = std::max(end, s.at + s.duration.value_or(Duration(0)));
  return end;
}

Result<DrillSpec> ParseDrillSpec(const nlohmann::json& j, const std::string& path) {
  JsonAt root(j, path);
  SHARDCTL_RETURN_IF_ERROR(
      root.OnlyKeys({"name", "description", "seed", "hypothesis", "blast_radius", "faults",
                     "recovery", "abort", "rollbacks"}));
  DrillSpec spec;
  spec.path = path;
  SHARDCTL_RETURN_IF_ERROR(ReadHeader(root, &spec));
  SHARDCTL_RETURN_IF_ERROR(ReadSections(root, &spec));
  if (!spec.recovery.at_given) spec.recovery.at = spec.LastStepEnd();
  if (spec.recovery.at < spec.LastStepEnd()) {
    return root["recovery"]["at_s"].Error("expected a time at or after the last step is done (" +
                                          std::to_string(spec.LastStepEnd().count() / 1000.0) +
                                          " s)");
  }
  if (spec.abort.time_limit <= spec.recovery.at) {
    return JsonAt(j, path, "/abort/time_limit_s")
        .Error(
            "the time limit must leave time for recovery: it ends the drill before the "
            "recovery starts");
  }
  return spec;
}

Result<DrillSpec> LoadDrillSpec(const std::string& path) {
  auto j = ReadJsonFile(path);
  if (!j.ok()) return j.status();
  return ParseDrillSpec(*j, path);
}

}  // namespace shardctl
