// A client load for etcd tests and benchmarks: puts a key to every cluster at a fixed interval
// through etcd's v3 JSON gateway, failing over across the cluster's endpoints, and counts writes
// that no endpoint accepted in time.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
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
  std::chrono::milliseconds hedge_after{300};  // no reply yet: also try the next endpoint
};

/// One thread per cluster, started by the constructor, stopped by Stop() or the destructor.
/// Each tick puts key "shardctl-writer/<cluster>" (value: the tick's sequence number) through the
/// endpoint that last accepted; when that one refuses, or has not replied after `hedge_after`,
/// the next endpoint is tried as well (the first in-flight attempt keeps running), and so on
/// until one accepts or the deadline passes. A client sees what an etcd client with failover
/// sees. Ticks missed while a put was in flight are skipped, not bunched up. Thread-safe.
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
  struct Attempts;
  void Loop(int cluster);
  bool Put(int cluster, int64_t seq, size_t* preferred, std::string* why,
           std::vector<std::shared_ptr<Attempts>>* inflight) const;
  /// Joins the threads of finished puts (all: of every put; they end by their deadlines).
  static void Reap(std::vector<std::shared_ptr<Attempts>>* inflight, bool all);
  void Launch(const std::shared_ptr<Attempts>& a, const std::string& endpoint, size_t index) const;

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
