#include "engine/engine_context.h"

#include <algorithm>

namespace shardctl {

bool EngineContext::Pause(Duration d) {
  constexpr Duration kSlice{250};
  TimePoint until = clock.Now() + d;
  while (!cancel.cancelled()) {
    TimePoint now = clock.Now();
    if (now >= until) return true;
    clock.SleepFor(std::min(kSlice, until - now));
  }
  return false;
}

}  // namespace shardctl
