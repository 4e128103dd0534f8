#include "engine/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>

namespace shardctl {
namespace {

using nlohmann::json;

std::string Errno(const std::string& what) { return what + ": " + std::strerror(errno); }

Status WriteAll(int fd, const std::string& data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = write(fd, data.data() + done, data.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Status::Io(Errno("journal write"));
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

}  // namespace

json JournalEntryToJson(const JournalEntry& e) {
  json j = {{"time", FormatUtc(e.unix_ms)},
            {"unix_ms", e.unix_ms},
            {"run", e.run},
            {"step", e.step},
            {"outcome", e.outcome}};
  j["shard"] = e.shard < 0 ? json(nullptr) : json(e.shard);
  j["node"] = e.node.empty() ? json(nullptr) : json(e.node);
  j["detail"] = e.detail;
  return j;
}

Result<JournalEntry> JournalEntryFromJson(const json& j, const std::string& where) {
  auto bad = [&](const char* key, const char* expected) {
    return Status::Invalid(where + ":/" + key + ": expected " + expected);
  };
  if (!j.is_object()) return Status::Invalid(where + ": expected a JSON object");
  JournalEntry e;
  if (!j.contains("unix_ms") || !j["unix_ms"].is_number_integer()) return bad("unix_ms", "integer");
  e.unix_ms = j["unix_ms"].get<int64_t>();
  for (auto [key, out] : {std::pair{"run", &e.run}, {"step", &e.step}, {"outcome", &e.outcome}}) {
    if (!j.contains(key) || !j[key].is_string()) return bad(key, "a string");
    *out = j[key].get<std::string>();
  }
  if (j.contains("shard") && j["shard"].is_number_integer()) e.shard = j["shard"].get<int>();
  if (j.contains("node") && j["node"].is_string()) e.node = j["node"].get<std::string>();
  if (j.contains("detail") && j["detail"].is_string()) e.detail = j["detail"].get<std::string>();
  return e;
}

std::string FormatUtc(int64_t unix_ms) {
  time_t secs = static_cast<time_t>(unix_ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(unix_ms % 1000));
  return out;
}

std::string NewRunId(int64_t unix_ms) {
  time_t secs = static_cast<time_t>(unix_ms / 1000);
  struct tm tm {};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  std::random_device rd;
  char suffix[8];
  std::snprintf(suffix, sizeof suffix, "%06x", rd() & 0xffffff);
  return std::string(buf) + "-" + suffix;
}

std::string DefaultStateDir() {
  const char* xdg = std::getenv("XDG_STATE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/shardctl";
  const char* home = std::getenv("HOME");
  return std::string(home != nullptr ? home : ".") + "/.local/state/shardctl";
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
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) return Status::Io(Errno("cannot open journal " + path));
  return std::unique_ptr<Journal>(new Journal(fd, path, run_id, clock));
}

std::unique_ptr<Journal> Journal::Disabled(Clock& clock) {
  return std::unique_ptr<Journal>(new Journal(-1, "", "", clock));
}

Journal::~Journal() {
  if (fd_ >= 0) close(fd_);
}

Status Journal::Append(JournalEntry e) {
  if (fd_ < 0) return Status::Ok();
  e.unix_ms = clock_.UnixMillis();
  e.run = run_id_;
  std::string line = JournalEntryToJson(e).dump(-1, ' ', false, json::error_handler_t::replace);
  line += '\n';
  std::lock_guard<std::mutex> l(mu_);
  SHARDCTL_RETURN_IF_ERROR(WriteAll(fd_, line).Annotate(path_ + ": "));
  if (fsync(fd_) != 0) return Status::Io(Errno(path_ + ": journal fsync"));
  return Status::Ok();
}

Status Journal::Record(int shard, const std::string& node, const std::string& step,
                       const std::string& outcome, const std::string& detail) {
  return Append(JournalEntry{0, "", shard, node, step, outcome, detail});
}

Result<std::vector<JournalEntry>> ReadJournal(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("cannot open journal " + path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  std::vector<JournalEntry> entries;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    std::string where = path + ":" + std::to_string(i + 1);
    json j = json::parse(lines[i], nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() && i + 1 == lines.size()) break;  // torn final write
    if (j.is_discarded()) return Status::Invalid(where + ": not a JSON line");
    auto e = JournalEntryFromJson(j, where);
    if (!e.ok()) return e.status();
    entries.push_back(std::move(*e));
  }
  return entries;
}

}  // namespace shardctl
