#include "ops/upgrade/soak.h"

#include "base/text.h"

namespace shardctl::upgrade {

namespace {

SoakVerdict Verdict(SoakVerdict::Kind kind, std::string why) { return {kind, std::move(why)}; }

}  // namespace

SoakVerdict SoakJudge::Add(const SoakSample& s) {
  using Kind = SoakVerdict::Kind;
  bool healthy = s.in_sync_normal && s.version_ok;
  if (!back_) {
    if (!healthy) {
      if (s.at - started_ >= node_timeout_) {
        return Verdict(Kind::kFailed,
                       "not back in sync on the new version within " +
                           FormatDuration(node_timeout_) +
                           (s.version_problem.empty() ? "" : " (" + s.version_problem + ")"));
      }
      return Verdict(Kind::kWaiting, "waiting for the canary to be back in sync");
    }
    back_ = true;
    back_at_ = s.at;
    top_when_back_ = s.shard_top;
  }
  if (!s.version_ok) {
    return Verdict(Kind::kFailed, "reports another version during the soak" +
                                      (s.version_problem.empty() ? "" : ": " + s.version_problem));
  }
  if (!s.in_sync_normal) return Verdict(Kind::kFailed, "left sync or Normal mode during the soak");
  int64_t grown = s.shard_top - top_when_back_;
  if (s.at - back_at_ >= policy_.soak && grown >= policy_.soak_blocks) {
    return Verdict(Kind::kPassed, "soaked " + FormatDuration(s.at - back_at_) + ", shard grew by " +
                                      std::to_string(grown) + " blocks");
  }
  return Verdict(Kind::kWaiting, "soaking: " + FormatDuration(s.at - back_at_) + ", " +
                                     std::to_string(grown) + " new blocks");
}

}  // namespace shardctl::upgrade
