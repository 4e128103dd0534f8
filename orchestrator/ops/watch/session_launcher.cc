#include "ops/watch/session_launcher.h"

#include "ops/recover/recover.h"
#include "run/session.h"

namespace shardctl {
namespace {

constexpr const char* kCommand = "shardctl watch (recover)";

// Follows the run's phases and tells the watcher, before each step, what a successor would
// have to finish (ObserverHub calls it one event at a time, on the run's threads).
class ProgressObserver : public Observer {
 public:
  ProgressObserver(std::string run_id, std::map<int, RecoverResume> start,
                   RecoveryLauncher::ProgressFn fn)
      : run_id_(std::move(run_id)), progress_(std::move(start)), fn_(std::move(fn)) {}

  void OnEvent(const Event& e) override {
    if (e.kind == Event::Kind::kRunStarted) return fn_(run_id_, progress_);
    if (e.shard < 0 || progress_.count(e.shard) == 0) return;
    if (e.kind == Event::Kind::kShardDone) {
      progress_.erase(e.shard);
    } else if (e.kind == Event::Kind::kPhase && e.phase == Phase::kStop) {
      progress_[e.shard] = RecoverResume{e.round, false};
    } else if (e.kind == Event::Kind::kPhase && e.phase == Phase::kStart) {
      progress_[e.shard].starts_sent = true;
    } else {
      return;
    }
    fn_(run_id_, progress_);
  }

 private:
  const std::string run_id_;
  std::map<int, RecoverResume> progress_;
  RecoveryLauncher::ProgressFn fn_;
};

std::map<int, RecoverResume> StartingPoint(const RecoveryLauncher::Request& r) {
  std::map<int, RecoverResume> start;
  for (int id : r.shards) start[id] = r.resume.count(id) ? r.resume.at(id) : RecoverResume{};
  return start;
}

}  // namespace

// Destroyed bottom-up: the session (leases, then the run lock) before the observer it reports to.
struct SessionLauncher::InFlight {
  RealClock clock;
  std::string run_id;
  std::unique_ptr<Observer> observer;  // a ProgressObserver
  std::unique_ptr<RunSession> session;
};

SessionLauncher::SessionLauncher(const Inventory& inv, const Playbook& pb,
                                 SessionLauncherSetup setup, const CancelToken& stop)
    : inv_(inv), pb_(pb), setup_(std::move(setup)), stop_(stop) {}

SessionLauncher::~SessionLauncher() { Wait(); }

Result<std::string> SessionLauncher::Start(const Request& r, BeforeFn before, ProgressFn progress) {
  if (Running()) return Status::Internal("a recovery run is in flight already");
  if (thread_.joinable()) thread_.join();
  auto run = std::make_unique<InFlight>();
  run->run_id = NewRunId(run->clock.UnixMillis());
  run->observer = std::make_unique<ProgressObserver>(run->run_id, StartingPoint(r), progress);
  RunHeader header = setup_.header;
  header.command = OperationKind::kRecover;
  header.shards = r.shards;
  header.recover = {"watch", r.why, r.resume_of};
  SessionRequest request;
  request.state_dir = setup_.state_dir;
  request.run_id = run->run_id;
  request.command = kCommand;
  request.lease_shards = r.shards;
  request.prologue = {{Outcome::kHeader, RunHeaderToJson(header)}};
  // The decision goes to the watch journal first, then the run's own journal opens: a refused
  // decision leaves no run behind for `resume` to find.
  request.before_journal = [&before, id = run->run_id] { return before(id); };
  request.make_transport = setup_.make_transport;
  request.watcher = run->observer.get();
  request.stop = &stop_;
  request.say = setup_.say;
  auto session = RunSession::Open(inv_, pb_, run->clock, request);
  if (!session.ok()) return session.status();
  run->session = std::move(*session);
  {
    std::lock_guard<std::mutex> l(mu_);
    running_ = true;
  }
  std::string id = run->run_id;
  thread_ = std::thread(
      [this, run = std::move(run), r]() mutable { RunThread(std::move(run), std::move(r)); });
  return id;
}

void SessionLauncher::RunThread(std::unique_ptr<InFlight> run, Request r) {
  TimePoint began = run->clock.Now();
  auto report = Recover(run->session->ctx(), RecoverOptions{r.shards, false, r.resume});
  Finished f{run->run_id, {}, run->clock.Now() - began};
  for (int id : r.shards)
    f.shards[id] = {Phase::kCancelled, report.ok() ? "not run" : report.status().message()};
  if (report.ok()) {
    for (const ShardReport& s : report->shards) f.shards[s.shard] = {s.verdict, s.reason};
  }
  run.reset();  // the session's sessions, leases and run lock go back
  std::lock_guard<std::mutex> l(mu_);
  finished_ = std::move(f);
  running_ = false;
}

std::optional<RecoveryLauncher::Finished> SessionLauncher::Poll() {
  std::optional<Finished> out;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (running_ || !finished_) return std::nullopt;
    out.swap(finished_);
  }
  if (thread_.joinable()) thread_.join();
  return out;
}

bool SessionLauncher::Running() const {
  std::lock_guard<std::mutex> l(mu_);
  return running_;
}

void SessionLauncher::Wait() {
  if (thread_.joinable()) thread_.join();
}

}  // namespace shardctl
