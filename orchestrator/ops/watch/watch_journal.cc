#include "ops/watch/watch_journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/text.h"
#include "lock/lease_holder.h"
#include "model/json_reader.h"
#include "model/json_text.h"

namespace shardctl {
namespace {

using nlohmann::json;

// One read hands back at most this much (a watcher reads every interval; a report reads all).
constexpr size_t kMaxRead = size_t{64} << 20;

// The bytes of path from offset on (at most kMaxRead); "" for a missing file.
Result<std::string> ReadTail(const std::string& path, uint64_t offset) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0 && errno == ENOENT) return std::string();
  if (fd < 0) return Status::Io("cannot read " + path + ": " + std::strerror(errno));
  struct stat st {};
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return Status::Invalid(path + ": expected a regular file (the watch journal)");
  }
  std::string out;
  uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size > offset) out.resize(std::min<uint64_t>(size - offset, kMaxRead));
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  close(fd);
  out.resize(done);
  return out;
}

bool EndsTorn(const std::string& path) {
  std::error_code ec;
  auto size = std::filesystem::file_size(path, ec);
  if (ec || size == 0) return false;
  uint64_t at = size - 1;
  auto last = ReadTail(path, at);
  return last.ok() && !last->empty() && last->back() != '\n';
}

json EntryJson(const WatchEntry& e) {
  json j = {{"time", FormatUtc(e.unix_ms)},
            {"unix_ms", e.unix_ms},
            {"watcher", e.watcher},
            {"event", WatchEventName(e.event)},
            {"shard", e.shard < 0 ? json(nullptr) : json(e.shard)},
            {"detail", e.detail}};
  if (e.event == WatchEvent::kState) {
    j["from"] = ShardStateName(e.from);
    j["to"] = ShardStateName(e.to);
    j["last_block_unix_ms"] = e.last_block_unix_ms;
  }
  if (e.event == WatchEvent::kDecision) {
    j["acted"] = e.acted;
    if (e.guardrail) j["guardrail"] = GuardrailName(*e.guardrail);
  }
  if (!e.run_id.empty()) j["run"] = e.run_id;
  if (e.result) j["result"] = PhaseName(*e.result);
  if (e.alert) j["alert"] = AlertNameText(*e.alert);
  if (e.event == WatchEvent::kAlert) j["resolved"] = e.resolved;
  if (e.role) j["role"] = WatchRoleName(*e.role);
  return j;
}

// Reads an optional enum-valued string field through its one parser.
template <typename T, typename Parse>
Status ReadEnum(const json& j, const char* key, const std::string& where, Parse parse,
                std::optional<T>* out) {
  if (!j.contains(key)) return Status::Ok();
  auto v = j[key].is_string() ? parse(j[key].get<std::string>()) : std::nullopt;
  if (!v)
    return Status::Invalid(where + ":/" + key + ": expected a known value, found " +
                           DescribeJson(j[key]));
  *out = *v;
  return Status::Ok();
}

Status ReadStateFields(const json& j, const std::string& where, WatchEntry* e) {
  std::optional<ShardState> from, to;
  SHARDCTL_RETURN_IF_ERROR(ReadEnum(j, "from", where, ParseShardState, &from));
  SHARDCTL_RETURN_IF_ERROR(ReadEnum(j, "to", where, ParseShardState, &to));
  if (!to) return Status::Invalid(where + ":/to: expected a shard state");
  e->from = from.value_or(ShardState::kUnknown);
  e->to = *to;
  if (j.contains("last_block_unix_ms") && j["last_block_unix_ms"].is_number_integer()) {
    e->last_block_unix_ms = j["last_block_unix_ms"].get<int64_t>();
  }
  return Status::Ok();
}

Status ReadTypedFields(const json& j, const std::string& where, WatchEntry* e) {
  if (e->event == WatchEvent::kState) SHARDCTL_RETURN_IF_ERROR(ReadStateFields(j, where, e));
  SHARDCTL_RETURN_IF_ERROR(ReadEnum(j, "guardrail", where, ParseGuardrail, &e->guardrail));
  SHARDCTL_RETURN_IF_ERROR(ReadEnum(j, "result", where, ParsePhase, &e->result));
  SHARDCTL_RETURN_IF_ERROR(ReadEnum(j, "alert", where, ParseAlertName, &e->alert));
  SHARDCTL_RETURN_IF_ERROR(ReadEnum(j, "role", where, ParseWatchRole, &e->role));
  e->acted = j.value("acted", false);
  e->resolved = j.value("resolved", false);
  e->run_id = j.value("run", "");
  return Status::Ok();
}

}  // namespace

std::string WatchEntryLine(const WatchEntry& e) { return ToJsonText(EntryJson(e)); }

Result<WatchEntry> ParseWatchEntry(const std::string& line, const std::string& where) {
  auto parsed = ParseJsonText(line, where);
  if (!parsed.ok()) return parsed.status();
  const json& j = *parsed;
  if (!j.is_object()) return Status::Invalid(where + ": expected a JSON object");
  WatchEntry e;
  if (!j.contains("unix_ms") || !j["unix_ms"].is_number_integer()) {
    return Status::Invalid(where + ":/unix_ms: expected an integer");
  }
  e.unix_ms = j["unix_ms"].get<int64_t>();
  std::optional<WatchEvent> event;
  SHARDCTL_RETURN_IF_ERROR(ReadEnum(j, "event", where, ParseWatchEvent, &event));
  if (!event) return Status::Invalid(where + ":/event: expected a watch event");
  e.event = *event;
  if (j.contains("shard") && j["shard"].is_number_integer()) e.shard = j["shard"].get<int>();
  if (j.contains("detail") && j["detail"].is_string()) e.detail = j["detail"].get<std::string>();
  if (j.contains("watcher") && j["watcher"].is_string()) e.watcher = j["watcher"];
  SHARDCTL_RETURN_IF_ERROR(ReadTypedFields(j, where, &e));
  return e;
}

std::string WatchJournalPath(const std::string& state_dir, const std::string& network) {
  return state_dir + "/watch/" + network + ".jsonl";
}

std::string ThisWatcher() { return LocalOperator() + " pid " + std::to_string(getpid()); }

Result<std::unique_ptr<WatchJournal>> WatchJournal::Open(const std::string& state_dir,
                                                         const std::string& network, Clock& clock) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir + "/watch", ec);
  if (ec) return Status::Io("cannot create " + state_dir + "/watch: " + ec.message());
  chmod(state_dir.c_str(), 0700);
  chmod((state_dir + "/watch").c_str(), 0700);
  auto file = AppendFile::Open(WatchJournalPath(state_dir, network));
  if (!file.ok()) return file.status().Annotate("watch journal: ");
  // A line torn by a crash is ended here, so the next line does not run into it.
  if (EndsTorn((*file)->path())) SHARDCTL_RETURN_IF_ERROR((*file)->Append("\n"));
  return std::unique_ptr<WatchJournal>(new WatchJournal(std::move(*file), clock));
}

Status WatchJournal::Append(WatchEntry e) {
  e.unix_ms = clock_.UnixMillis();
  e.watcher = watcher_;
  Status s = file_->Append(WatchEntryLine(e) + '\n');
  std::lock_guard<std::mutex> l(mu_);
  if (!s.ok() && failure_.empty()) failure_ = s.message();
  return s;
}

bool WatchJournal::failed() const { return !failure().empty(); }

std::string WatchJournal::failure() const {
  std::lock_guard<std::mutex> l(mu_);
  return failure_;
}

Result<std::vector<WatchEntry>> ReadWatchJournalFrom(const std::string& path, uint64_t* offset) {
  auto text = ReadTail(path, *offset);
  if (!text.ok()) return text.status();
  std::vector<WatchEntry> out;
  size_t pos = 0;
  for (size_t nl; (nl = text->find('\n', pos)) != std::string::npos; pos = nl + 1) {
    std::string line = text->substr(pos, nl - pos);
    // Not JSON at all: a line torn by a crash mid-write (Open ends it), never a written one.
    if (line.empty() || !nlohmann::json::accept(line)) continue;
    auto e = ParseWatchEntry(line, path + " (byte " + std::to_string(*offset + pos) + ")");
    if (!e.ok()) return e.status();
    out.push_back(std::move(*e));
  }
  *offset += pos;
  return out;
}

}  // namespace shardctl
