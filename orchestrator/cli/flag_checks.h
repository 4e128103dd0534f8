// Checks of command-line values shared by every command, so each flag refuses nonsense (0,
// negative, nan, inf, blank) with the same words before anything runs, and how errors are
// printed (text, or one JSON object under -o json).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "base/status.h"

namespace shardctl::cli {

/// program_options notifiers: a bad value becomes a usage error (exit 2) naming the flag.
/// A duration: finite, at least 1 ms and at most max_s.
std::function<void(const double&)> SecondsFlag(std::string flag, double max_s);
/// An integer from min to max.
std::function<void(const int&)> IntFlag(std::string flag, int min, int max);
/// A byte count from 1 to max ("-1" wraps to a huge size_t, so it is refused too).
std::function<void(const size_t&)> BytesFlag(std::string flag, size_t max);
/// A text that, when given, holds something other than blanks.
std::function<void(const std::string&)> NonBlankFlag(std::string flag);

/// The same duration check as a value.
Status CheckSeconds(const std::string& flag, double value, double max_s);

/// The state dir to use: dir made absolute when given, else DefaultStateDir(); an error naming
/// the fix (--state-dir) when no absolute home can be found ($HOME unset, no passwd entry).
Result<std::string> ResolveStateDir(const std::string& dir);

/// Whether args ask for -o json / --output json (looked at before parsing, for usage errors).
bool AsksForJsonOutput(const std::vector<std::string>& args);

/// How errors are printed on stderr: "shardctl: MESSAGE" (control characters made visible)
/// or, after SetJsonErrors(true), {"event":"error","message":MESSAGE} on one line.
void SetJsonErrors(bool on);
std::string FormatError(const std::string& message);

}  // namespace shardctl::cli
