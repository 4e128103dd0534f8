#include "ops/recover/recover.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <set>

#include "support/fake_run_test.h"

namespace shardctl {
namespace {

using testing::FakeShards;

class RecoverTest : public testing::FakeRunTest {
 protected:
  void SetUp() override { Build(1, 5); }

  /// The 2019 picture: 3 of 5 nodes dead, the rest climbing view-change ids.
  void Outage(int shard) {
    for (int n = 0; n < 3; ++n)
      net_->StopNode("s" + std::to_string(shard) + "-" + std::to_string(n));
  }

  RecoveryReport Run(RecoverOptions options = {}) {
    RunContext ctx = Context();
    auto report = Recover(ctx, options);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : RecoveryReport{};
  }

  std::vector<size_t> CallIndexes(const std::string& verb) {
    std::vector<size_t> out;
    auto calls = net_->transport().calls();
    for (size_t i = 0; i < calls.size(); ++i) {
      if (calls[i].command.rfind(verb + " ", 0) == 0) out.push_back(i);
    }
    return out;
  }

  /// Recovers 4 halted shards, holding each shard's first stop (bounded, never a sleep) until
  /// `expect` shards are stopping; returns the most seen between their first stop and start.
  size_t MostShardsStoppingAtOnce(size_t expect) {
    for (int s = 0; s < 4; ++s) net_->StopNode("s" + std::to_string(s) + "-0");
    std::mutex mu;
    std::condition_variable cv;
    std::set<int> in_stop;  // shards between their first stop and their first start
    size_t max_seen = 0;
    net_->before = [&](const std::string& verb, const std::string& node) {
      int shard = node[1] - '0';
      std::unique_lock<std::mutex> l(mu);
      if (verb == "start") in_stop.erase(shard);
      if (verb != "stop") return;
      in_stop.insert(shard);
      max_seen = std::max(max_seen, in_stop.size());
      cv.notify_all();
      cv.wait_for(l, std::chrono::seconds(5), [&] { return max_seen >= expect; });
    };
    EXPECT_TRUE(Run().AllHealthy());
    net_->before = nullptr;
    return max_seen;
  }

  bool HasEvent(const std::string& text) {
    for (const Event& e : events_.events()) {
      if (e.message.find(text) != std::string::npos) return true;
    }
    return false;
  }
};

TEST_F(RecoverTest, HealthyShardIsLeftAlone) {
  net_->shard(0).restarts_needed = 0;
  net_->SetHealthy(0, true);
  RecoveryReport r = Run();
  ASSERT_EQ(r.shards.size(), 1u);
  EXPECT_EQ(r.shards[0].verdict, Phase::kAlreadyHealthy);
  EXPECT_EQ(r.shards[0].restarts, 0);
  EXPECT_TRUE(CallIndexes("stop").empty());
  EXPECT_TRUE(r.AllHealthy());
}

TEST_F(RecoverTest, ForceRestartsAHealthyShard) {
  net_->SetHealthy(0, true);
  RecoveryReport r = Run({{}, /*force=*/true});
  EXPECT_EQ(r.shards[0].verdict, Phase::kHealthy);
  EXPECT_EQ(r.shards[0].restarts, 1);
  EXPECT_EQ(CallIndexes("stop").size(), 5u);
}

TEST_F(RecoverTest, OneWholeShardRestartRecoversAHaltedShard) {
  Outage(0);
  RecoveryReport r = Run();
  const ShardReport& s = r.shards[0];
  EXPECT_EQ(s.verdict, Phase::kHealthy) << s.reason;
  EXPECT_EQ(s.restarts, 1);
  EXPECT_GT(s.time_to_recover.count(), 0);
  EXPECT_GE(s.height, 105);
  auto stops = CallIndexes("stop"), starts = CallIndexes("start");
  ASSERT_EQ(stops.size(), 5u);
  ASSERT_EQ(starts.size(), 5u);
  EXPECT_LT(stops.back(), starts.front()) << "every node is stopped before any starts";
  auto confirms = CallIndexes("is-running");
  EXPECT_LT(confirms.back(), starts.front()) << "down is confirmed before starting";
  EXPECT_TRUE(r.AllHealthy());
}

TEST_F(RecoverTest, StuckShardGetsASecondRestartAfterBackoff) {
  Outage(0);
  net_->shard(0).restarts_needed = 2;
  RecoveryReport r = Run();
  EXPECT_EQ(r.shards[0].verdict, Phase::kHealthy) << r.shards[0].reason;
  EXPECT_EQ(r.shards[0].restarts, 2);
  EXPECT_TRUE(HasEvent("stuck in view change for 10.0s"));
  EXPECT_TRUE(HasEvent("next whole-shard restart in 2.0s"));
  EXPECT_EQ(CallIndexes("start").size(), 10u);
}

TEST_F(RecoverTest, HaltedInNormalModeTimesOutAndRetries) {
  Outage(0);
  net_->shard(0).restarts_needed = 2;
  net_->shard(0).stuck_in_view_change = false;
  RecoveryReport r = Run();
  EXPECT_EQ(r.shards[0].verdict, Phase::kHealthy);
  EXPECT_TRUE(HasEvent("halted: no new block within 30.0s")) << RenderMarkdownReport(r);
}

TEST_F(RecoverTest, GivesUpAfterThePlaybooksLimit) {
  Outage(0);
  net_->shard(0).restarts_needed = 99;
  RecoveryReport r = Run();
  EXPECT_EQ(r.shards[0].verdict, Phase::kGaveUp);
  EXPECT_EQ(r.shards[0].restarts, 3);
  EXPECT_NE(r.shards[0].reason.find("gave up after 3 whole-shard restart(s): stuck"),
            std::string::npos)
      << r.shards[0].reason;
  EXPECT_FALSE(r.AllHealthy());
}

TEST_F(RecoverTest, UnreachableNodeIsLeftOutWhenTheRestHoldAQuorum) {
  Outage(0);
  net_->node("s0-4").reachable = false;
  RecoveryReport r = Run();
  EXPECT_EQ(r.shards[0].verdict, Phase::kHealthy) << r.shards[0].reason;
  EXPECT_EQ(r.shards[0].unreachable, std::vector<std::string>{"s0-4"});
  EXPECT_TRUE(HasEvent("unreachable, left out of this restart"));
}

TEST_F(RecoverTest, TooManyUnreachableNodesIsAClearFailure) {
  Outage(0);
  net_->node("s0-3").reachable = false;
  net_->node("s0-4").reachable = false;
  RecoveryReport r = Run();
  EXPECT_EQ(r.shards[0].verdict, Phase::kGaveUp);
  EXPECT_NE(r.shards[0].reason.find("reachable nodes hold 3 of 5 voting power, quorum needs 4"),
            std::string::npos)
      << r.shards[0].reason;
  EXPECT_TRUE(CallIndexes("start").empty());
}

TEST_F(RecoverTest, StopThatDoesNotStopNeverStartsTheShard) {
  Outage(0);
  net_->node("s0-3").ignores_stop = true;
  RecoveryReport r = Run();
  EXPECT_EQ(r.shards[0].verdict, Phase::kGaveUp);
  EXPECT_NE(r.shards[0].reason.find("s0-3: not down 5.0s after stop: still running"),
            std::string::npos)
      << r.shards[0].reason;
  EXPECT_TRUE(CallIndexes("start").empty());
}

TEST_F(RecoverTest, BadBinaryIsRestoredAndReported) {
  Outage(0);
  net_->node("s0-1").bad_binary = true;
  RecoveryReport r = Run();
  EXPECT_EQ(r.shards[0].verdict, Phase::kHealthy) << r.shards[0].reason;
  EXPECT_EQ(r.shards[0].replaced_binaries, std::vector<std::string>{"s0-1"});
  EXPECT_EQ(net_->transport().CallsMatching("", "restore").size(), 1u);
  EXPECT_TRUE(HasEvent("binary failed verification"));
}

TEST_F(RecoverTest, RestoreThatDoesNotFixGivesUpWithoutStarting) {
  Outage(0);
  net_->node("s0-1").bad_binary = true;
  net_->node("s0-1").restore_fixes = false;
  RecoveryReport r = Run();
  EXPECT_EQ(r.shards[0].verdict, Phase::kGaveUp);
  EXPECT_NE(r.shards[0].reason.find("s0-1: binary still fails verification after restore"),
            std::string::npos)
      << r.shards[0].reason;
  EXPECT_TRUE(CallIndexes("start").empty());
}

TEST_F(RecoverTest, NodesFarBehindAreFlagged) {
  Outage(0);
  net_->node("s0-2").stored_height = 10;
  RecoveryReport r = Run();
  ASSERT_EQ(r.shards[0].far_behind.size(), 1u);
  EXPECT_EQ(r.shards[0].far_behind[0], "s0-2 (stored 10, best 100)");
}

TEST_F(RecoverTest, ShardsRunInThePlaybooksOrderOneAtATime) {
  Build(4, 3);
  pb_.shard_order = {3, 0, 2, 1};
  pb_.recover_parallel_shards = 1;
  for (int s = 0; s < 4; ++s) net_->StopNode("s" + std::to_string(s) + "-0");
  RecoveryReport r = Run();
  std::vector<int> done;
  for (const ShardReport& s : r.shards) done.push_back(s.shard);
  EXPECT_EQ(done, (std::vector<int>{3, 0, 2, 1}));
  std::vector<int> first_stop;
  for (const auto& c : net_->transport().calls()) {
    int shard = c.node[1] - '0';
    if (c.command.rfind("stop", 0) == 0 &&
        std::find(first_stop.begin(), first_stop.end(), shard) == first_stop.end()) {
      first_stop.push_back(shard);
    }
  }
  EXPECT_EQ(first_stop, (std::vector<int>{3, 0, 2, 1}));
  EXPECT_TRUE(r.AllHealthy());
}

TEST_F(RecoverTest, ShardParallelismIsReachedAndNeverExceeded) {
  Build(4, 3);
  pb_.recover_parallel_shards = 2;
  pb_.parallel_shards = 1;  // planned work's setting: recover does not use it
  EXPECT_EQ(MostShardsStoppingAtOnce(2), 2u);
}

TEST_F(RecoverTest, EveryHaltedShardIsRecoveredAtOnceByDefault) {
  Build(4, 3);
  pb_.parallel_shards = 1;
  EXPECT_EQ(MostShardsStoppingAtOnce(4), 4u);
}

TEST_F(RecoverTest, JournalHasTheActionBeforeItIsSent) {
  Outage(0);
  std::vector<std::string> violations;
  std::mutex mu;
  net_->before = [&](const std::string& verb, const std::string& node) {
    if (verb != "stop" && verb != "start" && verb != "restore") return;
    auto entries = ReadJournal(journal_->path());
    bool found = false;
    for (const JournalEntry& e : entries.value()) {
      found = found || (e.node == node && e.outcome == Outcome::kBegin &&
                        StepName(e.step).rfind(verb, 0) == 0);
    }
    std::lock_guard<std::mutex> l(mu);
    if (!found) violations.push_back(verb + " " + node);
  };
  Run();
  EXPECT_TRUE(violations.empty()) << violations.front();
  auto entries = ReadJournal(journal_->path());
  ASSERT_TRUE(entries.ok());
  EXPECT_EQ(entries->front().step, JournalStep(Step::kRun));
  EXPECT_EQ(entries->back().outcome, Outcome::kFinished);
  EXPECT_EQ(entries->back().detail, "all selected shards healthy");
  EXPECT_EQ(entries->back().run, "test-run");
}

// Ctrl-C while a shard is being stopped must not leave it down: the restart in flight is
// finished (started and gated), and no other shard is touched.
TEST_F(RecoverTest, CancelDuringStopFinishesTheRestartAndStartsNothingNew) {
  Build(2, 5);
  pb_.recover_parallel_shards = 1;
  Outage(0);
  Outage(1);
  net_->before = [&](const std::string& verb, const std::string&) {
    if (verb == "stop") stop_.Cancel();
  };
  RecoveryReport r = Run();
  ASSERT_EQ(r.shards.size(), 2u);
  EXPECT_EQ(r.shards[0].verdict, Phase::kHealthy) << r.shards[0].reason;
  EXPECT_EQ(CallIndexes("start").size(), 5u);  // every node of shard 0, none of shard 1
  EXPECT_EQ(r.shards[1].verdict, Phase::kCancelled);
  EXPECT_NE(r.shards[1].reason.find("nothing was touched"), std::string::npos)
      << r.shards[1].reason;
  EXPECT_TRUE(r.run.interrupted);
}

TEST_F(RecoverTest, BadTemplateFailsBeforeAnythingIsTouched) {
  pb_.commands.stop = "stop {{service}}";
  RunContext ctx = Context();
  auto r = Recover(ctx, {});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("test-playbook.json:/commands/stop: node s0-0: unknown var "
                                      "{{service}}"),
            std::string::npos)
      << r.status().message();
  EXPECT_TRUE(net_->transport().calls().empty());
}

TEST_F(RecoverTest, UnknownShardIsAnError) {
  RunContext ctx = Context();
  auto r = Recover(ctx, {{7}, false});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("no shard 7"), std::string::npos);
}

}  // namespace
}  // namespace shardctl
