// The shardctl binary end to end: flags, exit codes, output formats, against a real sshd.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "run/journal_schema.h"
#include "run/run_lock.h"
#include "support/shardctl_cli.h"
#include "support/sshd_fixture.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using nlohmann::json;

// An inventory of n nodes (two shards) all reaching sshd.
std::string WriteInventory(const LocalSshd& sshd, int n, const std::string& known_hosts = "") {
  json inv = {{"network", "cli-test"},
              {"defaults",
               {{"ssh",
                 {{"user", "root"},
                  {"port", sshd.port()},
                  {"identity_file", sshd.identity_file()},
                  {"known_hosts", known_hosts.empty() ? sshd.known_hosts() : known_hosts}}}}}};
  for (int s = 0; s < 2; ++s) {
    json nodes = json::array();
    for (int i = s; i < n; i += 2) {
      nodes.push_back({{"name", "n" + std::to_string(i)}, {"host", "127.0.0.1"}});
    }
    if (!nodes.empty()) inv["shards"].push_back({{"id", s}, {"nodes", nodes}});
  }
  return sshd.temp().WriteFile("inv.json", inv.dump(2));
}

TEST(CliTest, ValidateExitCodes) {
  std::string out;
  EXPECT_EQ(
      RunCommand({ShardctlBin(), "validate", "-i", SourceDir() + "/inventory/harmony-mainnet.json"},
                 &out),
      0)
      << out;
  EXPECT_NE(out.find("4 shards, 20 nodes"), std::string::npos) << out;
  TempDir dir;
  std::string bad = dir.WriteFile("bad.json", R"({"shards":[{"id":0,"nodes":[{"name":"a"}]}]})");
  EXPECT_EQ(RunCommand({ShardctlBin(), "validate", "-i", bad}, &out), 2);
  EXPECT_NE(out.find(bad + ":/shards/0/nodes/0: missing \"host\""), std::string::npos) << out;
  EXPECT_EQ(RunCommand({ShardctlBin(), "validate"}, &out), 2);
  EXPECT_NE(out.find("--inventory"), std::string::npos) << out;
  EXPECT_EQ(RunCommand({ShardctlBin(), "no-such-command"}, &out), 2);
  EXPECT_EQ(RunCommand({ShardctlBin(), "exec", "--help"}, &out), 0);
  EXPECT_NE(out.find("Examples:"), std::string::npos);
}

TEST(CliTest, ExecGroupsIdenticalOutputAndExitsZero) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string inv = WriteInventory(sshd, 8);
  std::string out;
  ASSERT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv, "--", "echo", "same"}, &out), 0) << out;
  EXPECT_NE(out.find("n[0-7] (8)\n"), std::string::npos) << out;
  EXPECT_NE(out.find("8 nodes: 8 ok, 0 failed"), std::string::npos) << out;
}

TEST(CliTest, ExecJournalsWhatItSendsAndWarnsWhenARunHoldsTheNetwork) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string inv = WriteInventory(sshd, 3);
  TempDir state;
  LockHolder other{"run-other", 4242, "ops-1", "bob", "shardctl rolling-restart", 1};
  auto held = RunLock::Acquire(state.path(), "cli-test", other);
  ASSERT_TRUE(held.ok()) << held.status().message();
  std::string out;
  ASSERT_EQ(RunCommand(
                {ShardctlBin(), "exec", "-i", inv, "--state-dir", state.path(), "--", "echo", "hi"},
                &out),
            0)
      << out;
  EXPECT_NE(out.find("warning: network 'cli-test' is held by run run-other"), std::string::npos)
      << out;
  int begun = 0, ok = 0;
  for (const json& j : JournalLines(state.path())) {
    if (j["step"] != StepName(Step::kExec)) continue;
    begun += j["outcome"] == OutcomeName(Outcome::kBegin) && j["detail"] == "echo hi";
    ok += j["outcome"] == OutcomeName(Outcome::kOk);
  }
  EXPECT_EQ(begun, 3) << "every node's command journaled before it was sent";
  EXPECT_EQ(ok, 3);
}

TEST(CliTest, ExecReportsEachFailureWithItsReasonAndExitsOne) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string inv = WriteInventory(sshd, 4);
  std::string out;
  ASSERT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv, "--node", "n1", "--node", "n3", "--",
                        "echo oops >&2; exit 3"},
                       &out),
            1)
      << out;
  // The remote login shell's rc files may print to stderr first (pyenv on this machine).
  for (const char* node : {"n1: exit 3: ", "n3: exit 3: "}) {
    size_t at = out.find(node);
    ASSERT_NE(at, std::string::npos) << out;
    EXPECT_NE(out.find("oops", at), std::string::npos) << out;
  }
  ASSERT_EQ(
      RunCommand({ShardctlBin(), "exec", "-i", inv, "--shard", "0", "--", "kill -KILL $$"}, &out),
      1);
  EXPECT_NE(out.find("signal KILL"), std::string::npos) << out;
  ASSERT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv, "--node", "n0", "--timeout", "1", "--",
                        "sleep 30"},
                       &out),
            1);
  EXPECT_NE(out.find("n0: timed out"), std::string::npos) << out;
}

TEST(CliTest, ExecJsonIsOneObjectPerNode) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string inv = WriteInventory(sshd, 3);
  std::string out;
  ASSERT_EQ(
      RunCommand({ShardctlBin(), "exec", "-i", inv, "-o", "json", "--", "echo hi; echo e >&2"},
                 &out),
      0)
      << out;
  std::istringstream lines(out);
  std::string line;
  int count = 0;
  while (std::getline(lines, line)) {
    json j = json::parse(line);
    EXPECT_EQ(j["stdout"], "hi\n");
    EXPECT_EQ(j["stderr"], "e\n");
    EXPECT_EQ(j["exit_code"], 0);
    EXPECT_EQ(j["outcome"], "exited");
    ++count;
  }
  EXPECT_EQ(count, 3);
}

TEST(CliTest, ExecRefusesUnknownHostKeyUnlessAskedToAcceptNew) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string empty_kh = sshd.temp().WriteFile("empty_known_hosts", "");
  std::string inv = WriteInventory(sshd, 1, empty_kh);
  std::string out;
  ASSERT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv, "--", "true"}, &out), 1) << out;
  EXPECT_NE(out.find("SHA256:"), std::string::npos) << out;
  ASSERT_EQ(
      RunCommand({ShardctlBin(), "exec", "-i", inv, "--accept-new-host-keys", "--", "true"}, &out),
      0)
      << out;
  EXPECT_NE(ReadFile(empty_kh).find("ssh-ed25519"), std::string::npos);
  ASSERT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv, "--", "true"}, &out), 0) << out;
}

TEST(CliTest, ExecUsageErrorsTouchNothing) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string inv = WriteInventory(sshd, 2);
  std::string out;
  EXPECT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv}, &out), 2);
  EXPECT_NE(out.find("no command given"), std::string::npos) << out;
  EXPECT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv, "--shard", "9", "--", "true"}, &out), 2);
  EXPECT_NE(out.find("--shard 9: no such shard"), std::string::npos) << out;
}

}  // namespace
}  // namespace shardctl::testing
