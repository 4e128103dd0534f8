#include "run/context.h"

namespace shardctl {
namespace {

const CancelToken& Never() {
  static const CancelToken never;
  return never;
}

}  // namespace

RunContext::RunContext(const Inventory& inv_, const Playbook& pb_, Transport& transport_,
                       Clock& clock_, Journal& journal_, Observer& watcher,
                       const CancelToken& stop_)
    : inv(inv_), pb(pb_), transport(transport_), clock(clock_), journal(journal_), stop(stop_) {
  hub_.Add(&watcher);
}

RunContext::RunContext(RunContext& parent, std::unique_ptr<Forward> forward)
    : inv(parent.inv),
      pb(parent.pb),
      transport(parent.transport),
      clock(parent.clock),
      journal(parent.journal),
      stop(Never()),
      ignores_stop_(true),
      forward_(std::move(forward)) {
  hub_.Add(forward_.get());
}

std::unique_ptr<RunContext> RunContext::Unstoppable(RunContext& parent) {
  return std::unique_ptr<RunContext>(new RunContext(parent, std::make_unique<Forward>(parent)));
}

bool RunContext::Stopping() const { return !StopReason().empty(); }

std::string RunContext::StopReason() const {
  if (journal.failed()) return "the journal could not be written (" + journal.failure() + ")";
  if (ignores_stop_) return "";
  std::string why = aborted();
  if (!why.empty()) return why;
  if (stop.cancelled()) return "interrupted by the operator";
  return "";
}

void RunContext::Abort(const std::string& why) {
  std::lock_guard<std::mutex> l(mu_);
  if (aborted_.empty()) aborted_ = why;
}

std::string RunContext::aborted() const {
  std::lock_guard<std::mutex> l(mu_);
  return aborted_;
}

}  // namespace shardctl
