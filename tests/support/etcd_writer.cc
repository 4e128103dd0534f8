#include "support/etcd_writer.h"

#include <httplib.h>

#include <algorithm>

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
    : clusters_(std::move(clusters)), options_(options), ok_(clusters_.size()) {
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

void EtcdWriter::Loop(int cluster) {
  size_t preferred = 0;
  auto next = Clock::now();
  for (int64_t seq = 0; !stop_; ++seq) {
    const auto due = std::chrono::system_clock::now();
    std::string why;
    if (Put(cluster, seq, &preferred, &why)) {
      ok_[cluster]++;
    } else {
      int64_t ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(due.time_since_epoch()).count();
      std::lock_guard<std::mutex> l(mu_);
      failures_.push_back({cluster, ms, why});
    }
    next += options_.interval;
    const auto now = Clock::now();
    while (next < now) next += options_.interval;  // skip ticks missed by a slow put
    while (!stop_ && Clock::now() < next) {
      std::this_thread::sleep_for(
          std::min<Clock::duration>(next - Clock::now(), options_.interval));
    }
  }
}

bool EtcdWriter::Put(int cluster, int64_t seq, size_t* preferred, std::string* why) const {
  const EtcdEndpoints& eps = clusters_[cluster];
  const std::string body = "{\"key\":\"" + Base64("shardctl-writer/" + std::to_string(cluster)) +
                           "\",\"value\":\"" + Base64(std::to_string(seq)) + "\"}";
  const auto deadline = Clock::now() + options_.deadline;
  for (size_t attempt = 0; Clock::now() < deadline; ++attempt) {
    size_t at = (*preferred + attempt) % eps.size();
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    httplib::Client cli("http://" + eps[at]);
    cli.set_connection_timeout(std::min(left, options_.connect_timeout));
    cli.set_read_timeout(std::min(left, options_.attempt_timeout));
    cli.set_write_timeout(std::min(left, options_.attempt_timeout));
    auto res = cli.Post("/v3/kv/put", body, "application/json");
    if (res && res->status == 200 && res->body.find("\"header\"") != std::string::npos) {
      *preferred = at;
      return true;
    }
    *why = eps[at] + ": " +
           (res ? "HTTP " + std::to_string(res->status) + " " + res->body.substr(0, 200)
                : httplib::to_string(res.error()));
    if (attempt % eps.size() == eps.size() - 1) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));  // every endpoint refused
    }
  }
  return false;
}

}  // namespace shardctl::testing
