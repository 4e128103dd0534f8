// Progress events: what a run tells whoever is watching (TTY live view, plain lines, JSON
// events). Operations know nothing of how they are shown. Build one with designated
// initializers: Event{.kind = Event::Kind::kWarning, .shard = 2, .message = "..."}.
#pragma once

#include <cstdint>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "base/clock.h"
#include "run/journal_schema.h"

namespace shardctl {

struct Event {
  using Kind = EventKind;

  Kind kind = Kind::kPhase;
  int64_t unix_ms = 0;
  int shard = -1;
  std::string node;
  Phase phase = Phase::kPending;
  /// The operation's round on this shard, 0 before the first: the whole-shard restart (recover)
  /// or the wave (rolling-restart, upgrade).
  int round = 0;
  int64_t height = -1;  // top height last seen, -1 unknown
  int nodes_up = -1;    // answering nodes, -1 unknown
  int nodes_total = 0;
  Duration elapsed{0};  // since the shard's task began (the run, for run events)
  std::string message;
};

nlohmann::json EventToJson(const Event& e);

/// Receives events. The run serialises calls (never two at once), from any of its threads.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void OnEvent(const Event& e) = 0;
};

/// Forwards to several observers under one lock, so each sees calls one at a time.
class ObserverHub : public Observer {
 public:
  void Add(Observer* o) { observers_.push_back(o); }
  void OnEvent(const Event& e) override;

 private:
  std::mutex mu_;
  std::vector<Observer*> observers_;  // not owned
};

/// Keeps every event (tests, and the report's timeline). Thread-safe.
class EventLog : public Observer {
 public:
  void OnEvent(const Event& e) override;
  std::vector<Event> events() const;

 private:
  mutable std::mutex mu_;
  std::vector<Event> events_;
};

}  // namespace shardctl
