// `shardctl upgrade` end to end on a 4 x 5 sandbox: the real binary, releases made by
// `tools/sandbox release` and served over loopback HTTP, the shards watched from outside by a
// HeightMonitor. A good release reaches every node once without stalling any shard, and
// `rollback RUN_ID` puts v1 back everywhere; a release that crashes on start fails its canary,
// which gets its previous binary back, and nothing else is touched; kill -9 mid-upgrade, then
// resume, upgrades no node twice.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "model/upgrade_policy.h"
#include "ops/upgrade/artifact.h"
#include "support/artifact_server.h"
#include "support/height_monitor.h"
#include "support/run_checks.h"
#include "support/sandbox_fixture.h"
#include "support/shardctl_cli.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using namespace std::chrono_literals;
using nlohmann::json;

std::string UpgradePlaybookPath() { return SourceDir() + "/playbooks/sandbox.json"; }

// A 4 x 5 sandbox (the fixture's) and a release of it, made by `tools/sandbox release`.
struct UpgradeBed {
  explicit UpgradeBed(Sandbox& s) : sb(s) {}

  Sandbox& sb;
  std::string release;  // path of the artifact
  std::string sha;
  std::string state;
  std::string err_file;

  bool Up(const std::string& version, bool crash, std::string* err) {
    SandboxOptions options;
    options.shards = 4;
    options.nodes = 5;
    if (!sb.Up(options, err)) return false;
    release = sb.dir() + "/release-" + version;
    std::vector<std::string> args = {"--version", version, "--out", release};
    if (crash) args.push_back("--crash-on-start");
    if (sb.Run("release", args, err) != 0) return false;
    sha = upgrade::Sha256Hex(ReadFile(release));
    state = sb.dir() + "/state";
    err_file = sb.dir() + "/upgrade.stderr";
    return true;
  }
  std::vector<std::string> Args(const std::string& artifact, const std::string& version) const {
    return {"upgrade",  "-i",   sb.inventory_path(), "-p",   UpgradePlaybookPath(), "--yes",
            "-o",       "json", "--state-dir",       state,  "--artifact",          artifact,
            "--sha256", sha,    "--version",         version};
  }
  std::string Version(const std::string& node) const {
    auto m = sb.Metadata(node);
    return m && (*m)["version"].is_string() ? (*m)["version"].get<std::string>() : "?";
  }
  // The node reports `version` ("validator-sim v2 (...)" runs v2).
  ::testing::AssertionResult Runs(const std::string& node, const std::string& version) const {
    std::string reported = Version(node);
    if (VersionMatches(reported, version)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure()
           << node << " reports \"" << reported << "\", not " << version;
  }
};

class UpgradeSandbox : public SandboxTest {};

TEST_F(UpgradeSandbox, GoodReleaseOverHttpReachesEveryNodeOnceThenRollbackRestoresV1) {
  UpgradeBed bed{sb_};
  std::string err, out;
  ASSERT_TRUE(bed.Up("v2", false, &err)) << err;
  ArtifactServer http;
  ASSERT_TRUE(http.ok());
  http.Serve("/v2", ReadFile(bed.release));
  const auto before = NodeStartCounts(bed.sb);

  HeightMonitor monitor(bed.sb.nodes(), 100ms);  // as in the rolling test
  const auto t0 = std::chrono::steady_clock::now();
  int rc = Shardctl(bed.Args(http.Url("/v2"), "v2"), bed.err_file, &out, 400);
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  monitor.Stop();
  ASSERT_EQ(rc, 0) << out << "\nstderr:\n" << ReadFile(bed.err_file);
  std::cout << "upgrade of 4x5: " << wall << " s wall\n";

  json report = FinalReport(out);
  ASSERT_TRUE(report.is_object()) << out;
  EXPECT_EQ(report["all_done"], true) << report.dump(2);
  ASSERT_EQ(report["shards"].size(), 4u);
  ExpectStartedExactly(bed.sb, before, 1);
  std::vector<json> journal = JournalLines(bed.state);
  for (const SandboxNode& n : bed.sb.nodes()) {
    EXPECT_TRUE(bed.Runs(n.name, "v2")) << n.name;
    EXPECT_EQ(CountJournal(journal, "stage", "ok")[n.name], 1) << n.name;
    EXPECT_EQ(CountJournal(journal, "swap", "ok")[n.name], 1) << n.name;
    EXPECT_EQ(CountJournal(journal, StepName(Step::kNode), "done")[n.name], 1) << n.name;
  }
  EXPECT_EQ(CountJournal(journal, "staging", "ok")[""], 1);
  EXPECT_EQ(CountJournal(journal, "soak", "ok")[""], 4) << "one soaked canary per shard";
  for (const json& s : report["shards"]) {
    EXPECT_EQ(s["verdict"], "healthy") << s.dump(2);
    ASSERT_GE(s["waves"].size(), 2u) << s.dump();
    EXPECT_EQ(s["waves"][0].size(), 1u) << "the canary goes alone: " << s.dump();
    EXPECT_NE(s["waves"][0][0], s["waves"].back()[0]) << "the canary is not the leader";
    ExpectNoLongStall(s, journal, monitor);
  }

  // (e) rollback RUN_ID: every node back on v1, once more each, in waves.
  const std::string run_id = report["run"].get<std::string>();
  rc = Shardctl({"rollback", run_id, "--yes", "--state-dir", bed.state, "-o", "json"}, bed.err_file,
                &out, 400);
  ASSERT_EQ(rc, 0) << out << "\nstderr:\n" << ReadFile(bed.err_file);
  EXPECT_EQ(FinalReport(out)["all_done"], true) << out;
  ExpectStartedExactly(bed.sb, before, 2);
  for (const SandboxNode& n : bed.sb.nodes()) EXPECT_TRUE(bed.Runs(n.name, "v1.0.0")) << n.name;
}

TEST_F(UpgradeSandbox, CrashingReleaseFailsTheCanaryWhichIsRolledBackAndNothingElseIsTouched) {
  UpgradeBed bed{sb_};
  std::string err, out;
  ASSERT_TRUE(bed.Up("v3", true, &err)) << err;
  const auto before = NodeStartCounts(bed.sb);
  std::vector<std::string> args = bed.Args(bed.release, "v3");
  const std::string report_md = bed.sb.dir() + "/upgrade.md";
  args.insert(args.end(), {"--report", report_md});

  int rc = Shardctl(args, bed.err_file, &out, 300);
  EXPECT_EQ(rc, 1) << out << "\nstderr:\n" << ReadFile(bed.err_file);
  json report = FinalReport(out);
  ASSERT_TRUE(report.is_object()) << out << ReadFile(bed.err_file);
  // The playbook runs 2 shards at once: each running shard's canary fails and is rolled back.
  std::set<std::string> failed, rolled_back, canaries;
  for (const json& s : report["shards"]) {
    if (!s["waves"].empty()) canaries.insert(s["waves"][0][0].get<std::string>());
    EXPECT_LE(s["waves"].size(), 1u) << "no wave after a failed canary: " << s.dump();
    for (const auto& [node, why] : s["failed"].items()) failed.insert(node);
    for (const auto& [node, how] : s["rolled_back"].items()) {
      rolled_back.insert(node);
      EXPECT_NE(how.get<std::string>().find("put back and in sync"), std::string::npos) << how;
    }
  }
  ASSERT_FALSE(failed.empty()) << report.dump(2);
  EXPECT_EQ(failed, canaries) << report.dump(2);
  EXPECT_EQ(rolled_back, failed) << report.dump(2);
  const std::string md = ReadFile(report_md);
  for (const std::string& c : canaries)
    EXPECT_NE(md.find("rolled back: " + c), std::string::npos) << md;

  // Each canary runs its previous binary again and is in sync; no other node was started.
  auto after = NodeStartCounts(bed.sb);
  for (const std::string& canary : canaries) {
    EXPECT_TRUE(bed.Runs(canary, "v1.0.0")) << canary;
    const int shard = bed.sb.node(canary).shard;
    EXPECT_TRUE(WaitFor(
        [&] {
          auto top = bed.sb.ShardHeight(shard);
          auto mine = bed.sb.Height(canary);
          return top && mine && *mine + 5 >= *top;
        },
        10s))
        << canary << " is not in sync after its rollback";
    EXPECT_EQ(after[canary] - before.at(canary), 2) << "its crashed start and its rollback";
  }
  for (const SandboxNode& n : bed.sb.nodes()) {
    if (canaries.count(n.name)) continue;
    EXPECT_EQ(after[n.name], before.at(n.name)) << n.name << " was touched";
    EXPECT_TRUE(bed.Runs(n.name, "v1.0.0")) << n.name;
  }
  std::vector<json> journal = JournalLines(bed.state);
  for (const std::string& c : canaries)
    EXPECT_EQ(CountJournal(journal, StepName(Step::kNode), "rolled-back")[c], 1) << c;
  EXPECT_EQ(CountJournal(journal, "stop", "begin").size(), canaries.size())
      << "only canaries were stopped";
}

TEST_F(UpgradeSandbox, KillNineMidUpgradeThenResumeUpgradesNoNodeTwice) {
  UpgradeBed bed{sb_};
  std::string err, out;
  ASSERT_TRUE(bed.Up("v2", false, &err)) << err;
  const auto before = NodeStartCounts(bed.sb);
  const std::string pid_file = bed.sb.dir() + "/shardctl.pid";
  std::vector<std::string> argv = {"sh", "-c",
                                   "echo $$ > '" + pid_file +
                                       "'; exec \"$0\" \"$@\" </dev/null >/dev/null 2>>'" +
                                       bed.err_file + "'",
                                   BinDir() + "/shardctl"};
  for (const std::string& a : bed.Args(bed.release, "v2")) argv.push_back(a);
  // shardctl itself is the process (exec), so kill -9 hits it, not a wrapper.
  std::thread run([&] { RunCommand(argv); });
  // Kill it once a node whose stop began after the first node was done (a wave's node, which
  // then waits for its gate; a canary still soaking may finish at any moment) is not done yet.
  auto in_flight = [&] { return StoppedSinceFirstDone(JournalLines(bed.state), "begin"); };
  bool ready = WaitFor([&] { return !in_flight().empty(); }, 180s, 20ms);
  int pid = std::atoi(ReadFile(pid_file).c_str());
  if (pid > 0) kill(pid, SIGKILL);  // also when the wait failed: never leave it running
  run.join();
  ASSERT_TRUE(ready) << "never saw a node done and another in flight:\n" << ReadFile(bed.err_file);
  const std::set<std::string> victims = in_flight();
  ASSERT_FALSE(victims.empty()) << "the node in flight finished before the kill landed";
  std::cout << "killed shardctl with " << *victims.begin() << " in flight\n";

  int rc = Shardctl({"resume", "--yes", "--state-dir", bed.state, "-o", "json"}, bed.err_file, &out,
                    400);
  ASSERT_EQ(rc, 0) << out << "\nstderr:\n" << ReadFile(bed.err_file);
  json report = FinalReport(out);
  EXPECT_EQ(report["all_done"], true) << report.dump(2);
  ExpectStartedExactly(bed.sb, before, 1);
  std::vector<json> journal = JournalLines(bed.state);
  EXPECT_EQ(CountJournal(journal, StepName(Step::kNode), "resume")[*victims.begin()], 1);
  for (const SandboxNode& n : bed.sb.nodes()) {
    EXPECT_TRUE(bed.Runs(n.name, "v2")) << n.name;
    EXPECT_EQ(CountJournal(journal, StepName(Step::kNode), "done")[n.name], 1) << n.name;
    // A stop the kill cut short is sent again (the node was found running); none confirmed twice.
    EXPECT_LE(CountJournal(journal, "stop", "ok")[n.name], 1) << n.name << " stopped twice";
  }
}

}  // namespace
}  // namespace shardctl::testing
