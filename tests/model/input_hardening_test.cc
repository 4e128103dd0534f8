// Hostile input files: overflowing numbers, duplicate keys, non-regular files, huge files, bad
// network names, NULs. Each must be an error naming the file (and JSON path), never a crash.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdint>
#include <nlohmann/json.hpp>

#include "base/read_file.h"
#include "base/text.h"
#include "base/work_budget.h"
#include "model/ansible_inventory.h"
#include "model/inventory.h"
#include "model/json_text.h"
#include "model/network_name.h"
#include "model/playbook.h"
#include "model/ssh_config.h"
#include "support/test_util.h"

namespace shardctl {
namespace {

constexpr const char* kHostileInventory = R"({"network": "NET", "shards": [{"id": 0, "nodes": [
  {"name": "s0-a", "host": "127.0.0.1", "port": PORT}]}]})";

std::string InventoryText(const std::string& network, const std::string& port) {
  std::string s = kHostileInventory;
  s.replace(s.find("NET"), 3, network);
  s.replace(s.find("PORT"), 4, port);
  return s;
}

TEST(ParseDecimalTest, TakesOnlyWholeNumbersInRangeAndNeverThrows) {
  EXPECT_EQ(ParseDecimal("22", 1, 65535), 22);
  EXPECT_EQ(ParseDecimal("0", 0, 0), 0);
  EXPECT_EQ(ParseDecimal("9223372036854775807", 0, INT64_MAX), INT64_MAX);
  for (const char* bad : {"", " 22", "22 ", "+22", "-1", "0x16", "2.5", "65536", "0",
                          "99999999999999999999999", "22abc"}) {
    EXPECT_FALSE(ParseDecimal(bad, 1, 65535)) << "\"" << bad << "\"";
  }
}

std::string InventoryLoadError(const std::string& path) {
  auto inv = LoadInventory(path);
  return inv.ok() ? "ok" : inv.status().message();
}

TEST(InputHardeningTest, NumberOverflowIsAnErrorNamingTheFile) {
  testing::TempDir dir;
  std::string path = dir.WriteFile("inv.json", InventoryText("t", "1e400"));
  std::string e = InventoryLoadError(path);
  EXPECT_NE(e.find(path + ": not valid JSON: number overflow"), std::string::npos) << e;
  auto pb = LoadPlaybook(dir.WriteFile("pb.json", R"({"timeouts": {"command_s": 1e400}})"));
  ASSERT_FALSE(pb.ok());
  EXPECT_NE(pb.status().message().find("number overflow"), std::string::npos);
}

TEST(InputHardeningTest, DuplicateKeysAreRejectedWithTheirPath) {
  auto r = ParseJsonText(R"({"a": [1, {"stop": "x", "stop": "y"}]})", "pb.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "pb.json:/a/1/stop: duplicate key");
  auto top = ParseJsonText(R"({"x~/": 1, "x~/": 2})", "f");
  ASSERT_FALSE(top.ok());
  EXPECT_EQ(top.status().message(), "f:/x~0~1: duplicate key");
  EXPECT_TRUE(ParseJsonText(R"([{"a": 1}, {"a": 2}])", "f").ok()) << "same key, other objects";
}

TEST(InputHardeningTest, DeepNestingAndNulAreRejected) {
  std::string deep(1000, '[');
  EXPECT_FALSE(ParseJsonText(deep + std::string(1000, ']'), "f").ok());
  EXPECT_TRUE(ParseJsonText(R"({"v": "a\u0000b"})", "j").ok()) << "journals keep NULs";
  auto nul = ParseJsonText(R"({"vars": {"v": "a\u0000b"}})", "inv.json", /*reject_nul=*/true);
  ASSERT_FALSE(nul.ok());
  EXPECT_EQ(nul.status().message().rfind("inv.json:/vars/v: a NUL character", 0), 0u)
      << nul.status().message();
}

TEST(InputHardeningTest, OnlyRegularFilesAreRead) {
  testing::TempDir dir;
  std::string e = InventoryLoadError(dir.path());
  EXPECT_NE(e.find("is a directory; expected a regular file"), std::string::npos) << e;
  std::string fifo = dir.path() + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  e = InventoryLoadError(fifo);  // must not block waiting for a writer
  EXPECT_NE(e.find("is a FIFO"), std::string::npos) << e;
  e = InventoryLoadError("/dev/zero");
  EXPECT_NE(e.find("is a character device"), std::string::npos) << e;
  EXPECT_EQ(ReadRegularFile(dir.path() + "/missing").status().code(), Status::Code::kNotFound);
  auto ansible = ReadAnsibleFile("/dev/zero");  // inventory import reads through the same edge
  ASSERT_FALSE(ansible.ok());
  EXPECT_NE(ansible.status().message().find("is a character device"), std::string::npos);
  auto ssh = SshConfig::Load("/dev/zero");  // so does -F
  ASSERT_FALSE(ssh.ok());
  EXPECT_NE(ssh.status().message().find("is a character device"), std::string::npos);
}

TEST(InputHardeningTest, FilesOverTheLimitAreRefused) {
  testing::TempDir dir;
  std::string path = dir.WriteFile("big.json", std::string(2000, ' ') + "{}");
  auto small = ReadRegularFile(path, 1000);
  ASSERT_FALSE(small.ok());
  EXPECT_NE(small.status().message().find("limit for input files"), std::string::npos);
  EXPECT_TRUE(ReadRegularFile(path, 4000).ok());
  // A sparse 17 MiB file: the default limit applies to inventories.
  int fd = open((dir.path() + "/huge.json").c_str(), O_WRONLY | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(ftruncate(fd, off_t{17} << 20), 0);
  close(fd);
  std::string e = InventoryLoadError(dir.path() + "/huge.json");
  EXPECT_NE(e.find("larger than the 16 MiB limit"), std::string::npos) << e;
}

TEST(InputHardeningTest, NetworkMustBeAPlainName) {
  testing::TempDir dir;
  for (std::string bad : {std::string("../../../../tmp/x"), std::string("a\\nb"),
                          std::string(5000, 'n'), std::string(".hidden"), std::string("a/b")}) {
    std::string e = InventoryLoadError(dir.WriteFile("inv.json", InventoryText(bad, "22")));
    EXPECT_NE(e.find("inv.json:/network: a network name is 1 to 64"), std::string::npos) << e;
  }
  EXPECT_EQ(InventoryLoadError(dir.WriteFile("inv.json", InventoryText("main-net_1.x", "22"))),
            "ok");
  EXPECT_TRUE(CheckNetworkName("harmony-mainnet").ok());
  EXPECT_FALSE(CheckNetworkName("").ok());
  EXPECT_FALSE(CheckNetworkName(std::string("a\0b", 3)).ok());
}

// Issue 20: a var the inventory cannot own (node.*, shard.*, network) is refused, not shadowed.
TEST(InputHardeningTest, VarsNamedLikeShardctlsOwnAreRefused) {
  for (const char* key : {"node.name", "shard.id", "node.host", "network"}) {
    nlohmann::json j = nlohmann::json::parse(InventoryText("n", "22"));
    j["shards"][0]["nodes"][0]["vars"] = {{key, "evil"}};
    auto inv = ParseInventory(j, "v.json");
    ASSERT_FALSE(inv.ok()) << key;
    EXPECT_NE(inv.status().message().find("v.json:/shards/0/nodes/0/vars/" + std::string(key) +
                                          ": variable \"" + key + "\" is set by shardctl itself"),
              std::string::npos)
        << inv.status().message();
  }
}

TEST(InputHardeningTest, AHostIsANameOrAnAddressNeverAPort) {
  for (const char* bad : {"[::1]:22", "10.0.0.1:22", "a b", "-oProxyCommand=x", "user@host", ""}) {
    nlohmann::json j = nlohmann::json::parse(InventoryText("n", "22"));
    j["shards"][0]["nodes"][0]["host"] = bad;
    auto inv = ParseInventory(j, "h.json");
    ASSERT_FALSE(inv.ok()) << bad;
    EXPECT_NE(inv.status().message().find("h.json:/shards/0/nodes/0/host"), std::string::npos)
        << inv.status().message();
  }
  for (const char* good : {"::1", "10.0.0.1", "fe80::1%eth0", "val-1.example.com", "localhost"}) {
    nlohmann::json j = nlohmann::json::parse(InventoryText("n", "22"));
    j["shards"][0]["nodes"][0]["host"] = good;
    EXPECT_TRUE(ParseInventory(j, "h.json").ok()) << good;
  }
}

TEST(InputHardeningTest, FilesALibraryOpensAreCheckedByTheSameRule) {
  testing::TempDir dir;
  std::string fifo = dir.path() + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  Status st = CheckRegularFile(fifo, kMaxKeyFileBytes);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message(), fifo + ": is a FIFO; expected a regular file");
  EXPECT_FALSE(CheckRegularFile("/dev/zero", kMaxKeyFileBytes).ok());
  EXPECT_FALSE(CheckRegularFile(dir.path(), kMaxKeyFileBytes).ok());
  EXPECT_FALSE(CheckRegularFile(dir.WriteFile("big", std::string(2000, 'x')), 1000).ok());
  EXPECT_TRUE(CheckRegularFile(dir.path() + "/none", kMaxKeyFileBytes).ok());
  EXPECT_TRUE(CheckRegularFile(dir.WriteFile("kh", "x"), kMaxKeyFileBytes).ok());
  EXPECT_EQ(DescribeBytes(size_t{1} << 30), "1 GiB");
}

TEST(InputHardeningTest, Utf8IsCheckedExactly) {
  EXPECT_EQ(InvalidUtf8At("plain h\xc3\xa9 \xf0\x9f\x99\x82"), std::string_view::npos);
  EXPECT_EQ(InvalidUtf8At("ab\xff"), 2u);
  EXPECT_EQ(InvalidUtf8At("\xc0\xaf"), 0u);          // overlong '/'
  EXPECT_EQ(InvalidUtf8At("x\xed\xa0\x80"), 1u);     // a surrogate
  EXPECT_EQ(InvalidUtf8At("\xf4\x90\x80\x80"), 0u);  // past U+10FFFF
  EXPECT_EQ(InvalidUtf8At("\xe2\x82"), 0u);          // cut short
}

TEST(InputHardeningTest, AWorkBudgetStopsNestedWorkAtItsTotal) {
  WorkBudget b(10, "things");
  EXPECT_TRUE(b.Spend(4, "a: ").ok());
  EXPECT_TRUE(b.Spend(6, "b: ").ok());
  Status st = b.Spend(1, "c: ");
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.message().rfind("c: more than 10 things in all", 0), 0u) << st.message();
  EXPECT_FALSE(b.Spend(0, "d: ").ok()) << "stays spent";
  WorkBudget huge(5, "x");
  EXPECT_FALSE(huge.Spend(SIZE_MAX, "").ok()) << "no overflow";
}

}  // namespace
}  // namespace shardctl
