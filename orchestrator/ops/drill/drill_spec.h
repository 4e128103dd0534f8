// A drill file: a game day against a network that may be drilled. Steady-state hypothesis (shards
// healthy by the playbook's gate, before the faults and after recovery), blast radius, a timeline
// of playbook faults on nodes chosen by rule, recovery, abort conditions and rollbacks.
// Format: docs/drills.md. Every error names the drill file and the JSON pointer.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/status.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "model/quorum.h"
#include "ops/drill/drill_schema.h"

namespace shardctl {

/// A set of shards: every shard of the inventory, or the ids listed.
struct ShardSet {
  bool all = true;
  std::vector<int> ids;

  bool Contains(int id) const;
  /// The ids in inventory order ("all" expanded).
  std::vector<int> Resolve(const Inventory& inv) const;
  std::string ToString() const;  // "all" or "0, 2"
};

/// How much of a shard's voting power a target rule takes, judged against the playbook's quorum
/// rule (model/quorum.h).
struct PowerRule {
  enum class Kind {
    kBreaksQuorum,  // the rest cannot form a quorum (more than 1/3 taken under the 2/3 rule)
    kKeepsQuorum,   // the rest still forms a quorum (less than 1/3 taken)
    kMoreThan,      // strictly more than `share` of the total
    kAtMost,        // at most `share` of the total
  };
  Kind kind = Kind::kBreaksQuorum;
  double share = 0;  // kMoreThan, kAtMost
  std::string text;  // as written, for messages: "breaks_quorum", "more than 1/3"

  /// Lower-bound rules are met by taking enough; upper-bound rules by not taking too much.
  bool IsLowerBound() const { return kind == Kind::kBreaksQuorum || kind == Kind::kMoreThan; }
  /// Whether taking `taken` of `total` power satisfies the rule under quorum.
  bool Satisfied(int64_t taken, int64_t total, const QuorumRule& quorum) const;
};

/// Which nodes a step acts on. Exactly one way of choosing: `nodes`, `leader`, `same_as`,
/// `glob` alone (every match), or `count` and/or `power` (seeded random choice per shard among
/// the candidates, which `glob` may narrow).
struct TargetRule {
  std::string where;  // "FILE:/faults/0/targets", for messages
  ShardSet shards;    // default: the blast radius's shards
  bool shards_given = false;
  std::vector<std::string> nodes;
  std::string glob;
  bool leader = false;
  int count = 0;  // 0: not given
  std::optional<PowerRule> power;
  std::string same_as;  // name of an earlier fault step

  bool IsRandom() const { return count > 0 || power.has_value(); }
};

/// One step of the faults timeline (or a rollback action).
struct FaultStep {
  std::string where;  // "FILE:/faults/2"
  std::string name;   // optional; referenced by `same_as`
  Duration at{0};     // offset from the start of the faults
  std::string fault;  // a playbook fault
  TargetRule targets;
  Vars params;                       // overrides of the fault's params
  std::optional<Duration> duration;  // undo this long after `at`; none: undone by rollbacks
};

struct RecoverySpec {
  RecoveryMode mode = RecoveryMode::kRecover;
  Duration at{0};  // offset from the start of the faults; default: when the last step is done
  bool at_given = false;
  Duration within{120000};  // observe/wait: how long to wait for the hypothesis to hold again
};

struct AbortSpec {
  Duration time_limit{600000};   // the whole drill, hypothesis to rollbacks
  Duration outside_halt{15000};  // a shard outside the blast radius without a new block this long
};

struct DrillSpec {
  std::string path;
  std::string name;
  std::string description;
  std::optional<uint64_t> seed;
  ShardSet hypothesis;
  ShardSet blast_shards;
  double max_power_share = 0;  // of each shard's voting power, all steps together
  std::vector<FaultStep> faults;
  RecoverySpec recovery;
  AbortSpec abort;
  std::vector<FaultStep> rollbacks;  // extra actions, run after the faults' undos

  /// The step called name, or nullptr.
  const FaultStep* FindStep(const std::string& name) const;
  /// When the last step (and its timed undo) is done: the default recovery start.
  Duration LastStepEnd() const;
};

/// Parses and validates the file's structure; errors read "FILE:/json/pointer: ...".
Result<DrillSpec> ParseDrillSpec(const nlohmann::json& j, const std::string& path);
/// Reads the file and parses it.
Result<DrillSpec> LoadDrillSpec(const std::string& path);

/// Checks the drill against the playbook and inventory: fault names and params exist, shard ids
/// exist, named nodes exist, globs match, and every fault command renders for its targets'
/// possible nodes. Errors name the drill file and JSON pointer.
Status CheckDrillAgainst(const DrillSpec& spec, const Playbook& pb, const Inventory& inv);

}  // namespace shardctl
