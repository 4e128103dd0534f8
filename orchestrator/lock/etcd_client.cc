#include "lock/etcd_client.h"

#include <httplib.h>

#include <algorithm>

#include "lock/base64.h"

namespace shardctl {
namespace {

using nlohmann::json;

// The first key after every key starting with prefix (etcd's range_end for a prefix).
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    unsigned char last = static_cast<unsigned char>(prefix.back());
    if (last < 0xff) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return std::string(1, '\0');
}

Result<EtcdKv> ReadKv(const json& kv) {
  EtcdKv out;
  auto key = Base64Decode(kv.value("key", ""));
  auto value = Base64Decode(kv.value("value", ""));
  if (!key || !value) return Status::Invalid("etcd sent a key or value that is not base64");
  out.key = *key;
  out.value = *value;
  out.lease = EtcdInt(kv, "lease");
  out.create_revision = EtcdInt(kv, "create_revision");
  return out;
}

std::string ErrorOf(const json& reply) {
  if (reply.contains("message") && reply["message"].is_string()) return reply["message"];
  if (reply.contains("error") && reply["error"].is_string()) return reply["error"];
  if (reply.contains("error") && reply["error"].is_object()) return ErrorOf(reply["error"]);
  return reply.dump();
}

std::unique_ptr<httplib::Client> MakeClient(const EtcdLockConfig& cfg, const std::string& url) {
  auto client = cfg.cert_file.empty()
                    ? std::make_unique<httplib::Client>(url)
                    : std::make_unique<httplib::Client>(url, cfg.cert_file, cfg.key_file);
#ifdef CPPHTTPLIB_OPENSSL_SUPPORT
  if (!cfg.ca_file.empty()) client->set_ca_cert_path(cfg.ca_file);
  client->enable_server_certificate_verification(true);
#endif
  return client;
}

}  // namespace

int64_t EtcdInt(const json& obj, const char* key) {
  if (!obj.is_object() || !obj.contains(key)) return 0;
  const json& v = obj[key];
  if (v.is_number_integer()) return v.get<int64_t>();
  if (!v.is_string()) return 0;
  try {
    return std::stoll(v.get<std::string>());
  } catch (const std::exception&) {
    return 0;
  }
}

EtcdClient::EtcdClient(EtcdLockConfig cfg, Duration timeout)
    : cfg_(std::move(cfg)), timeout_(timeout) {}

Result<json> EtcdClient::PostTo(const std::string& endpoint, const std::string& path,
                                const std::string& body) {
#ifndef CPPHTTPLIB_OPENSSL_SUPPORT
  if (endpoint.rfind("https://", 0) == 0) {
    return Status::Invalid("etcd endpoint " + endpoint +
                           ": this shardctl was built without TLS support; use http:// or a "
                           "build with OpenSSL");
  }
#endif
  auto client = MakeClient(cfg_, endpoint);
  if (!client->is_valid()) return Status::Invalid("etcd endpoint " + endpoint + ": bad URL");
  auto secs = [](Duration d) { return static_cast<time_t>(d.count() / 1000); };
  auto usecs = [](Duration d) { return static_cast<time_t>(d.count() % 1000 * 1000); };
  client->set_connection_timeout(secs(timeout_), usecs(timeout_));
  client->set_read_timeout(secs(timeout_), usecs(timeout_));
  client->set_write_timeout(secs(timeout_), usecs(timeout_));
  auto res = client->Post(path.c_str(), body, "application/json");
  if (!res) {
    return Status::Unreachable("etcd " + endpoint + path + ": " + httplib::to_string(res.error()));
  }
  json reply = json::parse(res->body, nullptr, /*allow_exceptions=*/false);
  if (reply.is_discarded()) {
    return Status::Invalid("etcd " + endpoint + path + ": HTTP " + std::to_string(res->status) +
                           " with a body that is not JSON");
  }
  if (res->status != 200 || (reply.is_object() && reply.contains("error"))) {
    return Status::Failed("etcd " + endpoint + path + ": " + ErrorOf(reply));
  }
  return reply;
}

Result<json> EtcdClient::Post(const std::string& path, const json& body) {
  std::string text;
  try {
    text = body.dump();
  } catch (const json::exception& e) {
    return Status::Internal(std::string("etcd request: ") + e.what());
  }
  Status last = Status::Unreachable("etcd: no endpoint configured");
  for (const std::string& endpoint : cfg_.endpoints) {
    auto reply = PostTo(endpoint, path, text);
    if (reply.ok() || reply.status().code() != Status::Code::kUnreachable) return reply;
    last = reply.status();
  }
  return last;
}

Result<int64_t> EtcdClient::Grant(int64_t ttl_s) {
  auto reply = Post("/v3/lease/grant", {{"TTL", std::to_string(ttl_s)}});
  if (!reply.ok()) return reply.status();
  int64_t id = EtcdInt(*reply, "ID");
  if (id == 0) return Status::Invalid("etcd granted no lease id: " + reply->dump());
  return id;
}

Result<int64_t> EtcdClient::KeepAlive(int64_t lease) {
  auto reply = Post("/v3/lease/keepalive", {{"ID", std::to_string(lease)}});
  if (!reply.ok()) return reply.status();
  const json& result = reply->contains("result") ? (*reply)["result"] : *reply;
  return std::max<int64_t>(0, EtcdInt(result, "TTL"));
}

Status EtcdClient::Revoke(int64_t lease) {
  auto reply = Post("/v3/lease/revoke", {{"ID", std::to_string(lease)}});
  if (!reply.ok() && reply.status().message().find("lease not found") != std::string::npos) {
    return Status::Ok();
  }
  return reply.ok() ? Status::Ok() : reply.status();
}

Result<std::optional<EtcdKv>> EtcdClient::CreateIfAbsent(const std::string& key,
                                                         const std::string& value, int64_t lease) {
  std::string k = Base64Encode(key);
  json txn = {
      {"compare",
       {{{"key", k}, {"target", "CREATE"}, {"result", "EQUAL"}, {"create_revision", "0"}}}},
      {"success",
       {{{"request_put",
          {{"key", k}, {"value", Base64Encode(value)}, {"lease", std::to_string(lease)}}}}}},
      {"failure", {{{"request_range", {{"key", k}}}}}}};
  auto reply = Post("/v3/kv/txn", txn);
  if (!reply.ok()) return reply.status();
  if (reply->value("succeeded", false)) return std::optional<EtcdKv>();
  try {
    const json& kvs = reply->at("responses").at(0).at("response_range").at("kvs");
    if (kvs.empty()) return Status::Failed("etcd: key " + key + " exists but cannot be read");
    auto kv = ReadKv(kvs.at(0));
    if (!kv.ok()) return kv.status();
    return std::optional<EtcdKv>(*kv);
  } catch (const json::exception&) {
    // The holder's lease expired between compare and range: nothing is there now.
    return Status::Unreachable("etcd: key " + key + " vanished while reading it; try again");
  }
}

Result<std::vector<EtcdKv>> EtcdClient::RangePrefix(const std::string& prefix) {
  auto reply = Post("/v3/kv/range", {{"key", Base64Encode(prefix)},
                                     {"range_end", Base64Encode(PrefixEnd(prefix))}});
  if (!reply.ok()) return reply.status();
  std::vector<EtcdKv> out;
  if (!reply->contains("kvs") || !(*reply)["kvs"].is_array()) return out;
  for (const json& kv : (*reply)["kvs"]) {
    auto one = ReadKv(kv);
    if (!one.ok()) return one.status();
    out.push_back(*one);
  }
  return out;
}

Status EtcdClient::Put(const std::string& key, const std::string& value) {
  auto reply = Post("/v3/kv/put", {{"key", Base64Encode(key)}, {"value", Base64Encode(value)}});
  return reply.ok() ? Status::Ok() : reply.status();
}

Result<std::optional<EtcdKv>> EtcdClient::Get(const std::string& key) {
  auto reply = Post("/v3/kv/range", {{"key", Base64Encode(key)}});
  if (!reply.ok()) return reply.status();
  if (!reply->contains("kvs") || !(*reply)["kvs"].is_array() || (*reply)["kvs"].empty()) {
    return std::optional<EtcdKv>();
  }
  auto kv = ReadKv((*reply)["kvs"][0]);
  if (!kv.ok()) return kv.status();
  return std::optional<EtcdKv>(*kv);
}

Status EtcdClient::Delete(const std::string& key) {
  auto reply = Post("/v3/kv/deleterange", {{"key", Base64Encode(key)}});
  return reply.ok() ? Status::Ok() : reply.status();
}

}  // namespace shardctl
