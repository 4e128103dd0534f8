#include "sim/net_faults.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

namespace vsim {

using shardctl::Result;
using shardctl::Status;

namespace {

Status LineError(const std::string& source, int line, const std::string& what) {
  return Status::Invalid(source + ":" + std::to_string(line) + ": " + what);
}

/// Parses a whole non-negative number of milliseconds up to one hour.
bool ParseMillis(const std::string& word, int64_t* out) {
  if (word.empty() || word.size() > 7 ||
      !std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  *out = std::stoll(word);
  return *out <= 3'600'000;
}

}  // namespace

std::string NetFaults::Describe() const {
  if (empty()) return "none";
  std::string out;
  if (block_all) {
    out = "block every peer";
  } else if (!blocked.empty()) {
    out = "block ";
    for (const std::string& p : blocked) out += (out.size() > 6 ? "," : "") + p;
  }
  if (delay.count() > 0) {
    out +=
        (out.empty() ? "" : "; ") + std::string("delay ") + std::to_string(delay.count()) + " ms";
  }
  return out;
}

Result<NetFaults> ParseNetFaults(const std::string& text, const std::string& source) {
  NetFaults f;
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    line = line.substr(0, line.find('#'));
    std::istringstream words(line);
    std::string key, value, extra;
    if (!(words >> key)) continue;
    if (!(words >> value) || (words >> extra)) {
      return LineError(source, n,
                       "expected \"block PEER\" or \"delay_ms N\", found \"" + line + "\"");
    }
    if (key == "block") {
      if (value == "*")
        f.block_all = true;
      else
        f.blocked.insert(value);
    } else if (key == "delay_ms") {
      int64_t ms = 0;
      if (!ParseMillis(value, &ms)) {
        return LineError(
            source, n, "delay_ms: expected whole milliseconds 0..3600000, found \"" + value + "\"");
      }
      f.delay = Duration(ms);
    } else {
      return LineError(source, n, "unknown key \"" + key + "\" (allowed: block, delay_ms)");
    }
  }
  return f;
}

std::optional<std::string> NetFaultsFile::Refresh() {
  struct stat st {};
  std::string stamp;
  if (stat(path_.c_str(), &st) == 0) {
    stamp = std::to_string(st.st_size) + ":" + std::to_string(st.st_mtim.tv_sec) + "." +
            std::to_string(st.st_mtim.tv_nsec) + ":" + std::to_string(st.st_ino);
  }
  if (stamp == stamp_) return std::nullopt;
  stamp_ = stamp;
  NetFaults next;
  if (!stamp.empty()) {
    std::ifstream in(path_);
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = ParseNetFaults(ss.str(), path_);
    if (!parsed.ok()) {
      return "net faults: ignoring " + parsed.status().message() +
             "; still in force: " + current_.Describe();
    }
    next = *parsed;
  }
  if (next == current_) return std::nullopt;
  current_ = next;
  return "net faults: " + current_.Describe();
}

void DelayQueue::Push(Item item) {
  auto pos = std::upper_bound(items_.begin(), items_.end(), item.due,
                              [](TimePoint due, const Item& i) { return due < i.due; });
  items_.insert(pos, std::move(item));
}

std::vector<DelayQueue::Item> DelayQueue::PopDue(TimePoint now) {
  std::vector<Item> out;
  while (!items_.empty() && items_.front().due <= now) {
    out.push_back(std::move(items_.front()));
    items_.pop_front();
  }
  return out;
}

std::optional<TimePoint> DelayQueue::NextDue() const {
  if (items_.empty()) return std::nullopt;
  return items_.front().due;
}

}  // namespace vsim
