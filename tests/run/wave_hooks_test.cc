// The wave runner's optional node-action steps on the fake network: Prepare leaving targets out
// or refusing the run, canaries first and soaked, Check failing a node, and Undo putting a
// failed node back (reported rolled back, the failure still spending the budget).
#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <set>

#include "ops/rolling/restart_action.h"
#include "run/wave_run.h"
#include "support/fake_shards.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

// A restart with every optional step, each scripted by the test.
class HookedRestart : public RestartAction {
 public:
  std::map<std::string, std::string> leave_out;  // Prepare's answer
  std::string refuse;                            // Prepare fails with this when set
  std::set<std::string> bad;                     // Check fails on these
  std::vector<std::string> soaked, undone, prepared;
  bool canaries_first = false;            // CanariesFirst's answer
  CancelToken* cancel_in_soak = nullptr;  // cancelled by every Soak when set
  std::vector<std::string> steps;         // "apply NODE" and "soak NODE", in the order they ran

  bool CanariesFirst() const override { return canaries_first; }
  Status Apply(NodeOps& ops, const Node& node, ResumeAction how, NodeNotes& notes) override {
    Log("apply " + node.name);
    return RestartAction::Apply(ops, node, how, notes);
  }

  Result<std::map<std::string, std::string>> Prepare(
      RunContext&, const std::vector<const Node*>& targets) override {
    for (const Node* n : targets) prepared.push_back(n->name);
    if (!refuse.empty()) return Status::Failed(refuse);
    return leave_out;
  }
  Status Check(NodeOps&, const Node& node, const NodeStatus*) override {
    return bad.count(node.name) ? Status::Failed("wrong version") : Status::Ok();
  }
  Result<std::vector<const Node*>> Canaries(const Shard& shard, const WaveInput& in) override {
    for (const Node& n : shard.nodes) {
      if (n.name != in.leader && !in.exclude.count(n.name)) return std::vector<const Node*>{&n};
    }
    return std::vector<const Node*>{};
  }
  Status Soak(const Shard&, const std::vector<const Node*>& canaries,
              const SampleFn& sample) override {
    SampleSummary s;
    sample(&s);
    for (const Node* n : canaries) Log("soak " + n->name);
    if (cancel_in_soak) cancel_in_soak->Cancel();
    return Status::Ok();
  }
  bool CanUndo() const override { return true; }
  Status Undo(NodeOps& ops, const Node& node) override {
    undone.push_back(node.name);
    return Apply(ops, node, ResumeAction::kRestart, notes_);
  }

 private:
  void Log(const std::string& step) {
    std::lock_guard<std::mutex> l(mu_);
    steps.push_back(step);
    if (step.rfind("soak ", 0) == 0) soaked.push_back(step.substr(5));
  }

  std::mutex mu_;  // guards steps and soaked: shards run on several threads
  struct NoNotes : NodeNotes {
    void ReplacedBinary(const std::string&, const std::string&) override {}
  } notes_;
};

class WaveHooksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    inv_ = testing::MakeInventory(2, 7);
    net_ = std::make_unique<testing::FakeShards>(inv_, clock_);
    for (const Shard& s : inv_.shards) {
      net_->shard(s.id).quorum_live = true;
      net_->SetHealthy(s.id, true);
      for (const Node& n : s.nodes) options_.targets.insert(n.name);
    }
    journal_ = std::move(Journal::Open(dir_.path(), "hooks-run", clock_).value());
  }

  WaveReport RunHooked() {
    RunContext ctx(inv_, pb_, net_->transport(), clock_, *journal_, events_, stop_);
    auto report = RunWaves(ctx, OperationKind::kRollingRestart, action_, options_);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : WaveReport{};
  }

  testing::TempDir dir_;
  FakeClock clock_;
  Inventory inv_;
  Playbook pb_ = testing::TestPlaybook();
  std::unique_ptr<testing::FakeShards> net_;
  std::unique_ptr<Journal> journal_;
  EventLog events_;
  CancelToken stop_;
  WaveOptions options_;
  HookedRestart action_;
};

TEST_F(WaveHooksTest, TheCanaryGoesFirstAloneAndIsSoakedBeforeAnyOtherWave) {
  WaveReport r = RunHooked();
  EXPECT_TRUE(r.AllDone());
  EXPECT_EQ(action_.prepared.size(), 14u);
  ASSERT_EQ(action_.soaked.size(), 2u);
  for (const WaveShardReport& s : r.shards) {
    ASSERT_FALSE(s.waves.empty());
    EXPECT_EQ(s.waves[0].size(), 1u);
    EXPECT_NE(s.waves[0][0], s.waves.back()[0]) << "the canary is not the leader";
  }
  EXPECT_EQ(r.shards[0].waves[0][0], action_.soaked[0]);
}

// The shards lead on two threads sharing one fake clock: one thread's sleep moves the other's
// probes of one sample apart in time, so their heights differ by more than the usual lag.
constexpr int kSharedClockLag = 1000;

TEST_F(WaveHooksTest, CanariesFirstSoaksEveryShardsCanaryBeforeAnyShardsOtherWaves) {
  pb_.parallel_shards = 1;
  pb_.gate.max_lag = kSharedClockLag;
  action_.canaries_first = true;
  WaveReport r = RunHooked();
  EXPECT_TRUE(r.AllDone());
  ASSERT_EQ(action_.soaked.size(), 2u);
  // Both canaries applied and soaked (in either order: the shards lead at once), then the rest.
  ASSERT_GT(action_.steps.size(), 4u);
  std::multiset<std::string> first4(action_.steps.begin(), action_.steps.begin() + 4);
  for (const std::string& c : action_.soaked) {
    EXPECT_EQ(first4.count("apply " + c), 1u) << c;
    EXPECT_EQ(first4.count("soak " + c), 1u) << c;
  }
  for (const WaveShardReport& s : r.shards) {
    ASSERT_FALSE(s.waves.empty());
    EXPECT_EQ(s.waves[0].size(), 1u) << "the canary goes alone";
    EXPECT_EQ(s.done.size(), 7u);
  }
}

TEST_F(WaveHooksTest, AStopDuringTheCanariesLeavesEveryShardsOtherNodesUntouched) {
  pb_.parallel_shards = 1;
  pb_.gate.max_lag = kSharedClockLag;
  action_.canaries_first = true;
  action_.cancel_in_soak = &stop_;
  WaveReport r = RunHooked();
  EXPECT_FALSE(r.AllDone());
  // The shards lead at once: a shard whose canary had not started when the stop came is left
  // whole; one whose canary had, finishes it (soaked) and starts nothing more.
  ASSERT_FALSE(action_.soaked.empty());
  for (const WaveShardReport& s : r.shards) {
    EXPECT_EQ(s.verdict, Phase::kCancelled) << s.reason;
    EXPECT_LE(s.done.size(), 1u) << "at most its canary";
    EXPECT_EQ(s.done.size() + s.not_started.size(), 7u);
  }
  size_t applied = std::count_if(action_.steps.begin(), action_.steps.end(),
                                 [](const std::string& s) { return s.rfind("apply ", 0) == 0; });
  EXPECT_EQ(applied, action_.soaked.size()) << "only canaries were applied";
}

TEST_F(WaveHooksTest, AFailedCheckIsUndoneReportedAndStopsTheRun) {
  action_.bad = {"s0-1"};  // the first shard's canary (s0-0 leads in the fake)
  WaveReport r = RunHooked();
  EXPECT_FALSE(r.AllDone());
  EXPECT_EQ(r.failures, 1);
  EXPECT_EQ(action_.undone, std::vector<std::string>{"s0-1"});
  ASSERT_EQ(r.shards[0].rolled_back.size(), 1u);
  EXPECT_EQ(r.shards[0].rolled_back[0].first, "s0-1");
  EXPECT_NE(r.shards[0].rolled_back[0].second.find("put back and in sync"), std::string::npos)
      << r.shards[0].rolled_back[0].second;
  EXPECT_TRUE(action_.soaked.empty()) << "a canary that failed is not soaked";
  EXPECT_EQ(net_->node("s0-1").starts, 2);  // its start, then its rollback's
  for (const Node& n : inv_.shards[0].nodes) {
    if (n.name == "s0-1") continue;
    EXPECT_EQ(net_->node(n.name).starts, 0) << n.name;
  }
  EXPECT_EQ(r.shards[1].skipped.size(), 7u);
}

TEST_F(WaveHooksTest, NodesPrepareLeavesOutAreSkipped) {
  action_.leave_out = {{"s1-3", "not staged"}};
  WaveReport r = RunHooked();
  EXPECT_FALSE(r.AllDone());
  EXPECT_EQ(r.shards[1].skipped, std::vector<std::string>{"s1-3"});
  EXPECT_EQ(net_->node("s1-3").starts, 0);
  EXPECT_EQ(r.shards[1].done.size(), 6u);
}

TEST_F(WaveHooksTest, APrepareErrorTouchesNoShard) {
  action_.refuse = "staging failed on 1 of 14 node(s)";
  WaveReport r = RunHooked();
  for (const WaveShardReport& s : r.shards) {
    EXPECT_EQ(s.skipped.size(), 7u);
    EXPECT_EQ(s.reason, "staging failed on 1 of 14 node(s)");
  }
  for (const auto& c : net_->transport().calls()) EXPECT_NE(c.command.rfind("stop ", 0), 0u);
}

}  // namespace
}  // namespace shardctl
