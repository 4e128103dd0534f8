#include "sim/free_ports.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <random>
#include <string>

namespace vsim {
namespace {

/// Binds a socket of type to 127.0.0.1:port (0 = any); returns the fd and sets *bound, or -1.
int BindLoopback(int type, int port, int* bound) {
  int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<uint16_t>(port));
  socklen_t len = sizeof a;
  if (bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) != 0) {
    close(fd);
    return -1;
  }
  *bound = ntohs(a.sin_port);
  return fd;
}

/// Candidates lie below the kernel's ephemeral range, so no outgoing connection or unbound UDP
/// socket (ssh, curl, etcd clients, another test) is given one between our choosing it and the
/// node binding it. With bind(0) that happened: a node failed to start on "address in use".
std::uniform_int_distribution<int> Candidates() {
  int low = 32768, high = 60999;
  std::ifstream range("/proc/sys/net/ipv4/ip_local_port_range");
  if (!(range >> low >> high) || low < 12000) low = 32768;
  return std::uniform_int_distribution<int>(10000, low - 1);
}

}  // namespace

shardctl::Result<std::vector<int>> FreePorts(int n) {
  if (n < 1 || n > 1000) {
    return shardctl::Status::Invalid("free-ports: expected a count in 1..1000, got " +
                                     std::to_string(n));
  }
  std::vector<int> fds, ports;
  std::mt19937 rng(std::random_device{}());
  auto candidates = Candidates();
  for (int attempt = 0; attempt < n * 20 && static_cast<int>(ports.size()) < n; ++attempt) {
    int port = 0, same = 0;
    int tcp = BindLoopback(SOCK_STREAM, candidates(rng), &port);
    if (tcp < 0) continue;
    int udp = BindLoopback(SOCK_DGRAM, port, &same);
    if (udp < 0) {
      close(tcp);
      continue;
    }
    fds.push_back(tcp);
    fds.push_back(udp);
    ports.push_back(port);
  }
  for (int fd : fds) close(fd);
  if (static_cast<int>(ports.size()) < n) {
    return shardctl::Status::Failed("free-ports: found only " + std::to_string(ports.size()) +
                                    " of " + std::to_string(n) + " free ports");
  }
  return ports;
}

}  // namespace vsim
