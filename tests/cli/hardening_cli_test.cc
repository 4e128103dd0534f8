// Hostile use of the shardctl binary (issue 11): bad files and flags, node output that is not
// UTF-8 or holds terminal escapes, Ctrl-C under --watch, errors under -o json, a client killed
// while its remote command runs.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "support/shardctl_cli.h"
#include "support/sshd_fixture.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

std::string HardeningPlaybook() { return SourceDir() + "/playbooks/sandbox.json"; }

TEST(HardeningCliTest, BadFilesAreErrorsNotCrashes) {
  TempDir dir;
  std::string out;
  std::string overflow = dir.WriteFile("o.json", R"({"shards": [{"id": 1e400, "nodes": []}]})");
  EXPECT_EQ(ShardctlOutput(dir, {"validate", "-i", overflow}, &out), 2) << out;
  EXPECT_NE(out.find(overflow + ": not valid JSON: number overflow"), std::string::npos) << out;
  EXPECT_EQ(ShardctlOutput(dir, {"validate", "-i", "/dev/zero"}, &out, 20), 2) << out;
  EXPECT_NE(out.find("/dev/zero: is a character device"), std::string::npos) << out;
  std::string dup = dir.WriteFile("d.json", R"({"shards": [], "shards": []})");
  EXPECT_EQ(ShardctlOutput(dir, {"validate", "-i", dup}, &out), 2) << out;
  EXPECT_NE(out.find(dup + ":/shards: duplicate key"), std::string::npos) << out;
}

TEST(HardeningCliTest, NonsenseFlagsAreUsageErrorsNamingTheFlag) {
  TempDir dir;
  std::string inv = UnreachableInventory(dir), pb = HardeningPlaybook(), out;
  std::string state = dir.path() + "/state";
  std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"exec", "-i", inv, "--timeout", "0", "--", "true"}, "--timeout"},
      {{"exec", "-i", inv, "--timeout=-1", "--", "true"}, "--timeout"},
      {{"exec", "-i", inv, "--timeout", "nan", "--", "true"}, "--timeout"},
      {{"exec", "-i", inv, "--max-output=-1", "--", "true"}, "--max-output"},
      {{"exec", "-i", inv, "--connect-timeout", "inf", "--", "true"}, "--connect-timeout"},
      {{"exec", "-i", inv, "-j", "-3", "--", "true"}, "--jobs"},
      {{"status", "-i", inv, "-p", pb, "--interval", "0"}, "--interval"},
      {{"status", "-i", inv, "-p", pb, "--interval", "nan"}, "--interval"},
      {{"status", "-i", inv, "-p", pb, "--interval", "inf"}, "--interval"},
      {{"rolling-restart", "-i", inv, "-p", pb, "--yes", "--state-dir", state, "--override-window",
        ""},
       "--override-window"},
      {{"rolling-restart", "-i", inv, "-p", pb, "--yes", "--state-dir", state, "--failure-budget",
        "-1"},
       "--failure-budget"},
  };
  for (const auto& [args, flag] : cases) {
    EXPECT_EQ(ShardctlOutput(dir, args, &out), 2) << flag << ": " << out;
    EXPECT_NE(out.find("shardctl: " + flag), std::string::npos) << out;
  }
  // --report is checked before anything runs.
  EXPECT_EQ(ShardctlOutput(dir,
                           {"rolling-restart", "-i", inv, "-p", pb, "--yes", "--state-dir", state,
                            "--report", "/nonexistent/x.md"},
                           &out),
            2)
      << out;
  EXPECT_NE(out.find("/nonexistent/x.md"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(state + "/runs")) << "nothing may have run";
}

TEST(HardeningCliTest, WithoutHomeTheStateDirIsStillAbsolute) {
  TempDir dir;
  std::string out;
  std::vector<std::string> argv = {"env",
                                   "-u",
                                   "HOME",
                                   "-u",
                                   "XDG_STATE_HOME",
                                   "sh",
                                   "-c",
                                   "cd \"$1\" && exec \"$0\" resume 20990101T000000Z-000000 "
                                   "--yes </dev/null",
                                   BinDir() + "/shardctl",
                                   dir.path()};
  EXPECT_EQ(RunCommand(argv, &out), 2) << out;
  EXPECT_NE(out.find("no run 20990101T000000Z-000000 in /"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/.local")) << out;
}

TEST(HardeningCliTest, JsonOutputIsOneObjectPerLineErrorsIncluded) {
  TempDir dir;
  std::string inv = UnreachableInventory(dir), err = dir.path() + "/err.txt", out;
  // Errors: from a bad file and from a bad flag, each one JSON line on stderr.
  ASSERT_EQ(Shardctl({"plan", "-i", dir.path() + "/missing.json", "-p", HardeningPlaybook(), "-o",
                      "json"},
                     err, &out),
            2);
  EXPECT_EQ(out, "");
  json e = json::parse(ReadFile(err), nullptr, false);
  ASSERT_TRUE(e.is_object()) << ReadFile(err);
  EXPECT_EQ(e["event"], "error");
  EXPECT_NE(e["message"].get<std::string>().find("missing.json"), std::string::npos) << e;
  std::remove(err.c_str());
  ASSERT_EQ(Shardctl({"exec", "-i", inv, "-o", "json", "--timeout", "0", "--", "true"}, err, &out),
            2);
  e = json::parse(ReadFile(err), nullptr, false);
  ASSERT_TRUE(e.is_object()) << ReadFile(err);
  EXPECT_NE(e["message"].get<std::string>().find("--timeout"), std::string::npos) << e;
}

TEST(HardeningCliTest, StatusWatchExits130OnCtrlC) {
  TempDir dir;
  std::string inv = UnreachableInventory(dir), out_file = dir.path() + "/out.txt";
  ShardctlProcess p(
      {"status", "-i", inv, "-p", HardeningPlaybook(), "--watch", "--interval", "0.2"}, out_file);
  ASSERT_TRUE(WaitFor([&] { return ReadFile(out_file).find("shard") != std::string::npos; },
                      milliseconds(60000)))
      << ReadFile(out_file);
  p.Signal(SIGINT);
  EXPECT_EQ(p.Wait(milliseconds(30000)), 130) << ReadFile(out_file);
}

TEST(HardeningCliTest, NodeOutputCannotBreakJsonOrDriveTheTerminal) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string inv = SshdInventory(sshd), out;
  ASSERT_EQ(ShardctlOutput(sshd.temp(),
                           {"exec", "-i", inv, "-o", "json", "--",
                            "printf '\\377\\033[2J'; printf '\\351' >&2"},
                           &out),
            0)
      << out;
  json j = json::parse(out.substr(0, out.find('\n')), nullptr, false);
  ASSERT_TRUE(j.is_object()) << out;
  EXPECT_EQ(j["stdout"], "\xEF\xBF\xBD\x1b[2J");  // U+FFFD for the bad byte, ESC kept in JSON
  EXPECT_EQ(j["stderr"], "\xEF\xBF\xBD");
  // Text on a terminal: run under script(1) so stdout is a TTY.
  std::vector<std::string> argv = {"script", "-qec",
                                   BinDir() + "/shardctl exec -i " + inv +
                                       " -- \"printf 'a\\033]0;title\\007b'; exit 3\" </dev/null",
                                   "/dev/null"};
  RunCommand(argv, &out);
  EXPECT_EQ(out.find("\x1b]0;"), std::string::npos) << out;
  EXPECT_NE(out.find("a\\x1b]0;title\\x07b"), std::string::npos) << out;
}

TEST(HardeningCliTest, ACommandWhoseClientDiesIsKilledOnTheNode) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string inv = SshdInventory(sshd);
  const std::string marker = "sleep 1002." + std::to_string(getpid());  // unique to this test
  ShardctlProcess p({"exec", "-i", inv, "--timeout", "600", "--", marker},
                    sshd.temp().path() + "/out.txt");
  auto running = [&] { return RunCommand({"pgrep", "-f", "^" + marker}) == 0; };
  ASSERT_TRUE(WaitFor(running, milliseconds(30000)));
  p.Signal(SIGKILL);  // no chance to close anything: the connection just drops
  EXPECT_EQ(p.Wait(milliseconds(10000)), 128 + SIGKILL);
  EXPECT_TRUE(WaitFor([&] { return !running(); }, milliseconds(15000))) << "still on the node";
}

}  // namespace
}  // namespace shardctl::testing
