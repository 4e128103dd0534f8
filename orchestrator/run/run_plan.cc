// FindRun and the Plan* functions of run/resume.h: what resume, retry and rollback do with an
// earlier run, decided from its journal.
#include <algorithm>
#include <filesystem>
#include <vector>

#include "run/resume.h"

namespace shardctl {
namespace {

// True when entries hold a run header: wave-based runs and the recover runs watch starts begin
// with one; `shardctl recover` and drill runs, which share the runs dir, do not.
bool HasRunHeader(const std::vector<JournalEntry>& entries) {
  for (const JournalEntry& e : entries) {
    if (e.shard < 0 && e.step == Step::kRun && e.outcome == Outcome::kHeader) return true;
  }
  return false;
}

Result<RunJournal> Load(const std::string& path) {
  auto entries = ReadJournal(path);
  if (!entries.ok()) return entries.status();
  auto run = ReadRunJournal(*entries);
  if (!run.ok()) return run.status().Annotate(path + ": ");
  return run;
}

Result<RunJournal> NamedRun(const std::string& state_dir, const std::string& run_id) {
  if (run_id.find('/') != std::string::npos) return Status::Invalid("bad run id '" + run_id + "'");
  std::string path = JournalPath(state_dir, run_id);
  if (!std::filesystem::exists(path)) {
    return Status::NotFound("no run " + run_id + " in " + state_dir +
                            "/runs (give --state-dir if the run used another one)");
  }
  return Load(path);
}

}  // namespace

Result<RunJournal> FindRun(const std::string& state_dir, const std::string& run_id,
                           bool unfinished_only) {
  if (!run_id.empty()) return NamedRun(state_dir, run_id);
  std::vector<std::string> paths;
  std::error_code ec;
  for (const auto& f : std::filesystem::directory_iterator(state_dir + "/runs", ec)) {
    if (f.path().extension() == ".jsonl") paths.push_back(f.path().string());
  }
  std::sort(paths.rbegin(), paths.rend());  // run ids sort by start time
  for (const std::string& path : paths) {
    // A journal that cannot be read might be the unfinished run: say so rather than pass it by.
    auto entries = ReadJournal(path);
    if (!entries.ok()) {
      return Status::Invalid(
          "cannot tell whether a run is unfinished: " + entries.status().message() +
          " (repair or move that journal, or name the run to use)");
    }
    if (!HasRunHeader(*entries)) continue;
    auto run = ReadRunJournal(*entries);
    if (!run.ok()) return run.status().Annotate(path + ": ");
    if (!unfinished_only || !run->finished) return run;
  }
  return Status::NotFound(std::string("no ") + (unfinished_only ? "unfinished " : "") +
                          "rolling-restart, upgrade or rollback run in " + state_dir + "/runs");
}

Result<RunPlan> PlanResume(const RunJournal& run) {
  if (run.finished) {
    return Status::Invalid("run " + run.run_id + " finished; nothing to resume. To redo its " +
                           "failed and skipped nodes: shardctl retry " + run.run_id);
  }
  RunPlan plan;
  plan.header = *run.header;
  plan.resume_run_id = run.run_id;
  for (const auto& [name, h] : run.nodes) {
    if (h.progress == NodeProgress::kInFlight) plan.in_flight[name] = h;
    if (h.progress == NodeProgress::kDone) plan.done_before.insert(name);
    if (h.progress != NodeProgress::kInFlight && h.progress != NodeProgress::kNotStarted)
      plan.leave.insert(name);
  }
  return plan;
}

Result<RunPlan> PlanRetry(const RunJournal& run) {
  if (!run.finished) {
    return Status::Invalid("run " + run.run_id +
                           " did not finish; continue it first: shardctl resume " + run.run_id);
  }
  OperationKind kind = run.header->command;
  if (kind != OperationKind::kRollingRestart) {
    return Status::Invalid("run " + run.run_id + " is a " + OperationName(kind) +
                           "; retry redoes rolling restarts only (it would restart an upgrade's "
                           "failed nodes on their old binary). Run the " +
                           OperationName(kind) + " again instead");
  }
  RunPlan plan;
  plan.header = *run.header;
  plan.header.retry_of = run.run_id;
  plan.header.only = run.NodesIn(NodeProgress::kFailed);
  for (const std::string& n : run.NodesIn(NodeProgress::kSkipped)) plan.header.only.push_back(n);
  return plan;
}

Result<RunPlan> PlanRollback(const RunJournal& run) {
  if (run.header->command != OperationKind::kUpgrade) {
    return Status::Invalid("run " + run.run_id + " is a " + OperationName(run.header->command) +
                           ", not an upgrade");
  }
  RunPlan plan;
  plan.header = *run.header;
  plan.header.command = OperationKind::kRollback;
  plan.header.rollback_of = run.run_id;
  plan.header.release = ReleaseParams{};
  plan.header.retry_of.clear();
  plan.header.only = run.NodesIn(NodeProgress::kDone);
  return plan;
}

}  // namespace shardctl
