#include "cli/transport_factory.h"

#include "transport/ssh_transport.h"

namespace shardctl::cli {

std::unique_ptr<Transport> MakeTransport(const CommonOptions& o, const CancelToken* cancel) {
  SshTransportOptions so;
  so.connect_timeout = Duration(static_cast<int64_t>(o.connect_timeout_s * 1000));
  so.accept_new_host_keys = o.accept_new_host_keys;
  so.known_hosts_override = o.known_hosts.empty() ? "" : ExpandHome(o.known_hosts);
  so.cancel = cancel;
  return std::make_unique<SshTransport>(so);
}

}  // namespace shardctl::cli
