// shardctl recover / plan / status / rolling-restart / resume / retry at the command line,
// without a network: help that teaches,
// usage and input errors that stop before anything is touched (exit 2, naming file and JSON
// path), the refusal to restart validators unconfirmed, and plan output. Every inventory here
// points at a port nothing listens on, so any attempt to act would show up as a journal entry
// or a connection error.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "support/test_util.h"

namespace shardctl::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

// Runs shardctl with stdin from /dev/null, so it never has a terminal to ask on, whatever
// terminal ctest itself was started from.
int RunNoTty(std::vector<std::string> args, std::string* out) {
  std::vector<std::string> argv = {"sh", "-c", "exec \"$0\" \"$@\" </dev/null", ShardctlBin()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, out);
}

// Two shards of two sandbox-shaped nodes (vars dir and rpc_port, as playbooks/sandbox.json
// needs) reached on a loopback port that was free a moment ago.
std::string WriteInventory(const TempDir& dir) {
  json inv = {{"network", "cli-recover"},
              {"defaults",
               {{"ssh",
                 {{"user", "root"},
                  {"port", FreePort()},
                  {"identity_file", dir.path() + "/id_ed25519"},
                  {"known_hosts", dir.path() + "/known_hosts"}}}}}};
  for (int s = 0; s < 2; ++s) {
    json nodes = json::array();
    for (int i = 0; i < 2; ++i) {
      std::string name = "s" + std::to_string(s) + "-n" + std::to_string(i);
      nodes.push_back({{"name", name},
                       {"host", "127.0.0.1"},
                       {"vars", {{"dir", "/srv/" + name}, {"rpc_port", 9500 + 10 * s + i}}}});
    }
    inv["shards"].push_back({{"id", s}, {"nodes", nodes}});
  }
  return dir.WriteFile("inventory.json", inv.dump(2));
}

// True when the state dir holds no journal at all: nothing was begun, not even the run.
bool NoJournal(const std::string& state_dir) {
  return !fs::exists(state_dir + "/runs") || fs::is_empty(state_dir + "/runs");
}

TEST(RecoverCliTest, HelpTeachesWithExamples) {
  for (const std::string cmd : {"recover", "plan", "status"}) {
    std::string out;
    ASSERT_EQ(RunCommand({ShardctlBin(), cmd, "--help"}, &out), 0) << cmd << ":\n" << out;
    EXPECT_NE(out.find("usage: shardctl " + cmd), std::string::npos) << out;
    EXPECT_NE(out.find("Examples:\n  shardctl " + cmd + " -i "), std::string::npos) << out;
    EXPECT_NE(out.find("--playbook"), std::string::npos) << out;
  }
  std::string out;
  ASSERT_EQ(RunCommand({ShardctlBin(), "recover", "--help"}, &out), 0);
  for (const char* flag : {"--yes", "--dry-run", "--state-dir", "--report", "--force"}) {
    EXPECT_NE(out.find(flag), std::string::npos) << flag << " missing from recover --help";
  }
  ASSERT_EQ(RunCommand({ShardctlBin(), "--help"}, &out), 0);
  EXPECT_NE(out.find("recover"), std::string::npos) << out;
  EXPECT_NE(out.find("--dry-run"), std::string::npos) << out;
}

TEST(RecoverCliTest, MissingFlagsAreUsageErrors) {
  TempDir dir;
  std::string inv = WriteInventory(dir);
  std::string out;
  for (const std::string cmd : {"recover", "plan", "status"}) {
    EXPECT_EQ(RunNoTty({cmd, "-i", inv}, &out), 2) << cmd << ":\n" << out;
    EXPECT_NE(out.find("'--playbook' is required"), std::string::npos) << out;
    EXPECT_NE(out.find("usage: shardctl " + cmd), std::string::npos) << out;
    EXPECT_EQ(RunNoTty({cmd, "-p", ShippedPlaybook("sandbox")}, &out), 2) << cmd << ":\n" << out;
    EXPECT_NE(out.find("'--inventory' is required"), std::string::npos) << out;
  }
  EXPECT_EQ(
      RunNoTty({"recover", "-i", inv, "-p", ShippedPlaybook("sandbox"), "--no-such-flag"}, &out),
      2);
  EXPECT_NE(out.find("no-such-flag"), std::string::npos) << out;
  EXPECT_EQ(RunNoTty({"recover", "-i", inv, "-p", ShippedPlaybook("sandbox"), "-o", "yaml"}, &out),
            2);
  EXPECT_NE(out.find("--output must be text or json"), std::string::npos) << out;
}

TEST(RecoverCliTest, BadPlaybookIsExitTwoNamingFileAndJsonPath) {
  TempDir dir;
  std::string inv = WriteInventory(dir);
  std::string state = dir.path() + "/state";
  json pb = json::parse(ReadFile(ShippedPlaybook("sandbox")));
  pb["gate"]["min_new_block"] = 3;  // the typo docs/playbooks.md uses as its example
  std::string typo = dir.WriteFile("typo.json", pb.dump(2));
  std::string out;
  EXPECT_EQ(RunNoTty({"recover", "-i", inv, "-p", typo, "--yes", "--state-dir", state}, &out), 2);
  EXPECT_NE(out.find(typo + ":/gate/min_new_block: expected one of the known keys"),
            std::string::npos)
      << out;
  EXPECT_NE(out.find("found unknown key"), std::string::npos) << out;

  pb = json::parse(ReadFile(ShippedPlaybook("sandbox")));
  pb["gate"]["min_new_blocks"] = "five";
  std::string wrong_type = dir.WriteFile("type.json", pb.dump(2));
  EXPECT_EQ(RunNoTty({"recover", "-i", inv, "-p", wrong_type, "--yes", "--state-dir", state}, &out),
            2);
  EXPECT_NE(out.find(wrong_type + ":/gate/min_new_blocks: expected"), std::string::npos) << out;

  // A var no node defines fails on the template, naming the command and the node.
  pb = json::parse(ReadFile(ShippedPlaybook("sandbox")));
  pb["commands"]["stop"] = "{{dir}}/ctl stop {{no_such_var}}";
  std::string bad_var = dir.WriteFile("var.json", pb.dump(2));
  EXPECT_EQ(RunNoTty({"recover", "-i", inv, "-p", bad_var, "--yes", "--state-dir", state}, &out),
            2);
  EXPECT_NE(out.find(bad_var + ":/commands/stop"), std::string::npos) << out;
  EXPECT_NE(out.find("no_such_var"), std::string::npos) << out;
  EXPECT_EQ(RunNoTty({"plan", "-i", inv, "-p", bad_var}, &out), 2) << out;

  std::string not_json = dir.WriteFile("broken.json", "{\"name\": \"x\",");
  EXPECT_EQ(RunNoTty({"recover", "-i", inv, "-p", not_json, "--yes", "--state-dir", state}, &out),
            2);
  EXPECT_NE(out.find(not_json), std::string::npos) << out;
  EXPECT_EQ(RunNoTty({"recover", "-i", inv, "-p", dir.path() + "/missing.json", "--yes"}, &out), 2);
  EXPECT_NE(out.find("missing.json"), std::string::npos) << out;
  EXPECT_TRUE(NoJournal(state)) << "a bad playbook must stop recover before the journal opens";
}

TEST(RecoverCliTest, BadInventoryIsExitTwoNamingFileAndJsonPath) {
  TempDir dir;
  std::string state = dir.path() + "/state";
  json inv = json::parse(ReadFile(WriteInventory(dir)));
  inv["shards"][1]["nodes"][0]["voting_powr"] = 2;
  std::string typo = dir.WriteFile("typo.json", inv.dump(2));
  std::string out;
  EXPECT_EQ(RunNoTty({"recover", "-i", typo, "-p", ShippedPlaybook("sandbox"), "--yes",
                      "--state-dir", state},
                     &out),
            2);
  EXPECT_NE(out.find(typo + ":/shards/1/nodes/0"), std::string::npos) << out;
  EXPECT_NE(out.find("voting_powr"), std::string::npos) << out;
  EXPECT_TRUE(NoJournal(state)) << "a bad inventory must stop recover before the journal opens";
}

TEST(RecoverCliTest, RecoverWithoutYesAndWithoutTerminalRefusesPolitely) {
  TempDir dir;
  std::string inv = WriteInventory(dir);
  std::string state = dir.path() + "/state";
  std::string out;
  EXPECT_EQ(RunNoTty({"recover", "-i", inv, "-p", ShippedPlaybook("sandbox"), "--state-dir", state},
                     &out),
            2);
  EXPECT_NE(out.find("--yes"), std::string::npos) << out;
  EXPECT_NE(out.find("nothing was touched"), std::string::npos) << out;
  EXPECT_TRUE(NoJournal(state)) << "recover went ahead without confirmation:\n" << out;
}

TEST(RecoverCliTest, RecoverSelectsShardsNotNodes) {
  TempDir dir;
  std::string inv = WriteInventory(dir);
  std::string out;
  EXPECT_EQ(RunNoTty({"recover", "-i", inv, "-p", ShippedPlaybook("sandbox"), "--node", "s0-n0",
                      "--yes", "--state-dir", dir.path() + "/state"},
                     &out),
            2);
  EXPECT_NE(out.find("select them with --shard"), std::string::npos) << out;
  EXPECT_EQ(RunNoTty({"recover", "-i", inv, "-p", ShippedPlaybook("sandbox"), "--shard", "9",
                      "--dry-run"},
                     &out),
            2);
  EXPECT_NE(out.find("no shard 9"), std::string::npos) << out;
  EXPECT_EQ(RunNoTty({"plan", "-i", inv, "-p", ShippedPlaybook("sandbox"), "--shard", "9"}, &out),
            2);
  EXPECT_NE(out.find("no shard 9"), std::string::npos) << out;
  EXPECT_TRUE(NoJournal(dir.path() + "/state"));
}

// plan connects to nothing (the inventory's sshd port is closed), so it works offline and
// renders every command for every node, shell-quoted.
TEST(RecoverCliTest, PlanRendersEveryNodesCommandsOffline) {
  TempDir dir;
  std::string inv = WriteInventory(dir);
  std::string out;
  ASSERT_EQ(RunNoTty({"plan", "-i", inv, "-p", ShippedPlaybook("sandbox"), "--shard", "1"}, &out),
            0)
      << out;
  EXPECT_NE(out.find("shards in order: 1"), std::string::npos) << out;
  for (const char* node : {"s1-n0", "s1-n1"}) {
    EXPECT_NE(out.find("stop " + std::string(node) + ": /srv/" + node + "/ctl stop"),
              std::string::npos)
        << out;
    EXPECT_NE(out.find("start " + std::string(node) + ": /srv/" + node + "/ctl start"),
              std::string::npos)
        << out;
  }
  EXPECT_EQ(out.find("s0-n0"), std::string::npos) << "--shard 1 planned shard 0 too:\n" << out;
  EXPECT_NE(out.find("nothing was touched"), std::string::npos) << out;

  std::string dry;
  ASSERT_EQ(RunNoTty({"recover", "-i", inv, "-p", ShippedPlaybook("sandbox"), "--shard", "1",
                      "--dry-run"},
                     &dry),
            0)
      << dry;
  EXPECT_EQ(dry, out) << "recover --dry-run should print exactly what plan prints";

  ASSERT_EQ(RunNoTty({"plan", "-i", inv, "-p", ShippedPlaybook("sandbox"), "-o", "json"}, &out), 0)
      << out;
  json plan = json::parse(out);
  EXPECT_EQ(plan["dry_run"], true);
  EXPECT_EQ(plan["shard_order"], json({0, 1}));
  std::set<std::string> started;
  for (const auto& step : plan["steps"]) {
    if (step["phase"] == "start" && step.contains("node")) started.insert(step["node"]);
  }
  EXPECT_EQ(started, (std::set<std::string>{"s0-n0", "s0-n1", "s1-n0", "s1-n1"})) << out;
}

TEST(RecoverCliTest, RollingRestartResumeAndRetryTeach) {
  for (const std::string cmd : {"rolling-restart", "resume", "retry"}) {
    std::string out;
    ASSERT_EQ(RunNoTty({cmd, "--help"}, &out), 0) << cmd;
    EXPECT_NE(out.find("usage: shardctl " + cmd), std::string::npos) << out;
    EXPECT_NE(out.find("Examples:"), std::string::npos) << out;
    EXPECT_NE(out.find("--override-window"), std::string::npos) << out;
  }
}

TEST(RecoverCliTest, RollingRestartWithoutYesAndWithoutTerminalTouchesNothing) {
  TempDir dir;
  std::string inv = WriteInventory(dir), out;
  const std::string state = dir.path() + "/state";
  EXPECT_EQ(RunNoTty({"rolling-restart", "-i", inv, "-p", ShippedPlaybook("sandbox"), "--state-dir",
                      state},
                     &out),
            2);
  EXPECT_NE(out.find("needs confirmation"), std::string::npos) << out;
  EXPECT_TRUE(NoJournal(state));
}

TEST(RecoverCliTest, ResumeAndRetryNameWhatIsMissing) {
  TempDir dir;
  const std::string state = dir.path() + "/state";
  std::string out;
  EXPECT_EQ(RunNoTty({"resume", "--yes", "--state-dir", state}, &out), 2);
  EXPECT_NE(out.find("no unfinished rolling-restart, upgrade or rollback run in " + state),
            std::string::npos)
      << out;
  EXPECT_EQ(RunNoTty({"retry", "20990101T000000Z-000000", "--yes", "--state-dir", state}, &out), 2);
  EXPECT_NE(out.find("no run 20990101T000000Z-000000"), std::string::npos) << out;
}

TEST(RecoverCliTest, ResumeReportsACorruptJournalInsteadOfSkippingIt) {
  TempDir dir;
  const std::string state = dir.path() + "/state";
  fs::create_directories(state + "/runs");
  const std::string journal =
      dir.WriteFile("state/runs/20990101T000000Z-aaaaaa.jsonl",
                    "{\"unix_ms\":1,\"run\":\"r\",\"step\":\"run\",\"outcome\":\"begin\"}\n"
                    "{not json\n"
                    "{\"unix_ms\":2,\"run\":\"r\",\"step\":\"run\",\"outcome\":\"begin\"}\n");
  std::string out;
  EXPECT_EQ(RunNoTty({"resume", "--yes", "--state-dir", state}, &out), 2);
  EXPECT_NE(out.find(journal + ":2"), std::string::npos) << out;
  EXPECT_EQ(out.find("no unfinished"), std::string::npos) << out;
}

}  // namespace
}  // namespace shardctl::testing
