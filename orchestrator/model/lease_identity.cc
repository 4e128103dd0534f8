#include "model/lease_identity.h"

#include <set>

#include "model/template.h"

namespace shardctl {
namespace {

bool InventoryChosen(const std::string& var) {
  return var == "network" || var.rfind("node.", 0) == 0 || var.rfind("shard.", 0) == 0;
}

/// The vars the playbook's commands use to find the validator on its host.
std::set<std::string> LocatingVars(const Commands& c) {
  std::vector<CommandId> ids = AllCommands();
  ids.insert(ids.end(), UpgradeCommandIds().begin(), UpgradeCommandIds().end());
  std::set<std::string> used;
  for (CommandId id : ids) {
    auto vars = TemplateVars(c.Get(id));
    if (vars.ok()) used.insert(vars->begin(), vars->end());
  }
  return used;
}

}  // namespace

std::vector<std::string> LeaseIdentityWarnings(const Playbook& pb) {
  std::vector<std::string> out;
  const std::string where = pb.path + ":/lease/path: \"" + pb.lease.path + "\" ";
  const std::string fix =
      "; another operator's inventory may name it differently and take a second lease on the same "
      "validator. Key the lease by the node's directory, e.g. \"{{dir}}/shardctl.lease\", or a "
      "fixed path on the host";
  auto vars = TemplateVars(pb.lease.path);
  if (!vars.ok()) return out;
  std::set<std::string> locating = LocatingVars(pb.commands), seen;
  for (const std::string& v : *vars) {
    if (!seen.insert(v).second) continue;
    if (InventoryChosen(v)) {
      out.push_back(where + "depends on {{" + v + "}}, a name the inventory chooses" + fix);
    } else if (locating.count(v) == 0) {
      out.push_back(where + "depends on {{" + v +
                    "}}, which no command of the playbook uses to find the validator" + fix);
    }
  }
  if (pb.lease.path.empty() || pb.lease.path[0] != '/') {
    bool home = !pb.lease.path.empty() && pb.lease.path[0] == '~';
    if (!home && vars->size() > 0 && pb.lease.path.rfind("{{", 0) == 0) return out;
    out.push_back(where +
                  "is relative to the SSH login's home, so it depends on the user each "
                  "inventory logs in as" +
                  fix);
  }
  return out;
}

}  // namespace shardctl
