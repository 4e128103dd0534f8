// etcd-writer: the writer of the etcd tests as a program, for tools/bench/etcd-rolling.sh.
//
//   etcd-writer [--interval-ms 50] [--deadline-ms 1000] HOST:PORT,HOST:PORT,... [CLUSTER2 ...]
//
// One argument per cluster (its client endpoints). Puts a key to every cluster every interval
// until SIGTERM or SIGINT, then prints {"ok":N,"failed":M,"failures":[...]} on stdout.
#include <signal.h>

#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/etcd_writer.h"

namespace {

using shardctl::testing::EtcdEndpoints;
using shardctl::testing::EtcdWriter;
using shardctl::testing::EtcdWriterOptions;

EtcdEndpoints Split(const std::string& list) {
  EtcdEndpoints out;
  std::stringstream in(list);
  for (std::string ep; std::getline(in, ep, ',');) {
    if (!ep.empty()) out.push_back(ep);
  }
  return out;
}

int Usage() {
  std::cerr << "usage: etcd-writer [--interval-ms N] [--deadline-ms N] HOST:PORT,... [...]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  EtcdWriterOptions options;
  std::vector<EtcdEndpoints> clusters;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if ((a == "--interval-ms" || a == "--deadline-ms") && i + 1 < argc) {
      int ms = std::atoi(argv[++i]);
      if (ms <= 0) return Usage();
      (a == "--interval-ms" ? options.interval : options.deadline) = std::chrono::milliseconds(ms);
    } else if (a.rfind("--", 0) == 0 || Split(a).empty()) {
      return Usage();
    } else {
      clusters.push_back(Split(a));
    }
  }
  if (clusters.empty()) return Usage();
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);  // before the writer's threads exist
  EtcdWriter writer(clusters, options);
  int sig = 0;
  sigwait(&set, &sig);
  writer.Stop();
  nlohmann::json failures = nlohmann::json::array();
  for (const EtcdWriter::Failure& f : writer.failures()) {
    failures.push_back({{"cluster", f.cluster}, {"unix_ms", f.unix_ms}, {"why", f.why}});
  }
  std::cout << nlohmann::json{{"ok", writer.ok_total()},
                              {"failed", writer.failed()},
                              {"failures", failures}}
                   .dump()
            << std::endl;
  return 0;
}
