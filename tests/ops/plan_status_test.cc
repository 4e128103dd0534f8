#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "ops/recover/recover_plan.h"
#include "ops/recover/recover_report.h"
#include "ops/status/shard_status.h"
#include "run/renderers.h"
#include "support/fake_shards.h"

namespace shardctl {
namespace {

TEST(PlanTest, ListsEveryStepInOrderAndTouchesNothing) {
  Inventory inv = testing::MakeInventory(2, 2);
  Playbook pb = testing::TestPlaybook();
  pb.shard_order = {1, 0};
  auto plan = BuildRecoverPlan(inv, pb, {});
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->shard_order, (std::vector<int>{1, 0}));
  std::vector<std::string> s1;
  for (const PlanStep& s : plan->steps) {
    if (s.shard == 1 && !s.node.empty() && s.node == "s1-0")
      s1.push_back(s.phase + " " + s.command);
  }
  EXPECT_EQ(s1, (std::vector<std::string>{"assess is-running s1-0", "assess probe s1-0",
                                          "stop stop s1-0", "confirm-down is-running s1-0",
                                          "verify verify s1-0", "verify restore s1-0",
                                          "sync-check db-height s1-0", "start start s1-0"}));
  EXPECT_EQ(plan->steps.front().shard, 1);
  std::string text = RenderPlanText(*plan);
  EXPECT_NE(text.find("escalate: if stuck or halted, restart the whole shard again, up to 3 "
                      "restarts in all (waiting 2.0s, 4.0s), then give up"),
            std::string::npos)
      << text;
  EXPECT_EQ(PlanToJson(*plan)["steps"].size(), plan->steps.size());
}

TEST(StatusTest, OneLinePerShardWithVerdict) {
  FakeClock clock;
  Inventory inv = testing::MakeInventory(2, 5);
  testing::FakeShards net(inv, clock);
  net.SetHealthy(0, true);
  for (int n = 0; n < 3; ++n) net.StopNode("s1-" + std::to_string(n));
  CancelToken cancel;
  auto st = CollectStatus(inv, testing::TestPlaybook(), net.transport(), clock, cancel, {0, 1},
                          Duration(2000));
  ASSERT_EQ(st.size(), 2u);
  EXPECT_EQ(st[0].verdict, ShardVerdict::kHealthy);
  EXPECT_EQ(st[0].blocks_in_interval, 10);
  EXPECT_EQ(st[0].nodes_up, 5);
  EXPECT_EQ(st[1].verdict, ShardVerdict::kHaltedViewChange);
  EXPECT_EQ(st[1].nodes_up, 2);
  EXPECT_EQ(st[1].view_ids, (std::set<int64_t>{23, 24}));
  std::string text = RenderStatusText(st, true);
  EXPECT_NE(text.find("halted-view-change"), std::string::npos) << text;
  EXPECT_NE(text.find("s1-0: stopped;"), std::string::npos) << text;
  EXPECT_EQ(StatusToJson(st)["shards"][1]["verdict"], "halted-view-change");
}

TEST(StatusVerdictTest, Cases) {
  EXPECT_EQ(JudgeShard(0, 0, 4, 0, false), ShardVerdict::kDown);
  EXPECT_EQ(JudgeShard(3, 4, 4, 5, false), ShardVerdict::kHealthy);
  EXPECT_EQ(JudgeShard(3, 3, 4, 5, false), ShardVerdict::kDegraded);
  EXPECT_EQ(JudgeShard(0, 5, 4, 5, false), ShardVerdict::kHalted);
  EXPECT_EQ(JudgeShard(0, 5, 4, 5, true), ShardVerdict::kHaltedViewChange);
  for (auto v : {ShardVerdict::kHealthy, ShardVerdict::kDegraded, ShardVerdict::kHalted,
                 ShardVerdict::kHaltedViewChange, ShardVerdict::kDown}) {
    EXPECT_EQ(ParseShardVerdict(ShardVerdictName(v)), v);  // one table, both ways
  }
}

TEST(RenderersTest, PlainJsonAndLive) {
  Event e;
  e.kind = Event::Kind::kWarning;
  e.unix_ms = 1'700'000'000'000;
  e.shard = 1;
  e.node = "s1-b";
  e.phase = Phase::kVerify;
  e.round = 1;
  e.height = 42;
  e.nodes_up = 3;
  e.nodes_total = 5;
  e.message = "binary fails verification";
  std::ostringstream plain, json_out, live;
  PlainRenderer(plain).OnEvent(e);
  EXPECT_EQ(plain.str(),
            "2023-11-14T22:13:20.000Z shard 1 [verify] WARNING s1-b: binary fails verification\n");
  JsonEventRenderer(json_out).OnEvent(e);
  auto j = nlohmann::json::parse(json_out.str());
  EXPECT_EQ(j["event"], "warning");
  EXPECT_EQ(j["node"], "s1-b");
  EXPECT_EQ(j["height"], 42);
  LiveRenderer lr(live);
  lr.OnEvent(e);
  ASSERT_EQ(lr.Rows().size(), 2u);
  EXPECT_NE(lr.Rows()[1].find("verify"), std::string::npos) << lr.Rows()[1];
  EXPECT_NE(lr.Rows()[1].find("3/5"), std::string::npos) << lr.Rows()[1];
}

TEST(ReportTest, MarkdownHasTheTableAndTimeline) {
  RecoveryReport r;
  r.run.run_id = "run-1";
  ShardReport s;
  s.shard = 1;
  s.verdict = Phase::kHealthy;
  s.restarts = 3;
  s.time_to_recover = Duration(95'300);
  s.replaced_binaries = {"s1-a", "s1-c"};
  s.timeline = {{1'700'000'000'000, Duration(0), "assess"}};
  r.shards = {s};
  std::string md = RenderMarkdownReport(r);
  EXPECT_NE(md.find("| 1 | healthy | 1m35.3s | 3 | -1 | s1-a, s1-c |"), std::string::npos) << md;
  EXPECT_NE(md.find("| 22:13:20.000Z | 0ms | assess |"), std::string::npos) << md;
  EXPECT_TRUE(r.AllHealthy());
  EXPECT_EQ(ReportToJson(r)["shards"][0]["time_to_recover_ms"], 95300);
}

}  // namespace
}  // namespace shardctl
