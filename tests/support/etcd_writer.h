// A client load for etcd tests and benchmarks: puts a key to every cluster at a fixed interval
// through etcd's v3 JSON gateway, failing over across the cluster's endpoints, and counts writes
// that no endpoint accepted in time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace shardctl::testing {

/// `host:port` client endpoints of one etcd cluster.
using EtcdEndpoints = std::vector<std::string>;

struct EtcdWriterOptions {
  std::chrono::milliseconds interval{50};    // one put per cluster this often
  std::chrono::milliseconds deadline{1000};  // a put no endpoint accepted within this failed
  std::chrono::milliseconds connect_timeout{200};
  std::chrono::milliseconds attempt_timeout{500};  // one endpoint's reply; then the next one
};

/// One thread per cluster, started by the constructor, stopped by Stop() or the destructor.
/// Each tick puts key "shardctl-writer/<cluster>" (value: the tick's sequence number), trying the
/// endpoint that last accepted first, then the others in turn until one accepts or the deadline
/// passes. Ticks missed while a put was in flight are skipped, not bunched up. Thread-safe.
class EtcdWriter {
 public:
  struct Failure {
    int cluster = 0;
    int64_t unix_ms = 0;  // when the put was due
    std::string why;      // the last endpoint's error
  };

  EtcdWriter(std::vector<EtcdEndpoints> clusters, EtcdWriterOptions options = {});
  ~EtcdWriter();
  EtcdWriter(const EtcdWriter&) = delete;
  EtcdWriter& operator=(const EtcdWriter&) = delete;

  /// Stops every thread after its put in flight; idempotent.
  void Stop();
  int64_t ok(int cluster) const;
  int64_t ok_total() const;
  int64_t failed() const;
  std::vector<Failure> failures() const;

 private:
  void Loop(int cluster);
  bool Put(int cluster, int64_t seq, size_t* preferred, std::string* why) const;

  const std::vector<EtcdEndpoints> clusters_;
  const EtcdWriterOptions options_;
  std::atomic<bool> stop_{false};
  std::vector<std::atomic<int64_t>> ok_;
  std::vector<std::thread> threads_;

  mutable std::mutex mu_;
  std::vector<Failure> failures_;  // guarded by mu_
};

/// Standard base64 (with padding) of bytes, as etcd's JSON gateway wants keys and values.
std::string Base64(const std::string& bytes);

}  // namespace shardctl::testing
