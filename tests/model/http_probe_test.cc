#include "model/http_probe.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model/playbook.h"

namespace shardctl {
namespace {

using nlohmann::json;

json WithHttpProbe(json http) {
  return {{"name", "p"},
          {"commands", {{"stop", "stop"}, {"start", "start"}, {"is_running", "st"}}},
          {"probe", {{"http", std::move(http)}, {"height", "/h"}}}};
}

std::string HttpProbeError(const json& j) {
  auto r = ParsePlaybook(j, "pb.json");
  return r.ok() ? "ok" : r.status().message();
}

Node NodeWith(Vars vars) {
  Node n;
  n.name = "s0-a";
  n.vars = std::move(vars);
  return n;
}

TEST(HttpProbeTest, RendersEveryFieldFromTheNodesVars) {
  auto pb =
      ParsePlaybook(WithHttpProbe({{"port", "{{rpc_port}}"},
                                   {"path", "/rpc/{{node.name}}"},
                                   {"headers", {{"X-Node", "{{node.name}}"}}},
                                   {"body", {{"method", "status"}, {"who", "{{node.name}}"}}}}),
                    "pb.json");
  ASSERT_TRUE(pb.ok()) << pb.status().ToString();
  EXPECT_TRUE(pb->commands.probe.empty());
  auto req = RenderHttpProbe(pb->probe.http, NodeWith({{"rpc_port", "9500"}, {"node.name", "a"}}));
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(req->Describe(), "POST 127.0.0.1:9500/rpc/a");
  ASSERT_EQ(req->headers.size(), 1u);
  EXPECT_EQ(req->headers[0], (std::pair<std::string, std::string>{"X-Node", "a"}));
  EXPECT_EQ(json::parse(req->body), (json{{"method", "status"}, {"who", "a"}}));
}

TEST(HttpProbeTest, AValueStaysDataInTheBodyAndCannotAddAHeader) {
  auto pb = ParsePlaybook(WithHttpProbe({{"port", 8545},
                                         {"headers", {{"X-Note", "{{note}}"}}},
                                         {"body", {{"note", "{{note}}"}}}}),
                          "pb.json");
  ASSERT_TRUE(pb.ok()) << pb.status().ToString();
  const std::string hostile = "x\"}, \"method\": \"shutdown";
  pb->probe.http.headers.clear();
  auto req = RenderHttpProbe(pb->probe.http, NodeWith({{"note", hostile}}));
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  EXPECT_EQ(json::parse(req->body).at("note"), hostile);  // JSON-escaped, one string
  EXPECT_EQ(json::parse(req->body).size(), 1u);

  auto with_header =
      ParsePlaybook(WithHttpProbe({{"port", 8545}, {"headers", {{"X", "{{v}}"}}}}), "pb.json");
  ASSERT_TRUE(with_header.ok());
  auto bad = RenderHttpProbe(with_header->probe.http, NodeWith({{"v", "a\r\nHost: evil"}}));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(),
            "node s0-a: probe.http.headers.X: the value holds a control character");
}

TEST(HttpProbeTest, ThePortMustRenderToAPortNumberForEveryNode) {
  auto pb = ParsePlaybook(WithHttpProbe({{"port", "{{rpc_port}}"}}), "pb.json");
  ASSERT_TRUE(pb.ok()) << pb.status().ToString();
  auto bad = RenderHttpProbe(pb->probe.http, NodeWith({{"rpc_port", "95000"}}));
  EXPECT_EQ(bad.status().message(),
            "node s0-a: probe.http.port: expected 1 to 65535, found \"95000\"");
  auto missing = RenderHttpProbe(pb->probe.http, NodeWith({}));
  EXPECT_NE(missing.status().message().find("unknown var {{rpc_port}}"), std::string::npos)
      << missing.status().message();
}

TEST(HttpProbeTest, MistakesNameTheJsonPointer) {
  EXPECT_EQ(HttpProbeError(WithHttpProbe({{"path", "/"}})),
            "pb.json:/probe/http: expected \"port\" (e.g. \"{{rpc_port}}\"), found nothing");
  EXPECT_EQ(HttpProbeError(WithHttpProbe({{"port", 1}, {"verb", "GET"}})),
            "pb.json:/probe/http: unknown key \"verb\" (allowed: host, port, method, path, "
            "headers, body)");
  EXPECT_EQ(HttpProbeError(WithHttpProbe({{"port", 1}, {"method", "DELETE"}})),
            "pb.json:/probe/http/method: expected \"GET\", \"POST\" or \"PUT\", found \"DELETE\"");
  EXPECT_EQ(HttpProbeError(WithHttpProbe({{"port", 1}, {"path", "rpc"}})),
            "pb.json:/probe/http/path: expected a path starting with \"/\", found \"rpc\"");
  EXPECT_NE(
      HttpProbeError(WithHttpProbe({{"port", "{{rpc port}}"}})).find("pb.json:/probe/http/port: "),
      std::string::npos);

  json both = WithHttpProbe({{"port", 1}});
  both["commands"]["probe"] = "curl ...";
  EXPECT_EQ(HttpProbeError(both),
            "pb.json:/commands/probe: expected one probe (commands.probe or probe.http), found "
            "both");
  json neither = WithHttpProbe({{"port", 1}});
  neither["probe"].erase("http");
  EXPECT_NE(HttpProbeError(neither).find("pb.json:/probe/http: expected a probe"),
            std::string::npos);

  json half = WithHttpProbe({{"port", 1}});
  half["probe"]["leader_id"] = "/leader";
  EXPECT_EQ(HttpProbeError(half),
            "pb.json:/probe/node_id: expected leader_id and node_id together, found one of them");
}

}  // namespace
}  // namespace shardctl
