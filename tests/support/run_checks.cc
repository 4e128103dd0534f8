#include "support/run_checks.h"

#include <gtest/gtest.h>

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
    if (j["step"] == "restart" && j["outcome"] == "done") to = at(j);
  }
  return {from, to};
}

std::set<std::string> StoppedSinceFirstDone(const std::vector<nlohmann::json>& journal,
                                            const std::string& stop_outcome) {
  std::set<std::string> nodes;
  bool any_done = false;
  for (const nlohmann::json& j : journal) {
    std::string node = j["node"].is_string() ? j["node"].get<std::string>() : "";
    if (j["step"] == "restart" && j["outcome"] == "done") {
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

}  // namespace shardctl::testing
