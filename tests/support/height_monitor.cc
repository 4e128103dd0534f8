#include "support/height_monitor.h"

#include <httplib.h>

#include <nlohmann/json.hpp>

namespace shardctl::testing {

HeightMonitor::HeightMonitor(const std::vector<SandboxNode>& nodes,
                             std::chrono::milliseconds period)
    : nodes_(nodes) {
  for (const SandboxNode& n : nodes_)
    threads_.emplace_back([this, &n, period] { Poll(n, period); });
}

HeightMonitor::~HeightMonitor() { Stop(); }

void HeightMonitor::Stop() {
  if (stop_.exchange(true)) return;
  for (std::thread& t : threads_) t.join();
  std::lock_guard<std::mutex> l(mu_);
  stopped_at_ = std::chrono::system_clock::now();
}

// One thread per node: a node that is stopping (and answers late) cannot delay the others.
void HeightMonitor::Poll(const SandboxNode& node, std::chrono::milliseconds period) {
  httplib::Client client("127.0.0.1", node.rpc_port);
  client.set_keep_alive(true);
  client.set_connection_timeout(0, 200'000);
  client.set_read_timeout(0, 300'000);
  const std::string body = R"({"jsonrpc":"2.0","id":1,"method":"hmyv2_blockNumber","params":[]})";
  while (!stop_.load()) {
    auto next = std::chrono::steady_clock::now() + period;
    auto res = client.Post("/", body, "application/json");
    auto j = res && res->status == 200 ? nlohmann::json::parse(res->body, nullptr, false)
                                       : nlohmann::json();
    if (j.is_object() && j.contains("result") && j["result"].is_number_integer()) {
      int64_t h = j["result"].get<int64_t>();
      auto now = std::chrono::system_clock::now();
      std::lock_guard<std::mutex> l(mu_);
      auto& r = rises_[node.shard];
      if (r.empty() || h > r.back().height) r.push_back({now, h});
    }
    std::this_thread::sleep_until(next);
  }
}

std::vector<HeightMonitor::Rise> HeightMonitor::Rises(int shard) const {
  std::lock_guard<std::mutex> l(mu_);
  auto it = rises_.find(shard);
  return it == rises_.end() ? std::vector<Rise>{} : it->second;
}

std::vector<HeightMonitor::Stall> HeightMonitor::Stalls(int shard) const {
  std::vector<Rise> r = Rises(shard);
  std::vector<Stall> out;
  for (size_t i = 1; i < r.size(); ++i) out.push_back({r[i - 1].at, r[i].at});
  std::lock_guard<std::mutex> l(mu_);
  if (!r.empty() && stop_.load()) out.push_back({r.back().at, stopped_at_});
  return out;
}

}  // namespace shardctl::testing
