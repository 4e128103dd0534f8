#include "run/events.h"

#include "base/text.h"

namespace shardctl {

nlohmann::json EventToJson(const Event& e) {
  nlohmann::json j = {{"event", EventKindName(e.kind)},
                      {"time", FormatUtc(e.unix_ms)},
                      {"unix_ms", e.unix_ms},
                      {"phase", PhaseName(e.phase)},
                      {"round", e.round},
                      {"elapsed_ms", e.elapsed.count()},
                      {"message", e.message}};
  if (e.shard >= 0) j["shard"] = e.shard;
  if (!e.node.empty()) j["node"] = e.node;
  if (e.height >= 0) j["height"] = e.height;
  if (e.nodes_up >= 0) j["nodes_up"] = e.nodes_up;
  if (e.nodes_total > 0) j["nodes_total"] = e.nodes_total;
  return j;
}

void ObserverHub::OnEvent(const Event& e) {
  std::lock_guard<std::mutex> l(mu_);
  for (Observer* o : observers_) o->OnEvent(e);
}

void EventLog::OnEvent(const Event& e) {
  std::lock_guard<std::mutex> l(mu_);
  events_.push_back(e);
}

std::vector<Event> EventLog::events() const {
  std::lock_guard<std::mutex> l(mu_);
  return events_;
}

}  // namespace shardctl
