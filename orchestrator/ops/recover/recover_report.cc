#include "ops/recover/recover_report.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "base/text.h"

namespace shardctl {
namespace {

std::string Recovered(const ShardReport& s) {
  return s.verdict == Phase::kHealthy ? FormatDuration(s.time_to_recover) : "-";
}

}  // namespace

bool RecoveryReport::AllHealthy() const {
  if (run.interrupted && shards.empty()) return false;
  for (const ShardReport& s : shards) {
    if (!s.healthy()) return false;
  }
  return true;
}

std::string RenderMarkdownReport(const RecoveryReport& r) {
  std::ostringstream o;
  o << "# shardctl recover: " << (r.AllHealthy() ? "all shards healthy" : "NOT all shards healthy")
    << "\n\n"
    << RunInfoMarkdown(r.run) << "\n";
  o << "| shard | verdict | time to recover | restarts | height | binaries replaced | reason |\n";
  o << "|---|---|---|---|---|---|---|\n";
  for (const ShardReport& s : r.shards) {
    o << "| " << s.shard << " | " << PhaseName(s.verdict) << " | " << Recovered(s) << " | "
      << s.restarts << " | " << s.height << " | " << JoinOrDash(s.replaced_binaries) << " | "
      << MarkdownCell(s.reason) << " |\n";
  }
  for (const ShardReport& s : r.shards) {
    o << "\n## Shard " << s.shard << ": " << PhaseName(s.verdict) << "\n\n";
    if (!s.unreachable.empty()) o << "- unreachable: " << JoinOrDash(s.unreachable) << "\n";
    if (!s.far_behind.empty()) o << "- far behind: " << JoinOrDash(s.far_behind) << "\n";
    o << "\n" << TimelineMarkdown(s.timeline);
  }
  return o.str();
}

nlohmann::json ReportToJson(const RecoveryReport& r) {
  nlohmann::json shards = nlohmann::json::array();
  for (const ShardReport& s : r.shards) {
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
                      {"timeline", TimelineToJson(s.timeline)}});
  }
  nlohmann::json j = RunInfoToJson(r.run);
  j["all_healthy"] = r.AllHealthy();
  j["shards"] = shards;
  return j;
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
  if (r.run.interrupted) o << "stopped early: " << r.run.stop_reason << "\n";
  o << (r.AllHealthy() ? "all selected shards healthy" : "NOT all selected shards are healthy")
    << " (run " << r.run.run_id << ", journal " << r.run.journal_path << ")\n";
  return o.str();
}

}  // namespace shardctl
