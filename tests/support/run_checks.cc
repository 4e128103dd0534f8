#include "support/run_checks.h"

#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>

#include "support/shardctl_cli.h"
#include "support/test_util.h"

namespace shardctl::testing {

using namespace std::chrono_literals;

std::map<std::string, int> NodeStartCounts(const Sandbox& sb) {
  std::map<std::string, int> out;
  for (const SandboxNode& n : sb.nodes()) {
    std::string log = ReadFile(n.dir + "/node.log");
    int count = 0;
    for (size_t at = log.find("=== sandbox-node: start"); at != std::string::npos;
         at = log.find("=== sandbox-node: start", at + 1)) {
      ++count;
    }
    out[n.name] = count;
  }
  return out;
}

void ExpectStartedExactly(const Sandbox& sb, const std::map<std::string, int>& before, int times) {
  for (const auto& [name, count] : NodeStartCounts(sb)) {
    EXPECT_EQ(count - before.at(name), times)
        << name << " was started " << count - before.at(name) << " time(s)";
  }
}

std::pair<std::chrono::system_clock::time_point, std::chrono::system_clock::time_point>
ActionWindow(const std::vector<nlohmann::json>& journal, const std::string& node) {
  using WallTime = std::chrono::system_clock::time_point;
  auto at = [](const nlohmann::json& line) {
    return WallTime(std::chrono::milliseconds(line["unix_ms"].get<int64_t>()));
  };
  WallTime from{}, to = WallTime::max();
  for (const nlohmann::json& j : journal) {
    if (j["node"] != node) continue;
    if (j["step"] == "stop" && j["outcome"] == "begin") from = at(j);
    if (j["step"] == StepName(Step::kNode) && j["outcome"] == "done") to = at(j);
  }
  return {from, to};
}

std::set<std::string> StoppedSinceFirstDone(const std::vector<nlohmann::json>& journal,
                                            const std::string& stop_outcome) {
  std::set<std::string> nodes;
  bool any_done = false;
  for (const nlohmann::json& j : journal) {
    std::string node = j["node"].is_string() ? j["node"].get<std::string>() : "";
    if (j["step"] == StepName(Step::kNode) && j["outcome"] == "done") {
      any_done = true;
      nodes.erase(node);
    } else if (any_done && j["step"] == "stop" && j["outcome"] == stop_outcome) {
      nodes.insert(node);
    }
  }
  return nodes;
}

std::map<std::string, int> CountJournal(const std::vector<nlohmann::json>& journal,
                                        const std::string& step, const std::string& outcome) {
  std::map<std::string, int> out;
  for (const nlohmann::json& j : journal) {
    if (j["step"] == step && j["outcome"] == outcome) {
      out[j["node"].is_string() ? j["node"].get<std::string>() : ""]++;
    }
  }
  return out;
}

void ExpectEveryShardCommitting(const Sandbox& sb, int shards, int64_t blocks) {
  for (int s = 0; s < shards; ++s) {
    auto h = sb.ShardHeight(s);
    ASSERT_TRUE(h) << "shard " << s << " does not answer";
    EXPECT_TRUE(sb.WaitForShardHeight(s, *h + blocks, 15s))
        << "shard " << s << " stuck at " << *h << " after recover";
  }
  std::string modes;
  EXPECT_TRUE(WaitFor(
      [&] {
        modes.clear();
        bool all = true;
        for (const SandboxNode& n : sb.nodes()) {
          auto m = sb.Metadata(n.name);
          std::string mode = m ? (*m)["consensus"].value("mode", "?") : "no answer";
          modes += n.name + ":" + mode + " ";
          all = all && mode == "Normal";
        }
        return all;
      },
      10s, 250ms))
      << "not every node is Normal: " << modes;
}

void ExpectNoLongStall(const nlohmann::json& shard, const std::vector<nlohmann::json>& journal,
                       const HeightMonitor& monitor) {
  using std::chrono::milliseconds;
  const int id = shard["shard"].get<int>();
  SCOPED_TRACE("shard " + std::to_string(id));
  ASSERT_FALSE(shard["waves"].empty());
  const nlohmann::json& last_wave = shard["waves"].back();
  ASSERT_EQ(last_wave.size(), 1u) << "the leader goes last, alone: " << shard.dump();
  auto [leader_from, leader_to] = ActionWindow(journal, last_wave[0].get<std::string>());
  milliseconds worst_other{0}, worst_leader{0};
  for (const HeightMonitor::Stall& st : monitor.Stalls(id)) {
    bool leader = st.to > leader_from && st.from < leader_to;
    auto& worst = leader ? worst_leader : worst_other;
    worst = std::max(worst, st.length());
  }
  std::cout << "shard " << id << ": longest stall " << worst_other.count() << " ms (non-leader), "
            << worst_leader.count() << " ms (leader " << last_wave[0] << ")\n";
  EXPECT_LE(worst_other, milliseconds(3 * 200 + 150)) << "stalled while a non-leader restarted";
  EXPECT_LE(worst_leader, milliseconds(2000 + 150)) << "stalled while its leader restarted";
}

void ExpectTwoSignalsMidStopFinishTheStep(const Sandbox& sb, const std::vector<std::string>& args,
                                          const std::string& says) {
  using namespace std::chrono_literals;
  // A stop that takes a while, so both signals land while a node is being stopped.
  nlohmann::json pb = nlohmann::json::parse(ReadFile(SourceDir() + "/playbooks/sandbox.json"));
  pb["commands"]["stop"] = pb["commands"]["stop"].get<std::string>() + "; sleep 2";
  TempDir tmp;
  const std::string slow_pb = tmp.WriteFile("slow-stop.json", pb.dump(2));
  const std::string state = sb.dir() + "/state", out_file = sb.dir() + "/shardctl.out";
  std::vector<std::string> argv = args;
  argv.insert(argv.end(), {"-p", slow_pb, "--yes", "--state-dir", state});
  ShardctlProcess run(argv, out_file);
  auto stopping = [&] {
    for (const nlohmann::json& j : JournalLines(state)) {
      if (j["step"] == "stop" && j["outcome"] == "begin") return true;
    }
    return false;
  };
  ASSERT_TRUE(WaitFor(stopping, 60s, 20ms)) << ReadFile(out_file);
  run.Signal(SIGHUP);
  run.Signal(SIGINT);  // a second signal must not cut the step short
  EXPECT_EQ(run.Wait(180s), 130) << ReadFile(out_file);
  const std::string said = ReadFile(out_file);
  EXPECT_NE(said.find(says), std::string::npos) << said;
  for (const SandboxNode& n : sb.nodes()) {
    EXPECT_TRUE(sb.IsRunning(n.name)) << n.name << " was left stopped\n" << said;
  }
}

}  // namespace shardctl::testing
