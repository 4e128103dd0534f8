#include "run/journal.h"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

#include "base/read_file.h"
#include "base/text.h"
#include "model/json_text.h"

namespace shardctl {
namespace {

using nlohmann::json;

bool CarriesPhase(const JournalStep& s) { return s.step == Step::kPhase || s.step == Step::kShard; }

// Reads "step" and "outcome" into e through the schema's mapping.
Status ReadStepAndOutcome(const json& j, const std::string& where, JournalEntry* e) {
  auto bad = [&](const char* key, const std::string& expected) {
    return Status::Invalid(where + ":/" + key + ": expected " + expected);
  };
  for (const char* key : {"step", "outcome"}) {
    if (!j.contains(key) || !j[key].is_string()) return bad(key, "a string");
  }
  std::string step = j["step"].get<std::string>(), outcome = j["outcome"].get<std::string>();
  auto s = ParseStep(step);
  if (!s) return bad("step", "a journal step, found \"" + step + "\"");
  e->step = *s;
  if (CarriesPhase(*s)) {
    auto p = ParsePhase(outcome);
    if (!p) return bad("outcome", "a phase, found \"" + outcome + "\"");
    e->phase = *p;
  } else {
    auto o = ParseOutcome(outcome);
    if (!o) return bad("outcome", "a journal outcome, found \"" + outcome + "\"");
    e->outcome = *o;
  }
  return Status::Ok();
}

}  // namespace

std::string JournalEntry::OutcomeText() const {
  return CarriesPhase(step) ? PhaseName(phase) : OutcomeName(outcome);
}

std::string JournalLine(const JournalEntry& e) {
  json j = {{"time", FormatUtc(e.unix_ms)},
            {"unix_ms", e.unix_ms},
            {"run", e.run},
            {"step", StepName(e.step)},
            {"outcome", e.OutcomeText()}};
  j["shard"] = e.shard < 0 ? json(nullptr) : json(e.shard);
  j["node"] = e.node.empty() ? json(nullptr) : json(e.node);
  j["detail"] = e.detail;
  return ToJsonText(j);
}

Result<JournalEntry> ParseJournalLine(const std::string& line, const std::string& where) {
  auto parsed = ParseJsonText(line, where);
  if (!parsed.ok()) return Status::Invalid(where + ": not a JSON line");
  const json& j = *parsed;
  if (!j.is_object()) return Status::Invalid(where + ": expected a JSON object");
  JournalEntry e;
  if (!j.contains("unix_ms") || !j["unix_ms"].is_number_integer()) {
    return Status::Invalid(where + ":/unix_ms: expected integer");
  }
  e.unix_ms = j["unix_ms"].get<int64_t>();
  if (!j.contains("run") || !j["run"].is_string()) {
    return Status::Invalid(where + ":/run: expected a string");
  }
  e.run = j["run"].get<std::string>();
  SHARDCTL_RETURN_IF_ERROR(ReadStepAndOutcome(j, where, &e));
  if (j.contains("shard") && j["shard"].is_number_integer()) e.shard = j["shard"].get<int>();
  if (j.contains("node") && j["node"].is_string()) e.node = j["node"].get<std::string>();
  if (j.contains("detail") && j["detail"].is_string()) e.detail = j["detail"].get<std::string>();
  return e;
}

std::string NewRunId(int64_t unix_ms) {
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", rd() & 0xffffff);
  return FormatUtcAs(unix_ms, "%Y%m%dT%H%M%SZ") + "-" + suffix;
}

std::string DefaultStateDir() {
  const char* xdg = std::getenv("XDG_STATE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/shardctl";
  const char* home = std::getenv("HOME");
  std::string h = home != nullptr ? home : "";
  if (h.empty() || h[0] != '/') {  // never relative to the current directory
    const passwd* pw = getpwuid(getuid());
    h = pw != nullptr && pw->pw_dir != nullptr ? pw->pw_dir : "";
  }
  if (h.empty() || h[0] != '/') return "";
  return h + "/.local/state/shardctl";
}

std::string JournalPath(const std::string& state_dir, const std::string& run_id) {
  return state_dir + "/runs/" + run_id + ".jsonl";
}

Result<std::unique_ptr<Journal>> Journal::Open(const std::string& state_dir,
                                               const std::string& run_id, Clock& clock) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir + "/runs", ec);
  if (ec) return Status::Io("cannot create " + state_dir + "/runs: " + ec.message());
  chmod(state_dir.c_str(), 0700);
  std::string path = JournalPath(state_dir, run_id);
  auto file = AppendFile::Open(path);
  if (!file.ok()) return file.status().Annotate("journal: ");
  return std::unique_ptr<Journal>(new Journal(std::move(*file), path, run_id, clock));
}

std::unique_ptr<Journal> Journal::Disabled(Clock& clock) {
  return std::unique_ptr<Journal>(new Journal(nullptr, "", "", clock));
}

Journal::~Journal() = default;

Status Journal::Append(JournalEntry e) {
  if (!file_) return Status::Ok();
  e.unix_ms = clock_.UnixMillis();
  e.run = run_id_;
  Status s = file_->Append(JournalLine(e) + '\n');
  std::lock_guard<std::mutex> l(mu_);
  if (!s.ok() && failure_.empty()) failure_ = s.message();
  return s;
}

Status Journal::Record(int shard, const std::string& node, JournalStep step, Outcome outcome,
                       const std::string& detail) {
  JournalEntry e;
  e.shard = shard;
  e.node = node;
  e.step = step;
  e.outcome = outcome;
  e.detail = detail;
  return Append(std::move(e));
}

void Journal::Note(int shard, const std::string& node, JournalStep step, Outcome outcome,
                   const std::string& detail) {
  (void)Record(shard, node, step, outcome, detail);  // kept in failure_
}

Status Journal::RecordPhase(int shard, Step step, Phase phase, const std::string& detail) {
  JournalEntry e;
  e.shard = shard;
  e.step = step;
  e.phase = phase;
  e.detail = detail;
  return Append(std::move(e));
}

std::string Journal::failure() const {
  std::lock_guard<std::mutex> l(mu_);
  return failure_;
}

Result<std::vector<JournalEntry>> ReadJournal(const std::string& path) {
  auto text = ReadRegularFile(path, kMaxJournalBytes);
  if (!text.ok()) return text.status();
  return ParseJournalText(*text, path);
}

Result<std::vector<JournalEntry>> ParseJournalText(const std::string& text,
                                                   const std::string& path) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<JournalEntry> entries;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    auto e = ParseJournalLine(lines[i], path + ":" + std::to_string(i + 1));
    bool torn = i + 1 == lines.size() && !nlohmann::json::accept(lines[i]);
    if (torn) break;  // a crash mid-write leaves the last line cut short
    if (!e.ok()) return e.status();
    entries.push_back(std::move(*e));
  }
  return entries;
}

}  // namespace shardctl
