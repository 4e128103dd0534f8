#include "model/ssh_config.h"

#include <fnmatch.h>
#include <glob.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <sstream>

#include "base/read_file.h"
#include "base/text.h"
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
         k == "userknownhostsfile" || k == "proxyjump";
}

std::string LocalUserName() {
  if (const passwd* pw = getpwuid(getuid())) return pw->pw_name;
  return "root";
}

/// Expands ~ and the tokens %h %p %r %u %d %% in a path-like value.
std::string ExpandTokens(const std::string& v, const std::string& host, int port,
                         const std::string& user) {
  std::string in = ExpandHome(v);
  std::string out;
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%' || i + 1 == in.size()) {
      out += in[i];
      continue;
    }
    char t = in[++i];
    if (t == 'h')
      out += host;
    else if (t == 'p')
      out += std::to_string(port);
    else if (t == 'r')
      out += user;
    else if (t == 'u')
      out += LocalUserName();
    else if (t == 'd')
      out += ExpandHome("~");
    else if (t == '%')
      out += '%';
    else
      out += std::string("%") + t;
  }
  return out;
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
    if (args.empty()) return Status::Invalid(where + "\"" + keyword + "\" needs a value");
    if (keyword == "host") {
      blocks_.push_back(Block{args, false, {}});
    } else if (keyword == "match") {
      bool all = args.size() == 1 && Lower(args[0]) == "all";
      blocks_.push_back(Block{{}, !all, {}});
    } else if (keyword == "include") {
      for (const std::string& a : args) SHARDCTL_RETURN_IF_ERROR(Include(a, path, n, depth));
    } else if (IsHonoured(keyword)) {
      if (IsIntKeyword(keyword) && !IntValue(keyword, args[0])) {
        return Status::Invalid(where + "\"" + keyword + "\" expects " +
                               (keyword == "port" ? "a port (1-65535)" : "seconds (0-86400)") +
                               ", found \"" + args[0] + "\"");
      }
      blocks_.back().settings.push_back(Setting{keyword, args[0]});
    }
  }
  return Status::Ok();
}

Status SshConfig::Include(const std::string& arg, const std::string& path, int line, int depth) {
  std::string where = path + ":" + std::to_string(line) + ": ";
  if (depth >= kMaxIncludeDepth) return Status::Invalid(where + "Include nested too deeply");
  std::string pattern = ExpandHome(arg);
  if (pattern.empty() || pattern[0] != '/') pattern = ExpandHome("~/.ssh/") + pattern;
  glob_t g{};
  int rc = glob(pattern.c_str(), 0, nullptr, &g);
  std::vector<std::string> files;
  if (rc == 0) files.assign(g.gl_pathv, g.gl_pathv + g.gl_pathc);
  globfree(&g);
  Block current = blocks_.back();
  for (const std::string& f : files) {
    auto text = ReadRegularFile(f);
    if (!text.ok()) return text.status().Annotate(where + "Include: ");
    blocks_.push_back(Block{current.patterns, current.never, {}});
    SHARDCTL_RETURN_IF_ERROR(ParseInto(*text, f, depth + 1));
  }
  // Lines after the Include still belong to the block it appeared in.
  blocks_.push_back(Block{current.patterns, current.never, {}});
  return Status::Ok();
}

SshConfigEntry SshConfig::Lookup(const std::string& host) const {
  SshConfigEntry e;
  auto first = [](auto& field, auto value) {
    if (!field) field = value;
  };
  for (const Block& b : blocks_) {
    if (b.never || (!b.patterns.empty() && !SshHostMatches(b.patterns, host))) continue;
    for (const Setting& s : b.settings) {
      if (s.keyword == "hostname")
        first(e.hostname, s.value);
      else if (s.keyword == "user")
        first(e.user, s.value);
      else if (s.keyword == "port")
        first(e.port, *IntValue(s.keyword, s.value));
      else if (s.keyword == "identityfile")
        first(e.identity_file, s.value);
      else if (s.keyword == "userknownhostsfile")
        first(e.known_hosts, s.value);
      else if (s.keyword == "proxyjump")
        first(e.proxy_jump, s.value);
      else if (s.keyword == "connecttimeout")
        first(e.connect_timeout_s, *IntValue(s.keyword, s.value));
      else if (s.keyword == "serveraliveinterval")
        first(e.server_alive_interval_s, *IntValue(s.keyword, s.value));
    }
  }
  if (e.hostname) e.hostname = ExpandTokens(*e.hostname, host, 0, "");
  std::string real = e.hostname.value_or(host);
  int port = e.port.value_or(22);
  std::string user = e.user.value_or(LocalUserName());
  if (e.identity_file) e.identity_file = ExpandTokens(*e.identity_file, real, port, user);
  if (e.known_hosts) e.known_hosts = ExpandTokens(*e.known_hosts, real, port, user);
  if (e.proxy_jump && Lower(*e.proxy_jump) == "none") e.proxy_jump.reset();
  return e;
}

Result<JumpSpec> ParseJumpSpec(const std::string& spec, const std::string& where) {
  std::string s = spec;
  if (s.rfind("ssh://", 0) == 0) s = s.substr(6);
  if (s.find(',') != std::string::npos) {
    return Status::Invalid(where + ": \"" + spec +
                           "\" has several jump hosts; shardctl supports exactly one");
  }
  JumpSpec j;
  size_t at = s.rfind('@');
  if (at != std::string::npos) {
    j.user = s.substr(0, at);
    s = s.substr(at + 1);
  }
  size_t colon = s.rfind(':');
  if (colon != std::string::npos && s.find(':') == colon) {
    auto port = ParseDecimal(s.substr(colon + 1), 1, 65535);
    if (!port) return Status::Invalid(where + ": bad port in jump host \"" + spec + "\"");
    j.port = static_cast<int>(*port);
    s = s.substr(0, colon);
  }
  if (s.size() > 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (s.empty() || s.find_first_of(" \t/'\"`$;") != std::string::npos) {
    return Status::Invalid(where + ": expected a jump host as [user@]host[:port], found \"" + spec +
                           "\"");
  }
  j.host = s;
  return j;
}

}  // namespace shardctl
