// What every part of a run shares: the inventory and playbook, the transport, the clock, the
// journal, whoever watches, and the operator's stop request. Plain references; the run's owner
// keeps them alive for the run.
#pragma once

#include <memory>
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

  /// Hands e to the watcher. Thread-safe.
  void Emit(const Event& e) { hub_.OnEvent(e); }

  /// True once the operator asked to stop or the journal failed: start nothing new.
  bool Stopping() const { return stop.cancelled() || journal.failed(); }
  /// Why Stopping() is true ("" when it is not).
  std::string StopReason() const;
  /// Sleeps d through the clock in short slices; false as soon as Stopping() (then the caller
  /// ends its step early, which must leave nothing half-done).
  bool PauseUnlessStopping(Duration d);

  const Inventory& inv;
  const Playbook& pb;
  Transport& transport;
  Clock& clock;
  Journal& journal;
  const CancelToken& stop;

 private:
  ObserverHub hub_;  // forwards to the watcher under its own lock
};

/// A context for read-only work (status, plans): no journal, nobody watching, never stopped.
class ReadOnlyContext {
 public:
  ReadOnlyContext(const Inventory& inv, const Playbook& pb, Transport& transport, Clock& clock)
      : journal_(Journal::Disabled(clock)),
        ctx_(inv, pb, transport, clock, *journal_, quiet_, never_) {}

  RunContext& get() { return ctx_; }

 private:
  std::unique_ptr<Journal> journal_;
  EventLog quiet_;
  CancelToken never_;
  RunContext ctx_;
};

}  // namespace shardctl
