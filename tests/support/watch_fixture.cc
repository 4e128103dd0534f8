#include "support/watch_fixture.h"

#include <httplib.h>
#include <signal.h>

#include <regex>

#include "support/test_util.h"

namespace shardctl::testing {

using nlohmann::json;

std::vector<json> WatchLines(const std::string& state_dir, const std::string& network) {
  return JsonLines(ReadFile(state_dir + "/watch/" + network + ".jsonl"));
}

std::vector<json> WatchLinesWhere(const std::string& state_dir,
                                  const std::function<bool(const json&)>& pred) {
  std::vector<json> out;
  for (const json& j : WatchLines(state_dir)) {
    if (pred(j)) out.push_back(j);
  }
  return out;
}

bool WaitForWatchLine(const std::string& state_dir, const std::function<bool(const json&)>& pred,
                      std::chrono::milliseconds timeout) {
  return WaitFor([&] { return !WatchLinesWhere(state_dir, pred).empty(); }, timeout,
                 std::chrono::milliseconds(200));
}

std::function<bool(const json&)> EnteredState(int shard, const std::string& state) {
  return [=](const json& j) {
    return j.value("event", "") == "state" && j["shard"] == shard && j.value("to", "") == state;
  };
}

int64_t NowUnixMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool WaitForShardsIn(const std::string& state_dir, const std::vector<int>& shards,
                     const std::string& to, int64_t since_ms, std::chrono::milliseconds timeout) {
  return WaitFor(
      [&] {
        for (int s : shards) {
          auto lines = WatchLinesWhere(state_dir, EnteredState(s, to));
          if (lines.empty() || lines.back().value("unix_ms", int64_t{0}) < since_ms) return false;
        }
        return true;
      },
      timeout, std::chrono::milliseconds(250));
}

std::function<bool(const json&)> Decided(int shard, const std::string& guardrail) {
  return [=](const json& j) {
    if (j.value("event", "") != "decision" || j["shard"] != shard) return false;
    return guardrail.empty() ? j.value("acted", false) : j.value("guardrail", "") == guardrail;
  };
}

WatchProcess::WatchProcess(const std::string& inventory, const std::string& playbook,
                           const std::string& state_dir, const std::vector<std::string>& extra,
                           const std::string& out_file)
    : port_(FreePort()), out_file_(out_file) {
  std::vector<std::string> args = {"watch",   "-i",       inventory,
                                   "-p",      playbook,   "--state-dir",
                                   state_dir, "--listen", "127.0.0.1:" + std::to_string(port_)};
  args.insert(args.end(), extra.begin(), extra.end());
  proc_ = std::make_unique<ShardctlProcess>(args, out_file);
}

std::string WatchProcess::Url(const std::string& path) const {
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string WatchProcess::Get(const std::string& path) const {
  httplib::Client c("127.0.0.1", port_);
  c.set_connection_timeout(2, 0);
  c.set_read_timeout(5, 0);
  auto res = c.Get(path.c_str());
  return res && res->status == 200 ? res->body : "";
}

int64_t WatchProcess::Rounds() const {
  static const std::regex count(R"(shardctl_probe_duration_seconds_count\{[^}]*\} (\d+))");
  std::string text = Get("/metrics");
  std::smatch m;
  if (!std::regex_search(text, m, count)) return -1;
  return std::stoll(m[1].str());
}

bool WatchProcess::WaitRounds(int n, std::chrono::milliseconds timeout) const {
  int64_t start = -1;
  WaitFor([&] { return (start = Rounds()) >= 0; }, timeout, std::chrono::milliseconds(200));
  if (start < 0) return false;
  return WaitFor([&] { return Rounds() >= start + n; }, timeout, std::chrono::milliseconds(200));
}

int WatchProcess::Stop(std::chrono::milliseconds timeout) {
  proc_->Signal(SIGTERM);
  return proc_->Wait(timeout);
}

void WatchProcess::Kill9() {
  proc_->Signal(SIGKILL);
  proc_->Wait(std::chrono::seconds(10));
}

}  // namespace shardctl::testing
