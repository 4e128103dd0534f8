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

/// One ticking thread per cluster, started by the constructor, stopped by Stop() or the
/// destructor. Every tick starts a put of key "shardctl-writer/<cluster>" (value: the tick's
/// sequence number) in its own thread, so a slow put never delays the next one: it goes to the
/// endpoint that last accepted; when that one refuses, or has not replied after `hedge_after`,
/// the next endpoint is tried as well (the first attempt keeps running), and so on until one
/// accepts or the deadline passes. A client sees what an etcd client with failover sees.
/// Thread-safe.
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
  struct InFlight {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };
  void Loop(int cluster);
  /// One put, counted as ok or failed; returns by its deadline.
  void PutAndCount(int cluster, int64_t seq);
  bool Put(int cluster, int64_t seq, std::string* why);
  void Launch(const std::shared_ptr<Attempts>& a, const std::string& endpoint, size_t index) const;
  /// Joins the puts that finished (all: every put; each ends by its deadline).
  static void Reap(std::vector<InFlight>* puts, bool all);

  const std::vector<EtcdEndpoints> clusters_;
  const EtcdWriterOptions options_;
  std::atomic<bool> stop_{false};
  std::vector<std::atomic<int64_t>> ok_;
  std::vector<std::atomic<size_t>> preferred_;  // per cluster: the endpoint that last accepted
  std::vector<std::thread> threads_;

  mutable std::mutex mu_;
  std::vector<Failure> failures_;  // guarded by mu_
};

/// Standard base64 (with padding) of bytes, as etcd's JSON gateway wants keys and values.
std::string Base64(const std::string& bytes);

}  // namespace shardctl::testing
