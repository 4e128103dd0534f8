#include "model/ansible_ssh_args.h"

#include <algorithm>
#include <cctype>

#include "model/shell_words.h"

namespace shardctl {
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// One -o option ("Key=Value" or "Key Value").
Status Option(const std::string& opt, const std::string& where, SshArgsRoute* r) {
  size_t sep = opt.find_first_of("= \t");
  std::string key = Lower(opt.substr(0, sep));
  std::string value = sep == std::string::npos ? "" : opt.substr(sep + 1);
  value.erase(0, std::min(value.find_first_not_of(" \t="), value.size()));
  if (key == "proxycommand" && Lower(value) != "none") {
    return Status::Invalid(where + ": ProxyCommand \"" + value +
                           "\" is never run by shardctl, and without it the host would be dialled "
                           "directly; give the bastion as -o ProxyJump=[user@]host[:port] (or "
                           "\"jump\" in the inventory)");
  }
  if (key == "proxyjump") {
    if (r->jump.empty()) r->jump = Lower(value) == "none" ? "" : value;
  } else if (key != "proxycommand") {
    r->ignored.push_back("-o " + opt);
  }
  return Status::Ok();
}

}  // namespace

const std::vector<std::string>& AnsibleSshArgVars() {
  static const std::vector<std::string> vars = {"ansible_ssh_args", "ansible_ssh_common_args",
                                                "ansible_ssh_extra_args"};
  return vars;
}

Result<SshArgsRoute> ParseSshArgs(const std::string& args, const std::string& where) {
  auto words = SplitShellWords(args, ShellWordRules{false, /*backslash=*/true}, where + ": ");
  if (!words.ok()) return words.status();
  SshArgsRoute r;
  for (size_t i = 0; i < words->size(); ++i) {
    const std::string& w = (*words)[i];
    bool takes_next = (w == "-o" || w == "-J") && i + 1 < words->size();
    std::string value = takes_next ? (*words)[++i] : w.size() > 2 ? w.substr(2) : "";
    if (w.rfind("-o", 0) == 0 && (takes_next || w.size() > 2)) {
      SHARDCTL_RETURN_IF_ERROR(Option(value, where, &r));
    } else if (w.rfind("-J", 0) == 0 && (takes_next || w.size() > 2)) {
      if (r.jump.empty()) r.jump = value == "none" ? "" : value;
    } else {
      r.ignored.push_back(w);
    }
  }
  return r;
}

}  // namespace shardctl
