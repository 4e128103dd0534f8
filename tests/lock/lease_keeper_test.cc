// LeaseKeeper: renewal rounds, loss on a definite "gone", loss after silence, the thread.
#include "lock/lease_keeper.h"

#include <gtest/gtest.h>

#include <atomic>

#include "support/test_util.h"

namespace shardctl {
namespace {

using namespace std::chrono_literals;

TEST(LeaseKeeper, KeepsWhileRenewalsSucceed) {
  FakeClock clock;
  int renewals = 0, losses = 0;
  LeaseKeeper k(
      clock, 1000ms, 3000ms, [&] { return ++renewals, Status::Ok(); },
      [&](const std::string&) { ++losses; });
  for (int i = 0; i < 10; ++i) {
    clock.Advance(1000ms);
    EXPECT_TRUE(k.Tick());
  }
  EXPECT_EQ(renewals, 10);
  EXPECT_EQ(losses, 0);
  EXPECT_FALSE(k.lost());
}

TEST(LeaseKeeper, LostAtOnceWhenTheBackendSaysGone) {
  FakeClock clock;
  std::string why;
  int losses = 0;
  LeaseKeeper k(
      clock, 1000ms, 3000ms, [] { return Status::Failed("lease broken by lock break"); },
      [&](const std::string& w) { why = w, ++losses; });
  EXPECT_FALSE(k.Tick());
  EXPECT_FALSE(k.Tick());
  EXPECT_TRUE(k.lost());
  EXPECT_EQ(losses, 1);
  EXPECT_EQ(why, "lease broken by lock break");
  EXPECT_EQ(k.lost_reason(), why);
}

TEST(LeaseKeeper, TransientFailuresLoseOnlyAfterSilence) {
  FakeClock clock;
  bool up = true;
  int losses = 0;
  LeaseKeeper k(
      clock, 1000ms, 3000ms,
      [&] { return up ? Status::Ok() : Status::Unreachable("connection refused"); },
      [&](const std::string&) { ++losses; });
  clock.Advance(1000ms);
  EXPECT_TRUE(k.Tick());  // last success at t=1s
  up = false;
  clock.Advance(1000ms);
  EXPECT_TRUE(k.Tick());  // 1 s silent
  clock.Advance(1000ms);
  EXPECT_TRUE(k.Tick());  // 2 s silent
  clock.Advance(1000ms);
  EXPECT_FALSE(k.Tick());  // 3 s silent: lost
  EXPECT_EQ(losses, 1);
  EXPECT_NE(k.lost_reason().find("connection refused"), std::string::npos) << k.lost_reason();
  up = true;
  clock.Advance(1000ms);
  EXPECT_FALSE(k.Tick()) << "a lost lease is not renewed again";
}

TEST(LeaseKeeper, ThreadRenewsUntilStopped) {
  RealClock clock;
  std::atomic<int> renewals{0};
  LeaseKeeper k(
      clock, 20ms, 10000ms, [&] { return ++renewals, Status::Ok(); }, nullptr);
  k.Start();
  EXPECT_TRUE(testing::WaitFor([&] { return renewals.load() >= 3; }, 10s));
  k.Stop();
  int after_stop = renewals.load();
  k.Stop();  // idempotent
  EXPECT_EQ(renewals.load(), after_stop);
  EXPECT_FALSE(k.lost());
}

TEST(LeaseKeeper, ThreadEndsAndReportsWhenLost) {
  RealClock clock;
  std::atomic<bool> told{false};
  LeaseKeeper k(
      clock, 10ms, 10000ms, [] { return Status::Failed("gone"); },
      [&](const std::string&) { told = true; });
  k.Start();
  EXPECT_TRUE(testing::WaitFor([&] { return told.load(); }, 10s));
  EXPECT_TRUE(k.lost());
}

}  // namespace
}  // namespace shardctl
