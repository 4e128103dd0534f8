// `shardctl rolling-restart`, `resume` and the maintenance window end to end: the real binary
// against the loopback sandbox, watched from outside by a HeightMonitor that polls every node's
// block number. Scenarios: 4 shards x 7 unequal-power nodes restarted with every shard committing
// throughout and every node restarted exactly once; kill -9 mid-run then resume, touching no node
// twice; a run outside the window refused, and the override journaled.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "support/height_monitor.h"
#include "support/run_checks.h"
#include "support/sandbox_fixture.h"
#include "support/shardctl_cli.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

class RollingSandbox : public SandboxTest {};

TEST_F(RollingSandbox, FourShardsOfSevenKeepCommittingAndEveryNodeRestartsOnce) {
  SandboxOptions opt;
  opt.shards = 4;
  opt.nodes = 7;
  opt.voting_power = {1, 1, 1, 2, 1, 1, 2};  // total 9, quorum 7: 2 power may be down at once
  std::string out;
  ASSERT_NO_FATAL_FAILURE(Up(opt));
  const auto before = NodeStartCounts(sb_);
  const std::string state = sb_.dir() + "/state", stderr_file = sb_.dir() + "/rolling.stderr";
  const std::string report_md = sb_.dir() + "/rolling.md";

  // Each node every 100 ms, at its own phase: a shard's rise is seen well within the 150 ms of
  // slack below, and 28 nodes cost 280 requests a second, not 560.
  HeightMonitor monitor(sb_.nodes(), 100ms);
  const auto t0 = std::chrono::steady_clock::now();
  int rc =
      Shardctl({"rolling-restart", "-i", sb_.inventory_path(), "-p", ShippedPlaybook("sandbox"),
                "--yes", "-o", "json", "--state-dir", state, "--report", report_md},
               stderr_file, &out, 400);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  monitor.Stop();
  ASSERT_EQ(rc, 0) << out << "\nstderr:\n" << ReadFile(stderr_file);
  std::cout << "rolling-restart of 4x7: " << wall << " s wall\n";

  json report = FinalReport(out);
  ASSERT_TRUE(report.is_object()) << out;
  EXPECT_EQ(report["all_done"], true) << report.dump(2);
  ASSERT_EQ(report["shards"].size(), 4u);
  ExpectStartedExactly(sb_, before, 1);
  std::vector<json> journal = JournalLines(state);
  for (const SandboxNode& n : sb_.nodes()) {
    EXPECT_TRUE(sb_.IsRunning(n.name)) << n.name;
    EXPECT_EQ(CountJournal(journal, StepName(Step::kNode), "done")[n.name], 1) << n.name;
    EXPECT_EQ(CountJournal(journal, "stop", "begin")[n.name], 1) << n.name;
    EXPECT_EQ(CountJournal(journal, "start", "begin")[n.name], 1) << n.name;
  }

  // Stalls, as seen from outside: never more than 3 block times while a non-leader was down;
  // while the leader restarted, one phase timeout plus one view change (2 s) at most.
  for (const json& s : report["shards"]) {
    EXPECT_EQ(s["verdict"], "healthy") << s.dump(2);
    ExpectNoLongStall(s, journal, monitor);
  }
  EXPECT_NE(ReadFile(report_md).find("every selected node restarted"), std::string::npos)
      << ReadFile(report_md);
}

TEST_F(RollingSandbox, KillNineMidRunThenResumeRestartsNoNodeTwice) {
  SandboxOptions opt;
  opt.nodes = 7;
  std::string out;
  ASSERT_NO_FATAL_FAILURE(Up(opt));
  const auto before = NodeStartCounts(sb_);
  const std::string state = sb_.dir() + "/state", stderr_file = sb_.dir() + "/rolling.stderr";
  const std::string pid_file = sb_.dir() + "/shardctl.pid";

  // The run to kill: shardctl itself is the process (exec), so kill -9 hits it, not a wrapper.
  std::thread run([&] {
    RunCommand({"sh", "-c",
                "echo $$ > '" + pid_file + "'; exec \"$0\" \"$@\" </dev/null >/dev/null 2>>'" +
                    stderr_file + "'",
                ShardctlBin(), "rolling-restart", "-i", sb_.inventory_path(), "-p",
                ShippedPlaybook("sandbox"), "--yes", "--state-dir", state});
  });
  // While the first run holds the network, a second run is refused, naming the holder. This is
  // checked before the victim is chosen: the refusal may take seconds on a loaded machine, and the
  // node in flight must still be in flight when the kill comes.
  bool holding = WaitFor([&] { return !JournalLines(state).empty(); }, 60s, 20ms);
  if (holding) {
    std::string second_err = sb_.dir() + "/second.stderr";
    EXPECT_EQ(Shardctl({"rolling-restart", "-i", sb_.inventory_path(), "-p",
                        ShippedPlaybook("sandbox"), "--yes", "--state-dir", state},
                       second_err, &out, 60),
              4);
    EXPECT_NE(ReadFile(second_err).find("is locked by run"), std::string::npos)
        << ReadFile(second_err);
  }
  // Kill it once one node is done and another, stopped since, is not reported done yet.
  auto in_flight = [&] { return StoppedSinceFirstDone(JournalLines(state), "ok"); };
  bool ready = holding && WaitFor([&] { return !in_flight().empty(); }, 120s, 20ms);
  int pid = std::atoi(ReadFile(pid_file).c_str());
  if (pid > 0) kill(pid, SIGKILL);  // also when the wait failed: never leave it running
  run.join();
  ASSERT_TRUE(ready) << "never saw a node done and another in flight:\n" << ReadFile(stderr_file);
  // Read again after the kill: what the journal says was in flight is what resume must re-assess.
  const std::set<std::string> victims = in_flight();
  ASSERT_FALSE(victims.empty()) << "the node in flight finished before the kill landed";
  const std::string victim = *victims.begin();
  std::cout << "killed shardctl with " << victim << " in flight\n";

  int rc = Shardctl({"resume", "--yes", "--state-dir", state, "-o", "json"}, stderr_file, &out);
  ASSERT_EQ(rc, 0) << out << "\nstderr:\n" << ReadFile(stderr_file);
  std::string said = ReadFile(stderr_file);
  EXPECT_NE(said.find("took over the lock"), std::string::npos) << said;
  json report = FinalReport(out);
  EXPECT_EQ(report["all_done"], true) << report.dump(2);

  ExpectStartedExactly(sb_, before, 1);
  std::vector<json> journal = JournalLines(state);
  auto resumed = CountJournal(journal, StepName(Step::kNode), "resume");
  EXPECT_EQ(resumed[victim], 1) << victim << " was in flight and must be re-assessed";
  for (const SandboxNode& n : sb_.nodes()) {
    EXPECT_EQ(CountJournal(journal, StepName(Step::kNode), "done")[n.name], 1) << n.name;
    // A stop the kill cut short is sent again (the node was found running); none confirmed twice.
    EXPECT_LE(CountJournal(journal, "stop", "ok")[n.name], 1) << n.name << " stopped twice";
    EXPECT_TRUE(sb_.IsRunning(n.name)) << n.name;
  }
  auto h = sb_.ShardHeight(0);
  ASSERT_TRUE(h);
  EXPECT_TRUE(sb_.WaitForShardHeight(0, *h + 3, 10s)) << "the shard does not commit after resume";
}

// A window that opened 22 hours ago and closed 21 hours ago (UTC), so it is closed now.
std::string ClosedWindowPlaybook(const TempDir& tmp) {
  std::time_t now = std::time(nullptr);
  auto hhmm = [](std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[8];
    std::strftime(buf, sizeof buf, "%H:%M", &tm);
    return std::string(buf);
  };
  json pb = json::parse(ReadFile(ShippedPlaybook("sandbox")));
  pb["window"] = {
      {"start", hhmm(now + 2 * 3600)}, {"end", hhmm(now + 3 * 3600)}, {"time_zone", "UTC"}};
  return tmp.WriteFile("windowed.json", pb.dump(2));
}

TEST_F(RollingSandbox, OutsideTheWindowIsRefusedUnlessOverriddenAndJournaled) {
  SandboxOptions opt;
  opt.nodes = 4;
  std::string out;
  ASSERT_NO_FATAL_FAILURE(Up(opt));
  TempDir tmp;
  const std::string pb = ClosedWindowPlaybook(tmp);
  const std::string state = sb_.dir() + "/state", stderr_file = sb_.dir() + "/rolling.stderr";
  const auto before = NodeStartCounts(sb_);

  EXPECT_EQ(Shardctl({"rolling-restart", "-i", sb_.inventory_path(), "-p", pb, "--yes",
                      "--state-dir", state},
                     stderr_file, &out, 60),
            2);
  std::string said = ReadFile(stderr_file);
  EXPECT_NE(said.find("outside the maintenance window"), std::string::npos) << said;
  EXPECT_NE(said.find("--override-window"), std::string::npos) << said;
  EXPECT_TRUE(JournalLines(state).empty()) << "a refused run journaled something";
  ExpectStartedExactly(sb_, before, 0);

  ASSERT_EQ(Shardctl({"rolling-restart", "-i", sb_.inventory_path(), "-p", pb, "--yes",
                      "--state-dir", state, "--node", "s0-n1", "--override-window",
                      "game day, approved by the on-call lead"},
                     stderr_file, &out, 120),
            0)
      << out << ReadFile(stderr_file);
  bool journaled = false;
  for (const json& j : JournalLines(state)) {
    journaled = journaled || (j["step"] == "run" && j["outcome"] == "window-override" &&
                              j["detail"].get<std::string>().find("approved by the on-call") !=
                                  std::string::npos);
  }
  EXPECT_TRUE(journaled) << "the override and its reason must be journaled";
  auto after = NodeStartCounts(sb_);
  for (const auto& [name, count] : after) {
    EXPECT_EQ(count - before.at(name), name == "s0-n1" ? 1 : 0) << name;
  }

  // recover is an emergency: allowed outside the window, and the journal says it ran outside.
  ASSERT_EQ(Shardctl({"recover", "-i", sb_.inventory_path(), "-p", pb, "--yes", "--state-dir",
                      state + "-recover"},
                     stderr_file, &out, 120),
            0)
      << out << ReadFile(stderr_file);
  bool outside = false;
  for (const json& j : JournalLines(state + "-recover")) {
    outside = outside || (j["step"] == "run" && j["outcome"] == "outside-window");
  }
  EXPECT_TRUE(outside) << "recover outside the window must be journaled as such";
}

// Issue 11 item 8: SIGHUP and then SIGINT while a wave is stopping its node. The wave finishes
// (its node started again), the run exits 130 and prints the command that resumes it.
TEST_F(RollingSandbox, SignalsMidWaveFinishTheWaveAndPrintTheResumeCommand) {
  SandboxOptions opt;
  opt.nodes = 4;
  ASSERT_NO_FATAL_FAILURE(Up(opt));
  ExpectTwoSignalsMidStopFinishTheStep(sb_, {"rolling-restart", "-i", sb_.inventory_path()},
                                       "Continue with: shardctl resume ");
}

}  // namespace
}  // namespace shardctl::testing
