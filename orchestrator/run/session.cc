#include "run/session.h"

#include <pwd.h>
#include <unistd.h>

#include <set>

#include "base/text.h"

namespace shardctl {
namespace {

std::string UserName() {
  if (const passwd* pw = getpwuid(geteuid())) return pw->pw_name;
  return std::to_string(geteuid());
}

std::string HostName() {
  char buf[256] = "?";
  gethostname(buf, sizeof buf - 1);
  return buf;
}

void Say(const SessionRequest& r, const std::string& line) {
  if (r.say) r.say(line);
}

std::string ShardList(const std::vector<int>& shards) {
  std::vector<std::string> ids;
  for (int s : shards) ids.push_back(std::to_string(s));
  return Join(ids, ",");
}

}  // namespace

Result<std::unique_ptr<RunSession>> RunSession::Open(const Inventory& inv, const Playbook& pb,
                                                     Clock& clock, const SessionRequest& request) {
  std::unique_ptr<RunSession> s(new RunSession());
  LockHolder me{request.run_id,  static_cast<int>(getpid()), HostName(), UserName(),
                request.command, clock.UnixMillis()};
  std::string previous;
  auto lock = RunLock::Acquire(request.state_dir, inv.network, me, &previous);
  if (!lock.ok()) return lock.status();
  s->lock_ = std::move(*lock);
  if (!previous.empty())
    Say(request, "took over the lock of " + previous + ", which ended without releasing it");
  std::vector<std::string> notes;
  SHARDCTL_RETURN_IF_ERROR(s->TakeLeases(inv, pb, clock, request, &notes));
  if (request.before_journal) SHARDCTL_RETURN_IF_ERROR(request.before_journal());
  auto journal = Journal::Open(request.state_dir, request.run_id, clock);
  if (!journal.ok()) return journal.status();
  s->journal_ = std::move(*journal);
  for (const PrologueLine& line : request.prologue) {
    SHARDCTL_RETURN_IF_ERROR(s->journal_->Record(-1, "", Step::kRun, line.outcome, line.detail));
  }
  s->transport_ = request.make_transport();
  s->ctx_ = std::make_unique<RunContext>(inv, pb, *s->transport_, clock, *s->journal_,
                                         *request.watcher, *request.stop);
  for (const std::string& note : notes)
    s->journal_->Note(-1, "", Step::kLease, Outcome::kTookOver, note);
  s->journal_->Note(-1, "", Step::kLease, Outcome::kHeld,
                    "node leases on shard(s) " + ShardList(request.lease_shards) +
                        (inv.etcd_lock ? " and the etcd key of network " + inv.network : ""));
  RunContext* ctx = s->ctx_.get();
  auto say = request.say;
  s->leases_->Keep([ctx, say](const std::string& why) {
    if (say) say("LEASE LOST: " + why + ". Starting no new node; steps in flight finish.");
    ctx->journal.Note(-1, "", Step::kLease, Outcome::kLost, why);
    ctx->Abort("a lease was lost: " + why);
  });
  return s;
}

Status RunSession::TakeLeases(const Inventory& inv, const Playbook& pb, Clock& clock,
                              const SessionRequest& request, std::vector<std::string>* notes) {
  NodeLeaseConfig cfg;
  cfg.policy = pb.lease;
  cfg.command_timeout = pb.timeouts.command;
  LeaseHolder me{request.run_id, LocalOperator(), request.command, clock.UnixMillis() / 1000, 0};
  lease_transport_ = request.make_transport();
  leases_ = std::make_unique<RunLeases>(*lease_transport_, inv, clock, cfg, me);
  Status st = leases_->Acquire(request.lease_shards, notes);
  if (!st.ok()) {
    std::string why = request.command + " refused: " + st.message() +
                      ". Nothing was touched; `shardctl lock status` shows every holder.";
    return st.code() == Status::Code::kFailed ? Status::Locked(why) : Status::Internal(why);
  }
  for (const std::string& note : *notes) Say(request, note);
  return Status::Ok();
}

RunSession::~RunSession() { Close(); }

void RunSession::Close() {
  if (transport_) transport_->CloseAll();
  if (leases_) leases_->Release();
  if (lease_transport_) lease_transport_->CloseAll();
  lock_.reset();
}

}  // namespace shardctl
