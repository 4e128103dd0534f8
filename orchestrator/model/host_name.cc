#include "model/host_name.h"

#include <arpa/inet.h>

namespace shardctl {

bool IsHostOrAddress(const std::string& host) {
  unsigned char buf[16];
  if (inet_pton(AF_INET, host.c_str(), buf) == 1) return true;
  std::string v6 = host.substr(0, host.find('%'));
  if (host.find(':') != std::string::npos) return inet_pton(AF_INET6, v6.c_str(), buf) == 1;
  if (host.empty() || host.size() > 253 || host[0] == '-' || host[0] == '.') return false;
  for (char c : host) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

const char* HostRule() {
  return "a host name or IP address (no port, brackets or user: those have their own fields)";
}

}  // namespace shardctl
