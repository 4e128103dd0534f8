// Finishing an interrupted recover run (a dead watcher's, or one `shardctl resume` continues):
// where the journal says each shard stood, and no node restarted twice.
#include "ops/recover/recover_resume.h"

#include <gtest/gtest.h>

#include "ops/recover/recover.h"
#include "support/fake_run_test.h"

namespace shardctl {
namespace {

JournalEntry PhaseLine(int shard, Phase p) {
  JournalEntry e;
  e.shard = shard;
  e.step = Step::kPhase;
  e.phase = p;
  return e;
}

TEST(RecoverResumeTest, TheJournalSaysHowFarEachUnfinishedShardGot) {
  std::vector<JournalEntry> j = {PhaseLine(0, Phase::kAssess),      PhaseLine(0, Phase::kStop),
                                 PhaseLine(0, Phase::kConfirmDown), PhaseLine(1, Phase::kStop),
                                 PhaseLine(1, Phase::kStart),       PhaseLine(1, Phase::kGate),
                                 PhaseLine(2, Phase::kStop),        PhaseLine(2, Phase::kStart)};
  JournalEntry done;
  done.shard = 2;
  done.step = Step::kShard;
  done.phase = Phase::kHealthy;
  j.push_back(done);
  auto r = ReadRecoverResume(j);
  ASSERT_EQ(r.size(), 2u) << "shard 2 has its verdict";
  EXPECT_EQ(r[0].restarts, 1);
  EXPECT_FALSE(r[0].starts_sent);
  EXPECT_EQ(r[1].restarts, 1);
  EXPECT_TRUE(r[1].starts_sent);
  auto back = RecoverResumeFromJson(RecoverResumeToJson(r));
  EXPECT_EQ(back[1].restarts, 1);
  EXPECT_TRUE(back[1].starts_sent);
  EXPECT_TRUE(RecoverResumeFromJson(nlohmann::json("nonsense")).empty());
}

class RecoverFinishTest : public testing::FakeRunTest {
 protected:
  void SetUp() override { Build(1, 5); }
};

TEST_F(RecoverFinishTest, StartsOnlyTheNodesTheDeadRunLeftStopped) {
  // The dead run stopped all five, confirmed them down, and started s0-0 and s0-1.
  for (int n = 0; n < 5; ++n) net_->StopNode("s0-" + std::to_string(n));
  net_->shard(0).all_were_down = true;
  for (int n = 0; n < 2; ++n) net_->node("s0-" + std::to_string(n)).running = true;
  RunContext ctx = Context();
  RecoverOptions options;
  options.resume[0] = RecoverResume{1, true};
  auto report = Recover(ctx, options);
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  ASSERT_EQ(report->shards.size(), 1u);
  EXPECT_EQ(report->shards[0].verdict, Phase::kHealthy) << report->shards[0].reason;
  EXPECT_EQ(report->shards[0].restarts, 1) << "the dead run's restart, finished";
  EXPECT_TRUE(net_->transport().CallsMatching("", "stop ").empty()) << "nothing stopped again";
  for (int n = 0; n < 5; ++n) {
    std::string name = "s0-" + std::to_string(n);
    EXPECT_EQ(net_->transport().CallsMatching(name, "start ").size(), n < 2 ? 0u : 1u) << name;
  }
}

TEST_F(RecoverFinishTest, ARestartThatHadNotStartedAnythingIsDoneWholeAndCounted) {
  for (int n = 0; n < 3; ++n) net_->StopNode("s0-" + std::to_string(n));
  RunContext ctx = Context();
  RecoverOptions options;
  options.resume[0] = RecoverResume{1, false};
  auto report = Recover(ctx, options);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->shards[0].verdict, Phase::kHealthy) << report->shards[0].reason;
  EXPECT_EQ(report->shards[0].restarts, 2) << "the dead run's restart counts against the limit";
  for (int n = 0; n < 5; ++n) {
    EXPECT_EQ(net_->transport().CallsMatching("s0-" + std::to_string(n), "start ").size(), 1u);
  }
}

}  // namespace
}  // namespace shardctl
