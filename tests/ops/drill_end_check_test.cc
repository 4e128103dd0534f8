// Issue 20: a drill whose rollback leaves a node down must not report "passed". A shard with 3 of
// its 4 nodes up passes the gate, so only the end check (every touched node runs) catches it.
#include "ops/drill/drill_end_check.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ops/drill/blast_radius.h"
#include "ops/drill/drill_run.h"
#include "support/fake_run_test.h"

namespace shardctl {
namespace {

class DrillEndCheckTest : public testing::FakeRunTest {
 protected:
  /// One shard of 4 that commits while more than 2/3 of it runs; s0-1 is killed, and the kill's
  /// undo is `undo` (a template over {{node.name}}).
  DrillReport RunKillDrill(const std::string& undo) {
    Build(1, 4);
    net_->shard(0).quorum_live = true;
    net_->SetHealthy(0, true);
    nlohmann::json faults = {
        {"kill", {{"command", "stop {{node.name}}"}, {"undo", undo + " {{node.name}}"}}}};
    pb_.faults = ParseFaults(JsonAt(faults, "pb.json", "/faults")).value();
    nlohmann::json drill = {
        {"name", "t"},
        {"hypothesis", {{"shards", "all"}}},
        {"blast_radius", {{"shards", "all"}, {"max_power_share", 0.3}}},
        {"faults",
         {{{"name", "k"}, {"at_s", 0}, {"fault", "kill"}, {"targets", {{"nodes", {"s0-1"}}}}}}},
        {"recovery", {{"mode", "observe"}, {"within_s", 30}}},
        {"abort", {{"time_limit_s", 300}, {"outside_halt_s", 15}}}};
    spec_ = ParseDrillSpec(drill, "d.json").value();
    targets_ = ResolveTargets(spec_, pb_, inv_, {}, 1).value();
    BlastCheck blast = CheckBlastRadius(spec_, targets_, inv_, pb_.quorum);
    RunContext ctx = Context();
    auto report = RunDrill(ctx, DrillSetup{spec_, targets_, blast, dir_.path(), "", nullptr});
    EXPECT_TRUE(report.ok()) << report.status().message();
    return report.ok() ? *report : DrillReport{};
  }

  DrillSpec spec_;
  DrillTargets targets_;
};

TEST_F(DrillEndCheckTest, ARollbackThatLeavesANodeDownFailsTheDrillNamingIt) {
  DrillReport r = RunKillDrill("db-height");  // "undoes" without starting the node
  EXPECT_EQ(r.hypothesis_after, true) << "3 of 4 up: the gate alone would pass";
  EXPECT_EQ(r.outcome, DrillOutcome::kNodesLeftDown);
  ASSERT_EQ(r.left_down.size(), 1u);
  EXPECT_EQ(r.left_down[0], "s0-1 (stopped)");
  EXPECT_NE(RenderDrillSummary(r).find("touched and not running at the end: s0-1 (stopped)"),
            std::string::npos)
      << RenderDrillSummary(r);
  EXPECT_EQ(DrillReportToJson(r)["left_down"][0], "s0-1 (stopped)");
}

TEST_F(DrillEndCheckTest, AnUndoThatStartsTheNodeLetsTheDrillPass) {
  DrillReport r = RunKillDrill("start");
  EXPECT_EQ(r.outcome, DrillOutcome::kPassed);
  EXPECT_TRUE(r.left_down.empty());
  EXPECT_TRUE(net_->node("s0-1").running);
}

}  // namespace
}  // namespace shardctl
