// `shardctl watch pause|resume|approve|report`: the watchers' controls from any shell. They
// append their line to the watch journal under the state dir, which every watcher of that
// state dir reads each round (no --listen needed), and the report reads it back.
#pragma once

#include <string>
#include <vector>

namespace shardctl::cli {

/// True for "pause", "resume", "approve" and "report".
bool IsWatchControl(const std::string& word);
/// Runs one of them; args[0] names it. Returns an ExitCode.
int RunWatchControl(const std::vector<std::string>& args);

}  // namespace shardctl::cli
