// `shardctl recover`, `status` and `plan` end to end, the way an operator runs them: the real
// binary (build/bin/shardctl) against the loopback sandbox (real sshd, real validator-sim
// processes), with playbooks/sandbox.json. Scenarios: the 2019 incident (aug30) recovered with
// binaries replaced and a well-ordered journal; the shard-1 view-change trap detected by status
// and cured by a whole-shard restart; bad input and dry runs that touch nothing.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "support/run_checks.h"
#include "support/sandbox_fixture.h"
#include "support/shardctl_cli.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

// Journal lines that announce an action ("begin"), as "step node" strings.
std::vector<std::string> BegunActions(const std::string& state_dir) {
  std::vector<std::string> begun;
  for (const json& j : JournalLines(state_dir)) {
    if (j.value("outcome", "") != "begin") continue;
    begun.push_back(j.value("step", "?") + " " +
                    (j["node"].is_string() ? j["node"].get<std::string>() : "-"));
  }
  return begun;
}

bool IsXml(const std::string& path) { return ReadFile(path).rfind("<?xml", 0) == 0; }

// What identifies one run of a node: its pid file and the start time it reports over RPC.
// Equal before and after = the node was not restarted.
std::map<std::string, std::string> Incarnations(const Sandbox& sb) {
  std::map<std::string, std::string> out;
  for (const SandboxNode& n : sb.nodes()) {
    std::string v = sb.IsRunning(n.name) ? "pid " + ReadFile(n.dir + "/node.pid") : "down";
    auto m = sb.Metadata(n.name);
    if (m) v += " started " + std::to_string(m->value("node-unix-start-time", int64_t{-1}));
    out[n.name] = v;
  }
  return out;
}

// The journal announces each action before its result: per (node, step), lines alternate
// begin, result, begin, result... and no begin is left without a result.
void ExpectBeginBeforeResult(const std::vector<json>& journal) {
  std::map<std::string, int> open;
  for (const json& j : journal) {
    if (!j["node"].is_string()) continue;
    const std::string step = j.value("step", "");
    if (step != "stop" && step != "start" && step != "verify_binary" && step != "restore_binary") {
      continue;
    }
    const std::string key = j["node"].get<std::string>() + " " + step;
    if (j.value("outcome", "") == "begin") {
      EXPECT_EQ(open[key]++, 0) << key << ": begun twice without a result: " << j.dump();
    } else {
      EXPECT_EQ(open[key]--, 1) << key << ": result without a begin before it: " << j.dump();
    }
  }
  for (const auto& [key, n] : open) EXPECT_EQ(n, 0) << key << ": begun, no result journaled";
}

class RecoverSandbox : public SandboxTest {};

TEST_F(RecoverSandbox, Aug30RecoversEveryShardReplacingTheBrokenBinaries) {
  SandboxOptions opt;
  opt.shards = 2;  // two shards, recovered at once (recover takes every halted shard at once)
  opt.nodes = 5;
  std::string out;
  ASSERT_NO_FATAL_FAILURE(Up(opt));
  ASSERT_EQ(sb_.Run("fault", {"aug30", "--seed", "7", "--stagger-ms", "100"}, &out), 0) << out;
  std::map<int, std::set<std::string>> broken;
  for (const SandboxNode& n : sb_.nodes()) {
    if (IsXml(n.dir + "/bin/validator-sim")) broken[n.shard].insert(n.name);
  }
  for (int s = 0; s < 2; ++s) ASSERT_GE(broken[s].size(), 2u) << "aug30 broke too little:\n" << out;
  ASSERT_TRUE(sb_.WaitForAllHalted(3s, 20s)) << "aug30 did not halt every shard";

  const std::string state = sb_.dir() + "/state", report_md = sb_.dir() + "/report.md";
  const std::string stderr_file = sb_.dir() + "/recover.stderr";
  const auto t0 = Clock::now();
  int rc = Shardctl({"recover", "-i", sb_.inventory_path(), "-p", ShippedPlaybook("sandbox"),
                     "--yes", "-o", "json", "--state-dir", state, "--report", report_md},
                    stderr_file, &out);
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  ASSERT_EQ(rc, 0) << out << "\nstderr:\n" << ReadFile(stderr_file);
  std::cout << "recover of 2x5 after aug30: " << wall << " s wall\n";

  json report = FinalReport(out);
  ASSERT_TRUE(report.is_object()) << "no report event in:\n" << out;
  EXPECT_EQ(report["all_healthy"], true) << report.dump(2);
  ASSERT_EQ(report["shards"].size(), 2u) << report.dump(2);
  std::string md = ReadFile(report_md);
  EXPECT_NE(md.find("all shards healthy"), std::string::npos) << md;
  for (const json& s : report["shards"]) {
    const int id = s["shard"].get<int>();
    SCOPED_TRACE("shard " + std::to_string(id));
    EXPECT_EQ(s["verdict"], "healthy") << s.dump(2);
    EXPECT_GE(s["restarts"].get<int>(), 1);
    EXPECT_GT(s["time_to_recover_ms"].get<int64_t>(), 0);
    auto replaced = s["replaced_binaries"].get<std::set<std::string>>();
    EXPECT_EQ(replaced, broken[id]) << "report must list exactly the nodes the fault broke";
    for (const std::string& name : broken[id]) {
      EXPECT_NE(md.find(name), std::string::npos) << name << " missing from the report";
    }
  }
  for (const SandboxNode& n : sb_.nodes()) {
    EXPECT_EQ(ReadFile(n.dir + "/bin/validator-sim"), ReadFile(n.dir + "/release/validator-sim"))
        << n.name << " does not run the release binary";
    EXPECT_TRUE(sb_.IsRunning(n.name)) << n.name;
  }
  ExpectEveryShardCommitting(sb_, 2, 3);

  // The journal: where the report says, under the state dir, every action announced first.
  const std::string journal = report.value("journal", "");
  EXPECT_EQ(journal.rfind(state + "/runs/", 0), 0u) << journal;
  ASSERT_TRUE(fs::exists(journal)) << journal;
  std::vector<json> lines = JournalLines(state);
  ExpectBeginBeforeResult(lines);
  std::set<std::string> restored, started;
  for (const json& j : lines) {
    if (!j["node"].is_string() || j.value("outcome", "") != "ok") continue;
    if (j["step"] == "restore_binary") restored.insert(j["node"].get<std::string>());
    if (j["step"] == "start") started.insert(j["node"].get<std::string>());
  }
  std::set<std::string> all_broken, all_nodes;
  for (const auto& [s, names] : broken) all_broken.insert(names.begin(), names.end());
  for (const SandboxNode& n : sb_.nodes()) all_nodes.insert(n.name);
  EXPECT_EQ(restored, all_broken) << "restore_binary journaled for the wrong nodes";
  EXPECT_EQ(started, all_nodes) << "a whole-shard restart starts every node";
}

TEST_F(RecoverSandbox, StuckInViewChangeIsDetectedAndCuredByWholeShardRestart) {
  SandboxOptions opt;
  opt.nodes = 5;  // quorum 4: the 3 restarted alone are no quorum, which is what traps them
  std::string out;
  ASSERT_NO_FATAL_FAILURE(Up(opt));
  const std::vector<std::string> broken = {"s0-n1", "s0-n2", "s0-n3"};
  ASSERT_EQ(sb_.Run("fault", {"bad-release", broken[0], broken[1], broken[2]}, &out), 0) << out;
  const auto outage_start = Clock::now();
  int64_t halted = 0;
  ASSERT_TRUE(sb_.WaitForHalt(0, 3s, 15s, &halted)) << "3 of 5 dead and still committing";

  // docs/sandbox.md: an outage of >= 30 s makes restarting only the dead a trap. Wait it
  // out, failing at once if a block commits without a quorum.
  const auto outage_left =
      std::chrono::duration_cast<std::chrono::milliseconds>(outage_start + 31s - Clock::now());
  ASSERT_FALSE(WaitFor(
      [&] {
        auto h = sb_.ShardHeight(0);
        return h && *h > halted;
      },
      outage_left, 500ms))
      << "blocks committed with 2 of 5 nodes up";
  ASSERT_GE(Clock::now() - outage_start, 30s);

  ASSERT_EQ(sb_.Run("fault", {"restore-release", broken[0], broken[1], broken[2]}, &out), 0) << out;
  for (const auto& name : broken) ASSERT_EQ(sb_.Ctl(name, "start", &out), 0) << out;

  // The trap: halted, with nodes in view change on different viewChangeIds. Watch for at
  // least 6 s (longer than the playbook's stuck.after) and until split ids were seen.
  const auto restarted = Clock::now();
  bool moved = false, split = false;
  std::string views;
  WaitFor(
      [&] {
        auto h = sb_.ShardHeight(0);
        if (h && *h > halted) moved = true;
        std::set<int64_t> ids;
        views.clear();
        for (const auto& name : sb_.shard_node_names(0)) {
          auto m = sb_.Metadata(name);
          if (!m) continue;
          const json& c = (*m)["consensus"];
          views += name + ":" + c.value("mode", "?") + "/" +
                   std::to_string(c.value("viewChangeId", int64_t{-1})) + " ";
          if (c.value("mode", "") == "ViewChanging")
            ids.insert(c.value("viewChangeId", int64_t{-1}));
        }
        split = split || ids.size() >= 2;
        return moved || (split && Clock::now() - restarted >= 6s);
      },
      20s, 300ms);
  ASSERT_FALSE(moved) << "restarting only the dead recovered the shard: no trap to cure";
  ASSERT_TRUE(split) << "never saw ViewChanging nodes on different viewChangeIds: " << views;

  // status sees it: halted in view change, exit 1, in text and JSON.
  const std::string stderr_file = sb_.dir() + "/shardctl.stderr";
  int rc = Shardctl({"status", "-i", sb_.inventory_path(), "-p", ShippedPlaybook("sandbox"),
                     "--interval", "1.5", "-o", "json"},
                    stderr_file, &out, 60);
  EXPECT_EQ(rc, 1) << out << ReadFile(stderr_file);
  json st = json::parse(out, nullptr, false);
  ASSERT_TRUE(st.is_object()) << out;
  ASSERT_EQ(st["shards"].size(), 1u) << out;
  EXPECT_EQ(st["shards"][0]["verdict"], "halted-view-change") << st.dump(2);
  EXPECT_EQ(st["shards"][0]["blocks_in_interval"], 0) << st.dump(2);
  EXPECT_EQ(st["shards"][0]["nodes_up"], 5) << st.dump(2);
  rc = Shardctl(
      {"status", "-i", sb_.inventory_path(), "-p", ShippedPlaybook("sandbox"), "--interval", "1"},
      stderr_file, &out, 60);
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("halted-view-change"), std::string::npos) << out;

  // recover cures it with a whole-shard restart.
  const std::string state = sb_.dir() + "/state", report_md = sb_.dir() + "/report.md";
  rc = Shardctl({"recover", "-i", sb_.inventory_path(), "-p", ShippedPlaybook("sandbox"), "--yes",
                 "-o", "json", "--state-dir", state, "--report", report_md},
                stderr_file, &out);
  ASSERT_EQ(rc, 0) << out << "\nstderr:\n" << ReadFile(stderr_file);
  json report = FinalReport(out);
  ASSERT_TRUE(report.is_object()) << out;
  ASSERT_EQ(report["shards"].size(), 1u);
  const json& s = report["shards"][0];
  EXPECT_EQ(s["verdict"], "healthy") << s.dump(2);
  EXPECT_GE(s["restarts"].get<int>(), 1) << s.dump(2);
  EXPECT_TRUE(s["replaced_binaries"].empty()) << "the release was restored before: " << s.dump(2);
  std::set<std::string> stopped;
  for (const json& j : JournalLines(state)) {
    if (j["step"] == "stop" && j["outcome"] == "ok") stopped.insert(j["node"].get<std::string>());
  }
  EXPECT_EQ(stopped.size(), 5u) << "a whole-shard restart stops every node, the survivors too";
  EXPECT_NE(ReadFile(report_md).find("| 0 | healthy |"), std::string::npos) << ReadFile(report_md);
  ExpectEveryShardCommitting(sb_, 1, 3);
}

TEST_F(RecoverSandbox, BadInputAndDryRunTouchNothingOnAHaltedShard) {
  SandboxOptions opt;
  opt.nodes = 4;
  std::string out;
  ASSERT_NO_FATAL_FAILURE(Up(opt));
  ASSERT_EQ(sb_.Run("fault", {"kill", "--shard", "0", "--count", "2"}, &out), 0) << out;
  ASSERT_TRUE(sb_.WaitForHalt(0, 2s, 15s)) << "2 of 4 killed and still committing";
  const auto before = Incarnations(sb_);
  const std::string state = sb_.dir() + "/state", stderr_file = sb_.dir() + "/shardctl.stderr";
  TempDir tmp;

  // A playbook typo: exit 2 naming file, JSON path and reason.
  json pb = json::parse(ReadFile(ShippedPlaybook("sandbox")));
  pb["gate"]["min_new_block"] = 3;
  const std::string bad_pb = tmp.WriteFile("typo-playbook.json", pb.dump(2));
  EXPECT_EQ(
      Shardctl({"recover", "-i", sb_.inventory_path(), "-p", bad_pb, "--yes", "--state-dir", state},
               stderr_file, &out, 60),
      2);
  std::string said = ReadFile(stderr_file);
  EXPECT_NE(said.find(bad_pb + ":/gate/min_new_block: expected one of the known keys"),
            std::string::npos)
      << said;

  // An inventory typo: the same.
  json inv = json::parse(ReadFile(sb_.inventory_path()));
  inv["shards"][0]["nodes"][1]["hostname"] = "127.0.0.1";
  const std::string bad_inv = tmp.WriteFile("typo-inventory.json", inv.dump(2));
  EXPECT_EQ(Shardctl({"recover", "-i", bad_inv, "-p", ShippedPlaybook("sandbox"), "--yes",
                      "--state-dir", state},
                     stderr_file, &out, 60),
            2);
  said = ReadFile(stderr_file);
  EXPECT_NE(said.find(bad_inv + ":/shards/0/nodes/1"), std::string::npos) << said;
  EXPECT_NE(said.find("hostname"), std::string::npos) << said;

  // plan and recover --dry-run on the halted shard: every node's stop and start, nothing done.
  const std::vector<std::vector<std::string>> dry_runs = {
      {"plan", "-i", sb_.inventory_path(), "-p", ShippedPlaybook("sandbox")},
      {"recover", "--dry-run", "-i", sb_.inventory_path(), "-p", ShippedPlaybook("sandbox"),
       "--state-dir", state}};
  for (const std::vector<std::string>& args : dry_runs) {
    const std::string& cmd = args[0];
    ASSERT_EQ(Shardctl(args, stderr_file, &out, 60), 0) << out << ReadFile(stderr_file);
    for (const SandboxNode& n : sb_.nodes()) {
      EXPECT_NE(out.find("stop " + n.name + ": " + n.dir + "/ctl stop"), std::string::npos)
          << cmd << ":\n"
          << out;
      EXPECT_NE(out.find("start " + n.name + ": " + n.dir + "/ctl start"), std::string::npos)
          << cmd << ":\n"
          << out;
    }
    EXPECT_NE(out.find("nothing was touched"), std::string::npos) << out;
  }
  ASSERT_EQ(Shardctl({"recover", "--dry-run", "-o", "json", "-i", sb_.inventory_path(), "-p",
                      ShippedPlaybook("sandbox"), "--state-dir", state},
                     stderr_file, &out, 60),
            0);
  json plan = json::parse(out, nullptr, false);
  ASSERT_TRUE(plan.is_object()) << out;
  EXPECT_EQ(plan["dry_run"], true);

  EXPECT_EQ(BegunActions(state), std::vector<std::string>{}) << "something was journaled as begun";
  EXPECT_EQ(Incarnations(sb_), before) << "a node was started or stopped";
  int64_t still = 0;
  EXPECT_TRUE(sb_.WaitForHalt(0, 1s, 5s, &still))
      << "the halted shard moved: someone started nodes";
}

// Issue 11 item 8: SIGHUP and then SIGINT while recover is stopping a shard. The restart in
// flight finishes (every node started again), the run exits 130 and says how to finish.
TEST_F(RecoverSandbox, SignalsDuringTheStopPhaseLeaveNoNodeStoppedAndPrintTheNextCommand) {
  SandboxOptions opt;
  opt.nodes = 4;
  ASSERT_NO_FATAL_FAILURE(Up(opt));
  ExpectTwoSignalsMidStopFinishTheStep(sb_, {"recover", "-i", sb_.inventory_path(), "--force"},
                                       "Finish with: shardctl recover -i ");
}

}  // namespace
}  // namespace shardctl::testing
