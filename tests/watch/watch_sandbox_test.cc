// `shardctl watch` on a 4 x 5 sandbox, the real binary as systemd would run it: a degraded
// network and a probe that times out are left alone; the 2019 incident is recovered with no
// human step, alerts fired and resolved; /metrics passes promtool and the page renders in
// headless Chromium; then the same incident and the 2019 operators' move under --dry-run
// touches nothing, and --act cures the trap they left.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>

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
namespace fs = std::filesystem;

constexpr int kShards = 4;

// The shipped sandbox playbook, with a probe that hangs while the node dir holds probe-hang
// (a probe that times out, with the node itself fine) and a 2 s probe limit.
std::string HangablePlaybook(const Sandbox& sb) {
  json pb = json::parse(ReadFile(ShippedPlaybook("sandbox")));
  pb["commands"]["probe"] = "test ! -e {{dir}}/probe-hang || sleep 30; {{dir}}/ctl probe";
  if (pb["probe"].contains("http")) pb["probe"].erase("http");
  pb["timeouts"]["probe_s"] = 2;
  std::string path = sb.dir() + "/watch-playbook.json";
  std::ofstream(path) << pb.dump(2);
  return path;
}

std::string OutputDir() {
  std::string dir = BinDir() + "/../test-output/WatchSandbox";
  fs::create_directories(dir);
  return dir;
}

void ExpectPromtoolAccepts(const WatchProcess& w) {
  std::string metrics = w.Get("/metrics");
  ASSERT_FALSE(metrics.empty());
  std::string file = OutputDir() + "/metrics.txt";
  std::ofstream(file) << metrics;
  std::string out;
  EXPECT_EQ(RunCommand({"sh", "-c", "promtool check metrics < " + file}, &out), 0) << out;
  for (int s = 0; s < kShards; ++s) {
    EXPECT_NE(metrics.find("shardctl_shard_height{network=\"sandbox\",shard=\"" +
                           std::to_string(s) + "\"}"),
              std::string::npos)
        << metrics;
  }
}

std::vector<std::string> Chromium(const std::string& profile) {
  return {"timeout",
          "90",
          "chromium",
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
          "--user-data-dir=" + profile};
}

void ExpectPageShowsEveryShard(const WatchProcess& w) {
  TempDir profile;
  std::vector<std::string> dump = Chromium(profile.path());
  dump.insert(dump.end(), {"--virtual-time-budget=5000", "--dump-dom", w.Url("/")});
  std::string dom;
  ASSERT_EQ(RunCommand(dump, &dom), 0) << dom;
  std::ofstream(OutputDir() + "/page.html") << dom;
  for (int s = 0; s < kShards; ++s) {
    EXPECT_NE(dom.find("id=\"shard-" + std::to_string(s) + "\""), std::string::npos) << dom;
    EXPECT_NE(dom.find(">shard " + std::to_string(s) + "<"), std::string::npos) << dom;
  }
  EXPECT_NE(dom.find(">healthy<"), std::string::npos);
  EXPECT_EQ(dom.find("data-refreshes=\"0\""), std::string::npos)
      << "the page never refreshed itself from /api/state";
  TempDir profile2;
  std::string png = OutputDir() + "/page.png";
  fs::remove(png);
  std::vector<std::string> shot = Chromium(profile2.path());
  shot.insert(shot.end(), {"--window-size=1400,900", "--screenshot=" + png, w.Url("/")});
  std::string out;
  ASSERT_EQ(RunCommand(shot, &out), 0) << out;
  EXPECT_TRUE(fs::exists(png) && fs::file_size(png) > 1000) << out;
}

// Every shard entered state `to` at or after since_ms.
bool WaitForEveryShard(const std::string& state, const std::string& to, int64_t since_ms,
                       std::chrono::seconds timeout) {
  return WaitForShardsIn(state, {0, 1, 2, 3}, to, since_ms, timeout);
}

std::vector<json> Decisions(const std::string& state) {
  return WatchLinesWhere(state, [](const json& j) { return j.value("event", "") == "decision"; });
}

std::vector<json> Actionable(const std::string& state, int shard) {
  return WatchLinesWhere(state, [shard](const json& j) {
    return j.value("event", "") == "state" && (shard < 0 || j["shard"] == shard) &&
           (j.value("to", "") == "halted" || j.value("to", "") == "stuck");
  });
}

std::map<int, std::set<std::string>> Aug30(const Sandbox& sb, const std::string& seed) {
  std::string out;
  EXPECT_EQ(sb.Run("fault", {"aug30", "--seed", seed, "--stagger-ms", "100"}, &out), 0) << out;
  std::map<int, std::set<std::string>> broken;
  for (const SandboxNode& n : sb.nodes()) {
    if (ReadFile(n.dir + "/bin/validator-sim").rfind("<?xml", 0) == 0)
      broken[n.shard].insert(n.name);
  }
  return broken;
}

// One node per shard down: degraded, no action; a probe that times out one round: no action.
void LeavesDegradedAndBlindShardsAlone(const Sandbox& sb, const WatchProcess& w,
                                       const std::string& state) {
  // Before the first kill: the watcher may see shard 0 degraded before the last kill returns.
  int64_t t0 = NowUnixMs();
  for (int s = 0; s < kShards; ++s) {
    ASSERT_EQ(sb.Run("fault", {"kill", "--shard", std::to_string(s), "--count", "1"}), 0);
  }
  ASSERT_TRUE(WaitForEveryShard(state, "degraded", t0, 60s));
  ASSERT_TRUE(w.WaitRounds(6, 60s));  // halt_after + for + two rounds
  EXPECT_TRUE(Decisions(state).empty());
  EXPECT_TRUE(Actionable(state, -1).empty());
  int64_t t1 = NowUnixMs();
  for (int s = 0; s < kShards; ++s) sb.Ctl("s" + std::to_string(s) + "-n4", "start");
  ASSERT_TRUE(WaitForEveryShard(state, "healthy", t1, 60s));

  int64_t before = sb.ShardHeight(1).value_or(-1);
  for (const SandboxNode& n : sb.shard_nodes(1)) std::ofstream(n.dir + "/probe-hang") << "";
  bool blind = WaitForWatchLine(
      state, [](const json& j) { return j.value("event", "") == "blind" && j["shard"] == 1; }, 60s);
  for (const SandboxNode& n : sb.shard_nodes(1)) fs::remove(n.dir + "/probe-hang");
  ASSERT_TRUE(blind) << "the hung probe round was never journaled";
  ASSERT_TRUE(w.WaitRounds(6, 60s));
  EXPECT_TRUE(Decisions(state).empty());
  EXPECT_TRUE(Actionable(state, 1).empty()) << "a probe timeout alone made shard 1 halted";
  EXPECT_GT(sb.ShardHeight(1).value_or(-1), before + 10) << "shard 1 kept committing";
}

void ExpectFiredThenResolved(const AlertReceiver& rx, const std::string& state, int shard) {
  EXPECT_TRUE(rx.Got("ShardctlShardHalted", shard, false)) << rx.Describe();
  EXPECT_TRUE(rx.Got("ShardctlShardHalted", shard, true)) << rx.Describe();
  EXPECT_TRUE(rx.Got("ShardctlRecoveryStarted", shard, true)) << rx.Describe();
  bool stuck = !WatchLinesWhere(state, EnteredState(shard, "stuck")).empty();
  if (stuck) {
    EXPECT_TRUE(rx.Got("ShardctlShardStuck", shard, true)) << rx.Describe();
  }
}

TEST(WatchSandbox, ActsOnThe2019IncidentLeavesTheRestAloneAndADryRunTouchesNothing) {
  Sandbox sb;
  std::string err;
  ASSERT_TRUE(sb.Up({.shards = kShards, .nodes = 5}, &err)) << err;
  AlertReceiver rx;
  ASSERT_TRUE(rx.ok());
  const std::string pb = HangablePlaybook(sb), state = sb.dir() + "/state";
  WatchProcess w(sb.inventory_path(), pb, state,
                 {"--act", "--alertmanager", rx.AlertmanagerUrl(), "--webhook", rx.WebhookUrl()},
                 sb.dir() + "/watch-act.out");
  ASSERT_TRUE(WaitForEveryShard(state, "healthy", 0, 90s)) << ReadFile(w.out_file());
  ExpectPromtoolAccepts(w);
  ExpectPageShowsEveryShard(w);
  EXPECT_TRUE(rx.Got("Watchdog", -1, false)) << rx.Describe();
  LeavesDegradedAndBlindShardsAlone(sb, w, state);

  int64_t fault_ms = NowUnixMs();
  auto broken = Aug30(sb, "7");
  ASSERT_EQ(broken.size(), size_t(kShards));
  for (int s = 0; s < kShards; ++s) {
    EXPECT_TRUE(WaitForWatchLine(state, Decided(s, ""), 120s)) << "shard " << s << " not acted on";
  }
  ASSERT_TRUE(WaitForEveryShard(state, "healthy", fault_ms, 120s)) << ReadFile(w.out_file());
  ExpectEveryShardCommitting(sb, kShards, 5);
  for (int s = 0; s < kShards; ++s) ExpectFiredThenResolved(rx, state, s);
  for (const SandboxNode& n : sb.nodes()) {
    EXPECT_EQ(ReadFile(n.dir + "/bin/validator-sim"), ReadFile(n.dir + "/release/validator-sim"))
        << n.name;
  }
  std::string md;
  EXPECT_EQ(Shardctl({"watch", "report", "-i", sb.inventory_path(), "--state-dir", state, "--since",
                      "1h"},
                     sb.dir() + "/report.err", &md),
            0);
  EXPECT_GE(std::count(md.begin(), md.end(), '\n'), 10) << md;
  EXPECT_NE(md.find("committing again"), std::string::npos) << md;
  EXPECT_EQ(w.Stop(), 130) << ReadFile(w.out_file());

  // The same night under --dry-run, with the 2019 operators' move: nothing touched.
  AlertReceiver rx2;
  const std::string dry = sb.dir() + "/state-dry";
  WatchProcess d(sb.inventory_path(), pb, dry, {"--dry-run", "--webhook", rx2.WebhookUrl()},
                 sb.dir() + "/watch-dry.out");
  ASSERT_TRUE(WaitForEveryShard(dry, "healthy", 0, 90s)) << ReadFile(d.out_file());
  broken = Aug30(sb, "11");
  for (int s = 0; s < kShards; ++s) {
    EXPECT_TRUE(WaitForWatchLine(dry, Decided(s, "dry-run"), 60s)) << s;
  }
  ASSERT_TRUE(d.WaitRounds(12, 120s));  // the outage lasts, as it did in 2019 ...
  std::vector<std::string> dead;
  for (const auto& [s, names] : broken) dead.insert(dead.end(), names.begin(), names.end());
  std::vector<std::string> restore = {"restore-release"};
  restore.insert(restore.end(), dead.begin(), dead.end());
  ASSERT_EQ(sb.Run("fault", restore), 0);
  for (const std::string& n : dead) sb.Ctl(n, "start");  // ... then only the dead are started
  ASSERT_TRUE(d.WaitRounds(5, 60s));
  EXPECT_FALSE(fs::exists(dry + "/runs")) << "a dry run started a run";
  EXPECT_EQ(Decisions(dry).size(), size_t(kShards)) << "each would-be action journaled once";
  for (int s = 0; s < kShards; ++s) {
    auto halted = rx2.Matching("ShardctlShardHalted", s, false);
    ASSERT_FALSE(halted.empty()) << rx2.Describe();
    EXPECT_NE(halted.back()["annotations"].value("decision", "").find("dry-run"), std::string::npos)
        << halted.back().dump();
  }
  EXPECT_EQ(d.Stop(), 130);

  // --act on the trap the move left: whole-shard restarts, no human step.
  const std::string act = sb.dir() + "/state-act";
  WatchProcess a(sb.inventory_path(), pb, act, {"--act"}, sb.dir() + "/watch-act2.out");
  ASSERT_TRUE(WaitFor([&] { return !Actionable(act, -1).empty(); }, 60s)) << ReadFile(a.out_file());
  ASSERT_TRUE(WaitForEveryShard(act, "healthy", 0, 180s)) << ReadFile(a.out_file());
  for (const json& halted : Actionable(act, -1)) {
    EXPECT_FALSE(WatchLinesWhere(act, Decided(halted["shard"].get<int>(), "")).empty())
        << "shard " << halted["shard"] << " was seen broken but not recovered";
  }
  ExpectEveryShardCommitting(sb, kShards, 5);
  EXPECT_EQ(a.Stop(), 130);
}

}  // namespace
}  // namespace shardctl::testing
