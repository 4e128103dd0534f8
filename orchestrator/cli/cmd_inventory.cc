// shardctl inventory import|export: Ansible inventories in, shardctl inventories out, and back.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/command.h"
#include "cli/command_line.h"
#include "cli/load.h"
#include "cli/output.h"
#include "model/ansible_inventory.h"

namespace shardctl::cli {
namespace {

/// Writes text to path via a temp file and rename (no half-written inventory), or to stdout.
Status WriteOut(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return Status::Ok();
  }
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << text;
    if (!out.flush()) return Status::Io(tmp + ": cannot write");
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return Status::Io(path + ": cannot write");
  return Status::Ok();
}

int Import(const std::vector<std::string>& args) {
  CommonOptions o;
  AnsibleImportOptions io;
  std::string file, out, network;
  po::options_description d("Options");
  d.add_options()("ansible", po::value(&file)->value_name("FILE")->required(),
                  "Ansible inventory to read (INI, or YAML when named *.yml/*.yaml)")(
      "shard-var", po::value(&io.shard_var)->value_name("NAME"),
      "host var holding the shard number (default: from group names)")(
      "shard-group", po::value(&io.shard_group)->value_name("REGEX")->default_value(io.shard_group),
      "group names whose first capture is the shard number")(
      "power-var", po::value(&io.power_var)->value_name("NAME")->default_value(io.power_var),
      "host var holding the voting power (absent: 1)")(
      "network", po::value(&network)->value_name("NAME"), "network name to record")(
      "output-file,o", po::value(&out)->value_name("FILE"), "write here (default: stdout)");
  HelpText help{
      "shardctl inventory import --ansible FILE [--shard-var NAME] [--power-var NAME] [-o FILE]",
      "Turns an Ansible inventory into a shardctl inventory: ansible_host, ansible_port,\n"
      "ansible_user and ansible_ssh_private_key_file become the SSH fields, every other host or\n"
      "group var becomes a var. The shard comes from a group named like shard3 / s3 (or\n"
      "--shard-group) or from a host var (--shard-var). Validated before it is written.",
      "  shardctl inventory import --ansible hosts.ini -o inventory.json\n"
      "  shardctl inventory import --ansible hosts.yml --shard-var shard --power-var stake\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  auto tree = ReadAnsibleFile(file);
  if (!tree.ok()) return PrintError(tree.status()), ExitCodeFor(tree.status());
  auto imported = ImportAnsible(*tree, io, file);
  if (!imported.ok()) return PrintError(imported.status()), ExitCodeFor(imported.status());
  for (const std::string& w : imported->warnings) PrintError("warning: " + w);
  if (!network.empty()) imported->inventory["network"] = network;
  Status st = WriteOut(
      out,
      imported->inventory.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  if (!st.ok()) return PrintError(st), ExitCodeFor(st);
  return kExitOk;
}

int Export(const std::vector<std::string>& args) {
  CommonOptions o;
  std::string out, format, power_var = "voting_power";
  bool ansible = false;
  po::options_description d("Options");
  AddInventoryOption(&d, &o);
  d.add_options()("ansible", po::bool_switch(&ansible), "write an Ansible inventory (required)")(
      "format", po::value(&format)->value_name("ini|yaml"),
      "Ansible format (default: yaml when -o ends in .yml/.yaml, else ini)")(
      "power-var", po::value(&power_var)->value_name("NAME")->default_value(power_var),
      "host var to carry voting power in")("output-file,o", po::value(&out)->value_name("FILE"),
                                           "write here (default: stdout)");
  HelpText help{"shardctl inventory export -i INVENTORY --ansible [--format ini|yaml] [-o FILE]",
                "Writes the inventory as an Ansible inventory: one group shardN per shard, SSH\n"
                "fields as ansible_* host vars, shared vars in all:vars or the shard's group.\n"
                "`inventory import` reads it back to the same inventory.",
                "  shardctl inventory export -i inventory.json --ansible -o hosts.yml\n"};
  int code = kExitOk;
  if (!ParseCommandLine(args, d, nullptr, help, &o, &code)) return code;
  auto ends = [&](const char* s) {
    return out.size() >= std::string(s).size() &&
           out.substr(out.size() - std::string(s).size()) == s;
  };
  if (format.empty()) format = ends(".yml") || ends(".yaml") ? "yaml" : "ini";
  if (!ansible || (format != "ini" && format != "yaml")) {
    PrintError("export needs --ansible and --format ini or yaml");
    return kExitUsage;
  }
  auto inv = LoadInventory(o.inventory);
  if (!inv.ok()) return PrintError(inv.status()), ExitCodeFor(inv.status());
  AnsibleTree tree = ExportAnsible(*inv, power_var);
  Status st = WriteOut(out, format == "yaml" ? EmitAnsibleYaml(tree) : EmitAnsibleIni(tree));
  if (!st.ok()) return PrintError(st), ExitCodeFor(st);
  return kExitOk;
}

int RunInventory(const std::vector<std::string>& args) {
  if (!args.empty() && args[0] == "import") return Import({args.begin() + 1, args.end()});
  if (!args.empty() && args[0] == "export") return Export({args.begin() + 1, args.end()});
  bool help = !args.empty() && (args[0] == "--help" || args[0] == "-h");
  (help ? std::cout : std::cerr)
      << "usage: shardctl inventory import --ansible FILE [-o inventory.json]\n"
         "       shardctl inventory export -i INVENTORY --ansible [-o hosts.ini|hosts.yml]\n"
         "(shardctl inventory import --help for details)\n";
  return help ? kExitOk : kExitUsage;
}

RegisterCommand register_inventory({"inventory", "import an Ansible inventory, or export one",
                                    &RunInventory});

}  // namespace
}  // namespace shardctl::cli
