// What every part of a recovery run shares. Plain references; the run's owner keeps them alive.
#pragma once

#include <string>

#include "base/cancel.h"
#include "base/clock.h"
#include "engine/events.h"
#include "engine/journal.h"
#include "model/playbook.h"
#include "transport/transport.h"

namespace shardctl {

struct EngineContext {
  const Playbook& pb;
  Transport& transport;
  Clock& clock;
  Journal& journal;
  Observer& observer;  // calls must already be serialised (e.g. an ObserverHub)
  const CancelToken& cancel;

  /// Sleeps d through the clock in short slices, returning false as soon as the run is
  /// cancelled. The only place the engine waits.
  bool Pause(Duration d);
};

}  // namespace shardctl
