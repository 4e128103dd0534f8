// Ansible's INI inventory format (model/ansible_tree.h).
#include <cctype>
#include <optional>
#include <sstream>

#include "base/text.h"
#include "model/ansible_tree.h"

namespace shardctl {
namespace {

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

/// Splits on blanks, keeping quoted runs ('...' or "...") together without their quotes.
Result<std::vector<std::string>> Words(const std::string& line, const std::string& where) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (char c : line) {
    if (quote != 0) {
      if (c == quote)
        quote = 0;
      else
        cur += c;
    } else if (c == '"' || c == '\'') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) out.push_back(cur);
      cur.clear();
      in_word = false;
    } else if (c == '#' && !in_word) {
      break;
    } else {
      cur += c;
      in_word = true;
    }
  }
  if (quote != 0) return Status::Invalid(where + "unterminated quote");
  if (in_word) out.push_back(cur);
  return out;
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

/// "web[01:03]" -> web01, web02, web03; names without a range come back alone.
Result<std::vector<std::string>> ExpandRange(const std::string& name, const std::string& where) {
  size_t open = name.find('['), colon = name.find(':', open), close = name.find(']', open);
  if (open == std::string::npos || colon == std::string::npos || close == std::string::npos ||
      !(open < colon && colon < close)) {
    return std::vector<std::string>{name};
  }
  std::string a = name.substr(open + 1, colon - open - 1);
  std::string b = name.substr(colon + 1, close - colon - 1);
  if (a.size() == 1 && b.size() == 1 && std::isalpha(a[0]) && std::isalpha(b[0]) && a <= b) {
    std::vector<std::string> out;
    for (char c = a[0]; c <= b[0]; ++c) {
      out.push_back(name.substr(0, open) + c + name.substr(close + 1));
    }
    return out;
  }
  // A range is at most 100,000 names.
  std::optional<int64_t> first = ParseDecimal(a, 0, 999'999'999);
  std::optional<int64_t> last = ParseDecimal(b, 0, 999'999'999);
  if (!first || !last || *first > *last || *last - *first > 100000) {
    return Status::Invalid(where + "unsupported host range in \"" + name + "\"");
  }
  std::vector<std::string> out;
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
                const std::string& where) {
  auto names = ExpandRange(words[0], where);
  if (!names.ok()) return names.status();
  for (const std::string& h : *names) {
    t->AddHost(group, h);
    for (size_t i = 1; i < words.size(); ++i) {
      std::string k, v;
      SHARDCTL_RETURN_IF_ERROR(SplitVar(words[i], where, &k, &v));
      t->host_vars[h][k] = v;
    }
  }
  return Status::Ok();
}

}  // namespace

Result<AnsibleTree> ParseAnsibleIni(const std::string& text, const std::string& path) {
  AnsibleTree t;
  t.groups["all"];
  std::string group = "ungrouped", kind = "hosts";
  std::istringstream in(text);
  std::string raw;
  for (int n = 1; std::getline(in, raw); ++n) {
    std::string line = Trim(raw), where = path + ":" + std::to_string(n) + ": ";
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line[0] == '[') {
      if (line.back() != ']') return Status::Invalid(where + "expected [group], found " + line);
      std::string name = line.substr(1, line.size() - 2);
      size_t colon = name.find(':');
      group = name.substr(0, colon);
      kind = colon == std::string::npos ? "hosts" : name.substr(colon + 1);
      if (kind != "hosts" && kind != "vars" && kind != "children") {
        return Status::Invalid(where + "unknown section kind \":" + kind + "\"");
      }
      t.groups[group];
      continue;
    }
    auto words = Words(line, where);
    if (!words.ok()) return words.status();
    if (words->empty()) continue;
    if (kind == "vars") {
      std::string joined = line, k, v;
      SHARDCTL_RETURN_IF_ERROR(SplitVar(joined, where, &k, &v));
      auto value = Words(v, where);
      if (!value.ok()) return value.status();
      t.groups[group].vars[Trim(k)] = value->empty() ? "" : (*value)[0];
    } else if (kind == "children") {
      t.groups[group].children.push_back((*words)[0]);
      t.groups[(*words)[0]];
    } else {
      SHARDCTL_RETURN_IF_ERROR(HostLine(&t, group, *words, where));
    }
  }
  return t;
}

namespace {

std::string Quote(const std::string& v) {
  if (!v.empty() && v.find_first_of(" \t\"'#=") == std::string::npos) return v;
  return v.find('"') == std::string::npos ? "\"" + v + "\"" : "'" + v + "'";
}

}  // namespace

std::string EmitAnsibleIni(const AnsibleTree& t) {
  std::ostringstream out;
  for (const auto& [name, g] : t.groups) {
    if (!g.hosts.empty()) {
      out << "[" << name << "]\n";
      for (const std::string& h : g.hosts) {
        out << h;
        for (const auto& [k, v] : t.host_vars.at(h)) out << " " << k << "=" << Quote(v);
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
      for (const auto& [k, v] : g.vars) out << k << "=" << Quote(v) << "\n";
      out << "\n";
    }
  }
  return out.str();
}

}  // namespace shardctl
