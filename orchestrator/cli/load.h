// Loading what a command names on its command line, printing what is wrong with it.
#pragma once

#include <string>

#include "base/status.h"
#include "cli/options.h"
#include "model/inventory.h"
#include "model/playbook.h"

namespace shardctl::cli {

/// path made absolute (against the current directory) and normalised; path itself when that
/// fails. What journals and printed commands name files by.
std::string Absolute(const std::string& path);

/// Loads the inventory named by -i and applies ssh_config (-F) and jump hosts to it; prints the
/// error (file, JSON path or config line, reason) on failure.
Result<Inventory> LoadInventoryOrReport(const CommonOptions& o);

/// Loads the playbook named by -p and checks it against inv; prints the error on failure.
Result<Playbook> LoadPlaybookOrReport(const CommonOptions& o, const Inventory& inv);

}  // namespace shardctl::cli
