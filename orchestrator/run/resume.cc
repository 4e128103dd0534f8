#include "run/resume.h"

#include <nlohmann/json.hpp>

#include "model/json_text.h"

namespace shardctl {

namespace {

// The header's "params": the operation's own flags, to run it again.
nlohmann::json ParamsToJson(const RunHeader& h) {
  nlohmann::json p = nlohmann::json::object();
  if (!h.rollback_of.empty()) p["rollback_of"] = h.rollback_of;
  if (h.command == OperationKind::kRecover) {
    p["started_by"] = h.recover.started_by;
    p["why"] = h.recover.why;
    if (!h.recover.resume_of.empty()) p["resume_of"] = h.recover.resume_of;
  }
  if (h.command != OperationKind::kUpgrade) return p;
  p["artifact"] = h.release.artifact;
  p["sha256"] = h.release.sha256;
  p["version"] = h.release.version;
  p["allow_partial"] = h.release.allow_partial ? "1" : "0";
  p["stage_only"] = h.release.stage_only ? "1" : "0";
  return p;
}

void ParamsFromJson(const nlohmann::json& j, RunHeader* h) {
  auto p = j.value("params", std::map<std::string, std::string>{});
  auto get = [&p](const char* key) {
    auto it = p.find(key);
    return it == p.end() ? std::string() : it->second;
  };
  h->rollback_of = get("rollback_of");
  h->release.artifact = get("artifact");
  h->release.sha256 = get("sha256");
  h->release.version = get("version");
  h->release.allow_partial = get("allow_partial") == "1";
  h->release.stage_only = get("stage_only") == "1";
  h->recover.started_by = get("started_by");
  h->recover.why = get("why");
  h->recover.resume_of = get("resume_of");
}

}  // namespace

std::string RunHeaderToJson(const RunHeader& h) {
  nlohmann::json j = {{"command", OperationName(h.command)},
                      {"inventory", h.inventory},
                      {"playbook", h.playbook},
                      {"shards", h.shards},
                      {"nodes", h.nodes},
                      {"only", h.only},
                      {"known_hosts", h.known_hosts},
                      {"accept_new_host_keys", h.accept_new_host_keys},
                      {"retry_of", h.retry_of},
                      {"params", ParamsToJson(h)}};
  return ToJsonText(j);
}

Result<RunHeader> RunHeaderFromJson(const std::string& text) {
  auto parsed = ParseJsonText(text, "run header");
  if (!parsed.ok()) return parsed.status();
  const nlohmann::json& j = *parsed;
  if (!j.is_object()) return Status::Invalid("run header is not a JSON object");
  RunHeader h;
  try {
    std::string command = j.at("command").get<std::string>();
    auto kind = ParseOperation(command);
    if (!kind) return Status::Invalid("run header: unknown command \"" + command + "\"");
    h.command = *kind;
    h.inventory = j.at("inventory").get<std::string>();
    h.playbook = j.at("playbook").get<std::string>();
    h.shards = j.value("shards", std::vector<int>{});
    h.nodes = j.value("nodes", std::vector<std::string>{});
    h.only = j.value("only", std::vector<std::string>{});
    h.known_hosts = j.value("known_hosts", "");
    h.accept_new_host_keys = j.value("accept_new_host_keys", false);
    h.retry_of = j.value("retry_of", "");
    ParamsFromJson(j, &h);
  } catch (const nlohmann::json::exception& e) {
    return Status::Invalid(std::string("run header: ") + e.what());
  }
  return h;
}

std::vector<std::string> RunJournal::NodesIn(NodeProgress p) const {
  std::vector<std::string> out;
  for (const auto& [name, h] : nodes) {
    if (h.progress == p) out.push_back(name);
  }
  return out;
}

namespace {

void FoldVerdict(const JournalEntry& e, NodeHistory* h) {
  switch (e.outcome) {
    case Outcome::kBegin:
      *h = NodeHistory{};
      h->progress = NodeProgress::kInFlight;
      break;
    case Outcome::kDone:
      h->progress = NodeProgress::kDone;
      break;
    case Outcome::kFailed:
      h->progress = NodeProgress::kFailed;
      break;
    case Outcome::kSkipped:
      h->progress = NodeProgress::kSkipped;
      break;
    default:
      break;
  }
  h->detail = e.detail;
}

void Fold(const JournalEntry& e, NodeHistory* h) {
  if (e.step.step == Step::kNode) return FoldVerdict(e, h);
  if (e.step.step != Step::kCommand || e.outcome != Outcome::kBegin) return;
  h->last_command = e.step.command;
  if (e.step.command == CommandId::kStop) h->start_sent = false;
  if (e.step.command == CommandId::kStart) h->start_sent = true;
}

}  // namespace

Result<RunJournal> ReadRunJournal(const std::vector<JournalEntry>& entries) {
  RunJournal out;
  for (const JournalEntry& e : entries) {
    if (out.run_id.empty()) out.run_id = e.run;
    if (e.shard < 0 && e.step.step == Step::kRun) {
      if (e.outcome == Outcome::kHeader && !out.header) {
        auto h = RunHeaderFromJson(e.detail);
        if (!h.ok()) return h.status();
        out.header = *h;
      }
      out.finished = e.outcome == Outcome::kFinished;
      continue;
    }
    if (!e.node.empty()) Fold(e, &out.nodes[e.node]);
  }
  if (!out.header) {
    return Status::Invalid(
        "no run header: not the journal of a rolling-restart, upgrade, rollback or watch's recover "
        "run");
  }
  return out;
}

ResumeAction DecideResume(const NodeHistory& h, std::optional<bool> running) {
  if (h.progress == NodeProgress::kNotStarted) return ResumeAction::kRestart;
  if (h.progress != NodeProgress::kInFlight) return ResumeAction::kLeave;
  if (!h.last_command) return ResumeAction::kRestart;  // begun, nothing sent yet
  if (!running) return ResumeAction::kAskOperator;
  if (h.start_sent) return *running ? ResumeAction::kWaitForSync : ResumeAction::kStartAgain;
  // Stop went out (or was about to): running means it never took effect.
  return *running ? ResumeAction::kRestart : ResumeAction::kStartAgain;
}

}  // namespace shardctl
