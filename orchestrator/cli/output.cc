#include "cli/output.h"

#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "base/terminal_text.h"
#include "cli/flag_checks.h"
#include "model/json_text.h"
#include "run/renderers.h"

namespace shardctl::cli {

std::string JsonLine(const nlohmann::json& j) { return ToJsonText(j) + "\n"; }

void PrintError(const std::string& message) { std::cerr << FormatError(message) << "\n"; }
void PrintError(const Status& status) { PrintError(status.message()); }

bool StdoutIsTty() { return isatty(STDOUT_FILENO) == 1; }

std::unique_ptr<Observer> MakeRunView(const CommonOptions& o) {
  if (o.json()) return std::make_unique<JsonEventRenderer>(std::cout);
  if (StdoutIsTty() && !o.plain) return std::make_unique<LiveRenderer>(std::cout);
  return std::make_unique<PlainRenderer>(std::cout, o.verbose > 0);
}

void PrintReport(const CommonOptions& o, const nlohmann::json& report, const std::string& text) {
  if (o.json()) {
    std::cout << JsonLine({{"event", "report"}, {"report", report}});
  } else {
    std::cout << "\n" << SanitizeForTerminal(text);  // reports quote node output
  }
}

}  // namespace shardctl::cli
