#include "model/network_name.h"

namespace shardctl {
namespace {

bool IsAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

}  // namespace

Status CheckNetworkName(const std::string& name) {
  const std::string rule = "a network name is 1 to " + std::to_string(kMaxNetworkNameLength) +
                           " letters, digits, '.', '_' or '-', starting with a letter or digit";
  if (name.empty() || name.size() > kMaxNetworkNameLength) {
    return Status::Invalid(rule + " (found " + std::to_string(name.size()) + " characters)");
  }
  if (!IsAlnum(name[0])) return Status::Invalid(rule);
  for (char c : name) {
    if (!IsAlnum(c) && c != '.' && c != '_' && c != '-') return Status::Invalid(rule);
  }
  return Status::Ok();
}

}  // namespace shardctl
