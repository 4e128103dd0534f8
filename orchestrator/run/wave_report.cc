#include "run/wave_report.h"

#include <nlohmann/json.hpp>
#include <sstream>

#include "base/text.h"

namespace shardctl {
namespace {

std::vector<std::string> PairLines(const std::vector<std::pair<std::string, std::string>>& v) {
  std::vector<std::string> out;
  for (const auto& [node, why] : v) out.push_back(node + " (" + why + ")");
  return out;
}

std::vector<std::string> FailedLines(const WaveShardReport& s) { return PairLines(s.failed); }

std::string Waves(const WaveShardReport& s) {
  std::string out;
  for (const auto& w : s.waves)
    out += (out.empty() ? "" : " -> ") + std::string("[") + JoinOrDash(w) + "]";
  return out.empty() ? "-" : out;
}

std::string Headline(const WaveReport& r) {
  if (r.AllDone()) return "every selected node " + r.verb;
  if (r.run.interrupted) return "interrupted: " + r.run.stop_reason;
  if (r.BudgetSpent()) return "stopped: failure budget spent";
  return "NOT every selected node " + r.verb;
}

}  // namespace

bool WaveReport::AllDone() const {
  if (run.interrupted) return false;
  for (const WaveShardReport& s : shards) {
    if (s.verdict != Phase::kHealthy) return false;  // only set when every target is done
  }
  return true;
}

std::string RenderWaveText(const WaveReport& r) {
  std::ostringstream o;
  for (const WaveShardReport& s : r.shards) {
    o << "shard " << s.shard << ": " << PhaseName(s.verdict) << ", " << s.done.size() << " "
      << r.verb << ", longest stall " << FormatDuration(s.longest_stall) << "\n";
    if (!s.reason.empty()) o << "    " << s.reason << "\n";
    o << "    waves: " << Waves(s) << "\n";
    if (!s.failed.empty()) o << "    failed: " << JoinOrDash(FailedLines(s)) << "\n";
    if (!s.rolled_back.empty())
      o << "    rolled back: " << JoinOrDash(PairLines(s.rolled_back)) << "\n";
    if (!s.skipped.empty()) o << "    skipped: " << JoinOrDash(s.skipped) << "\n";
    if (!s.not_started.empty()) o << "    not started: " << JoinOrDash(s.not_started) << "\n";
    if (!s.replaced_binaries.empty())
      o << "    binaries replaced: " << JoinOrDash(s.replaced_binaries) << "\n";
  }
  o << Headline(r) << "; failures " << r.failures << " (budget " << r.failure_budget << ") (run "
    << r.run.run_id << ", journal " << r.run.journal_path << ")\n";
  return o.str();
}

std::string RenderWaveMarkdown(const WaveReport& r) {
  std::ostringstream o;
  o << "# shardctl " << r.run.command << ": " << Headline(r) << "\n\n"
    << RunInfoMarkdown(r.run) << "- failures: " << r.failures << " (budget " << r.failure_budget
    << ")\n\n";
  o << "| shard | verdict | " << r.verb << " | failed | skipped | not started | longest stall |\n";
  o << "|---|---|---|---|---|---|---|\n";
  for (const WaveShardReport& s : r.shards) {
    o << "| " << s.shard << " | " << PhaseName(s.verdict) << " | " << JoinOrDash(s.done) << " | "
      << MarkdownCell(JoinOrDash(FailedLines(s))) << " | " << JoinOrDash(s.skipped) << " | "
      << JoinOrDash(s.not_started) << " | " << FormatDuration(s.longest_stall) << " |\n";
  }
  for (const WaveShardReport& s : r.shards) {
    o << "\n## Shard " << s.shard << "\n\n- waves: " << Waves(s) << "\n";
    if (!s.reason.empty()) o << "- " << s.reason << "\n";
    if (!s.rolled_back.empty())
      o << "- rolled back: " << MarkdownCell(JoinOrDash(PairLines(s.rolled_back))) << "\n";
    o << "\n" << TimelineMarkdown(s.timeline);
  }
  return o.str();
}

nlohmann::json WaveReportToJson(const WaveReport& r) {
  nlohmann::json shards = nlohmann::json::array();
  for (const WaveShardReport& s : r.shards) {
    nlohmann::json failed = nlohmann::json::object();
    for (const auto& [node, why] : s.failed) failed[node] = why;
    nlohmann::json rolled_back = nlohmann::json::object();
    for (const auto& [node, how] : s.rolled_back) rolled_back[node] = how;
    shards.push_back({{"shard", s.shard},
                      {"verdict", PhaseName(s.verdict)},
                      {"reason", s.reason},
                      {"waves", s.waves},
                      {"done", s.done},
                      {"failed", failed},
                      {"rolled_back", rolled_back},
                      {"skipped", s.skipped},
                      {"not_started", s.not_started},
                      {"replaced_binaries", s.replaced_binaries},
                      {"longest_stall_ms", s.longest_stall.count()},
                      {"timeline", TimelineToJson(s.timeline)}});
  }
  nlohmann::json j = RunInfoToJson(r.run);
  j["all_done"] = r.AllDone();
  j["cancelled"] = r.run.interrupted;
  j["failures"] = r.failures;
  j["failure_budget"] = r.failure_budget;
  j["shards"] = shards;
  return j;
}

}  // namespace shardctl
