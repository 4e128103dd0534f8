#include "sim/sim_network.h"

#include <algorithm>

namespace vsim {

SimNetwork::SimNetwork(std::vector<uint64_t> voting_power, ConsensusParams params,
                       shardctl::FakeClock* clock, Duration delay)
    : power_(std::move(voting_power)),
      params_(params),
      clock_(clock),
      delay_(delay),
      nodes_(power_.size()),
      disks_(power_.size()) {}

void SimNetwork::Start(uint32_t i) {
  if (nodes_[i]) return;
  nodes_[i] = std::make_unique<Node>(NodeOptions{i, power_, params_}, disks_[i], clock_);
  Drain(i);
}

void SimNetwork::Kill(uint32_t i) { nodes_[i].reset(); }

uint64_t SimNetwork::MaxHeight() const {
  uint64_t h = 0;
  for (const auto& d : disks_) h = std::max<uint64_t>(h, d.size());
  return h;
}

void SimNetwork::Drain(uint32_t i) {
  Node& node = *nodes_[i];
  for (const Block& b : node.TakeNewBlocks()) disks_[i].push_back(b);
  for (const std::string& line : node.TakeLog()) {
    if (on_log) on_log(i, line);
  }
  TimePoint at = clock_->Now() + delay_;
  for (Outgoing& o : node.TakeOutbox()) {
    for (uint32_t to = 0; to < size(); ++to) {
      if (to == i || (o.to != Outgoing::kBroadcast && o.to != to)) continue;
      in_flight_.push_back(InFlight{at, to, o.msg});
    }
  }
}

void SimNetwork::ProcessNow() {
  TimePoint now = clock_->Now();
  while (!in_flight_.empty() && in_flight_.front().at <= now) {
    InFlight f = std::move(in_flight_.front());
    in_flight_.pop_front();
    if (!nodes_[f.to]) continue;  // sent to a dead node: lost
    nodes_[f.to]->Receive(f.msg);
    Drain(f.to);
  }
  for (uint32_t i = 0; i < size(); ++i) {
    if (!nodes_[i]) continue;
    nodes_[i]->Tick();
    Drain(i);
  }
}

void SimNetwork::AdvanceToNextEvent(TimePoint end) {
  TimePoint now = clock_->Now();
  TimePoint next = end;
  if (!in_flight_.empty()) next = std::min(next, in_flight_.front().at);
  for (const auto& n : nodes_) {
    if (n) next = std::min(next, n->NextDeadline());
  }
  next = std::clamp(next, now + Duration(1), std::max(end, now + Duration(1)));
  clock_->Advance(next - now);
}

void SimNetwork::RunFor(Duration d) {
  TimePoint end = clock_->Now() + d;
  ProcessNow();
  while (clock_->Now() < end) {
    AdvanceToNextEvent(end);
    ProcessNow();
  }
}

bool SimNetwork::RunUntil(const std::function<bool()>& pred, Duration limit) {
  TimePoint end = clock_->Now() + limit;
  ProcessNow();
  while (!pred()) {
    if (clock_->Now() >= end) return false;
    AdvanceToNextEvent(end);
    ProcessNow();
  }
  return true;
}

}  // namespace vsim
