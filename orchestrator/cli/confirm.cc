#include "cli/confirm.h"

#include <unistd.h>

#include <iostream>

namespace shardctl::cli {

bool StdinIsTty() { return isatty(STDIN_FILENO) == 1; }

bool Confirm(const std::string& question) {
  if (!StdinIsTty()) return false;
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace shardctl::cli
