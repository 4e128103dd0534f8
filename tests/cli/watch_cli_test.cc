// `shardctl watch` refusals and controls, end to end with the binary: everything here happens
// before any node is reached, so no sshd is needed.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/playbook_json.h"
#include "support/shardctl_cli.h"
#include "support/test_util.h"
#include "support/watch_fixture.h"

namespace shardctl::testing {
namespace {

using nlohmann::json;

class WatchCli : public ::testing::Test {
 protected:
  std::string Inventory() const { return SourceDir() + "/inventory/harmony-mainnet.json"; }
  std::string Playbook() const { return ShippedPlaybook("harmony-recover"); }
  /// Runs shardctl; *err gets its stderr.
  int Run(const std::vector<std::string>& args, std::string* err) {
    std::string out, file = dir_.path() + "/stderr";
    int rc = Shardctl(args, file, &out, 60);
    *err = ReadFile(file) + out;
    return rc;
  }
  TempDir dir_;
};

TEST_F(WatchCli, RefusesWhatItMustNotStartOn) {
  std::string err;
  json no_gate = MinimalPlaybookJson();
  std::string pb = dir_.WriteFile("no-gate.json", no_gate.dump());
  EXPECT_EQ(Run({"watch", "-i", Inventory(), "-p", pb, "--state-dir", dir_.path()}, &err), 2);
  EXPECT_NE(err.find(pb + ":/gate: expected a gate section"), std::string::npos) << err;

  EXPECT_EQ(Run({"watch", "-i", Inventory(), "-p", Playbook(), "--shard", "9"}, &err), 2) << err;
  EXPECT_EQ(Run({"watch", "-i", Inventory(), "-p", Playbook(), "--node", "s0-*"}, &err), 2);
  EXPECT_NE(err.find("whole shards"), std::string::npos) << err;
  EXPECT_EQ(Run({"watch", "-i", Inventory(), "-p", Playbook(), "--act", "--dry-run"}, &err), 2);

  std::string policy = dir_.WriteFile("policy.json", R"({"for_s": "soon"})");
  EXPECT_EQ(Run({"watch", "-i", Inventory(), "-p", Playbook(), "--policy", policy}, &err), 2);
  EXPECT_NE(err.find(policy + ":/for_s: expected"), std::string::npos) << err;

  EXPECT_EQ(Run({"watch", "-i", Inventory(), "-p", Playbook(), "--state-dir", dir_.path(),
                 "--listen", ":0"},
                &err),
            2);
  EXPECT_NE(err.find("--token-file"), std::string::npos) << err;
  EXPECT_EQ(Run({"watch", "-i", Inventory(), "-p", Playbook(), "--alertmanager", "ftp://x"}, &err),
            2);
  EXPECT_NE(err.find("--alertmanager ftp://x: expected http(s)://"), std::string::npos) << err;
}

TEST_F(WatchCli, ControlsAreJournaledForEveryWatcherOfTheStateDir) {
  std::string err;
  EXPECT_EQ(Run({"watch", "pause", "-i", Inventory(), "--state-dir", dir_.path()}, &err), 2)
      << "a pause needs a reason";
  EXPECT_EQ(
      Run({"watch", "pause", "-i", Inventory(), "--state-dir", dir_.path(), "--reason", "freeze"},
          &err),
      0)
      << err;
  EXPECT_EQ(
      Run({"watch", "approve", "2", "--network", "harmony-mainnet", "--state-dir", dir_.path()},
          &err),
      0)
      << err;
  EXPECT_EQ(
      Run({"watch", "approve", "--network", "harmony-mainnet", "--state-dir", dir_.path()}, &err),
      2)
      << "approve needs a shard";
  EXPECT_EQ(Run({"watch", "resume", "--network", "../etc", "--state-dir", dir_.path()}, &err), 2);
  auto lines = WatchLines(dir_.path(), "harmony-mainnet");
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0]["event"], "pause");
  EXPECT_NE(lines[0]["detail"].get<std::string>().find("freeze (by "), std::string::npos);
  EXPECT_EQ(lines[1]["event"], "approve");
  EXPECT_EQ(lines[1]["shard"], 2);
  std::string md;
  EXPECT_EQ(
      Shardctl({"watch", "report", "-i", Inventory(), "--state-dir", dir_.path(), "--since", "2d"},
               dir_.path() + "/report.err", &md),
      0);
  EXPECT_NE(md.find("0 incident(s)"), std::string::npos) << md;
  EXPECT_NE(md.find("**pause**"), std::string::npos) << md;
  EXPECT_EQ(Run({"watch", "report", "-i", Inventory(), "--since", "soon"}, &err), 2);
}

}  // namespace
}  // namespace shardctl::testing
