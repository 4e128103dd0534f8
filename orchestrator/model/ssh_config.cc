#include "model/ssh_config.h"

#include <dirent.h>
#include <fnmatch.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

#include "base/text.h"
#include "model/host_name.h"
#include "model/inventory.h"

namespace shardctl {
namespace {

constexpr int kMaxIncludeDepth = 16;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// Splits a config line into its keyword and arguments ("Key value", "Key=value", quoted args).
bool SplitLine(const std::string& line, std::string* keyword, std::vector<std::string>* args) {
  size_t i = line.find_first_not_of(" \t\r");
  if (i == std::string::npos || line[i] == '#') return false;
  size_t end = line.find_first_of(" \t\r=", i);
  *keyword = Lower(line.substr(i, end == std::string::npos ? std::string::npos : end - i));
  i = end == std::string::npos ? line.size() : end;
  i = line.find_first_not_of(" \t\r", i);
  if (i != std::string::npos && line[i] == '=') ++i;
  args->clear();
  while (i < line.size()) {
    i = line.find_first_not_of(" \t\r", i);
    if (i == std::string::npos) break;
    if (line[i] == '#') break;
    std::string arg;
    if (line[i] == '"') {
      size_t close = line.find('"', i + 1);
      arg = line.substr(i + 1, close == std::string::npos ? std::string::npos : close - i - 1);
      i = close == std::string::npos ? line.size() : close + 1;
    } else {
      size_t stop = line.find_first_of(" \t\r", i);
      arg = line.substr(i, stop == std::string::npos ? std::string::npos : stop - i);
      i = stop == std::string::npos ? line.size() : stop;
    }
    args->push_back(arg);
  }
  return true;
}

bool IsIntKeyword(const std::string& k) {
  return k == "port" || k == "connecttimeout" || k == "serveraliveinterval";
}

/// The value of a numeric keyword (a port, or seconds up to a day); nullopt when it is not one.
std::optional<int> IntValue(const std::string& keyword, const std::string& text) {
  bool port = keyword == "port";
  auto v = ParseDecimal(text, port ? 1 : 0, port ? 65535 : 86400);
  if (!v) return {};
  return static_cast<int>(*v);
}

bool IsHonoured(const std::string& k) {
  return IsIntKeyword(k) || k == "hostname" || k == "user" || k == "identityfile" ||
         k == "userknownhostsfile" || k == "proxyjump" || k == "proxycommand";
}

/// Keywords named in messages; anything else is never echoed (an Include of a file that is not
/// an ssh_config must not print its lines).
bool IsKnown(const std::string& k) {
  return IsHonoured(k) || k == "host" || k == "match" || k == "include";
}

std::string LocalUserName() {
  if (const passwd* pw = getpwuid(getuid())) return pw->pw_name;
  return "root";
}

/// Ok when every % in value starts one of the tokens in `allowed` (or %%).
Status CheckTokens(const std::string& value, const std::string& allowed, const std::string& what,
                   const std::string& where) {
  for (size_t i = 0; i < value.size(); ++i) {
    if (value[i] != '%') continue;
    char t = i + 1 < value.size() ? value[i + 1] : '\0';
    if (t != '%' && (t == '\0' || allowed.find(t) == std::string::npos)) {
      std::string list;
      for (char a : allowed + "%") list += std::string(list.empty() ? "" : " ") + "%" + a;
      return Status::Invalid(where + what + " may use the tokens " + list + " only, found \"%" +
                             (t == '\0' ? std::string() : std::string(1, t)) + "\"");
    }
    ++i;
  }
  return Status::Ok();
}

/// What shardctl can check of a value when the file is read, so a bad one fails at load
/// naming the file and line, not at connect with no reason.
Status CheckValue(const std::string& keyword, const std::string& value, const std::string& where) {
  if (IsIntKeyword(keyword) && !IntValue(keyword, value)) {
    return Status::Invalid(where + "\"" + keyword + "\" expects " +
                           (keyword == "port" ? "a port (1-65535)" : "seconds (0-86400)") +
                           ", found \"" + value + "\"");
  }
  if (keyword == "hostname") {
    SHARDCTL_RETURN_IF_ERROR(CheckTokens(value, "h", "HostName", where));
    std::string probe = value;
    for (size_t at; (at = probe.find("%h")) != std::string::npos;) probe.replace(at, 2, "h");
    if (!IsHostOrAddress(probe)) {
      return Status::Invalid(where + "HostName expects " + std::string(HostRule()) + ", found \"" +
                             value + "\"");
    }
  }
  if (keyword == "identityfile" || keyword == "userknownhostsfile") {
    return CheckTokens(value, "hnprud",
                       keyword == "identityfile" ? "IdentityFile" : "UserKnownHostsFile", where);
  }
  if (keyword == "proxyjump" && Lower(value) != "none") {
    auto j = ParseJumpSpec(value, where.substr(0, where.size() - 2));
    if (!j.ok()) return j.status();
  }
  return Status::Ok();
}

}  // namespace

std::string ExpandSshPath(const std::string& value, const SshTokens& t) {
  std::string in = ExpandHome(value);
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%' || i + 1 == in.size()) {
      out += in[i];
      continue;
    }
    switch (char c = in[++i]) {
      case 'h':
        out += t.host;
        break;
      case 'n':
        out += t.original;
        break;
      case 'p':
        out += std::to_string(t.port);
        break;
      case 'r':
        out += t.user;
        break;
      case 'u':
        out += LocalUserName();
        break;
      case 'd':
        out += ExpandHome("~");
        break;
      default:
        out += c == '%' ? std::string("%") : std::string("%") + c;
    }
  }
  return out;
}

namespace {

bool HasWildcard(const std::string& s) { return s.find_first_of("*?[") != std::string::npos; }

/// The names in dir matching pattern (hidden ones only for a pattern starting with '.'),
/// sorted; opening dir and every entry looked at spend from budget.
Status MatchDir(const std::string& dir, const std::string& pattern, WorkBudget* budget,
                const std::string& where, std::vector<std::string>* names) {
  SHARDCTL_RETURN_IF_ERROR(budget->Spend(1, where));
  DIR* d = opendir(dir.empty() ? "/" : dir.c_str());
  if (d == nullptr) return Status::Ok();  // like glob(3): nothing matches
  Status st;
  while (const dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    st = budget->Spend(1, where);
    if (!st.ok()) break;
    if (fnmatch(pattern.c_str(), name.c_str(), FNM_PERIOD) == 0) names->push_back(name);
  }
  closedir(d);
  std::sort(names->begin(), names->end());
  return st;
}

/// glob(3) for an absolute pattern, one component at a time so the work is bounded.
Status GlobInto(const std::string& prefix, const std::vector<std::string>& parts, size_t i,
                WorkBudget* budget, const std::string& where, std::vector<std::string>* out) {
  if (i == parts.size()) {
    struct stat st {};
    if (stat(prefix.c_str(), &st) == 0) out->push_back(prefix);
    return budget->Spend(1, where);
  }
  if (parts[i].empty()) return GlobInto(prefix, parts, i + 1, budget, where, out);
  if (!HasWildcard(parts[i]))
    return GlobInto(prefix + "/" + parts[i], parts, i + 1, budget, where, out);
  std::vector<std::string> names;
  SHARDCTL_RETURN_IF_ERROR(MatchDir(prefix, parts[i], budget, where, &names));
  for (const std::string& n : names) {
    SHARDCTL_RETURN_IF_ERROR(GlobInto(prefix + "/" + n, parts, i + 1, budget, where, out));
  }
  return Status::Ok();
}

}  // namespace

bool SshHostMatches(const std::vector<std::string>& patterns, const std::string& host) {
  bool matched = false;
  for (const std::string& p : patterns) {
    bool negated = !p.empty() && p[0] == '!';
    std::string pat = Lower(negated ? p.substr(1) : p);
    if (fnmatch(pat.c_str(), Lower(host).c_str(), 0) != 0) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

Result<SshConfig> SshConfig::Load(const std::string& path) {
  auto text = ReadRegularFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

Result<SshConfig> SshConfig::Parse(const std::string& text, const std::string& path) {
  SshConfig c;
  c.blocks_.push_back(Block{});
  SHARDCTL_RETURN_IF_ERROR(c.bytes_.Spend(text.size(), path + ": "));
  SHARDCTL_RETURN_IF_ERROR(c.ParseInto(text, path, 0));
  return c;
}

Status SshConfig::ParseInto(const std::string& text, const std::string& path, int depth) {
  std::istringstream lines(text);
  std::string line, keyword;
  std::vector<std::string> args;
  for (int n = 1; std::getline(lines, line); ++n) {
    if (!SplitLine(line, &keyword, &args)) continue;
    std::string where = path + ":" + std::to_string(n) + ": ";
    if (args.empty() && !IsKnown(keyword)) {
      return Status::Invalid(where + "not an ssh_config line (expected a keyword and its value)");
    }
    if (args.empty()) return Status::Invalid(where + "\"" + keyword + "\" needs a value");
    SHARDCTL_RETURN_IF_ERROR(ParseLine(keyword, args, where, depth));
  }
  return Status::Ok();
}

Status SshConfig::ParseLine(const std::string& keyword, const std::vector<std::string>& args,
                            const std::string& where, int depth) {
  if (keyword == "host") {
    blocks_.push_back(Block{args, false, {}});
  } else if (keyword == "match") {
    bool all = args.size() == 1 && Lower(args[0]) == "all";
    blocks_.push_back(Block{{}, !all, {}});
    for (const std::string& a : args) {
      if (Lower(a) != "exec") continue;
      warnings_.push_back(where +
                          "Match exec is never run (shardctl runs no local command), so the "
                          "settings of this block never apply");
      break;
    }
  } else if (keyword == "include") {
    for (const std::string& a : args) SHARDCTL_RETURN_IF_ERROR(Include(a, where, depth));
  } else if (IsHonoured(keyword)) {
    SHARDCTL_RETURN_IF_ERROR(CheckValue(keyword, args[0], where));
    blocks_.back().settings.push_back(Setting{keyword, args[0], where.substr(0, where.size() - 2)});
  }
  return Status::Ok();
}

Status SshConfig::Include(const std::string& arg, const std::string& where, int depth) {
  if (depth >= kMaxIncludeDepth) return Status::Invalid(where + "Include nested too deeply");
  std::string pattern = ExpandHome(arg);
  if (pattern.empty() || pattern[0] != '/') pattern = ExpandHome("~/.ssh/") + pattern;
  std::vector<std::string> parts, files;
  std::istringstream split(pattern);
  for (std::string part; std::getline(split, part, '/');) parts.push_back(part);
  SHARDCTL_RETURN_IF_ERROR(GlobInto("", parts, 0, &entries_, where + "Include: ", &files));
  Block current = blocks_.back();
  for (const std::string& f : files) {
    auto text = ReadRegularFile(f);
    if (!text.ok()) return text.status().Annotate(where + "Include: ");
    SHARDCTL_RETURN_IF_ERROR(bytes_.Spend(text->size(), where + "Include: "));
    blocks_.push_back(Block{current.patterns, current.never, {}});
    SHARDCTL_RETURN_IF_ERROR(ParseInto(*text, f, depth + 1));
  }
  // Lines after the Include still belong to the block it appeared in.
  blocks_.push_back(Block{current.patterns, current.never, {}});
  return Status::Ok();
}

namespace {

/// One setting into e, first value wins; ProxyJump and ProxyCommand compete: the first of
/// either decides (as in OpenSSH).
void ApplySetting(const std::string& keyword, const std::string& value, const std::string& where,
                  SshConfigEntry* e, bool* proxy_decided) {
  auto first = [](auto& field, auto v) {
    if (!field) field = v;
  };
  if (keyword == "hostname") first(e->hostname, value);
  if (keyword == "user") first(e->user, value);
  if (keyword == "port") first(e->port, *IntValue(keyword, value));
  if (keyword == "identityfile") first(e->identity_file, value);
  if (keyword == "userknownhostsfile") first(e->known_hosts, value);
  if (keyword == "connecttimeout") first(e->connect_timeout_s, *IntValue(keyword, value));
  if (keyword == "serveraliveinterval") {
    first(e->server_alive_interval_s, *IntValue(keyword, value));
  }
  if ((keyword == "proxyjump" || keyword == "proxycommand") && !*proxy_decided) {
    *proxy_decided = true;
    if (Lower(value) == "none") return;
    if (keyword == "proxyjump") e->proxy_jump = value;
    if (keyword == "proxycommand") e->proxy_command = where;
  }
}

}  // namespace

SshConfigEntry SshConfig::Lookup(const std::string& host) const {
  SshConfigEntry e;
  bool proxy_decided = false;
  for (const Block& b : blocks_) {
    if (b.never || (!b.patterns.empty() && !SshHostMatches(b.patterns, host))) continue;
    for (const Setting& s : b.settings) {
      ApplySetting(s.keyword, s.value, s.where, &e, &proxy_decided);
    }
  }
  if (e.hostname) {
    std::string out;
    for (size_t i = 0; i < e.hostname->size(); ++i) {
      char c = (*e.hostname)[i];
      bool token = c == '%' && i + 1 < e.hostname->size();
      out += !token ? std::string(1, c) : (*e.hostname)[++i] == 'h' ? host : std::string("%");
    }
    e.hostname = out;
  }
  return e;
}

namespace {

/// The host (and port) part of a jump spec: host, host:port, [v6] or [v6]:port, or a bare v6.
Status SplitJumpHost(std::string s, const std::string& bad, JumpSpec* j) {
  std::string port;
  if (!s.empty() && s[0] == '[') {
    size_t close = s.find(']');
    if (close == std::string::npos) return Status::Invalid(bad);
    std::string rest = s.substr(close + 1);
    if (!rest.empty() && rest[0] != ':') return Status::Invalid(bad);
    port = rest.empty() ? "" : rest.substr(1);
    if (!rest.empty() && port.empty()) return Status::Invalid(bad);
    s = s.substr(1, close - 1);
  } else if (std::count(s.begin(), s.end(), ':') == 1) {
    port = s.substr(s.find(':') + 1);
    s = s.substr(0, s.find(':'));
  }
  if (!port.empty()) {
    auto p = ParseDecimal(port, 1, 65535);
    if (!p) return Status::Invalid(bad + " (bad port)");
    j->port = static_cast<int>(*p);
  }
  if (!IsHostOrAddress(s)) return Status::Invalid(bad);
  j->host = s;
  return Status::Ok();
}

}  // namespace

Result<JumpSpec> ParseJumpSpec(const std::string& spec, const std::string& where) {
  std::string s = spec;
  if (s.rfind("ssh://", 0) == 0) s = s.substr(6);
  if (s.find(',') != std::string::npos) {
    return Status::Invalid(where + ": \"" + spec +
                           "\" has several jump hosts; shardctl supports exactly one");
  }
  std::string bad = where + ": expected a jump host as [user@]host[:port], found \"" + spec + "\"";
  JumpSpec j;
  size_t at = s.find('@');
  if (at != std::string::npos) {
    j.user = s.substr(0, at);
    s = s.substr(at + 1);
    if (j.user.empty() || s.find('@') != std::string::npos ||
        j.user.find_first_of(" \t/'\"`$;:") != std::string::npos) {
      return Status::Invalid(bad);
    }
  }
  SHARDCTL_RETURN_IF_ERROR(SplitJumpHost(s, bad, &j));
  return j;
}

}  // namespace shardctl
