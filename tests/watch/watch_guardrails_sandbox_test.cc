// The guardrails of `shardctl watch --act` on a 4 x 5 sandbox: the kill switch (pause from
// another shell, journaled and paged), another operator's rolling-restart holding the shard
// (reported by name, waited for), a shard that cannot recover (max_recoveries, then gave-up),
// and more shards halting at once than the policy allows (approval first, then recovery).
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>

#include "support/alert_receiver.h"
#include "support/run_checks.h"
#include "support/sandbox_fixture.h"
#include "support/shardctl_cli.h"
#include "support/test_util.h"
#include "support/watch_fixture.h"

namespace shardctl::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

// The sandbox playbook with a short gate and one restart per recovery (a shard that cannot
// recover gives up in seconds), and a rolling node timeout of 8 s.
std::string GuardrailPlaybook(const Sandbox& sb) {
  json pb = json::parse(ReadFile(ShippedPlaybook("sandbox")));
  pb["gate"]["within_s"] = 10;
  pb["escalation"]["max_shard_restarts"] = 1;
  pb["rolling"]["node_timeout_s"] = 8;
  std::string path = sb.dir() + "/guardrail-playbook.json";
  std::ofstream(path) << pb.dump(2);
  return path;
}

class WatchGuardrails : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string err;
    ASSERT_TRUE(sb_.Up({.shards = 4, .nodes = 5}, &err)) << err;
    ASSERT_TRUE(rx_.ok());
    pb_ = GuardrailPlaybook(sb_);
    state_ = sb_.dir() + "/state";
  }

  int Control(const std::vector<std::string>& words) {
    std::vector<std::string> args = {"watch"};
    args.insert(args.end(), words.begin(), words.end());
    args.insert(args.end(), {"-i", sb_.inventory_path(), "--state-dir", state_});
    std::string out;
    return Shardctl(args, sb_.dir() + "/control.err", &out);
  }
  size_t Acted(int shard) { return WatchLinesWhere(state_, Decided(shard, "")).size(); }
  bool Healthy(int shard, int64_t since_ms) {
    return WaitForShardsIn(state_, {shard}, "healthy", since_ms, 90s);
  }
  void Kill(const std::vector<std::string>& nodes) {
    std::vector<std::string> args = {"kill"};
    args.insert(args.end(), nodes.begin(), nodes.end());
    ASSERT_EQ(sb_.Run("fault", args), 0);
  }

  void PauseHoldsAndResumeActs(WatchProcess& w);
  void AnotherRunsLockIsNamedAndWaitedFor(WatchProcess& w);
  void AShardThatCannotRecoverGivesUp(WatchProcess& w);
  void CorrelatedHaltsWaitForApproval();

  Sandbox sb_;
  AlertReceiver rx_;
  std::string pb_, state_;
};

void WatchGuardrails::PauseHoldsAndResumeActs(WatchProcess& w) {
  ASSERT_EQ(Control({"pause", "--reason", "change freeze, J.D."}), 0);
  ASSERT_TRUE(WaitFor([&] { return rx_.Got("ShardctlWatchPaused", -1, false); }, 30s))
      << rx_.Describe();
  int64_t t0 = NowUnixMs();
  Kill({"s3-n3", "s3-n4"});
  ASSERT_TRUE(WaitForWatchLine(state_, Decided(3, "paused"), 60s)) << ReadFile(w.out_file());
  ASSERT_TRUE(w.WaitRounds(3, 30s));
  EXPECT_EQ(Acted(3), 0u) << "acted while paused";
  ASSERT_EQ(Control({"resume"}), 0);
  ASSERT_TRUE(WaitForWatchLine(state_, Decided(3, ""), 60s)) << ReadFile(w.out_file());
  ASSERT_TRUE(Healthy(3, t0));
  EXPECT_TRUE(WaitFor([&] { return rx_.Got("ShardctlWatchPaused", -1, true); }, 30s));
  auto pauses = WatchLinesWhere(state_, [](const json& j) { return j["event"] == "pause"; });
  ASSERT_EQ(pauses.size(), 1u);
  EXPECT_NE(pauses[0]["detail"].get<std::string>().find("change freeze"), std::string::npos);
}

void WatchGuardrails::AnotherRunsLockIsNamedAndWaitedFor(WatchProcess& w) {
  const std::string other = sb_.dir() + "/bob";
  ShardctlProcess rolling({"rolling-restart", "-i", sb_.inventory_path(), "-p", pb_, "--shard", "2",
                           "--yes", "--state-dir", other},
                          sb_.dir() + "/rolling.out");
  std::string restarting;
  ASSERT_TRUE(WaitFor(
      [&] {
        for (const json& j : JournalLines(other)) {
          bool node = j.value("step", "") == "restart" || j.value("step", "") == "node";
          if (node && j.value("outcome", "") == "begin") restarting = j.value("node", "");
        }
        return !restarting.empty();
      },
      60s, 100ms))
      << ReadFile(sb_.dir() + "/rolling.out");
  std::vector<std::string> victims;
  for (const std::string& n : sb_.shard_node_names(2)) {
    if (n != restarting && victims.size() < 2) victims.push_back(n);
  }
  int64_t t0 = NowUnixMs();
  Kill(victims);  // with the rolling wave's node down too, shard 2 has no quorum
  ASSERT_TRUE(WaitForWatchLine(state_, Decided(2, "lock-held"), 60s)) << ReadFile(w.out_file());
  std::string run = JournalLines(other).front().value("run", "");
  json held = WatchLinesWhere(state_, Decided(2, "lock-held")).front();
  EXPECT_NE(held["detail"].get<std::string>().find(run), std::string::npos) << held.dump();
  EXPECT_EQ(Acted(2), 0u);
  EXPECT_NE(rolling.Wait(120s), 0) << "the rolling restart cannot finish a shard with no quorum";
  int64_t released = JournalLines(other).back().value("unix_ms", int64_t{0});
  ASSERT_TRUE(WaitForWatchLine(state_, Decided(2, ""), 60s)) << ReadFile(w.out_file());
  EXPECT_GE(WatchLinesWhere(state_, Decided(2, "")).front()["unix_ms"].get<int64_t>(), released)
      << "acted while another run held the shard";
  ASSERT_TRUE(Healthy(2, t0));
}

void WatchGuardrails::AShardThatCannotRecoverGivesUp(WatchProcess& w) {
  // Paused while the known-good release itself is made bad (no race with the watcher).
  ASSERT_EQ(Control({"pause", "--reason", "breaking shard 1's release on purpose"}), 0);
  ASSERT_TRUE(w.WaitRounds(2, 30s));
  std::vector<std::string> args = {"bad-release"};
  for (const std::string& n : sb_.shard_node_names(1)) args.push_back(n);
  ASSERT_EQ(sb_.Run("fault", args), 0);
  for (const SandboxNode& n : sb_.shard_nodes(1)) {
    ASSERT_EQ(RunCommand({"sh", "-c",
                          "cd '" + n.dir +
                              "/release' && cp ../bin/validator-sim validator-sim && "
                              "sha256sum validator-sim > SHA256SUMS"}),
              0);
  }
  ASSERT_EQ(Control({"resume"}), 0);
  ASSERT_TRUE(WaitForWatchLine(state_, EnteredState(1, "gave-up"), 180s)) << ReadFile(w.out_file());
  EXPECT_EQ(Acted(1), 2u) << "max_recoveries is 2";
  EXPECT_TRUE(WaitFor([&] { return rx_.Got("ShardctlRecoveryGaveUp", 1, false); }, 30s))
      << rx_.Describe();
  ASSERT_TRUE(w.WaitRounds(5, 60s));
  EXPECT_EQ(Acted(1), 2u) << "acted after giving up";
  // A person fixes the release; the gave-up shard is watched back to healthy.
  for (const SandboxNode& n : sb_.shard_nodes(1)) {
    std::string good = sb_.node_dir("s0-n0") + "/release";
    ASSERT_EQ(RunCommand({"sh", "-c",
                          "cp '" + good + "/validator-sim' '" + good + "/SHA256SUMS' '" + n.dir +
                              "/release/' && '" + n.dir + "/ctl' restore-release"}),
              0);
  }
  int64_t t0 = NowUnixMs();
  for (const SandboxNode& n : sb_.shard_nodes(1)) sb_.Ctl(n.name, "start");
  ASSERT_TRUE(Healthy(1, t0));
  EXPECT_TRUE(WaitFor([&] { return rx_.Got("ShardctlRecoveryGaveUp", 1, true); }, 30s));
}

void WatchGuardrails::CorrelatedHaltsWaitForApproval() {
  AlertReceiver rx;
  std::string policy = sb_.dir() + "/correlated.json";
  // for_s 2: every shard the kill halts is seen halted before the first is confirmed.
  std::ofstream(policy) << R"({"interval_s": 1, "halt_after_s": 3, "for_s": 2,
                               "max_shards_at_once": 4, "correlated_shards": 2})";
  state_ = sb_.dir() + "/state-correlated";
  WatchProcess w(sb_.inventory_path(), pb_, state_,
                 {"--act", "--policy", policy, "--webhook", rx.WebhookUrl()},
                 sb_.dir() + "/watch-correlated.out");
  for (int s : {0, 2, 3}) ASSERT_TRUE(Healthy(s, 0)) << ReadFile(w.out_file());
  int64_t t0 = NowUnixMs();
  Kill({"s0-n3", "s0-n4", "s2-n3", "s2-n4", "s3-n3", "s3-n4"});
  for (int s : {0, 2, 3}) {
    ASSERT_TRUE(WaitForWatchLine(state_, Decided(s, "correlated-failure"), 60s)) << s;
    EXPECT_TRUE(WaitFor([&] { return rx.Got("ShardctlApprovalNeeded", s, false); }, 30s)) << s;
  }
  ASSERT_TRUE(w.WaitRounds(3, 30s));
  for (int s : {0, 2, 3}) EXPECT_EQ(Acted(s), 0u) << s;
  ASSERT_EQ(Control({"approve", "0", "--reason", "checked, not the release"}), 0);
  ASSERT_TRUE(WaitForWatchLine(state_, Decided(0, ""), 60s)) << ReadFile(w.out_file());
  EXPECT_EQ(Acted(2) + Acted(3), 0u) << "only the approved shard may act";
  httplib::Client page("127.0.0.1", w.port());  // what the page's button sends
  auto approved =
      page.Post("/approve", {{"X-Shardctl-Approve", "1"}}, R"({"shard": 2})", "application/json");
  ASSERT_TRUE(approved && approved->status == 200);
  ASSERT_EQ(Control({"approve", "3"}), 0);
  for (int s : {0, 2, 3}) ASSERT_TRUE(Healthy(s, t0)) << ReadFile(w.out_file());
  EXPECT_EQ(WatchLinesWhere(state_, [](const json& j) { return j["event"] == "approve"; }).size(),
            3u);
  EXPECT_TRUE(rx.Got("ShardctlApprovalNeeded", 2, true)) << rx.Describe();
  EXPECT_EQ(w.Stop(), 130);
}

TEST_F(WatchGuardrails, PauseAnotherRunsLockGiveUpAndCorrelatedFailures) {
  WatchProcess w(sb_.inventory_path(), pb_, state_,
                 {"--act", "--alertmanager", rx_.AlertmanagerUrl()}, sb_.dir() + "/watch.out");
  for (int s = 0; s < 4; ++s) ASSERT_TRUE(Healthy(s, 0)) << ReadFile(w.out_file());
  PauseHoldsAndResumeActs(w);
  AnotherRunsLockIsNamedAndWaitedFor(w);
  AShardThatCannotRecoverGivesUp(w);
  EXPECT_EQ(w.Stop(), 130);
  CorrelatedHaltsWaitForApproval();
  ExpectEveryShardCommitting(sb_, 4, 5);
}

}  // namespace
}  // namespace shardctl::testing
