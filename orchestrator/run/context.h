// What every part of a run shares: the inventory and playbook, the transport, the clock, the
// journal, whoever watches, and the run's stop rule. Plain references; the run's owner keeps
// them alive for the run.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/cancel.h"
#include "base/clock.h"
#include "model/inventory.h"
#include "model/playbook.h"
#include "run/events.h"
#include "run/journal.h"
#include "transport/transport.h"

namespace shardctl {

class RunContext {
 public:
  /// watcher: called one event at a time (the context serialises calls from every thread).
  /// stop: the operator's request to stop; looked at between steps, never mid-step.
  RunContext(const Inventory& inv, const Playbook& pb, Transport& transport, Clock& clock,
             Journal& journal, Observer& watcher, const CancelToken& stop);
  RunContext(const RunContext&) = delete;
  RunContext& operator=(const RunContext&) = delete;

  /// A context sharing everything with parent but the stop rule: it stops only when the journal
  /// fails, never for the operator, an abort or a lost lease. For what must run whatever stopped
  /// the run (a drill's rollbacks). Events go to parent's watcher. parent must outlive it.
  static std::unique_ptr<RunContext> Unstoppable(RunContext& parent);

  /// Hands e to the watcher. Thread-safe.
  void Emit(const Event& e) { hub_.OnEvent(e); }

  /// The one stop rule: true once the operator asked to stop, the run was aborted (a drill's
  /// abort condition, a lost lease) or the journal failed. Start nothing new then. Thread-safe.
  bool Stopping() const;
  /// Why Stopping() is true ("" when it is not).
  std::string StopReason() const;
  /// Stops the run for `why` (the first reason is kept). Thread-safe.
  void Abort(const std::string& why);
  /// The reason Abort was given ("" when it was not).
  std::string aborted() const;

  const Inventory& inv;
  const Playbook& pb;
  Transport& transport;
  Clock& clock;
  Journal& journal;
  const CancelToken& stop;

 private:
  // Forwards events to another context (an unstoppable child to its parent).
  class Forward : public Observer {
   public:
    explicit Forward(RunContext& to) : to_(to) {}
    void OnEvent(const Event& e) override { to_.Emit(e); }

   private:
    RunContext& to_;
  };

  RunContext(RunContext& parent, std::unique_ptr<Forward> forward);

  const bool ignores_stop_ = false;   // Unstoppable: only a journal failure stops it
  std::unique_ptr<Forward> forward_;  // Unstoppable: to the parent's watcher
  ObserverHub hub_;                   // forwards to the watcher under its own lock
  mutable std::mutex mu_;             // guards aborted_
  std::string aborted_;
};

/// A context for read-only work (status, plans): no journal, nobody watching; stopped only by
/// `stop` when given.
class ReadOnlyContext {
 public:
  ReadOnlyContext(const Inventory& inv, const Playbook& pb, Transport& transport, Clock& clock,
                  const CancelToken* stop = nullptr)
      : journal_(Journal::Disabled(clock)),
        ctx_(inv, pb, transport, clock, *journal_, quiet_, stop ? *stop : never_) {}

  RunContext& get() { return ctx_; }

 private:
  std::unique_ptr<Journal> journal_;
  EventLog quiet_;
  CancelToken never_;
  RunContext ctx_;
};

}  // namespace shardctl
