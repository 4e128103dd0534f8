#include "model/playbook_faults.h"

#include "model/playbook.h"
#include "model/template.h"

namespace shardctl {
namespace {

bool IsFaultName(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

Status ReadTemplate(const JsonAt& at, std::string* out) {
  auto text = at.String();
  if (!text.ok()) return at.Expected("a command template (a non-empty string)");
  auto vars = TemplateVars(*text);
  if (!vars.ok()) return at.Error("expected a command template, " + vars.status().message());
  *out = *text;
  return Status::Ok();
}

Result<FaultDef> ReadFault(const JsonAt& at, const std::string& name) {
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"description", "command", "undo", "params"}));
  FaultDef f;
  f.name = name;
  if (at.Has("description")) {
    auto d = at["description"].String();
    if (!d.ok()) return d.status();
    f.description = *d;
  }
  if (!at.Has("command")) return at.Error("missing \"command\" (what injects the fault)");
  SHARDCTL_RETURN_IF_ERROR(ReadTemplate(at["command"], &f.command));
  if (at.Has("undo")) SHARDCTL_RETURN_IF_ERROR(ReadTemplate(at["undo"], &f.undo));
  if (at.Has("params")) SHARDCTL_RETURN_IF_ERROR(ReadFaultParams(at["params"], &f.params));
  return f;
}

}  // namespace

Status ReadFaultParams(const JsonAt& at, Vars* params) {
  SHARDCTL_RETURN_IF_ERROR(at.RequireObject());
  for (const auto& [key, unused] : at.value().items()) {
    if (!IsFaultName(key) || key.find('-') != std::string::npos) {
      return at[key].Error("parameter names use letters, digits, '_' and '.', found \"" + key +
                           "\"");
    }
    auto v = at[key].Scalar();
    if (!v.ok()) return v.status();
    (*params)[key] = *v;
  }
  return Status::Ok();
}

Result<std::vector<FaultDef>> ParseFaults(const JsonAt& at) {
  SHARDCTL_RETURN_IF_ERROR(at.RequireObject());
  std::vector<FaultDef> faults;
  for (const auto& [name, unused] : at.value().items()) {
    if (!IsFaultName(name)) {
      return at[name].Error("fault names use letters, digits, '-', '_' and '.', found \"" + name +
                            "\"");
    }
    auto f = ReadFault(at[name], name);
    if (!f.ok()) return f.status();
    faults.push_back(std::move(*f));
  }
  return faults;
}

const FaultDef* FindFault(const std::vector<FaultDef>& faults, const std::string& name) {
  for (const FaultDef& f : faults) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

Result<std::string> RenderFault(const Playbook& pb, const FaultDef& fault, bool undo,
                                const Node& node, const Vars& overrides) {
  Vars vars = node.vars;
  for (const auto& [k, v] : fault.params) vars[k] = v;
  for (const auto& [k, v] : overrides) vars[k] = v;
  auto rendered = RenderTemplate(undo ? fault.undo : fault.command, vars);
  if (!rendered.ok()) {
    return rendered.status().Annotate(pb.path + ":/faults/" + fault.name +
                                      (undo ? "/undo" : "/command") + ": node " + node.name + ": ");
  }
  return rendered;
}

Status CheckFaultsAgainst(const Playbook& pb, const Inventory& inv) {
  for (const FaultDef& f : pb.faults) {
    for (const Node* node : inv.AllNodes()) {
      auto cmd = RenderFault(pb, f, false, *node);
      if (!cmd.ok()) return cmd.status();
      if (f.undo.empty()) continue;
      auto undo = RenderFault(pb, f, true, *node);
      if (!undo.ok()) return undo.status();
    }
  }
  return Status::Ok();
}

}  // namespace shardctl
