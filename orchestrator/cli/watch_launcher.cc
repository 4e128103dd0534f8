#include "cli/watch_launcher.h"

#include <filesystem>

#include "cli/lease_step.h"
#include "cli/run_guard.h"
#include "ops/recover/recover.h"
#include "run/resume.h"
#include "run/run_lock.h"

namespace shardctl::cli {
namespace {

constexpr const char* kCommand = "shardctl watch (recover)";

std::string Absolute(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  return ec ? path : abs.string();
}

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

}  // namespace

// Destroyed bottom-up: the leases' renewals stop first, the run lock goes last.
struct WatchLauncher::Held {
  RealClock clock;
  CancelToken never;  // commands in flight always finish
  std::string run_id;
  std::unique_ptr<RunLock> lock;
  std::unique_ptr<Journal> journal;
  std::vector<std::string> notes;  // expired leases taken over, for the journal
  std::unique_ptr<Transport> lease_transport;
  std::unique_ptr<RunLeases> leases;
};

WatchLauncher::WatchLauncher(const CommonOptions& o, const Inventory& inv, const Playbook& pb,
                             std::string state_dir, const CancelToken& stop)
    : o_(o), inv_(inv), pb_(pb), state_dir_(std::move(state_dir)), stop_(stop) {}

WatchLauncher::~WatchLauncher() { Wait(); }

Result<std::unique_ptr<WatchLauncher::Held>> WatchLauncher::Lock(const Request& r,
                                                                 const std::string& run_id) {
  auto h = std::make_unique<Held>();
  h->run_id = run_id;
  std::string previous;
  auto lock =
      RunLock::Acquire(state_dir_, inv_.network, ThisProcessHolder(run_id, kCommand), &previous);
  if (!lock.ok()) return lock.status();
  h->lock = std::move(*lock);
  h->lease_transport = MakeTransport(o_, &h->never);
  NodeLeaseConfig cfg{pb_.lease, pb_.timeouts.command};
  LeaseHolder me{run_id, LocalOperator(), kCommand, h->clock.UnixMillis() / 1000, 0};
  h->leases = std::make_unique<RunLeases>(*h->lease_transport, inv_, h->clock, cfg, me);
  SHARDCTL_RETURN_IF_ERROR(h->leases->Acquire(r.shards, &h->notes));
  return h;
}

Status WatchLauncher::OpenJournal(const Request& r, Held* h) {
  auto journal = Journal::Open(state_dir_, h->run_id, h->clock);
  if (!journal.ok()) return journal.status();
  h->journal = std::move(*journal);
  RunHeader header;
  header.command = "recover";
  header.inventory = Absolute(o_.inventory);
  header.playbook = Absolute(o_.playbook);
  header.shards = r.shards;
  header.known_hosts = o_.known_hosts;
  header.accept_new_host_keys = o_.accept_new_host_keys;
  header.params = {{"started_by", "watch"}, {"why", r.why}};
  if (!r.resume_of.empty()) header.params["resume_of"] = r.resume_of;
  SHARDCTL_RETURN_IF_ERROR(
      h->journal->Record(-1, "", Step::kRun, Outcome::kHeader, RunHeaderToJson(header)));
  KeepLeases(*h->leases, LeaseRequest{r.shards, h->run_id, kCommand}, inv_, h->notes,
             h->journal.get(), nullptr);  // recover finishes its shards even when a lease is lost
  return Status::Ok();
}

Result<std::string> WatchLauncher::Start(const Request& r, BeforeFn before, ProgressFn progress) {
  if (Running()) return Status::Internal("a recovery run is in flight already");
  if (thread_.joinable()) thread_.join();
  std::string run_id = NewRunId(RealClock().UnixMillis());
  auto held = Lock(r, run_id);
  if (!held.ok()) return held.status();
  // The decision goes to the watch journal first, then the run's own journal opens: a refused
  // decision leaves no run behind for `resume` to find. Held's destructors give the lock back.
  SHARDCTL_RETURN_IF_ERROR(before(run_id));
  SHARDCTL_RETURN_IF_ERROR(OpenJournal(r, held->get()));
  {
    std::lock_guard<std::mutex> l(mu_);
    running_ = true;
  }
  thread_ = std::thread([this, h = std::move(*held), r, progress]() mutable {
    RunThread(std::move(h), r, progress);
  });
  return run_id;
}

void WatchLauncher::RunThread(std::unique_ptr<Held> h, Request r, ProgressFn progress) {
  TimePoint began = h->clock.Now();
  std::map<int, RecoverResume> start;
  for (int id : r.shards) start[id] = r.resume.count(id) ? r.resume.at(id) : RecoverResume{};
  ProgressObserver observer(h->run_id, start, progress);
  auto transport = MakeTransport(o_, &h->never);
  RunContext ctx(inv_, pb_, *transport, h->clock, *h->journal, observer, stop_);
  auto report = Recover(ctx, RecoverOptions{r.shards, false, r.resume});
  Finished f{h->run_id, {}, h->clock.Now() - began};
  for (int id : r.shards)
    f.shards[id] = {Phase::kCancelled, report.ok() ? "not run" : report.status().message()};
  if (report.ok()) {
    for (const ShardReport& s : report->shards) f.shards[s.shard] = {s.verdict, s.reason};
  }
  transport->CloseAll();
  h->leases->Release();
  h->lease_transport->CloseAll();
  h.reset();  // the run lock goes last
  std::lock_guard<std::mutex> l(mu_);
  finished_ = std::move(f);
  running_ = false;
}

std::optional<RecoveryLauncher::Finished> WatchLauncher::Poll() {
  std::optional<Finished> out;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (running_ || !finished_) return std::nullopt;
    out.swap(finished_);
  }
  if (thread_.joinable()) thread_.join();
  return out;
}

bool WatchLauncher::Running() const {
  std::lock_guard<std::mutex> l(mu_);
  return running_;
}

void WatchLauncher::Wait() {
  if (thread_.joinable()) thread_.join();
}

EtcdPeers::EtcdPeers(const EtcdLockConfig& cfg, const std::string& network, Clock& clock,
                     Duration tick)
    : client_(cfg),
      key_(InFlightRecoveryKey(cfg, network)),
      election_(client_, network,
                LeaseHolder{"watch", LocalOperator(), "shardctl watch --act",
                            clock.UnixMillis() / 1000, 0},
                clock, tick) {
  election_.Start();
}

Status EtcdPeers::SaveInFlight(const std::string& record) {
  return record.empty() ? client_.Delete(key_) : client_.Put(key_, record);
}

Result<std::string> EtcdPeers::LoadInFlight() {
  auto kv = client_.Get(key_);
  if (!kv.ok()) return kv.status();
  return *kv ? (*kv)->value : std::string();
}

}  // namespace shardctl::cli
