#include "model/playbook.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "base/enum_names.h"
#include "model/json_reader.h"
#include "model/template.h"

namespace shardctl {
namespace {

using nlohmann::json;

std::string Found(const json& v) { return DescribeJson(v); }

/// Reads the keys of one JSON object, remembering the first error (later reads are no-ops) and
/// which keys were read, so Finish() can reject the unknown ones.
class ObjectReader {
 public:
  ObjectReader(const json& obj, std::string pointer, const std::string& file, Status* err)
      : obj_(obj), pointer_(std::move(pointer)), file_(file), err_(err) {
    if (!obj_.is_object()) Fail(pointer_.empty() ? "/" : pointer_, "an object", Found(obj_));
  }

  const json* Get(const std::string& key, bool required) {
    seen_.insert(key);
    if (!err_->ok() || !obj_.is_object()) return nullptr;
    auto it = obj_.find(key);
    if (it == obj_.end()) {
      if (required) Fail(Path(key), "a value (required)", "nothing");
      return nullptr;
    }
    return &*it;
  }

  void String(const std::string& key, std::string* out, bool required = false) {
    const json* v = Get(key, required);
    if (v == nullptr) return;
    if (!v->is_string() || (required && v->get<std::string>().empty())) {
      return Fail(Path(key), "a non-empty string", Found(*v));
    }
    *out = v->get<std::string>();
  }

  void Int(const std::string& key, int64_t min, int64_t max, int64_t* out) {
    const json* v = Get(key, false);
    if (v == nullptr) return;
    if (!v->is_number_integer() || v->get<int64_t>() < min || v->get<int64_t>() > max) {
      return Fail(Path(key), Range("an integer", min, max), Found(*v));
    }
    *out = v->get<int64_t>();
  }

  void Int(const std::string& key, int min, int max, int* out) {
    int64_t wide = *out;
    Int(key, int64_t{min}, int64_t{max}, &wide);
    *out = static_cast<int>(wide);
  }

  void Number(const std::string& key, double min, double max, double* out) {
    const json* v = Get(key, false);
    if (v == nullptr) return;
    if (!v->is_number() || v->get<double>() < min || v->get<double>() > max) {
      std::ostringstream want;
      want << "a number from " << min << " to " << max;
      return Fail(Path(key), want.str(), Found(*v));
    }
    *out = v->get<double>();
  }

  /// A duration in seconds (fractions allowed), stored as milliseconds; at least 1 ms (a
  /// smaller one would round to 0 and make a poll loop spin).
  void Seconds(const std::string& key, Duration* out, double max_s = 86400) {
    double s = -1;
    const json* v = Get(key, false);
    if (v == nullptr) return;
    if (!v->is_number() || (s = v->get<double>()) < 0.001 || s > max_s) {
      return Fail(Path(key), "seconds, a number from 0.001 to " + Num(max_s), Found(*v));
    }
    *out = Duration(static_cast<int64_t>(std::llround(s * 1000)));
  }

  void IntList(const std::string& key, std::vector<int>* out, bool allow_empty,
               int64_t max = 1000000) {
    const json* v = Get(key, false);
    if (v == nullptr) return;
    if (!v->is_array() || (!allow_empty && v->empty())) {
      return Fail(Path(key), allow_empty ? "an array of integers" : "a non-empty array of integers",
                  Found(*v));
    }
    std::vector<int> list;
    for (size_t i = 0; i < v->size(); ++i) {
      const json& e = (*v)[i];
      if (!e.is_number_integer() || e.get<int64_t>() < 0 || e.get<int64_t>() > max) {
        return Fail(Path(key) + "/" + std::to_string(i), Range("an integer", 0, max), Found(e));
      }
      list.push_back(e.get<int>());
    }
    *out = list;
  }

  /// A nested object; its reader shares this one's error.
  ObjectReader Child(const std::string& key) {
    const json* v = Get(key, false);
    return ObjectReader(v == nullptr ? kEmpty : *v, Path(key), file_, err_);
  }

  void Finish() {
    if (!err_->ok() || !obj_.is_object()) return;
    for (const auto& [key, value] : obj_.items()) {
      if (seen_.count(key) == 0) {
        std::string known;
        for (const auto& k : seen_) known += (known.empty() ? "" : ", ") + k;
        return Fail(Path(key), "one of the known keys (" + known + ")", "unknown key");
      }
    }
  }

  /// Keeps s as the error unless one is already kept.
  void Take(const Status& s) {
    if (err_->ok() && !s.ok()) *err_ = s;
  }
  const std::string& file() const { return file_; }

  void Fail(const std::string& where, const std::string& expected, const std::string& found) {
    if (err_->ok()) {
      *err_ = Status::Invalid(file_ + ":" + where + ": expected " + expected + ", found " + found);
    }
  }

  std::string Path(const std::string& key) const {
    std::string escaped;
    for (char c : key) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
    return pointer_ + "/" + escaped;
  }

 private:
  static std::string Num(double d) {
    std::ostringstream s;
    s << d;
    return s.str();
  }
  static std::string Range(const char* what, int64_t min, int64_t max) {
    return std::string(what) + " from " + std::to_string(min) + " to " + std::to_string(max);
  }

  static const json kEmpty;
  const json& obj_;
  std::string pointer_;
  const std::string& file_;
  Status* err_;
  std::set<std::string> seen_;
};

const json ObjectReader::kEmpty = json::object();

// The playbook's command keys: the one place each is spelled.
constexpr EnumNames<CommandId, 12> kCommandKeys{{
    {CommandId::kStop, "stop"},
    {CommandId::kStart, "start"},
    {CommandId::kIsRunning, "is_running"},
    {CommandId::kVerifyBinary, "verify_binary"},
    {CommandId::kRestoreBinary, "restore_binary"},
    {CommandId::kDbHeight, "db_height"},
    {CommandId::kProbe, "probe"},
    {CommandId::kStage, "stage"},
    {CommandId::kSwap, "swap"},
    {CommandId::kRollback, "rollback"},
    {CommandId::kVersion, "version"},
    {CommandId::kVerifyStaged, "verify_staged"},
}};

std::string* MutableCommand(Commands* c, CommandId id) {
  switch (id) {
    case CommandId::kStop:
      return &c->stop;
    case CommandId::kStart:
      return &c->start;
    case CommandId::kIsRunning:
      return &c->is_running;
    case CommandId::kVerifyBinary:
      return &c->verify_binary;
    case CommandId::kRestoreBinary:
      return &c->restore_binary;
    case CommandId::kDbHeight:
      return &c->db_height;
    case CommandId::kProbe:
      return &c->probe;
    case CommandId::kStage:
      return &c->stage;
    case CommandId::kSwap:
      return &c->swap;
    case CommandId::kRollback:
      return &c->rollback;
    case CommandId::kVersion:
      return &c->version;
    case CommandId::kVerifyStaged:
      return &c->verify_staged;
  }
  return &c->probe;
}

void ReadCommands(ObjectReader r, Commands* c) {
  for (const EnumName<CommandId>& row : kCommandKeys) {
    CommandId id = row.value;
    bool required =
        id == CommandId::kStop || id == CommandId::kStart || id == CommandId::kIsRunning;
    std::string* field = MutableCommand(c, id);
    r.String(CommandKey(id), field, required);
    if (field->empty()) continue;
    auto vars = TemplateVars(*field);
    if (!vars.ok()) r.Fail(r.Path(CommandKey(id)), "a command template", vars.status().message());
  }
  r.Finish();
}

void ReadPointer(ObjectReader& r, const std::string& key, std::string* out, bool required) {
  r.String(key, out, required);
  if (out->empty()) return;
  try {
    json::json_pointer p(*out);
  } catch (const json::exception&) {
    r.Fail(r.Path(key), "a JSON pointer like \"/result/height\"", "string \"" + *out + "\"");
  }
}

void ReadProbe(ObjectReader r, ProbeMap* p) {
  if (const json* http = r.Get("http", false); http != nullptr) {
    auto parsed = ParseHttpProbe(*http, r.file(), r.Path("http"));
    if (parsed.ok()) p->http = *parsed;
    r.Take(parsed.status());
  }
  ReadPointer(r, "height", &p->height, true);
  ReadPointer(r, "view_id", &p->view_id, false);
  ReadPointer(r, "view_change_id", &p->view_change_id, false);
  ReadPointer(r, "mode", &p->mode, false);
  ReadPointer(r, "leader", &p->leader, false);
  ReadPointer(r, "leader_id", &p->leader_id, false);
  ReadPointer(r, "node_id", &p->node_id, false);
  if (p->leader_id.empty() != p->node_id.empty()) {
    r.Fail(r.Path(p->leader_id.empty() ? "leader_id" : "node_id"), "leader_id and node_id together",
           "one of them");
  } else if (!p->leader.empty() && !p->leader_id.empty()) {
    r.Fail(r.Path("leader_id"), "leader or leader_id/node_id", "both");
  }
  r.String("normal_mode", &p->normal_mode);
  r.String("view_changing_mode", &p->view_changing_mode);
  r.Finish();
}

/// A node is probed one way: commands.probe or probe.http.
void CheckOneProbe(ObjectReader& top, const Playbook& pb) {
  bool command = !pb.commands.probe.empty(), http = !pb.probe.http.empty();
  if (command && http) {
    top.Fail("/commands/probe", "one probe (commands.probe or probe.http)", "both");
  } else if (!command && !http) {
    top.Fail("/probe/http",
             "a probe: probe.http (preferred: no process on the node) or "
             "commands.probe",
             "neither");
  }
}

void ReadGate(ObjectReader r, GatePolicy* g) {
  r.Int("min_new_blocks", 1, 1000000, &g->min_new_blocks);
  r.Seconds("within_s", &g->within);
  r.Int("max_lag", 0, 1000000, &g->max_lag);
  if (r.Get("quorum_fraction", false) != nullptr) {
    r.Fail(r.Path("quorum_fraction"), "no quorum_fraction: the top-level \"quorum\" replaces it",
           "gate.quorum_fraction");
  }
  r.Seconds("poll_interval_s", &g->poll_interval, 600);
  r.Finish();
}

// "quorum": "bft" | "majority" | a number in [0.5, 0.99].
void ReadQuorum(ObjectReader& r, QuorumRule* q) {
  const json* v = r.Get("quorum", false);
  if (v == nullptr) return;
  if (v->is_string() && *v == "bft") {
    *q = QuorumRule::Bft();
  } else if (v->is_string() && *v == "majority") {
    *q = QuorumRule::Majority();
  } else if (v->is_number() && v->get<double>() >= 0.5 && v->get<double>() <= 0.99) {
    *q = QuorumRule::Fraction(v->get<double>());
  } else {
    r.Fail(r.Path("quorum"), "\"bft\", \"majority\" or a number from 0.5 to 0.99", Found(*v));
  }
}

void ReadEscalation(ObjectReader r, EscalationPolicy* e) {
  r.Int("max_shard_restarts", 1, 100, &e->max_shard_restarts);
  r.Seconds("backoff_s", &e->backoff);
  r.Number("backoff_factor", 1.0, 10.0, &e->backoff_factor);
  r.Seconds("max_backoff_s", &e->max_backoff);
  r.Finish();
}

void ReadTimeouts(ObjectReader r, Timeouts* t) {
  r.Seconds("command_s", &t->command);
  r.Seconds("probe_s", &t->probe);
  r.Seconds("stop_confirm_s", &t->stop_confirm);
  r.Seconds("confirm_poll_s", &t->confirm_poll, 600);
  r.Seconds("start_window_s", &t->start_window);
  r.Finish();
}

void ReadExitCodes(ObjectReader r, Playbook* pb) {
  r.IntList("running", &pb->running_codes, false, 255);  // a shell exit status is 0..255
  r.IntList("stopped", &pb->stopped_codes, false, 255);
  r.Finish();
  for (int code : pb->running_codes) {
    if (std::count(pb->stopped_codes.begin(), pb->stopped_codes.end(), code) > 0) {
      r.Fail(r.Path("stopped"), "codes distinct from \"running\"",
             "exit code " + std::to_string(code) + " in both");
    }
  }
}

void ReadShards(ObjectReader r, Playbook* pb) {
  r.IntList("order", &pb->shard_order, true);
  r.Int("parallel", 1, 1024, &pb->parallel_shards);
  r.Int("recover_parallel", 0, 1024, &pb->recover_parallel_shards);
  r.Finish();
  std::set<int> unique(pb->shard_order.begin(), pb->shard_order.end());
  if (unique.size() != pb->shard_order.size()) {
    r.Fail(r.Path("order"), "each shard id at most once", "a repeated id");
  }
}

void ReadNodes(ObjectReader r, Playbook* pb) {
  r.Int("parallel", 0, 100000, &pb->parallel_nodes);
  r.Finish();
}

void ReadSync(ObjectReader r, Playbook* pb) {
  r.Int("max_behind", int64_t{0}, int64_t{1} << 53, &pb->sync_max_behind);
  r.Finish();
}

void ReadRolling(ObjectReader r, RollingPolicy* p) {
  r.Number("quorum_margin", 0.0, 0.33, &p->quorum_margin);
  r.Int("max_wave_size", 0, 100000, &p->max_wave_size);
  r.Int("failure_budget", 0, 100000, &p->failure_budget);
  r.Int("min_new_blocks", 1, 1000000, &p->min_new_blocks);
  r.Seconds("node_timeout_s", &p->node_timeout);
  r.Finish();
}

void ReadLease(ObjectReader r, LeasePolicy* l) {
  r.String("path", &l->path);
  auto vars = TemplateVars(l->path);
  if (!vars.ok()) r.Fail(r.Path("path"), "a path template", vars.status().message());
  r.Seconds("ttl_s", &l->ttl);
  r.Finish();
  if (l->ttl < Duration(2000)) r.Fail(r.Path("ttl_s"), "at least 2 seconds", "less");
}

void ReadWindow(const json& j, const std::string& path, Playbook* pb, Status* err) {
  if (!err->ok() || !j.is_object() || !j.contains("window")) return;
  auto w = ParseWindow(JsonAt(j, path)["window"]);
  if (!w.ok()) {
    *err = w.status();
    return;
  }
  pb->window = *w;
}

void ReadFaultsKey(const json& j, const std::string& path, Playbook* pb, Status* err) {
  if (!err->ok() || !j.is_object() || !j.contains("faults")) return;
  auto faults = ParseFaults(JsonAt(j, path)["faults"]);
  if (!faults.ok()) {
    *err = faults.status();
    return;
  }
  pb->faults = std::move(*faults);
}

}  // namespace

const char* CommandKey(CommandId id) { return NameIn(kCommandKeys, id); }

std::optional<CommandId> CommandFromKey(const std::string& key) {
  return ValueIn(kCommandKeys, key);
}

const std::vector<CommandId>& AllCommands() {
  static const std::vector<CommandId> all = {
      CommandId::kProbe,         CommandId::kIsRunning, CommandId::kStop, CommandId::kVerifyBinary,
      CommandId::kRestoreBinary, CommandId::kDbHeight,  CommandId::kStart};
  return all;
}

const std::vector<CommandId>& UpgradeCommandIds() {
  static const std::vector<CommandId> ids = {CommandId::kStage, CommandId::kSwap,
                                             CommandId::kRollback, CommandId::kVersion};
  return ids;
}

const std::string& Commands::Get(CommandId id) const {
  switch (id) {
    case CommandId::kStop:
      return stop;
    case CommandId::kStart:
      return start;
    case CommandId::kIsRunning:
      return is_running;
    case CommandId::kVerifyBinary:
      return verify_binary;
    case CommandId::kRestoreBinary:
      return restore_binary;
    case CommandId::kDbHeight:
      return db_height;
    case CommandId::kProbe:
      return probe;
    case CommandId::kStage:
      return stage;
    case CommandId::kSwap:
      return swap;
    case CommandId::kRollback:
      return rollback;
    case CommandId::kVersion:
      return version;
    case CommandId::kVerifyStaged:
      return verify_staged;
  }
  return probe;
}

bool Playbook::Provides(CommandId id) const {
  if (!commands.Get(id).empty()) return true;
  return (id == CommandId::kVersion && !probe.version.empty()) ||
         (id == CommandId::kProbe && !probe.http.empty());
}

Duration EscalationPolicy::BackoffBefore(int restart) const {
  if (restart <= 1) return Duration(0);
  double ms = static_cast<double>(backoff.count()) * std::pow(backoff_factor, restart - 2);
  return std::min(max_backoff, Duration(static_cast<int64_t>(std::min(ms, 1e12))));
}

Result<Playbook> ParsePlaybook(const json& j, const std::string& path) {
  Playbook pb;
  pb.path = path;
  Status err;
  ObjectReader top(j, "", path, &err);
  top.String("name", &pb.name, true);
  top.String("description", &pb.description);
  ReadQuorum(top, &pb.quorum);
  top.Get("commands", true);
  ReadCommands(top.Child("commands"), &pb.commands);
  ReadExitCodes(top.Child("is_running_exit_codes"), &pb);
  top.Get("probe", true);
  ReadProbe(top.Child("probe"), &pb.probe);
  CheckOneProbe(top, pb);
  ReadGate(top.Child("gate"), &pb.gate);
  ObjectReader stuck = top.Child("stuck");
  stuck.Seconds("after_s", &pb.stuck.after);
  stuck.Finish();
  ReadEscalation(top.Child("escalation"), &pb.escalation);
  ReadShards(top.Child("shards"), &pb);
  ReadNodes(top.Child("nodes"), &pb);
  ReadSync(top.Child("sync"), &pb);
  ReadTimeouts(top.Child("timeouts"), &pb.timeouts);
  ReadRolling(top.Child("rolling"), &pb.rolling);
  ReadLease(top.Child("lease"), &pb.lease);
  top.Get("window", false);
  ReadWindow(j, path, &pb, &err);
  top.Get("faults", false);
  ReadFaultsKey(j, path, &pb, &err);
  if (const json* up = top.Get("upgrade", false); up != nullptr && err.ok()) {
    auto policy = ParseUpgradePolicy(*up, path);
    if (policy.ok()) pb.upgrade = *policy;
    if (!policy.ok()) err = policy.status();
  }
  if (const json* w = top.Get("watch", false); w != nullptr && err.ok()) {
    auto policy = ParseWatchPolicy(*w, path, "/watch");
    if (policy.ok()) pb.watch = *policy;
    if (!policy.ok()) err = policy.status();
  }
  pb.gate.present = top.Get("gate", false) != nullptr;
  top.Finish();
  if (!err.ok()) return err;
  if (pb.escalation.max_backoff < pb.escalation.backoff)
    pb.escalation.max_backoff = pb.escalation.backoff;
  bool version_in_probe = pb.probe.http.empty() ? pb.commands.version == pb.commands.probe
                                                : pb.commands.version.empty();
  if (version_in_probe) pb.probe.version = pb.upgrade.version_pointer;
  return pb;
}

Result<Playbook> LoadPlaybook(const std::string& path) {
  auto j = ReadJsonFile(path);
  if (!j.ok()) return j.status();
  return ParsePlaybook(*j, path);
}

Result<Playbook> LoadPlaybookFor(const std::string& path, const Inventory& inv) {
  auto pb = LoadPlaybook(path);
  if (!pb.ok()) return pb;
  SHARDCTL_RETURN_IF_ERROR(CheckPlaybookAgainst(*pb, inv));
  return pb;
}

Result<std::string> RenderNodeCommand(const Playbook& pb, CommandId id, const Node& node) {
  auto rendered = RenderCommand(pb.commands.Get(id), node);
  if (!rendered.ok()) {
    return rendered.status().Annotate(pb.path + ":/commands/" + CommandKey(id) + ": ");
  }
  return rendered;
}

Result<std::string> RenderLeasePath(const LeasePolicy& lease, const Inventory& inv,
                                    const Node& node) {
  Vars vars = node.vars;
  vars["network"] = inv.network.empty() ? "default" : inv.network;
  vars.emplace("node.name", node.name);  // parsed inventories have it; hand-built ones may not
  auto path = RenderTemplate(lease.path, vars);
  if (!path.ok()) return path.status().Annotate("lease.path for node " + node.name + ": ");
  return path;
}

Status CheckPlaybookAgainst(const Playbook& pb, const Inventory& inv) {
  for (const Node* node : inv.AllNodes()) {
    for (CommandId id : AllCommands()) {
      if (pb.commands.Get(id).empty()) continue;
      auto rendered = RenderNodeCommand(pb, id, *node);
      if (!rendered.ok()) return rendered.status();
    }
    if (!pb.probe.http.empty()) {
      auto request = RenderHttpProbe(pb.probe.http, *node);
      if (!request.ok()) return request.status().Annotate(pb.path + ":/probe/http: ");
    }
    auto lease = RenderLeasePath(pb.lease, inv, *node);
    if (!lease.ok()) return lease.status().Annotate(pb.path + ":/lease/path: ");
  }
  SHARDCTL_RETURN_IF_ERROR(CheckFaultsAgainst(pb, inv));
  // Upgrade commands are checked only when the playbook has them all (`upgrade` requires them).
  for (CommandId id : UpgradeCommandIds()) {
    if (!pb.Provides(id)) return Status::Ok();
  }
  return CheckUpgradeAgainst(pb, inv);
}

std::vector<int> OrderShards(const Playbook& pb, const std::vector<int>& selected) {
  std::vector<int> order;
  for (int id : pb.shard_order) {
    if (std::count(selected.begin(), selected.end(), id) > 0) order.push_back(id);
  }
  for (int id : selected) {
    if (std::count(order.begin(), order.end(), id) == 0) order.push_back(id);
  }
  return order;
}

}  // namespace shardctl
