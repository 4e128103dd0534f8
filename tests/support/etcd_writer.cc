#include "support/etcd_writer.h"

#include <httplib.h>

#include <algorithm>
#include <condition_variable>

namespace shardctl::testing {

using Clock = std::chrono::steady_clock;

std::string Base64(const std::string& bytes) {
  static const char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t v = (uint8_t(bytes[i]) << 16) | (uint8_t(bytes[i + 1]) << 8) | uint8_t(bytes[i + 2]);
    for (int shift = 18; shift >= 0; shift -= 6) out += kAlphabet[(v >> shift) & 63];
  }
  if (i < bytes.size()) {
    uint32_t v = uint8_t(bytes[i]) << 16;
    if (i + 1 < bytes.size()) v |= uint8_t(bytes[i + 1]) << 8;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

EtcdWriter::EtcdWriter(std::vector<EtcdEndpoints> clusters, EtcdWriterOptions options)
    : clusters_(std::move(clusters)),
      options_(options),
      ok_(clusters_.size()),
      preferred_(clusters_.size()) {
  for (size_t c = 0; c < clusters_.size(); ++c) {
    threads_.emplace_back([this, c] { Loop(static_cast<int>(c)); });
  }
}

EtcdWriter::~EtcdWriter() { Stop(); }

void EtcdWriter::Stop() {
  stop_ = true;
  for (std::thread& t : threads_) {
    if (t.joinable()) t.join();
  }
}

int64_t EtcdWriter::ok(int cluster) const { return ok_.at(cluster).load(); }

int64_t EtcdWriter::ok_total() const {
  int64_t total = 0;
  for (const auto& n : ok_) total += n.load();
  return total;
}

int64_t EtcdWriter::failed() const {
  std::lock_guard<std::mutex> l(mu_);
  return static_cast<int64_t>(failures_.size());
}

std::vector<EtcdWriter::Failure> EtcdWriter::failures() const {
  std::lock_guard<std::mutex> l(mu_);
  return failures_;
}

/// The attempts of one put, shared with their threads (a slow attempt may still run after
/// another accepted; the put joins them all by its deadline).
struct EtcdWriter::Attempts {
  std::mutex mu;
  std::condition_variable cv;
  int pending = 0;                   // guarded by mu
  bool ok = false;                   // guarded by mu
  size_t winner = 0;                 // guarded by mu
  std::string why;                   // guarded by mu: the last failure
  std::vector<std::thread> threads;  // touched by the put's own thread only
  std::string body;
  Clock::time_point deadline;
};

void EtcdWriter::Loop(int cluster) {
  auto next = Clock::now();
  std::vector<InFlight> puts;
  for (int64_t seq = 0; !stop_; ++seq) {
    auto done = std::make_shared<std::atomic<bool>>(false);
    puts.push_back({std::thread([this, cluster, seq, done] {
                      PutAndCount(cluster, seq);
                      *done = true;
                    }),
                    done});
    Reap(&puts, /*all=*/false);
    next += options_.interval;
    while (!stop_ && Clock::now() < next) {
      std::this_thread::sleep_for(
          std::min<Clock::duration>(next - Clock::now(), options_.interval));
    }
  }
  Reap(&puts, /*all=*/true);
}

void EtcdWriter::Reap(std::vector<InFlight>* puts, bool all) {
  for (auto it = puts->begin(); it != puts->end();) {
    if (!all && !*it->done) {
      ++it;
      continue;
    }
    it->thread.join();
    it = puts->erase(it);
  }
}

void EtcdWriter::PutAndCount(int cluster, int64_t seq) {
  const auto due = std::chrono::system_clock::now();
  std::string why;
  if (Put(cluster, seq, &why)) {
    ok_[cluster]++;
    return;
  }
  int64_t ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(due.time_since_epoch()).count();
  std::lock_guard<std::mutex> l(mu_);
  failures_.push_back({cluster, ms, why});
}

void EtcdWriter::Launch(const std::shared_ptr<Attempts>& a, const std::string& endpoint,
                        size_t index) const {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(a->deadline - Clock::now());
  {
    std::lock_guard<std::mutex> l(a->mu);
    a->pending++;
  }
  const auto connect = std::min(left, options_.connect_timeout);
  a->threads.emplace_back([a, endpoint, index, left, connect] {
    httplib::Client cli("http://" + endpoint);
    cli.set_connection_timeout(connect);
    cli.set_read_timeout(left);
    cli.set_write_timeout(left);
    auto res = cli.Post("/v3/kv/put", a->body, "application/json");
    bool ok = res && res->status == 200 && res->body.find("\"header\"") != std::string::npos;
    std::lock_guard<std::mutex> l(a->mu);
    a->pending--;
    if (ok && !a->ok) {
      a->ok = true;
      a->winner = index;
    } else if (!ok) {
      a->why = endpoint + ": " +
               (res ? "HTTP " + std::to_string(res->status) + " " + res->body.substr(0, 200)
                    : httplib::to_string(res.error()));
    }
    a->cv.notify_all();
  });
}

bool EtcdWriter::Put(int cluster, int64_t seq, std::string* why) {
  const EtcdEndpoints& eps = clusters_[cluster];
  const size_t first = preferred_[cluster].load();
  auto a = std::make_shared<Attempts>();
  a->body = "{\"key\":\"" + Base64("shardctl-writer/" + std::to_string(cluster)) +
            "\",\"value\":\"" + Base64(std::to_string(seq)) + "\"}";
  a->deadline = Clock::now() + options_.deadline;
  for (size_t next = 0; a->deadline - Clock::now() > std::chrono::milliseconds(10);) {
    Launch(a, eps[(first + next) % eps.size()], (first + next) % eps.size());
    ++next;
    std::unique_lock<std::mutex> l(a->mu);
    const auto hedge = std::min(a->deadline, Clock::now() + options_.hedge_after);
    a->cv.wait_until(l, hedge, [&] { return a->ok || a->pending == 0; });
    if (a->ok) break;
    if (a->pending == 0 && next % eps.size() == 0) {  // every endpoint refused: a short breath
      l.unlock();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  bool ok = false;
  {
    std::unique_lock<std::mutex> l(a->mu);
    a->cv.wait_until(l, a->deadline, [&] { return a->ok || a->pending == 0; });
    ok = a->ok;
    if (ok) preferred_[cluster] = a->winner;
    *why = a->why.empty() ? "no endpoint replied in time" : a->why;
  }
  for (std::thread& t : a->threads) t.join();  // each ends by the deadline (its timeouts)
  return ok;
}

}  // namespace shardctl::testing
