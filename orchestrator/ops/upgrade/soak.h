// Judging a canary while it soaks: healthy long enough, on the new version, while its shard
// commits new blocks (playbook upgrade.soak_s, upgrade.soak_blocks, rolling.node_timeout_s).
#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "model/upgrade_policy.h"

namespace shardctl::upgrade {

/// What one look at the canary and its shard says.
struct SoakSample {
  TimePoint at{};
  bool in_sync_normal = false;  // answering, normal mode, within gate.max_lag of the top
  bool version_ok = false;      // reports --version (true when none was given)
  std::string version_problem;  // why not, when known
  int64_t shard_top = -1;       // the shard's highest committed block
};

struct SoakVerdict {
  enum class Kind { kWaiting, kPassed, kFailed };
  Kind kind = Kind::kWaiting;
  std::string why;  // for kFailed (and progress for kWaiting)
};

/// Tracks one canary from its start. The canary passes once it has been in sync, Normal and on
/// the right version continuously for policy.soak, and the shard's top grew by
/// policy.soak_blocks since the canary first came back. It fails when it is not back within
/// node_timeout of its start, or when it leaves sync or reports another version after it was
/// back (a crash loop, a bad release).
class SoakJudge {
 public:
  SoakJudge(const UpgradePolicy& policy, Duration node_timeout, TimePoint started)
      : policy_(policy), node_timeout_(node_timeout), started_(started) {}

  SoakVerdict Add(const SoakSample& s);

 private:
  const UpgradePolicy policy_;
  const Duration node_timeout_;
  const TimePoint started_;
  bool back_ = false;  // in sync, normal and on the version at some sample
  TimePoint back_at_{};
  int64_t top_when_back_ = -1;
};

}  // namespace shardctl::upgrade
