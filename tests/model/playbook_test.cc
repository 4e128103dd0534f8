#include "model/playbook.h"

#include <gtest/gtest.h>

#include "support/test_util.h"

namespace shardctl {
namespace {

using nlohmann::json;

json Minimal() {
  return {{"name", "p"},
          {"commands",
           {{"stop", "stop"}, {"start", "start"}, {"is_running", "st"}, {"probe", "probe"}}},
          {"probe", {{"height", "/h"}, {"mode", "/m"}}}};
}

std::string Error(const json& j) {
  auto r = ParsePlaybook(j, "pb.json");
  return r.ok() ? "ok" : r.status().message();
}

TEST(PlaybookTest, MinimalPlaybookGetsDefaults) {
  auto r = ParsePlaybook(Minimal(), "pb.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->gate.min_new_blocks, 3);
  EXPECT_EQ(r->escalation.max_shard_restarts, 3);
  EXPECT_EQ(r->stopped_codes, std::vector<int>{3});
  EXPECT_TRUE(r->commands.verify_binary.empty());
  EXPECT_EQ(r->parallel_shards, 1);
}

TEST(PlaybookTest, ShippedPlaybooksParse) {
  for (const char* name : {"harmony.json", "sandbox.json"}) {
    auto r = LoadPlaybook(testing::SourceDir() + "/playbooks/" + name);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_FALSE(r->commands.probe.empty());
    EXPECT_FALSE(r->commands.verify_binary.empty());
    EXPECT_FALSE(r->commands.restore_binary.empty());
  }
  auto h = LoadPlaybook(testing::SourceDir() + "/playbooks/harmony.json");
  EXPECT_EQ(h->shard_order, (std::vector<int>{3, 0, 2, 1}));
}

TEST(PlaybookTest, SecondsBecomeMilliseconds) {
  json j = Minimal();
  j["gate"] = {{"within_s", 1.5}, {"poll_interval_s", 0.25}};
  auto r = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->gate.within.count(), 1500);
  EXPECT_EQ(r->gate.poll_interval.count(), 250);
}

TEST(PlaybookTest, UnknownKeysAreErrorsWithTheirPath) {
  json j = Minimal();
  j["gate"] = {{"min_new_block", 3}};
  EXPECT_EQ(Error(j),
            "pb.json:/gate/min_new_block: expected one of the known keys (max_lag, "
            "min_new_blocks, poll_interval_s, quorum_fraction, within_s), found unknown key");
  j = Minimal();
  j["comands"] = json::object();
  EXPECT_NE(Error(j).find("pb.json:/comands: expected one of the known keys"), std::string::npos);
}

TEST(PlaybookTest, WrongTypesSayWhatWasFound) {
  json j = Minimal();
  j["gate"] = {{"within_s", "30"}};
  EXPECT_EQ(Error(j),
            "pb.json:/gate/within_s: expected seconds, a number above 0 and at most 86400, "
            "found \"30\"");
  j = Minimal();
  j["escalation"] = {{"max_shard_restarts", 0}};
  EXPECT_EQ(Error(j),
            "pb.json:/escalation/max_shard_restarts: expected an integer from 1 to 100, found 0");
}

TEST(PlaybookTest, MissingRequiredFields) {
  json j = Minimal();
  j["commands"].erase("stop");
  EXPECT_EQ(Error(j), "pb.json:/commands/stop: expected a value (required), found nothing");
  j = Minimal();
  j.erase("probe");
  EXPECT_EQ(Error(j), "pb.json:/probe: expected a value (required), found nothing");
  EXPECT_EQ(Error(json::array()), "pb.json:/: expected an object, found an array");
}

TEST(PlaybookTest, BadTemplateAndPointerAreCaught) {
  json j = Minimal();
  j["commands"]["stop"] = "{{dir";
  EXPECT_EQ(Error(j),
            "pb.json:/commands/stop: expected a command template, found unclosed \"{{\" at "
            "offset 0");
  j = Minimal();
  j["probe"]["height"] = "result/h";
  EXPECT_NE(Error(j).find("pb.json:/probe/height: expected a JSON pointer"), std::string::npos);
}

TEST(PlaybookTest, ExitCodesMustNotOverlap) {
  json j = Minimal();
  j["is_running_exit_codes"] = {{"running", {0}}, {"stopped", {0, 3}}};
  EXPECT_NE(Error(j).find("/is_running_exit_codes/stopped: expected codes distinct"),
            std::string::npos);
}

TEST(PlaybookTest, CheckAgainstInventoryNamesCommandAndNode) {
  json j = Minimal();
  j["commands"]["start"] = "{{dir}}/ctl start";
  Playbook pb = ParsePlaybook(j, "pb.json").value();
  Inventory inv;
  Shard s;
  Node a, b;
  a.name = "s0-a";
  a.vars = {{"dir", "/srv/a"}};
  b.name = "s0-b";
  s.nodes = {a, b};
  inv.shards = {s};
  EXPECT_EQ(CheckPlaybookAgainst(pb, inv).message(),
            "pb.json:/commands/start: node s0-b: unknown var {{dir}} (known: )");
  inv.shards[0].nodes[1].vars["dir"] = "/srv/b c";
  EXPECT_TRUE(CheckPlaybookAgainst(pb, inv).ok());
  EXPECT_EQ(RenderNodeCommand(pb, CommandId::kStart, inv.shards[0].nodes[1]).value(),
            "'/srv/b c'/ctl start");
}

TEST(PlaybookTest, ShardOrderPutsListedFirst) {
  Playbook pb;
  pb.shard_order = {3, 0, 9};
  EXPECT_EQ(OrderShards(pb, {0, 1, 2, 3}), (std::vector<int>{3, 0, 1, 2}));
}

TEST(PlaybookTest, QuorumIsStrictlyMoreThanTwoThirds) {
  EXPECT_EQ(QuorumPowerFor(3, 2.0 / 3.0), 3);
  EXPECT_EQ(QuorumPowerFor(4, 2.0 / 3.0), 3);
  EXPECT_EQ(QuorumPowerFor(5, 2.0 / 3.0), 4);
  EXPECT_EQ(QuorumPowerFor(6, 2.0 / 3.0), 5);
}

TEST(PlaybookTest, BackoffGrowsAndIsCapped) {
  EscalationPolicy e;
  e.backoff = Duration(1000);
  e.backoff_factor = 2;
  e.max_backoff = Duration(3000);
  EXPECT_EQ(e.BackoffBefore(1).count(), 0);
  EXPECT_EQ(e.BackoffBefore(2).count(), 1000);
  EXPECT_EQ(e.BackoffBefore(3).count(), 2000);
  EXPECT_EQ(e.BackoffBefore(4).count(), 3000);
}

TEST(PlaybookTest, RollingPolicyAndWindowAreReadAndChecked) {
  json j = Minimal();
  j["rolling"] = {{"quorum_margin", 0.05},
                  {"max_wave_size", 2},
                  {"failure_budget", 1},
                  {"min_new_blocks", 4},
                  {"node_timeout_s", 30}};
  j["window"] = {
      {"days", {"Sat"}}, {"start", "22:00"}, {"end", "02:00"}, {"time_zone", "Europe/Berlin"}};
  auto r = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_DOUBLE_EQ(r->rolling.quorum_margin, 0.05);
  EXPECT_EQ(r->rolling.max_wave_size, 2);
  EXPECT_EQ(r->rolling.failure_budget, 1);
  EXPECT_EQ(r->rolling.min_new_blocks, 4);
  EXPECT_EQ(r->rolling.node_timeout, Duration(30000));
  ASSERT_TRUE(r->window.has_value());
  EXPECT_EQ(r->window->ToString(), "Sat 22:00-02:00 Europe/Berlin");

  j["rolling"]["quorum_margin"] = 0.5;
  EXPECT_NE(Error(j).find("pb.json:/rolling/quorum_margin"), std::string::npos) << Error(j);
  j["rolling"].erase("quorum_margin");
  j["window"]["time_zone"] = "Mars/Olympus";
  EXPECT_NE(Error(j).find("pb.json:/window/time_zone"), std::string::npos) << Error(j);
  j.erase("window");
  j["rolling"]["max_wave"] = 1;
  EXPECT_NE(Error(j).find("pb.json:/rolling/max_wave"), std::string::npos) << Error(j);
}

}  // namespace
}  // namespace shardctl
