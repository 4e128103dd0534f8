// Two `shardctl watch --act` on one 4 x 5 sandbox with a real etcd (two operators' machines:
// two state dirs): exactly one is the actor; kill -9 it in the middle of a recovery and the
// other takes over within the lease TTL and one interval, finishes that recovery from where it
// stood, and no node is started twice.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include "support/local_etcd.h"
#include "support/run_checks.h"
#include "support/sandbox_fixture.h"
#include "support/shardctl_cli.h"
#include "support/test_util.h"
#include "support/watch_fixture.h"

namespace shardctl::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

constexpr int kTtlS = 4;  // the etcd lease and the node leases: how fast a dead actor's go

// The role a watcher journaled last ("" none yet).
std::string Role(const std::string& state) {
  auto roles = WatchLinesWhere(state, [](const json& j) { return j["event"] == "role"; });
  return roles.empty() ? "" : roles.back().value("role", "");
}

// Journal lines with step `step` and outcome "begin" for a node of shard, over every run.
std::map<std::string, int> Begun(const std::string& state, const std::string& step, int shard) {
  std::map<std::string, int> out;
  for (const json& j : JournalLines(state)) {
    if (j.value("step", "") == step && j.value("outcome", "") == "begin" && j["shard"] == shard) {
      out[j.value("node", "")]++;
    }
  }
  return out;
}

TEST(WatchHa, OneActorAndTheOtherFinishesItsRecoveryAfterAKill9) {
  Sandbox sb;
  std::string err;
  ASSERT_TRUE(sb.Up({.shards = 4, .nodes = 5}, &err)) << err;
  LocalEtcd etcd;
  ASSERT_TRUE(etcd.ok()) << etcd.error();
  std::string inv = WithEtcdLock(sb.inventory_path(), sb.dir() + "/inv-etcd.json", etcd, kTtlS);
  json pb = json::parse(ReadFile(ShippedPlaybook("sandbox")));
  pb["lease"]["ttl_s"] = kTtlS;
  std::string playbook = sb.dir() + "/pb.json";
  std::ofstream(playbook) << pb.dump(2);
  const std::string state[2] = {sb.dir() + "/alice", sb.dir() + "/bob"};
  std::unique_ptr<WatchProcess> w[2];
  for (int i = 0; i < 2; ++i) {
    w[i] = std::make_unique<WatchProcess>(inv, playbook, state[i],
                                          std::vector<std::string>{"--act"}, state[i] + ".out");
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(WaitForShardsIn(state[i], {0, 1, 2, 3}, "healthy", 0, 90s))
        << ReadFile(w[i]->out_file());
  }
  ASSERT_TRUE(WaitFor([&] { return !Role(state[0]).empty() && !Role(state[1]).empty(); }, 30s));
  ASSERT_NE(Role(state[0]), Role(state[1])) << "exactly one actor";
  const int actor = Role(state[0]) == "actor" ? 0 : 1, other = 1 - actor;
  auto starts_before = NodeStartCounts(sb);

  ASSERT_EQ(sb.Run("fault", {"kill", "s0-n3", "s0-n4"}), 0);  // shard 0 loses its quorum
  ASSERT_TRUE(WaitFor([&] { return !Begun(state[actor], "stop", 0).empty(); }, 60s))
      << ReadFile(w[actor]->out_file());
  w[actor]->Kill9();  // mid-recovery: its stops are going out
  const int64_t killed = NowUnixMs();
  EXPECT_TRUE(WatchLinesWhere(state[other], Decided(0, "")).empty()) << "the observer acted";

  ASSERT_TRUE(WaitFor([&] { return Role(state[other]) == "actor"; }, 60s));
  auto roles = WatchLinesWhere(state[other], [](const json& j) { return j["event"] == "role"; });
  int64_t took_over = roles.back()["unix_ms"].get<int64_t>() - killed;
  std::cout << "takeover " << took_over << " ms after kill -9 (TTL " << kTtlS << " s)\n";
  EXPECT_LE(took_over, kTtlS * 1000 + 1000 + 1000) << "TTL + one interval (+1 s of slack)";
  ASSERT_TRUE(WaitForWatchLine(state[other], Decided(0, ""), 60s))
      << ReadFile(w[other]->out_file());
  json acted = WatchLinesWhere(state[other], Decided(0, "")).front();
  EXPECT_NE(acted["detail"].get<std::string>().find("finishing run"), std::string::npos)
      << acted.dump();
  ASSERT_TRUE(WaitForShardsIn(state[other], {0}, "healthy", killed, 90s))
      << ReadFile(w[other]->out_file());
  ExpectEveryShardCommitting(sb, 4, 5);

  auto starts = NodeStartCounts(sb);
  for (const std::string& name : sb.shard_node_names(0)) {
    EXPECT_EQ(starts[name] - starts_before[name], 1) << name << " started more than once";
  }
  for (int s = 1; s < 4; ++s) {
    for (const std::string& name : sb.shard_node_names(s)) {
      EXPECT_EQ(starts[name], starts_before[name]) << name << " of a healthy shard was restarted";
    }
  }
  int journaled = 0;
  for (const std::string& dir : state) {
    for (const auto& [node, n] : Begun(dir, "start", 0)) journaled += n;
  }
  EXPECT_EQ(journaled, 5) << "one start per node of shard 0, over both watchers' runs";

  // The dead actor's run is a run like any other: `shardctl resume` takes it from its journal
  // and, the shard being healthy now, touches nothing.
  std::string dead_run;
  for (const json& j : JournalLines(state[actor])) dead_run = j.value("run", dead_run);
  std::string out;
  EXPECT_EQ(Shardctl({"resume", dead_run, "--state-dir", state[actor], "--yes", "-o", "json"},
                     sb.dir() + "/resume.err", &out),
            0)
      << out << ReadFile(sb.dir() + "/resume.err");
  EXPECT_EQ(FinalReport(out)["shards"][0]["verdict"], "already-healthy") << out;
  EXPECT_EQ(NodeStartCounts(sb), starts);
  EXPECT_EQ(w[other]->Stop(), 130);
}

}  // namespace
}  // namespace shardctl::testing
