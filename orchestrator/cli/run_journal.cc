#include "cli/run_journal.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "run/journal.h"

namespace shardctl::cli {
namespace {

// True when entries hold a run header: wave-based runs begin with one; recover runs, which share
// the runs dir, do not.
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

}  // namespace

Result<RunJournal> LoadRollingRun(const std::string& state_dir, const std::string& run_id,
                                  bool finished_too) {
  if (!run_id.empty()) {
    if (run_id.find('/') != std::string::npos)
      return Status::Invalid("bad run id '" + run_id + "'");
    std::string path = JournalPath(state_dir, run_id);
    if (!std::filesystem::exists(path)) {
      return Status::NotFound("no run " + run_id + " in " + state_dir +
                              "/runs (give --state-dir if the run used another one)");
    }
    return Load(path);
  }
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
    if (finished_too || !run->finished) return run;
  }
  return Status::NotFound(std::string("no ") + (finished_too ? "" : "unfinished ") +
                          "rolling-restart run in " + state_dir + "/runs");
}

bool ParseRunCommand(const std::vector<std::string>& args, const std::string& run_help,
                     const HelpText& help, CommonOptions* o, RollingRequest* r, std::string* run_id,
                     int* exit_code) {
  po::options_description d("Options");
  d.add_options()("run", po::value(run_id)->value_name("RUN_ID"), run_help.c_str());
  AddSshOptions(&d, o);
  AddOutputOptions(&d, o);
  AddActionOptions(&d, o);
  AddReportOptions(&d, o, /*planned=*/true);
  AddRollingOptions(&d, r);
  po::positional_options_description pos;
  pos.add("run", 1);
  return ParseCommandLine(args, d, &pos, help, o, exit_code);
}

void ApplyHeader(const RunHeader& h, CommonOptions* o) {
  o->inventory = h.inventory;
  o->playbook = h.playbook;
  o->shards = h.shards;
  o->nodes = h.nodes;
  o->known_hosts = h.known_hosts;
  o->accept_new_host_keys = h.accept_new_host_keys;
}

}  // namespace shardctl::cli
