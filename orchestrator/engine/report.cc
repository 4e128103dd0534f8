#include "engine/report.h"

#include <cstdio>
#include <sstream>

#include "engine/journal.h"

namespace shardctl {
namespace {

std::string Recovered(const ShardReport& s) {
  return s.verdict == Phase::kHealthy ? FormatDuration(s.time_to_recover) : "-";
}

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s)
    out += c == '|' ? std::string("\\|") : c == '\n' ? std::string(" ") : std::string(1, c);
  return out;
}

}  // namespace

bool RecoveryReport::AllHealthy() const {
  for (const ShardReport& s : shards) {
    if (!s.healthy()) return false;
  }
  return true;
}

std::string JoinOrDash(const std::vector<std::string>& v) {
  if (v.empty()) return "-";
  std::string out;
  for (const std::string& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

std::string FormatDuration(Duration d) {
  int64_t ms = d.count();
  char buf[48];
  if (ms < 1000) {
    std::snprintf(buf, sizeof buf, "%lldms", static_cast<long long>(ms));
  } else if (ms < 60000) {
    std::snprintf(buf, sizeof buf, "%.1fs", ms / 1000.0);
  } else {
    std::snprintf(buf, sizeof buf, "%lldm%04.1fs", static_cast<long long>(ms / 60000),
                  (ms % 60000) / 1000.0);
  }
  return buf;
}

std::string RenderMarkdownReport(const RecoveryReport& r) {
  std::ostringstream o;
  o << "# shardctl recover: " << (r.AllHealthy() ? "all shards healthy" : "NOT all shards healthy")
    << "\n\n";
  o << "- run: `" << r.run_id << "`\n- network: " << r.network << "\n- playbook: `" << r.playbook
    << "`\n- journal: `" << r.journal_path << "`\n- started: " << FormatUtc(r.started_unix_ms)
    << "\n- finished: " << FormatUtc(r.finished_unix_ms) << " ("
    << FormatDuration(Duration(r.finished_unix_ms - r.started_unix_ms)) << ")\n\n";
  o << "| shard | verdict | time to recover | restarts | height | binaries replaced | reason |\n";
  o << "|---|---|---|---|---|---|---|\n";
  for (const ShardReport& s : r.shards) {
    o << "| " << s.shard << " | " << PhaseName(s.verdict) << " | " << Recovered(s) << " | "
      << s.restarts << " | " << s.height << " | " << JoinOrDash(s.replaced_binaries) << " | "
      << Escape(s.reason) << " |\n";
  }
  for (const ShardReport& s : r.shards) {
    o << "\n## Shard " << s.shard << ": " << PhaseName(s.verdict) << "\n\n";
    if (!s.unreachable.empty()) o << "- unreachable: " << JoinOrDash(s.unreachable) << "\n";
    if (!s.far_behind.empty()) o << "- far behind: " << JoinOrDash(s.far_behind) << "\n";
    o << "\n| time (UTC) | +elapsed | what |\n|---|---|---|\n";
    for (const TimelineEntry& t : s.timeline) {
      o << "| " << FormatUtc(t.unix_ms).substr(11) << " | " << FormatDuration(t.elapsed) << " | "
        << Escape(t.what) << " |\n";
    }
  }
  return o.str();
}

nlohmann::json ReportToJson(const RecoveryReport& r) {
  nlohmann::json shards = nlohmann::json::array();
  for (const ShardReport& s : r.shards) {
    nlohmann::json timeline = nlohmann::json::array();
    for (const TimelineEntry& t : s.timeline) {
      timeline.push_back(
          {{"time", FormatUtc(t.unix_ms)}, {"elapsed_ms", t.elapsed.count()}, {"what", t.what}});
    }
    shards.push_back({{"shard", s.shard},
                      {"verdict", PhaseName(s.verdict)},
                      {"healthy", s.healthy()},
                      {"reason", s.reason},
                      {"restarts", s.restarts},
                      {"time_to_recover_ms", s.time_to_recover.count()},
                      {"height", s.height},
                      {"replaced_binaries", s.replaced_binaries},
                      {"far_behind", s.far_behind},
                      {"unreachable", s.unreachable},
                      {"timeline", timeline}});
  }
  return {{"run", r.run_id},
          {"network", r.network},
          {"playbook", r.playbook},
          {"journal", r.journal_path},
          {"started", FormatUtc(r.started_unix_ms)},
          {"finished", FormatUtc(r.finished_unix_ms)},
          {"all_healthy", r.AllHealthy()},
          {"shards", shards}};
}

std::string RenderTextSummary(const RecoveryReport& r) {
  std::ostringstream o;
  for (const ShardReport& s : r.shards) {
    o << "shard " << s.shard << ": " << PhaseName(s.verdict);
    if (s.verdict == Phase::kHealthy) o << " in " << FormatDuration(s.time_to_recover);
    o << ", " << s.restarts << " restart(s), height " << s.height << "\n    " << s.reason << "\n";
    if (!s.replaced_binaries.empty())
      o << "    binaries replaced: " << JoinOrDash(s.replaced_binaries) << "\n";
    if (!s.far_behind.empty()) o << "    far behind: " << JoinOrDash(s.far_behind) << "\n";
    if (!s.unreachable.empty()) o << "    unreachable: " << JoinOrDash(s.unreachable) << "\n";
  }
  o << (r.AllHealthy() ? "all selected shards healthy" : "NOT all selected shards are healthy")
    << " (run " << r.run_id << ", journal " << r.journal_path << ")\n";
  return o.str();
}

}  // namespace shardctl
