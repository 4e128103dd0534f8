#include "cli/flag_checks.h"

#include <atomic>
#include <boost/program_options/errors.hpp>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/terminal_text.h"
#include "model/json_text.h"
#include "run/journal.h"

namespace shardctl::cli {
namespace {

std::atomic<bool> g_json_errors{false};

void ThrowUsage(const std::string& message) { throw boost::program_options::error(message); }

std::string FlagNumber(double d) {
  std::ostringstream s;
  s << d;
  return s.str();
}

}  // namespace

Status CheckSeconds(const std::string& flag, double value, double max_s) {
  if (std::isfinite(value) && value >= 0.001 && value <= max_s) return Status::Ok();
  return Status::Invalid(flag + " must be seconds from 0.001 to " + FlagNumber(max_s) + ", not " +
                         FlagNumber(value));
}

std::function<void(const double&)> SecondsFlag(std::string flag, double max_s) {
  return [flag, max_s](const double& v) {
    if (Status s = CheckSeconds(flag, v, max_s); !s.ok()) ThrowUsage(s.message());
  };
}

std::function<void(const int&)> IntFlag(std::string flag, int min, int max) {
  return [flag, min, max](const int& v) {
    if (v >= min && v <= max) return;
    ThrowUsage(flag + " must be an integer from " + std::to_string(min) + " to " +
               std::to_string(max) + ", not " + std::to_string(v));
  };
}

std::function<void(const size_t&)> BytesFlag(std::string flag, size_t max) {
  return [flag, max](const size_t& v) {
    if (v < 1 || v > max)
      ThrowUsage(flag + " must be a byte count from 1 to " + std::to_string(max));
  };
}

std::function<void(const std::string&)> NonBlankFlag(std::string flag) {
  return [flag](const std::string& v) {
    if (v.find_first_not_of(" \t\r\n") == std::string::npos) {
      ThrowUsage(flag + " needs a non-empty value");
    }
  };
}

Result<std::string> ResolveStateDir(const std::string& dir) {
  std::string chosen = dir.empty() ? DefaultStateDir() : dir;
  if (chosen.empty()) {
    return Status::Invalid(
        "no state directory: $HOME is unset or not absolute and the password database has no "
        "home directory for this user; pass --state-dir DIR");
  }
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(chosen, ec);
  if (ec) return Status::Invalid("--state-dir " + chosen + ": " + ec.message());
  return abs.lexically_normal().string();
}

bool AsksForJsonOutput(const std::vector<std::string>& args) {
  for (size_t i = 0; i < args.size() && args[i] != "--"; ++i) {
    const std::string& a = args[i];
    if (a == "--output=json" || a == "-ojson") return true;
    if ((a == "-o" || a == "--output") && i + 1 < args.size() && args[i + 1] == "json") return true;
  }
  return false;
}

void SetJsonErrors(bool on) { g_json_errors = on; }

std::string FormatError(const std::string& message) {
  if (g_json_errors) return ToJsonText({{"event", "error"}, {"message", message}});
  return "shardctl: " + SanitizeForTerminal(message);
}

}  // namespace shardctl::cli
