#include "cli/run_journal.h"

#include <algorithm>
#include <filesystem>
#include <vector>

#include "engine/journal.h"

namespace shardctl::cli {
namespace {

Result<RollingJournal> Load(const std::string& path) {
  auto entries = ReadJournal(path);
  if (!entries.ok()) return entries.status();
  auto run = ReadRollingJournal(*entries);
  if (!run.ok()) return run.status().Annotate(path + ": ");
  return run;
}

}  // namespace

Result<RollingJournal> LoadRollingRun(const std::string& state_dir, const std::string& run_id,
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
    auto run = Load(path);
    if (run.ok() && (finished_too || !run->finished)) return run;
  }
  return Status::NotFound(std::string("no ") + (finished_too ? "" : "unfinished ") +
                          "rolling-restart run in " + state_dir + "/runs");
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
