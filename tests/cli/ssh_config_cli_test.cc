// shardctl exec with ssh_config and a bastion (ProxyJump), against real loopback sshds.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "support/sshd_fixture.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using nlohmann::json;

// An inventory of n nodes named and addressed "node-<i>" only, in two shards.
std::string NamesOnlyInventory(const TempDir& dir, int n) {
  json inv = {{"network", "ssh-config-test"}};
  for (int s = 0; s < 2; ++s) {
    json nodes = json::array();
    for (int i = s; i < n; i += 2) {
      nodes.push_back({{"name", "n" + std::to_string(i)}, {"host", "node-" + std::to_string(i)}});
    }
    inv["shards"].push_back({{"id", s}, {"nodes", nodes}});
  }
  return dir.WriteFile("inv.json", inv.dump(2));
}

// A Host block sending node-* to sshd with its key and the given known_hosts.
std::string NodeBlock(const LocalSshd& sshd, const std::string& known_hosts) {
  return "Host node-*\n  HostName 127.0.0.1\n  Port " + std::to_string(sshd.port()) +
         "\n  User root\n  IdentityFile " + sshd.identity_file() + "\n  UserKnownHostsFile " +
         known_hosts + "\n  ConnectTimeout 20\n";
}

TEST(SshConfigCliTest, InventoryOfNamesAndHostsRunsExecWithEverythingElseFromTheConfig) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  const TempDir& dir = sshd.temp();
  std::string cfg = dir.WriteFile("ssh_config", NodeBlock(sshd, sshd.known_hosts()));
  std::string inv = NamesOnlyInventory(dir, 4);
  std::string out;
  ASSERT_EQ(
      RunCommand({ShardctlBin(), "exec", "-i", inv, "-F", cfg, "--", "echo", "via-config"}, &out),
      0)
      << out;
  EXPECT_NE(out.find("4 nodes: 4 ok, 0 failed"), std::string::npos) << out;
  EXPECT_NE(out.find("via-config"), std::string::npos) << out;
}

TEST(SshConfigCliTest, StrictHostKeyCheckingNoInTheConfigStillRefusesAnUnknownKey) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  const TempDir& dir = sshd.temp();
  std::string empty_kh = dir.WriteFile("empty_known_hosts", "");
  std::string cfg = dir.WriteFile("ssh_config", NodeBlock(sshd, empty_kh) +
                                                    "  StrictHostKeyChecking no\n"
                                                    "Host *\n  StrictHostKeyChecking no\n");
  std::string inv = NamesOnlyInventory(dir, 2);
  std::string out;
  ASSERT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv, "-F", cfg, "--", "true"}, &out), 1)
      << out;
  EXPECT_NE(out.find("is not known"), std::string::npos) << out;
  EXPECT_NE(out.find("SHA256:"), std::string::npos) << out;
  EXPECT_EQ(ReadFile(empty_kh), "");  // nothing was recorded either
}

TEST(SshConfigCliTest, ProxyJumpReachesSixtyFourNodesOverOneBastionSession) {
  LocalSshd bastion("INFO");
  ASSERT_TRUE(bastion.ok()) << bastion.error();
  LocalSshd target;
  ASSERT_TRUE(target.ok()) << target.error();
  const TempDir& dir = target.temp();
  // One known_hosts file vouching for both servers; the bastion's block names no file of its
  // own, so it falls back to the node's.
  std::string kh = dir.WriteFile("known_hosts",
                                 ReadFile(bastion.known_hosts()) + ReadFile(target.known_hosts()));
  std::string cfg = dir.WriteFile(
      "ssh_config", NodeBlock(target, kh) + "  ProxyJump root@jumphost:" +
                        std::to_string(bastion.port()) + "\nHost jumphost\n  HostName 127.0.0.1\n" +
                        "  IdentityFile " + bastion.identity_file() + "\n");
  std::string inv = NamesOnlyInventory(dir, 64);
  ASSERT_EQ(bastion.AcceptedLogins(), 0);
  std::string out;
  ASSERT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv, "-F", cfg, "-o", "json", "--", "echo",
                        "behind-bastion"},
                       &out),
            0)
      << out;
  int ok = 0;
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    json j = json::parse(line, nullptr, false);
    if (j.is_object() && j.value("stdout", "") == "behind-bastion\n") ++ok;
  }
  EXPECT_EQ(ok, 64) << out;
  EXPECT_EQ(bastion.AcceptedLogins(), 1) << ReadFile(bastion.dir() + "/sshd.log");
}

TEST(SshConfigCliTest, UnreachableBastionFailsEveryNodeBehindItWithThatReason) {
  LocalSshd target;
  ASSERT_TRUE(target.ok()) << target.error();
  const TempDir& dir = target.temp();
  int closed_port = FreePort();
  std::string cfg = dir.WriteFile(
      "ssh_config", NodeBlock(target, target.known_hosts()) +
                        "  ProxyJump 127.0.0.1:" + std::to_string(closed_port) + "\n");
  std::string inv = NamesOnlyInventory(dir, 4);
  std::string out;
  ASSERT_EQ(RunCommand({ShardctlBin(), "exec", "-i", inv, "-F", cfg, "--", "true"}, &out), 1)
      << out;
  EXPECT_NE(out.find("4 nodes: 0 ok, 4 failed"), std::string::npos) << out;
  EXPECT_NE(out.find("bastion root@[127.0.0.1]:" + std::to_string(closed_port)), std::string::npos)
      << out;
}

}  // namespace
}  // namespace shardctl::testing
