#include "model/ssh_config.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <string>
#include <utility>
#include <vector>

#include "model/inventory.h"
#include "model/key_files.h"
#include "model/ssh_resolve.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

using nlohmann::json;

TEST(SshConfigTest, FirstMatchingValueWinsAndPatternsNegate) {
  auto cfg = SshConfig::Parse(R"(
# comment
Host val-* !val-9
  HostName 10.1.%h
  User=validator
  Port 2222
  IdentityFile ~/.ssh/val
  IdentityFile ~/.ssh/second
Host *
  User fallback
  Port 22
  UserKnownHostsFile "/etc/kh %h"
  ProxyJump ops@bastion:2200
  ConnectTimeout 7
  ServerAliveInterval 30
  StrictHostKeyChecking no
)",
                              "cfg");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  SshConfigEntry a = cfg->Lookup("val-1");
  EXPECT_EQ(a.hostname, "10.1.val-1");
  EXPECT_EQ(a.user, "validator");
  EXPECT_EQ(a.port, 2222);
  EXPECT_EQ(a.identity_file, "~/.ssh/val");  // tokens and ~ expand in ResolveSsh
  EXPECT_EQ(a.known_hosts, "/etc/kh %h");
  EXPECT_EQ(a.proxy_jump, "ops@bastion:2200");
  EXPECT_EQ(a.connect_timeout_s, 7);
  EXPECT_EQ(a.server_alive_interval_s, 30);
  SshConfigEntry negated = cfg->Lookup("val-9");
  EXPECT_FALSE(negated.hostname.has_value());
  EXPECT_EQ(negated.user, "fallback");
}

TEST(SshConfigTest, IncludeAndMatchAllApplyOtherMatchBlocksDoNot) {
  testing::TempDir dir;
  dir.WriteFile("extra.conf", "Host inc\n  User from-include\n");
  auto cfg = SshConfig::Parse("Include " + dir.path() +
                                  "/*.conf\nMatch host x exec true\n  User never\n"
                                  "Match all\n  Port 2022\n",
                              "cfg");
  ASSERT_TRUE(cfg.ok()) << cfg.status().message();
  EXPECT_EQ(cfg->Lookup("inc").user, "from-include");
  EXPECT_FALSE(cfg->Lookup("x").user.has_value());
  EXPECT_EQ(cfg->Lookup("x").port, 2022);
}

TEST(SshConfigTest, BadValuesNameFileAndLine) {
  auto cfg = SshConfig::Parse("Host a\n  Port twenty\n", "/etc/cfg");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("/etc/cfg:2:"), std::string::npos);
  EXPECT_NE(cfg.status().message().find("twenty"), std::string::npos);
  // Found by fuzz_ssh_config: an empty quoted value or a huge number used to throw from stoi.
  for (const char* bad : {"Port \"\n", "Port 99999999999\n", "Port 0\n", "ConnectTimeout 1e3\n"}) {
    auto v = SshConfig::Parse(bad, "/etc/cfg");
    ASSERT_FALSE(v.ok()) << bad;
    EXPECT_NE(v.status().message().find("/etc/cfg:1: "), std::string::npos) << v.status().message();
  }
  auto missing = SshConfig::Load("/nonexistent/ssh_config");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("/nonexistent/ssh_config"), std::string::npos);
}

TEST(SshConfigTest, JumpSpecs) {
  auto j = ParseJumpSpec("ops@bastion.example:2200", "w");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->user, "ops");
  EXPECT_EQ(j->host, "bastion.example");
  EXPECT_EQ(j->port, 2200);
  auto bare = ParseJumpSpec("ssh://bastion", "w");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->port, 0);
  EXPECT_TRUE(bare->user.empty());
  EXPECT_FALSE(ParseJumpSpec("a,b", "w").ok());
  EXPECT_FALSE(ParseJumpSpec("host:99999", "w").ok());
  EXPECT_FALSE(ParseJumpSpec("bad host", "w").ok());
}

json Inv(const json& defaults_ssh, const json& node) {
  return {{"defaults", {{"ssh", defaults_ssh}}}, {"shards", {{{"id", 0}, {"nodes", {node}}}}}};
}

TEST(SshResolveTest, InventoryFieldsBeatTheConfigWhichFillsTheRest) {
  testing::TempDir dir;
  std::string cfg = dir.WriteFile("cfg",
                                  "Host v1\n  HostName 127.0.0.9\n  User cfguser\n  Port 2200\n"
                                  "  IdentityFile /k\n  UserKnownHostsFile /kh\n"
                                  "  ProxyJump jumper@b1:2201\n  ConnectTimeout 3\n"
                                  "Host b1\n  HostName 127.0.0.8\n  IdentityFile /bk\n");
  auto inv = ParseInventory(Inv({{"config", cfg}}, {{"name", "v1"}, {"host", "v1"}}), "i.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  ASSERT_TRUE(ResolveSsh(&*inv, "").ok());
  const SshTarget& t = inv->shards[0].nodes[0].ssh;
  EXPECT_EQ(t.host, "127.0.0.9");
  EXPECT_EQ(t.user, "cfguser");
  EXPECT_EQ(t.port, 2200);
  EXPECT_EQ(t.identity_file, "/k");
  EXPECT_EQ(t.known_hosts, "/kh");
  EXPECT_EQ(t.connect_timeout_ms, 3000);
  ASSERT_TRUE(t.via);
  EXPECT_EQ(t.via->host, "127.0.0.8");
  EXPECT_EQ(t.via->user, "jumper");
  EXPECT_EQ(t.via->port, 2201);
  EXPECT_EQ(t.via->identity_file, "/bk");
  EXPECT_EQ(t.via->known_hosts, "/kh");  // the node's, as the bastion's block names none
  EXPECT_EQ(inv->shards[0].nodes[0].vars.at("node.port"), "2200");

  auto over = ParseInventory(Inv({{"config", cfg}, {"user", "inv"}, {"port", 22}},
                                 {{"name", "v1"}, {"host", "v1"}, {"jump", "none"}}),
                             "i.json");
  ASSERT_TRUE(over.ok()) << over.status().message();
  ASSERT_TRUE(ResolveSsh(&*over, "").ok());
  const SshTarget& o = over->shards[0].nodes[0].ssh;
  EXPECT_EQ(o.user, "inv");
  EXPECT_EQ(o.port, 22);
  EXPECT_FALSE(o.via);
}

TEST(SshResolveTest, FlagConfigBeatsInventoryConfigAndShardJumpApplies) {
  testing::TempDir dir;
  std::string a = dir.WriteFile("a", "Host *\n  User from-a\n");
  std::string b = dir.WriteFile("b", "Host *\n  User from-b\n");
  json j = Inv({{"config", a}}, {{"name", "v1"}, {"host", "h"}});
  j["shards"][0]["ssh"] = {{"jump", "b:2222"}};
  auto inv = ParseInventory(j, "i.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  ASSERT_TRUE(ResolveSsh(&*inv, b).ok());
  const SshTarget& t = inv->shards[0].nodes[0].ssh;
  EXPECT_EQ(t.user, "from-b");
  ASSERT_TRUE(t.via);
  EXPECT_EQ(t.via->host, "b");
  EXPECT_EQ(t.via->port, 2222);
  EXPECT_EQ(t.via->user, "from-b");
  Status missing = ResolveSsh(&*inv, dir.path() + "/nope");
  EXPECT_FALSE(missing.ok());
  EXPECT_NE(missing.message().find("nope"), std::string::npos);
}

TEST(SshResolveTest, BadJumpInInventoryNamesThePath) {
  auto inv = ParseInventory(Inv(json::object(), {{"name", "v1"}, {"host", "h"}, {"jump", "a,b"}}),
                            "i.json");
  ASSERT_FALSE(inv.ok());
  EXPECT_NE(inv.status().message().find("i.json:/shards/0/nodes/0/jump"), std::string::npos)
      << inv.status().message();
}

// Issue 20: each file includes the next three times, ten deep: 3^10 reads without a total cap.
TEST(SshConfigHostileTest, IncludeFanOutStopsAtTheTotalCap) {
  testing::TempDir dir;
  for (int i = 0; i < 10; ++i) {
    std::string next = dir.path() + "/f" + std::to_string(i + 1);
    std::string body = "Host h" + std::to_string(i) + "\n  User u\n";
    for (int k = 0; k < 3 && i < 9; ++k) body += "Include " + next + "\n";
    dir.WriteFile("f" + std::to_string(i), body);
  }
  auto cfg = SshConfig::Load(dir.path() + "/f0");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find("files and directory entries looked at by Include in all"),
            std::string::npos)
      << cfg.status().message();
  // Found by fuzz_ssh_config: a glob over a big home read megabytes of files that are not
  // ssh_config; a config and its Includes hold at most 1 MiB in all.
  std::string big = dir.WriteFile("big", std::string(600 << 10, '#') + "\n");
  auto bytes = SshConfig::Parse("Include " + big + "\nInclude " + big + "\n", "b");
  ASSERT_FALSE(bytes.ok());
  EXPECT_NE(bytes.status().message().find("b:2: Include: more than 1048576 bytes of ssh_config"),
            std::string::npos)
      << bytes.status().message();
  auto glob = SshConfig::Parse("Include /*/*/*/*/*/*\n", "g");
  ASSERT_FALSE(glob.ok()) << "a glob over the whole disk stops at the cap";
  EXPECT_NE(glob.status().message().find("g:1: Include: more than"), std::string::npos)
      << glob.status().message();
}

TEST(SshConfigHostileTest, HostNameAndProxyJumpAreCheckedWhenRead) {
  for (const auto& [text, says] : std::vector<std::pair<std::string, std::string>>{
           {"Host a\n  HostName \"\"\n", "cfg:2: HostName expects a host name or IP address"},
           {"Host a\n  HostName %p.example\n", "cfg:2: HostName may use the tokens %h %% only"},
           {"Host a\n  ProxyJump a@b@c:99:1\n",
            "cfg:2: expected a jump host as [user@]host[:port], found \"a@b@c:99:1\""},
           {"Host a\n  ProxyJump ops@[::1]:x\n", "cfg:2: expected a jump host"},
           {"Host a\n  IdentityFile ~/.ssh/%C\n", "cfg:2: IdentityFile may use the tokens"}}) {
    auto cfg = SshConfig::Parse(text, "cfg");
    ASSERT_FALSE(cfg.ok()) << text;
    EXPECT_NE(cfg.status().message().find(says), std::string::npos) << cfg.status().message();
  }
  auto v6 = ParseJumpSpec("ops@[::1]:2222", "w");
  ASSERT_TRUE(v6.ok()) << v6.status().message();
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 2222);
}

TEST(SshConfigHostileTest, LinesThatAreNotSshConfigAreNeverEchoed) {
  testing::TempDir dir;
  std::string shadow = dir.WriteFile("shadow", "root:$6$s3cr3tHash$abc:19000:0:99999:7:::\n");
  auto cfg = SshConfig::Parse("Include " + shadow + "\n", "cfg");
  ASSERT_FALSE(cfg.ok());
  EXPECT_NE(cfg.status().message().find(shadow + ":1: not an ssh_config line"), std::string::npos)
      << cfg.status().message();
  EXPECT_EQ(cfg.status().message().find("s3cr3t"), std::string::npos) << cfg.status().message();
}

TEST(SshResolveHostileTest, ANodeWhoseOnlyRouteIsAProxyCommandIsRefused) {
  testing::TempDir dir;
  std::string cfg = dir.WriteFile("cfg",
                                  "Host v1\n  ProxyCommand ssh -W %h:%p bastion\n"
                                  "Host v2\n  ProxyCommand none\n"
                                  "Host v3\n  ProxyJump b:2222\n  ProxyCommand nc %h %p\n");
  auto inv = ParseInventory(Inv({{"config", cfg}}, {{"name", "v1"}, {"host", "v1"}}), "i.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  Status st = ResolveSsh(&*inv, "");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.message().find("i.json: node \"v1\": " + cfg + ":2: ProxyCommand is never run"),
            std::string::npos)
      << st.message();
  auto own = ParseInventory(Inv({{"config", cfg}}, {{"name", "v1"}, {"host", "v1"}, {"jump", "j"}}),
                            "i.json");
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(ResolveSsh(&*own, "").ok()) << "the inventory's jump is the route";
  for (const char* host : {"v2", "v3"}) {
    auto ok = ParseInventory(Inv({{"config", cfg}}, {{"name", "n"}, {"host", host}}), "i.json");
    ASSERT_TRUE(ok.ok());
    ASSERT_TRUE(ResolveSsh(&*ok, "").ok()) << host;
    EXPECT_EQ(ok->shards[0].nodes[0].ssh.via != nullptr, std::string(host) == "v3") << host;
  }
}

TEST(SshResolveHostileTest, MatchExecIsReportedAndTokensUseTheEffectiveUserAndPort) {
  testing::TempDir dir;
  std::string cfg = dir.WriteFile("cfg",
                                  "Match exec \"test -e /tmp/x\"\n  User never\n"
                                  "Host v1\n  HostName %h.internal\n  IdentityFile /keys/%r@%h:%p\n"
                                  "  UserKnownHostsFile /kh/%n-%p-%r\n");
  auto inv = ParseInventory(
      Inv({{"config", cfg}, {"user", "inv"}, {"port", 2201}}, {{"name", "v1"}, {"host", "v1"}}),
      "i.json");
  ASSERT_TRUE(inv.ok()) << inv.status().message();
  std::vector<std::string> warnings;
  ASSERT_TRUE(ResolveSsh(&*inv, "", &warnings).ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find(cfg + ":1: Match exec is never run"), std::string::npos)
      << warnings[0];
  const SshTarget& t = inv->shards[0].nodes[0].ssh;
  EXPECT_EQ(t.host, "v1.internal");
  EXPECT_EQ(t.identity_file, "/keys/inv@v1.internal:2201");
  EXPECT_EQ(t.known_hosts, "/kh/v1-2201-inv");
}

TEST(SshResolveHostileTest, KeyFilesThatAreNotRegularFilesAreRefusedBeforeConnecting) {
  testing::TempDir dir;
  std::string fifo = dir.path() + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  for (const char* field : {"identity_file", "known_hosts"}) {
    auto inv = ParseInventory(Inv({{field, fifo}}, {{"name", "v1"}, {"host", "v1"}}), "i.json");
    ASSERT_TRUE(inv.ok()) << inv.status().message();
    Status st = CheckKeyFiles(*inv);
    ASSERT_FALSE(st.ok()) << field;
    EXPECT_NE(st.message().find("i.json: node \"v1\": "), std::string::npos) << st.message();
    EXPECT_NE(st.message().find(fifo + ": is a FIFO; expected a regular file"), std::string::npos)
        << st.message();
  }
  auto missing = ParseInventory(
      Inv({{"identity_file", dir.path() + "/none"}}, {{"name", "v1"}, {"host", "v1"}}), "i.json");
  ASSERT_TRUE(missing.ok());
  EXPECT_TRUE(CheckKeyFiles(*missing).ok()) << "a missing key is the connection's to report";
  json etcd = Inv(json::object(), {{"name", "v1"}, {"host", "v1"}});
  etcd["lock"] = {{"etcd", {{"endpoints", {"https://127.0.0.1:1"}}, {"ca", fifo}}}};
  auto tls = ParseInventory(etcd, "e.json");
  ASSERT_TRUE(tls.ok()) << tls.status().message();
  Status ca = CheckKeyFiles(*tls);
  EXPECT_NE(ca.message().find("e.json: lock.etcd.ca " + fifo + ": is a FIFO"), std::string::npos)
      << ca.message();
}

}  // namespace
}  // namespace shardctl
