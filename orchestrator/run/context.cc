#include "run/context.h"

#include <algorithm>

namespace shardctl {

RunContext::RunContext(const Inventory& inv_, const Playbook& pb_, Transport& transport_,
                       Clock& clock_, Journal& journal_, Observer& watcher,
                       const CancelToken& stop_)
    : inv(inv_), pb(pb_), transport(transport_), clock(clock_), journal(journal_), stop(stop_) {
  hub_.Add(&watcher);
}

std::string RunContext::StopReason() const {
  if (journal.failed()) return "the journal could not be written (" + journal.failure() + ")";
  if (stop.cancelled())
    return stop.reason().empty() ? "interrupted by the operator" : stop.reason();
  return "";
}

bool RunContext::PauseUnlessStopping(Duration d) {
  constexpr Duration kSlice{250};
  TimePoint until = clock.Now() + d;
  while (!Stopping()) {
    TimePoint now = clock.Now();
    if (now >= until) return true;
    clock.SleepFor(std::min(kSlice, until - now));
  }
  return false;
}

}  // namespace shardctl
