#include <gtest/gtest.h>

#include "ops/upgrade/soak.h"

namespace shardctl::upgrade {
namespace {

using Kind = SoakVerdict::Kind;

TimePoint T(int64_t ms) { return TimePoint(Duration(ms)); }

SoakSample SoakAt(int64_t at_ms, bool healthy, int64_t top, bool version_ok = true) {
  SoakSample s;
  s.at = T(at_ms);
  s.in_sync_normal = healthy;
  s.version_ok = version_ok;
  s.shard_top = top;
  if (!version_ok) s.version_problem = "reports v1, expected v2";
  return s;
}

UpgradePolicy SoakPolicy() {
  UpgradePolicy p;
  p.soak = Duration(2000);
  p.soak_blocks = 5;
  return p;
}

TEST(SoakTest, PassesAfterTimeAndBlocksBothCountedFromTheReturn) {
  SoakJudge j(SoakPolicy(), Duration(10000), T(0));
  EXPECT_EQ(j.Add(SoakAt(500, false, 100)).kind, Kind::kWaiting);
  EXPECT_EQ(j.Add(SoakAt(1000, true, 101)).kind, Kind::kWaiting);  // back at 1000, top 101
  EXPECT_EQ(j.Add(SoakAt(2500, true, 110)).kind, Kind::kWaiting);  // blocks yes, time no
  EXPECT_EQ(j.Add(SoakAt(3000, true, 104)).kind, Kind::kWaiting);  // time yes, blocks no
  SoakVerdict v = j.Add(SoakAt(3100, true, 106));
  EXPECT_EQ(v.kind, Kind::kPassed) << v.why;
}

TEST(SoakTest, FailsWhenNotBackInTimeOrWhenItFallsOutOrReportsAnotherVersion) {
  SoakJudge late(SoakPolicy(), Duration(10000), T(0));
  SoakVerdict v = late.Add(SoakAt(10000, true, 100, false));
  EXPECT_EQ(v.kind, Kind::kFailed);
  EXPECT_NE(v.why.find("expected v2"), std::string::npos) << v.why;

  SoakJudge falls(SoakPolicy(), Duration(10000), T(0));
  EXPECT_EQ(falls.Add(SoakAt(1000, true, 100)).kind, Kind::kWaiting);
  EXPECT_EQ(falls.Add(SoakAt(1500, false, 101)).kind, Kind::kFailed);

  SoakJudge version(SoakPolicy(), Duration(10000), T(0));
  EXPECT_EQ(version.Add(SoakAt(1000, true, 100)).kind, Kind::kWaiting);
  EXPECT_EQ(version.Add(SoakAt(1500, true, 101, false)).kind, Kind::kFailed);
}

TEST(SoakTest, ZeroSoakPassesAtTheFirstHealthySample) {
  UpgradePolicy p;
  p.soak = Duration(0);
  p.soak_blocks = 0;
  SoakJudge j(p, Duration(10000), T(0));
  EXPECT_EQ(j.Add(SoakAt(200, true, 7)).kind, Kind::kPassed);
}

}  // namespace
}  // namespace shardctl::upgrade
