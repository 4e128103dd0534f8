// What the CLI prints: errors on stderr, JSON lines, a run's live view and its report.
#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "base/status.h"
#include "cli/options.h"
#include "run/events.h"

namespace shardctl::cli {

/// j as one line of JSON plus a newline (bad UTF-8 replaced, never throws): what -o json prints.
std::string JsonLine(const nlohmann::json& j);

/// Prints "shardctl: <message>" to stderr, or one JSON line under -o json (cli/flag_checks.h).
void PrintError(const std::string& message);
void PrintError(const Status& status);

/// True when stdout is a terminal (live views, colours, confirmation prompts).
bool StdoutIsTty();

/// How a run shows its progress: JSON events with -o json, a live table on a terminal (unless
/// --plain), else timestamped lines.
std::unique_ptr<Observer> MakeRunView(const CommonOptions& o);

/// A finished run's report on stdout: one JSON line {"event":"report","report":...} under
/// -o json, else a blank line and the text.
void PrintReport(const CommonOptions& o, const nlohmann::json& report, const std::string& text);

}  // namespace shardctl::cli
