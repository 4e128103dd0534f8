#include "model/playbook.h"

#include <gtest/gtest.h>

#include "support/playbook_json.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

using nlohmann::json;

json Minimal() { return testing::MinimalPlaybookJson(); }

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
  for (const char* name : {"harmony-recover.json", "sandbox.json"}) {
    auto r = LoadPlaybook(testing::SourceDir() + "/playbooks/" + name);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_TRUE(r->commands.probe.empty());  // probed over HTTP: no process on the node
    EXPECT_FALSE(r->probe.http.empty());
    EXPECT_EQ(r->probe.version, "/result/version");  // the upgrade reads versions from there
    EXPECT_TRUE(r->Provides(CommandId::kVersion));
    EXPECT_FALSE(r->commands.verify_binary.empty());
    EXPECT_FALSE(r->commands.restore_binary.empty());
  }
  auto h = LoadPlaybook(testing::SourceDir() + "/playbooks/harmony-recover.json");
  EXPECT_EQ(h->shard_order, (std::vector<int>{3, 0, 2, 1}));
  auto etcd = LoadPlaybook(testing::SourceDir() + "/playbooks/etcd.json");
  ASSERT_TRUE(etcd.ok()) << etcd.status().ToString();
  EXPECT_EQ(etcd->quorum.Required(3), 2);  // Raft: a 3-member cluster survives one member down
}

TEST(PlaybookTest, NonsenseNumbersAreRefused) {
  json j = Minimal();
  j["is_running_exit_codes"] = {{"running", {0}}, {"stopped", {300}}};
  EXPECT_EQ(Error(j),
            "pb.json:/is_running_exit_codes/stopped/0: expected an integer from 0 to 255, found "
            "300");
  j = Minimal();
  j["gate"] = {{"poll_interval_s", 1e-300}};
  EXPECT_NE(Error(j).find("pb.json:/gate/poll_interval_s: expected seconds, a number from 0.001"),
            std::string::npos)
      << Error(j);
  j = Minimal();
  j["commands"]["stop"] = std::string("stop\0 now", 9);
  EXPECT_TRUE(ParsePlaybook(j, "pb.json").ok()) << "NULs are refused when the file is read";
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
  j["gate"] = {{"quorum_fraction", 0.5}};
  EXPECT_NE(Error(j).find("pb.json:/gate/quorum_fraction: expected no quorum_fraction: the "
                          "top-level \"quorum\" replaces it"),
            std::string::npos)
      << Error(j);
  j = Minimal();
  j["comands"] = json::object();
  EXPECT_NE(Error(j).find("pb.json:/comands: expected one of the known keys"), std::string::npos);
}

TEST(PlaybookTest, WrongTypesSayWhatWasFound) {
  json j = Minimal();
  j["gate"] = {{"within_s", "30"}};
  EXPECT_EQ(Error(j),
            "pb.json:/gate/within_s: expected seconds, a number from 0.001 to 86400, "
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
  j["commands"]["stop"] = "echo \"{{dir}}\" >/dev/null; {{dir}}/ctl stop";
  EXPECT_EQ(Error(j).rfind("pb.json:/commands/stop: expected a command template, found "
                           "placeholder {{dir}} at offset 6 is inside double quotes",
                           0),
            0u)
      << Error(j);
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

TEST(PlaybookTest, QuorumRuleIsBftUnlessTheSystemSaysOtherwise) {
  auto bft = ParsePlaybook(Minimal(), "pb.json");
  ASSERT_TRUE(bft.ok());
  EXPECT_EQ(bft->quorum.Required(3), 3);
  json j = Minimal();
  j["quorum"] = "majority";
  auto raft = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(raft.ok()) << raft.status().message();
  EXPECT_EQ(raft->quorum.Required(3), 2);
  j["quorum"] = 0.75;
  auto f = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(f.ok()) << f.status().message();
  EXPECT_EQ(f->quorum.Required(4), 4);
  j["quorum"] = "raft";
  EXPECT_NE(Error(j).find("pb.json:/quorum: expected \"bft\", \"majority\" or a number"),
            std::string::npos)
      << Error(j);
  j["quorum"] = 0.4;
  EXPECT_FALSE(ParsePlaybook(j, "pb.json").ok());
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

namespace shardctl {
namespace {

TEST(PlaybookFaultsTest, FaultsParseWithParamsAndRenderQuotedWithOverrides) {
  json j = Minimal();
  j["faults"] = {{"slow",
                  {{"command", "{{dir}}/ctl slow {{delay_ms}}"},
                   {"undo", "{{dir}}/ctl heal"},
                   {"params", {{"delay_ms", 1500}}}}},
                 {"kill", {{"description", "SIGKILL"}, {"command", "{{dir}}/ctl kill"}}}};
  auto pb = ParsePlaybook(j, "pb.json");
  ASSERT_TRUE(pb.ok()) << pb.status().message();
  ASSERT_EQ(pb->faults.size(), 2u);
  const FaultDef* slow = FindFault(pb->faults, "slow");
  ASSERT_NE(slow, nullptr);
  EXPECT_EQ(slow->params.at("delay_ms"), "1500");
  EXPECT_EQ(FindFault(pb->faults, "kill")->undo, "");
  EXPECT_EQ(FindFault(pb->faults, "nope"), nullptr);

  Node n;
  n.name = "s0-a";
  n.vars = {{"dir", "/srv/a b"}};
  EXPECT_EQ(RenderFault(*pb, *slow, false, n).value(), "'/srv/a b'/ctl slow 1500");
  EXPECT_EQ(RenderFault(*pb, *slow, false, n, {{"delay_ms", "5; rm -rf /"}}).value(),
            "'/srv/a b'/ctl slow '5; rm -rf /'");
  EXPECT_EQ(RenderFault(*pb, *slow, true, n).value(), "'/srv/a b'/ctl heal");
}

TEST(PlaybookFaultsTest, FaultErrorsNameThePath) {
  auto error_with = [](const json& faults) {
    json j = Minimal();
    j["faults"] = faults;
    return Error(j);
  };
  EXPECT_EQ(error_with({{"kill", {{"undo", "x"}}}}),
            "pb.json:/faults/kill: missing \"command\" (what injects the fault)");
  EXPECT_EQ(error_with({{"kill", {{"command", "x"}, {"udno", "y"}}}}),
            "pb.json:/faults/kill: unknown key \"udno\" (allowed: description, command, undo, "
            "params)");
  EXPECT_NE(error_with({{"kill", {{"command", "{{dir"}}}})
                .find("pb.json:/faults/kill/command: "
                      "expected a command template"),
            std::string::npos);
  EXPECT_NE(error_with({{"bad name", {{"command", "x"}}}})
                .find("pb.json:/faults/bad name: fault "
                      "names use"),
            std::string::npos);
  EXPECT_EQ(error_with({{"slow", {{"command", "x"}, {"params", {{"d", json::array()}}}}}}),
            "pb.json:/faults/slow/params/d: expected a string or a number, found an array");
  EXPECT_EQ(error_with(json::array()), "pb.json:/faults: expected an object, found an array");
}

TEST(PlaybookFaultsTest, CheckAgainstInventoryRendersFaultsForEveryNode) {
  json j = Minimal();
  j["faults"] = {{"kill", {{"command", "{{dir}}/ctl kill"}, {"undo", "{{dir}}/ctl start"}}}};
  Playbook pb = ParsePlaybook(j, "pb.json").value();
  Inventory inv;
  Shard s;
  Node a;
  a.name = "s0-a";
  s.nodes = {a};
  inv.shards = {s};
  EXPECT_EQ(CheckPlaybookAgainst(pb, inv).message(),
            "pb.json:/faults/kill/command: node s0-a: unknown var {{dir}} (known: )");
}

TEST(PlaybookFaultsTest, SandboxPlaybookHasTheDrillFaults) {
  auto pb = LoadPlaybook(testing::SourceDir() + "/playbooks/sandbox.json");
  ASSERT_TRUE(pb.ok()) << pb.status().message();
  for (const char* name :
       {"kill", "bad-release", "restore-and-start", "crash-loop", "partition", "slow"}) {
    EXPECT_NE(FindFault(pb->faults, name), nullptr) << name;
  }
}

}  // namespace
}  // namespace shardctl
