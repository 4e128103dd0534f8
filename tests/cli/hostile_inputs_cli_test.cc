// Issue 20, the second hostile round, end to end with the real binary: a here-document probe
// refused before anything runs on a real sshd, export/import of hostile values, inputs that used
// to hang (each run under a time limit, so a hang fails instead of blocking ctest), signals while
// nothing is touched, key files on a FIFO, artifacts that are not files.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>

#include "model/inventory.h"
#include "support/artifact_server.h"
#include "support/sandbox_fixture.h"
#include "support/shardctl_cli.h"
#include "support/sshd_fixture.h"
#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

bool Round2Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The case of the issue: quoting means nothing in an unquoted here-doc body, so the node var ran
// on the node during a read-only status. Now validate refuses the playbook (exit 2, naming the
// JSON pointer) and status never connects.
TEST(HostileInputsCliTest, AHereDocumentProbeIsRefusedAndNothingRunsOnTheNode) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  const std::string marker = sshd.temp().path() + "/PWN";
  std::string inv = SshdInventory(sshd, {{"note", "$(touch " + marker + ")"}});
  json pb = {
      {"name", "heredoc"},
      {"commands",
       {{"stop", "true"},
        {"start", "true"},
        {"is_running", "true"},
        {"probe", "cat >/dev/null <<EOF\nnote: {{note}}\nEOF\necho '{\"h\":1,\"m\":\"Normal\"}'"}}},
      {"probe", {{"height", "/h"}, {"mode", "/m"}}}};
  std::string pb_path = sshd.temp().WriteFile("pb.json", pb.dump());
  std::string out;
  EXPECT_EQ(ShardctlOutput(sshd.temp(), {"validate", "-i", inv, "-p", pb_path}, &out), 2) << out;
  EXPECT_TRUE(Round2Has(out, pb_path + ":/commands/probe: expected a command template")) << out;
  EXPECT_TRUE(Round2Has(out, "{{note}} at offset 27 is in a here-document body")) << out;
  EXPECT_EQ(ShardctlOutput(sshd.temp(), {"status", "-i", inv, "-p", pb_path}, &out), 2) << out;
  EXPECT_FALSE(std::filesystem::exists(marker)) << "the value ran as code on the node";
  // The same value as a plain word is only data: status runs, and still nothing is created.
  pb["commands"]["probe"] = "printf '%s\\n' {{note}} >/dev/null; echo '{\"h\":1,\"m\":\"Normal\"}'";
  sshd.temp().WriteFile("pb.json", pb.dump());
  ShardctlOutput(sshd.temp(), {"status", "-i", inv, "-p", pb_path}, &out);
  EXPECT_TRUE(Round2Has(out, "1/1")) << "status reached the node (1 of 1 up): " << out;
  EXPECT_FALSE(std::filesystem::exists(marker)) << out;
}

/// Four nodes whose vars hold a newline that would add a host, and both quote kinds.
json Round2HostileInventory(bool with_newline) {
  json nodes = json::array();
  for (int i = 0; i < 4; ++i) {
    nodes.push_back({{"name", "s0-n" + std::to_string(i)},
                     {"host", "10.0.0." + std::to_string(i + 1)},
                     {"vars", {{"quotes", "it's \"both\" " + std::to_string(i)}}}});
  }
  json inv = {{"network", "r2"}, {"shards", {{{"id", 0}, {"nodes", nodes}}}}};
  if (with_newline) inv["defaults"] = {{"vars", {{"note", "x\n[shard0]\nevil.example.com"}}}};
  return inv;
}

/// name@host -> vars of every node of the inventory file at path (fails the test if invalid).
std::map<std::string, Vars> Round2Nodes(const std::string& path) {
  auto inv = LoadInventory(path);
  EXPECT_TRUE(inv.ok()) << inv.status().message();
  std::map<std::string, Vars> out;
  if (!inv.ok()) return out;
  for (const Node* n : inv->AllNodes()) out[n->name + "@" + n->ssh.host] = n->vars;
  return out;
}

TEST(HostileInputsCliTest, HostileValuesRoundTripToTheSameNodesOrExportRefuses) {
  TempDir dir;
  std::string out;
  for (bool newline : {true, false}) {
    std::string inv = dir.WriteFile("inv.json", Round2HostileInventory(newline).dump());
    std::string ini = dir.path() + "/hosts.ini", back = dir.path() + "/back.json";
    std::filesystem::remove(ini);
    int rc = ShardctlOutput(dir, {"inventory", "export", "-i", inv, "--ansible", "-o", ini}, &out);
    if (newline) {
      EXPECT_EQ(rc, 2) << out;
      EXPECT_TRUE(Round2Has(out, "var \"note\" holds a line break")) << out;
      EXPECT_FALSE(std::filesystem::exists(ini)) << "nothing written";
    } else {
      ASSERT_EQ(rc, 0) << out;
      ASSERT_EQ(ShardctlOutput(dir, {"inventory", "import", "--ansible", ini, "-o", back}, &out), 0)
          << out << ReadFile(ini);
      EXPECT_EQ(Round2Nodes(back), Round2Nodes(inv)) << ReadFile(ini);
    }
    std::string yml = dir.path() + "/hosts.yml";
    ASSERT_EQ(ShardctlOutput(dir, {"inventory", "export", "-i", inv, "--ansible", "-o", yml}, &out),
              0)
        << out;
    ASSERT_EQ(ShardctlOutput(dir, {"inventory", "import", "--ansible", yml, "-o", back}, &out), 0)
        << out << ReadFile(yml);
    EXPECT_EQ(Round2Nodes(back), Round2Nodes(inv)) << ReadFile(yml);
    EXPECT_EQ(Round2Nodes(back).size(), 4u) << "quorum 3, not 4";
  }
}

// Inputs that never ended (or took minutes): each is an error, exit 2, well within the limit.
TEST(HostileInputsCliTest, InputsThatUsedToHangAreUsageErrors) {
  TempDir dir;
  std::string bomb = "[shard0]\n";
  for (int i = 0; i < 50; ++i) bomb += "x" + std::to_string(i) + "[0:100000]\n";
  std::string aliases = "x0: &x0 {hosts: {h: {v: 1}}}\n";
  for (int level = 1; level <= 9; ++level) {
    aliases += "x" + std::to_string(level) + ": &x" + std::to_string(level) + "\n  children:\n";
    for (int i = 0; i < 10; ++i) {
      aliases += "    g" + std::to_string(level) + "_" + std::to_string(i) + ": *x" +
                 std::to_string(level - 1) + "\n";
    }
  }
  std::vector<std::pair<std::string, std::string>> files = {
      {"cycle.ini", "[a:children]\nb\n[b:children]\na\n[shard0]\nh1\n"},
      {"self.ini", "[a:children]\na\n[shard0]\nh1\n"},
      {"ranges.ini", bomb},
      {"aliases.yml", aliases}};
  std::string out;
  for (const auto& [name, text] : files) {
    std::string path = dir.WriteFile(name, text);
    EXPECT_EQ(ShardctlOutput(dir, {"inventory", "import", "--ansible", path}, &out, 30), 2)
        << name << ": " << out;
    EXPECT_TRUE(Round2Has(out, path + ":")) << out;
  }
  // ssh_config files that each include the next three times.
  for (int i = 0; i < 12; ++i) {
    std::string body = "Host h" + std::to_string(i) + "\n  User u\n";
    for (int k = 0; k < 3 && i < 11; ++k) {
      body += "Include " + dir.path() + "/cfg" + std::to_string(i + 1) + "\n";
    }
    dir.WriteFile("cfg" + std::to_string(i), body);
  }
  std::string inv = dir.WriteFile(
      "inv.json", R"({"shards": [{"id": 0, "nodes": [{"name": "a", "host": "127.0.0.1"}]}]})");
  EXPECT_EQ(
      ShardctlOutput(dir, {"exec", "-i", inv, "-F", dir.path() + "/cfg0", "--", "true"}, &out, 30),
      2)
      << out;
  EXPECT_TRUE(Round2Has(out, "looked at by Include in all")) << out;
}

// A key file on a FIFO blocked past --timeout: now refused when the inventory loads.
TEST(HostileInputsCliTest, KeyFilesOnAFifoAreRefusedBeforeAnyConnection) {
  LocalSshd sshd;
  ASSERT_TRUE(sshd.ok()) << sshd.error();
  std::string fifo = sshd.temp().path() + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string inv = SshdInventory(sshd, json::object());
  std::string out;
  for (const char* flag : {"identity_file", "known_hosts"}) {
    json j = json::parse(ReadFile(inv));
    j["defaults"]["ssh"][flag] = fifo;
    std::string path = sshd.temp().WriteFile(std::string(flag) + ".json", j.dump());
    EXPECT_EQ(
        ShardctlOutput(sshd.temp(), {"exec", "-i", path, "--timeout", "2", "--", "true"}, &out, 30),
        2)
        << flag << ": " << out;
    EXPECT_TRUE(Round2Has(out, fifo + ": is a FIFO; expected a regular file")) << out;
  }
}

// An inventory nobody listens for (support/shardctl_cli.h): upgrade gets as far as fetching the
// artifact, which happens before anything is touched.
std::vector<std::string> Round2Upgrade(const std::string& inv, const std::string& artifact,
                                       const TempDir& dir) {
  return {"upgrade",
          "-i",
          inv,
          "-p",
          SourceDir() + "/playbooks/sandbox.json",
          "--artifact",
          artifact,
          "--sha256",
          std::string(64, 'a'),
          "--yes",
          "--state-dir",
          dir.path() + "/state",
          "--override-window",
          "test"};
}

// A download trickling a byte every 200 ms: the first SIGINT ends shardctl at once (nothing is
// touched yet), and --download-timeout ends the download.
TEST(HostileInputsCliTest, ATricklingDownloadEndsAtItsDeadlineAndOnTheFirstSignal) {
  TempDir dir;
  ArtifactServer server;
  ASSERT_TRUE(server.ok());
  std::atomic<int> requests{0};
  server.ServeTrickle("/slow", 1 << 20, milliseconds(200), std::chrono::seconds(60));
  server.svr().set_pre_routing_handler([&](const httplib::Request&, httplib::Response&) {
    ++requests;
    return httplib::Server::HandlerResponse::Unhandled;
  });
  std::string inv = UnreachableInventory(dir, 4), out;
  std::vector<std::string> args = Round2Upgrade(inv, server.Url("/slow"), dir);
  ShardctlProcess p(args, dir.path() + "/out.txt");
  ASSERT_TRUE(WaitFor([&] { return requests.load() > 0; }, milliseconds(30000)));
  p.Signal(SIGINT);
  EXPECT_EQ(p.Wait(milliseconds(10000)), 130) << ReadFile(dir.path() + "/out.txt");
  EXPECT_TRUE(
      Round2Has(ReadFile(dir.path() + "/out.txt"), "interrupted before anything was touched"));
  args.insert(args.end(), {"--download-timeout", "1"});
  EXPECT_EQ(ShardctlOutput(dir, args, &out, 30), 2) << out;
  EXPECT_TRUE(Round2Has(out, "did not finish within 1.0s")) << out;
  EXPECT_FALSE(std::filesystem::exists(dir.path() + "/state/runs")) << "nothing ran";
}

TEST(HostileInputsCliTest, ArtifactsThatAreNotRegularFilesAreRefusedByName) {
  TempDir dir;
  std::string fifo = dir.path() + "/fifo";
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  std::string inv = UnreachableInventory(dir, 4), out;
  for (const auto& [path, kind] : std::vector<std::pair<std::string, std::string>>{
           {fifo, "a FIFO"}, {dir.path(), "a directory"}}) {
    EXPECT_EQ(ShardctlOutput(dir, Round2Upgrade(inv, path, dir), &out, 30), 2) << out;
    EXPECT_TRUE(Round2Has(out, path + ": is " + kind + "; expected a regular file")) << out;
  }
}

TEST(HostileInputsCliTest, BlankReasonsAreRefusedNamingTheFlag) {
  TempDir dir;
  std::string inv = UnreachableInventory(dir, 4), out;
  std::string drill = SourceDir() + "/playbooks/drills/kill-minority.json";
  std::string pb = SourceDir() + "/playbooks/sandbox.json";
  EXPECT_EQ(ShardctlOutput(dir, {"drill", "-i", inv, "-p", pb, drill, "--production", " "}, &out),
            2)
      << out;
  EXPECT_TRUE(Round2Has(out, "shardctl: --production needs a non-empty value")) << out;
  EXPECT_EQ(ShardctlOutput(
                dir, {"lock", "break", "-i", inv, "20990101T000000Z-000000", "--reason", ""}, &out),
            2)
      << out;
  EXPECT_TRUE(Round2Has(out, "shardctl: --reason needs a non-empty value")) << out;
}

// --report /dev/full exited 0 with the report lost: a run that succeeded but could not write its
// report exits 3 and says so.
class HostileInputsSandboxTest : public SandboxTest {};

TEST_F(HostileInputsSandboxTest, AReportThatCannotBeWrittenIsAnErrorNotSilence) {
  ASSERT_NO_FATAL_FAILURE(Up({}));
  std::string out;
  std::vector<std::string> args = {"rolling-restart",
                                   "-i",
                                   sb_.inventory_path(),
                                   "-p",
                                   SourceDir() + "/playbooks/sandbox.json",
                                   "--node",
                                   "s0-n1",
                                   "--yes",
                                   "--state-dir",
                                   sb_.dir() + "/state",
                                   "--plain",
                                   "--report",
                                   "/dev/full"};
  TempDir dir;
  EXPECT_EQ(ShardctlOutput(dir, args, &out, 240), 3) << out;
  EXPECT_TRUE(Round2Has(out, "the report was not written: /dev/full: cannot write: No space left"))
      << out;
  EXPECT_TRUE(sb_.IsRunning("s0-n1"));
  args.back() = sb_.dir() + "/report.md";
  EXPECT_EQ(ShardctlOutput(dir, args, &out, 240), 0) << out;
  EXPECT_TRUE(Round2Has(ReadFile(sb_.dir() + "/report.md"), "s0-n1"))
      << "a writable report is written";
}

}  // namespace
}  // namespace shardctl::testing
