// Playbook `faults`: named commands a drill injects into nodes, each with the command that undoes
// it. Templated like every other playbook command (model/template.h); a fault may declare
// `params`, extra variables with defaults that a drill step can override. Format:
// docs/playbooks.md ("faults") and docs/drills.md.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "model/inventory.h"
#include "model/json_reader.h"

namespace shardctl {

struct Playbook;

struct FaultDef {
  std::string name;  // key in "faults": letters, digits, '-', '_', '.'
  std::string description;
  std::string command;  // required: injects the fault on one node
  std::string undo;     // optional: takes it back on the same node ("" = nothing to undo)
  Vars params;          // defaults of extra template variables; drill steps may override them
};

/// Parses the playbook's "faults" object; errors name the file and JSON pointer.
Result<std::vector<FaultDef>> ParseFaults(const JsonAt& at);

/// A "params" object (a fault's defaults, a drill step's overrides): names of letters, digits,
/// '_' and '.', values strings or numbers.
Status ReadFaultParams(const JsonAt& at, Vars* params);

/// The fault called name, or nullptr.
const FaultDef* FindFault(const std::vector<FaultDef>& faults, const std::string& name);

/// Renders fault.command (or fault.undo) for node with vars node.vars < fault.params <
/// overrides. Errors name the playbook, the fault, the node and the unknown var.
Result<std::string> RenderFault(const Playbook& pb, const FaultDef& fault, bool undo,
                                const Node& node, const Vars& overrides = {});

/// Renders every fault and undo for every node of inv with the default params.
Status CheckFaultsAgainst(const Playbook& pb, const Inventory& inv);

}  // namespace shardctl
