// drill on the fake network, in real time (its monitor thread waits beside the run): one run in
// the journal, faults through NodeOps, recovery, the hypothesis after, rollbacks that always run,
// and an abort when a shard outside the blast radius stops committing.
#include <gtest/gtest.h>

#include "ops/drill/drill_plan.h"
#include "ops/drill/drill_run.h"
#include "support/fake_run_test.h"

namespace shardctl {
namespace {

class DrillTest : public testing::FakeRunTest {
 protected:
  void SetUp() override {
    Build(2, 4, /*real_time=*/true);
    // Sandbox-like timings scaled down: blocks every 200 ms, a gate of 3 blocks.
    pb_.gate.min_new_blocks = 3;
    pb_.gate.poll_interval = Duration(200);
    pb_.gate.within = Duration(4000);
    pb_.stuck.after = Duration(2000);
    pb_.escalation.backoff = Duration(300);
    pb_.timeouts.confirm_poll = Duration(100);
    pb_.faults = {
        FaultDef{"kill", "stop one node", "stop {{node.name}}", "start {{node.name}}", {}}};
    for (const Shard& s : inv_.shards) {
      net_->shard(s.id).quorum_live = true;
      net_->SetHealthy(s.id, true);
    }
  }

  // Plans the drill file text (read-only), then runs it through the driver.
  DrillReport Run(const std::string& drill) {
    RunContext ctx = Context();
    auto plan = PlanDrill(dir_.WriteFile("drill.json", drill), ctx, 7);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    if (!plan.ok()) return DrillReport{};
    DrillSetup setup{(*plan)->spec, (*plan)->targets, (*plan)->blast, dir_.path(), "", {}};
    auto report = RunDrill(ctx, setup);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return report.ok() ? *report : DrillReport{};
  }
};

// Two of shard 0's four nodes killed: it halts; recover brings it back.
constexpr const char* kBreakShardZero = R"({
  "name": "break-zero",
  "hypothesis": {"shards": "all"},
  "blast_radius": {"shards": [0], "max_power_share": 0.5},
  "faults": [{"at_s": 0, "fault": "kill", "targets": {"nodes": ["s0-1", "s0-2"]}}],
  "recovery": {"mode": "recover", "at_s": 0.5},
  "abort": {"time_limit_s": 60, "outside_halt_s": 30}
})";

TEST_F(DrillTest, OneRunInTheJournalFaultsRecoveryHypothesisAndRollbacks) {
  DrillReport r = Run(kBreakShardZero);
  EXPECT_EQ(r.outcome, DrillOutcome::kPassed) << RenderDrillSummary(r);
  EXPECT_EQ(Count("run", "begin"), 1);
  EXPECT_EQ(Count("run", "finished"), 1);
  EXPECT_EQ(Count("drill", "begin"), 1);
  EXPECT_EQ(Count("drill", "done"), 1);
  EXPECT_EQ(Count("fault", "begin"), 2);
  EXPECT_EQ(Count("fault", "ok"), 2);
  EXPECT_EQ(Count("rollbacks", "begin"), 1);
  ASSERT_EQ(r.shards.size(), 2u);
  EXPECT_GE(r.shards[0].restarts, 1);
  EXPECT_TRUE(r.shards[0].TimeToRecover().has_value());
  for (const Node* n : inv_.AllNodes()) EXPECT_TRUE(net_->node(n->name).running) << n->name;
}

TEST_F(DrillTest, AShardOutsideTheBlastRadiusThatHaltsAbortsAndTheRollbacksStillRun) {
  bool halted = false;
  net_->before = [this, &halted](const std::string& verb, const std::string& node) {
    if (verb != "stop" || node != "s0-1" || halted) return;
    halted = true;
    net_->SetHealthy(1, false);  // the fault halts shard 1 too
  };
  std::string drill = kBreakShardZero;
  drill.replace(drill.find("\"outside_halt_s\": 30"), 20, "\"outside_halt_s\": 1");
  drill.replace(drill.find("\"at_s\": 0.5"), 11, "\"at_s\": 20");
  DrillReport r = Run(drill);
  EXPECT_EQ(r.outcome, DrillOutcome::kAborted) << RenderDrillSummary(r);
  EXPECT_NE(r.abort_reason.find("shard 1 is outside the blast radius"), std::string::npos)
      << r.abort_reason;
  EXPECT_EQ(Count("run", "begin"), 1);
  EXPECT_EQ(Count("run", "interrupted"), 1);
  EXPECT_EQ(Count("drill", "aborted"), 1);
  EXPECT_EQ(Count("undo", "begin"), 2) << "the kill's undo ran in the rollbacks";
  for (const Node* n : inv_.AllNodes()) EXPECT_TRUE(net_->node(n->name).running) << n->name;
}

}  // namespace
}  // namespace shardctl
