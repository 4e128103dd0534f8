#include "engine/rolling_report.h"

#include <sstream>

#include "engine/journal.h"
#include "engine/report.h"

namespace shardctl {
namespace {

std::vector<std::string> FailedLines(const RollingShardReport& s) {
  std::vector<std::string> out;
  for (const auto& [node, why] : s.failed) out.push_back(node + " (" + why + ")");
  return out;
}

std::string Waves(const RollingShardReport& s) {
  std::string out;
  for (const auto& w : s.waves)
    out += (out.empty() ? "" : " -> ") + std::string("[") + JoinOrDash(w) + "]";
  return out.empty() ? "-" : out;
}

std::string Headline(const RollingReport& r) {
  if (r.AllDone()) return "every selected node restarted";
  if (r.cancelled) return "interrupted";
  if (r.BudgetSpent()) return "stopped: failure budget spent";
  return "NOT every selected node restarted";
}

}  // namespace

bool RollingReport::AllDone() const {
  if (cancelled) return false;
  for (const RollingShardReport& s : shards) {
    if (s.verdict != Phase::kHealthy) return false;  // only set when every target is done
  }
  return true;
}

std::string RenderRollingText(const RollingReport& r) {
  std::ostringstream o;
  for (const RollingShardReport& s : r.shards) {
    o << "shard " << s.shard << ": " << PhaseName(s.verdict) << ", " << s.done.size()
      << " restarted, longest stall " << FormatDuration(s.longest_stall) << "\n";
    if (!s.reason.empty()) o << "    " << s.reason << "\n";
    o << "    waves: " << Waves(s) << "\n";
    if (!s.failed.empty()) o << "    failed: " << JoinOrDash(FailedLines(s)) << "\n";
    if (!s.skipped.empty()) o << "    skipped: " << JoinOrDash(s.skipped) << "\n";
    if (!s.not_started.empty()) o << "    not started: " << JoinOrDash(s.not_started) << "\n";
    if (!s.replaced_binaries.empty())
      o << "    binaries replaced: " << JoinOrDash(s.replaced_binaries) << "\n";
  }
  o << Headline(r) << "; failures " << r.failures << " (budget " << r.failure_budget << ") (run "
    << r.run_id << ", journal " << r.journal_path << ")\n";
  return o.str();
}

std::string RenderRollingMarkdown(const RollingReport& r) {
  std::ostringstream o;
  o << "# shardctl rolling-restart: " << Headline(r) << "\n\n";
  o << "- run: `" << r.run_id << "`\n- network: " << r.network << "\n- playbook: `" << r.playbook
    << "`\n- journal: `" << r.journal_path << "`\n- started: " << FormatUtc(r.started_unix_ms)
    << "\n- finished: " << FormatUtc(r.finished_unix_ms) << " ("
    << FormatDuration(Duration(r.finished_unix_ms - r.started_unix_ms))
    << ")\n- failures: " << r.failures << " (budget " << r.failure_budget << ")\n\n";
  o << "| shard | verdict | restarted | failed | skipped | not started | longest stall |\n";
  o << "|---|---|---|---|---|---|---|\n";
  for (const RollingShardReport& s : r.shards) {
    o << "| " << s.shard << " | " << PhaseName(s.verdict) << " | " << JoinOrDash(s.done) << " | "
      << JoinOrDash(FailedLines(s)) << " | " << JoinOrDash(s.skipped) << " | "
      << JoinOrDash(s.not_started) << " | " << FormatDuration(s.longest_stall) << " |\n";
  }
  for (const RollingShardReport& s : r.shards) {
    o << "\n## Shard " << s.shard << "\n\n- waves: " << Waves(s) << "\n";
    if (!s.reason.empty()) o << "- " << s.reason << "\n";
  }
  return o.str();
}

nlohmann::json RollingReportToJson(const RollingReport& r) {
  nlohmann::json shards = nlohmann::json::array();
  for (const RollingShardReport& s : r.shards) {
    nlohmann::json failed = nlohmann::json::object();
    for (const auto& [node, why] : s.failed) failed[node] = why;
    shards.push_back({{"shard", s.shard},
                      {"verdict", PhaseName(s.verdict)},
                      {"reason", s.reason},
                      {"waves", s.waves},
                      {"done", s.done},
                      {"failed", failed},
                      {"skipped", s.skipped},
                      {"not_started", s.not_started},
                      {"replaced_binaries", s.replaced_binaries},
                      {"longest_stall_ms", s.longest_stall.count()}});
  }
  return {{"run", r.run_id},
          {"network", r.network},
          {"playbook", r.playbook},
          {"journal", r.journal_path},
          {"started", FormatUtc(r.started_unix_ms)},
          {"finished", FormatUtc(r.finished_unix_ms)},
          {"all_done", r.AllDone()},
          {"cancelled", r.cancelled},
          {"failures", r.failures},
          {"failure_budget", r.failure_budget},
          {"shards", shards}};
}

}  // namespace shardctl
