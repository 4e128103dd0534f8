#include "lock/lease_holder.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>
#include <ctime>

namespace shardctl {

std::string LocalOperator() {
  std::string user;
  if (const char* u = std::getenv("USER"); u && *u) user = u;
  if (user.empty()) {
    if (const passwd* pw = getpwuid(geteuid())) user = pw->pw_name;
  }
  if (user.empty()) user = std::to_string(geteuid());
  char host[256] = "?";
  gethostname(host, sizeof host - 1);
  return user + "@" + host;
}

std::string FormatUnixSeconds(int64_t unix_s) {
  if (unix_s <= 0) return "?";
  char when[40] = "?";
  time_t secs = static_cast<time_t>(unix_s);
  tm utc{};
  if (gmtime_r(&secs, &utc)) std::strftime(when, sizeof when, "%F %T UTC", &utc);
  return when;
}

std::string DescribeLeaseHolder(const LeaseHolder& h) {
  return "run " + (h.run_id.empty() ? std::string("?") : h.run_id) + " (" +
         (h.operator_name.empty() ? std::string("?") : h.operator_name) + ", '" + h.command +
         "', since " + FormatUnixSeconds(h.start_unix_s) + ")";
}

std::string OneLine(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

}  // namespace shardctl
