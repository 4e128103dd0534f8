// Ansible's INI inventory format (model/ansible_tree.h).
#include <cctype>
#include <optional>
#include <sstream>

#include "base/text.h"
#include "base/work_budget.h"
#include "model/ansible_tree.h"
#include "model/shell_words.h"

namespace shardctl {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

/// Splits on blanks, keeping quoted runs ('...' or "...") together without their quotes; a #
/// starting a word begins a comment.
Result<std::vector<std::string>> Words(const std::string& line, const std::string& where) {
  return SplitShellWords(line, ShellWordRules{/*comments=*/true, /*backslash=*/false}, where);
}

Status SplitVar(const std::string& word, const std::string& where, std::string* k, std::string* v) {
  size_t eq = word.find('=');
  if (eq == std::string::npos || eq == 0) {
    return Status::Invalid(where + "expected key=value, found \"" + word + "\"");
  }
  *k = word.substr(0, eq);
  *v = word.substr(eq + 1);
  return Status::Ok();
}

/// The counts every INI inventory is held to (ansible_tree.h).
struct IniBudget {
  WorkBudget hosts{kMaxAnsibleHosts, "hosts (ranges expanded)"};
  WorkBudget entries{kMaxAnsibleEntries, "hosts, vars and groups"};
};

/// "web[01:03]" -> web01, web02, web03; names without a range come back alone. The names a range
/// stands for are counted before one is made.
Result<std::vector<std::string>> ExpandRange(const std::string& name, const std::string& where,
                                             IniBudget* budget) {
  size_t open = name.find('['), colon = name.find(':', open), close = name.find(']', open);
  if (open == std::string::npos || colon == std::string::npos || close == std::string::npos ||
      !(open < colon && colon < close)) {
    SHARDCTL_RETURN_IF_ERROR(budget->hosts.Spend(1, where));
    return std::vector<std::string>{name};
  }
  std::string a = name.substr(open + 1, colon - open - 1);
  std::string b = name.substr(colon + 1, close - colon - 1);
  std::vector<std::string> out;
  if (a.size() == 1 && b.size() == 1 && std::isalpha(a[0]) && std::isalpha(b[0]) && a <= b) {
    SHARDCTL_RETURN_IF_ERROR(budget->hosts.Spend(b[0] - a[0] + 1, where));
    for (char c = a[0]; c <= b[0]; ++c) {
      out.push_back(name.substr(0, open) + c + name.substr(close + 1));
    }
    return out;
  }
  std::optional<int64_t> first = ParseDecimal(a, 0, 999'999'999);
  std::optional<int64_t> last = ParseDecimal(b, 0, 999'999'999);
  if (!first || !last || *first > *last) {
    return Status::Invalid(where + "unsupported host range in \"" + name + "\"");
  }
  SHARDCTL_RETURN_IF_ERROR(budget->hosts.Spend(static_cast<size_t>(*last - *first + 1), where));
  for (int64_t i = *first; i <= *last; ++i) {
    std::string num = std::to_string(i);
    if (a.size() > 1 && a[0] == '0' && num.size() < a.size()) {
      num = std::string(a.size() - num.size(), '0') + num;
    }
    out.push_back(name.substr(0, open) + num + name.substr(close + 1));
  }
  return out;
}

Status HostLine(AnsibleTree* t, const std::string& group, const std::vector<std::string>& words,
                const std::string& where, IniBudget* budget) {
  auto names = ExpandRange(words[0], where, budget);
  if (!names.ok()) return names.status();
  SHARDCTL_RETURN_IF_ERROR(budget->entries.Spend(names->size() * words.size(), where));
  std::vector<std::pair<std::string, std::string>> vars(words.size() - 1);
  for (size_t i = 1; i < words.size(); ++i) {
    SHARDCTL_RETURN_IF_ERROR(SplitVar(words[i], where, &vars[i - 1].first, &vars[i - 1].second));
  }
  for (const std::string& h : *names) {
    if (!t->AddHost(group, h)) {
      return Status::Invalid(where + "host \"" + h + "\" is listed twice in [" + group +
                             "] (list each host once per group, with all its vars)");
    }
    for (const auto& [k, v] : vars) t->host_vars[h][k] = v;
  }
  return Status::Ok();
}

/// A [group], [group:vars] or [group:children] header; *group and *kind get what it opens.
Status SectionLine(AnsibleTree* t, const std::string& line, const std::string& where,
                   std::string* group, std::string* kind) {
  if (line.back() != ']') return Status::Invalid(where + "expected [group], found " + line);
  std::string name = line.substr(1, line.size() - 2);
  size_t colon = name.find(':');
  *group = name.substr(0, colon);
  *kind = colon == std::string::npos ? "hosts" : name.substr(colon + 1);
  if (*kind != "hosts" && *kind != "vars" && *kind != "children") {
    return Status::Invalid(where + "unknown section kind \":" + *kind + "\"");
  }
  t->groups[*group];
  return Status::Ok();
}

/// One line inside a section.
Status BodyLine(AnsibleTree* t, const std::string& line, const std::string& where,
                const std::string& group, const std::string& kind, IniBudget* budget) {
  auto words = Words(line, where);
  if (!words.ok()) return words.status();
  if (words->empty()) return Status::Ok();
  if (kind == "hosts") return HostLine(t, group, *words, where, budget);
  SHARDCTL_RETURN_IF_ERROR(budget->entries.Spend(1, where));
  if (kind == "children") {
    t->AddChild(group, (*words)[0]);
    return Status::Ok();
  }
  std::string k, v;
  SHARDCTL_RETURN_IF_ERROR(SplitVar(line, where, &k, &v));
  auto value = Words(v, where);
  if (!value.ok()) return value.status();
  t->groups[group].vars[Trim(k)] = value->empty() ? "" : (*value)[0];
  return Status::Ok();
}

}  // namespace

Result<AnsibleTree> ParseAnsibleIni(const std::string& text, const std::string& path) {
  SHARDCTL_RETURN_IF_ERROR(CheckAnsibleUtf8(text, path));
  AnsibleTree t;
  t.groups["all"];
  IniBudget budget;
  std::string group = "ungrouped", kind = "hosts";
  std::istringstream in(text);
  std::string raw;
  for (int n = 1; std::getline(in, raw); ++n) {
    std::string line = Trim(raw), where = path + ":" + std::to_string(n) + ": ";
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    Status st = line[0] == '[' ? SectionLine(&t, line, where, &group, &kind)
                               : BodyLine(&t, line, where, group, kind, &budget);
    if (!st.ok()) return st;
  }
  SHARDCTL_RETURN_IF_ERROR(t.Finish(path));
  return t;
}

namespace {

/// A value as INI writes it so that ParseAnsibleIni (and Ansible's shlex) read it back the
/// same: bare when it is plain, else in single quotes, a ' inside as '"'"'.
std::string Quote(const std::string& v) {
  bool plain = !v.empty() && v.find_first_not_of(
                                 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTU"
                                 "VWXYZ0123456789_.,:/@+-") == std::string::npos;
  if (plain) return v;
  std::string out = "'";
  for (char c : v) out += c == '\'' ? std::string("'\"'\"'") : std::string(1, c);
  return out + "'";
}

/// Ok when INI can carry v so that it reads back the same and Ansible never templates it.
Status Writable(const std::string& owner, const std::string& key, const std::string& v) {
  const char* why = nullptr;
  if (v.find_first_of("\n\r") != std::string::npos) why = "holds a line break";
  if (v.find("{{") != std::string::npos || v.find("{%") != std::string::npos) {
    why = "holds \"{{\" or \"{%\", which Ansible would run as a template";
  }
  if (why == nullptr) return Status::Ok();
  return Status::Invalid(owner + ": var \"" + key + "\" " + why +
                         "; an INI inventory cannot carry it safely (export as YAML: --format "
                         "yaml, which marks such values !unsafe)");
}

Status WriteVars(std::ostringstream& out, const std::string& owner, const AnsibleVars& vars,
                 const char* sep) {
  for (const auto& [k, v] : vars) {
    SHARDCTL_RETURN_IF_ERROR(Writable(owner, k, v));
    out << sep << k << "=" << Quote(v);
    if (sep[0] == '\0') out << "\n";
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> EmitAnsibleIni(const AnsibleTree& t) {
  std::ostringstream out;
  for (const auto& [name, g] : t.groups) {
    if (!g.hosts.empty()) {
      out << "[" << name << "]\n";
      for (const std::string& h : g.hosts) {
        out << h;
        SHARDCTL_RETURN_IF_ERROR(WriteVars(out, "host " + h, t.host_vars.at(h), " "));
        out << "\n";
      }
      out << "\n";
    }
    if (!g.children.empty()) {
      out << "[" << name << ":children]\n";
      for (const std::string& c : g.children) out << c << "\n";
      out << "\n";
    }
    if (!g.vars.empty()) {
      out << "[" << name << ":vars]\n";
      SHARDCTL_RETURN_IF_ERROR(WriteVars(out, "group " + name, g.vars, ""));
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace shardctl
