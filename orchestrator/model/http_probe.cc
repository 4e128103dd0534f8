#include "model/http_probe.h"

#include <nlohmann/json.hpp>

#include "base/text.h"
#include "model/json_reader.h"
#include "model/template.h"

namespace shardctl {
namespace {

using nlohmann::json;

bool HasControl(const std::string& s) {
  for (unsigned char c : s) {
    if (c < 0x20 || c == 0x7f) return true;
  }
  return false;
}

bool IsToken(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

/// Checks a template's placeholder syntax; the value itself is checked once rendered.
Status CheckTemplate(const JsonAt& at, const std::string& text) {
  auto vars = TemplateVars(text);
  return vars.ok() ? Status::Ok() : at.Error(vars.status().message());
}

Result<std::string> TemplateField(const JsonAt& parent, const char* key, std::string fallback) {
  if (!parent.Has(key)) return fallback;
  JsonAt at = parent[key];
  auto text = at.Scalar();
  if (!text.ok()) return text.status();
  SHARDCTL_RETURN_IF_ERROR(CheckTemplate(at, *text));
  return *text;
}

Status ReadHeaders(const JsonAt& parent, HttpProbe* probe) {
  if (!parent.Has("headers")) return Status::Ok();
  JsonAt headers = parent["headers"];
  SHARDCTL_RETURN_IF_ERROR(headers.RequireObject());
  for (const auto& [name, unused] : headers.value().items()) {
    JsonAt at = headers[name];
    if (!IsToken(name)) return at.Error("a header name is letters, digits, '_', '.', '-'");
    auto value = at.String();
    if (!value.ok()) return value.status();
    SHARDCTL_RETURN_IF_ERROR(CheckTemplate(at, *value));
    probe->headers.emplace_back(name, *value);
  }
  return Status::Ok();
}

Status ReadBody(const JsonAt& parent, HttpProbe* probe) {
  if (!parent.Has("body")) return Status::Ok();
  JsonAt at = parent["body"];
  if (at.value().is_string()) {
    probe->body = at.value().get<std::string>();
    return CheckTemplate(at, probe->body);
  }
  try {
    probe->body = at.value().dump();
  } catch (const json::exception& e) {
    return at.Error(std::string("cannot be written as JSON: ") + e.what());
  }
  return Status::Ok();
}

/// Substitutes placeholders in every string of a JSON value, as they are.
Status RenderStrings(json& value, const Vars& vars) {
  if (value.is_string()) {
    auto s = RenderTemplateUnquoted(value.get<std::string>(), vars);
    if (!s.ok()) return s.status();
    value = *s;
  }
  if (value.is_structured()) {
    for (auto& child : value) SHARDCTL_RETURN_IF_ERROR(RenderStrings(child, vars));
  }
  return Status::Ok();
}

Result<std::string> RenderBody(const std::string& body, const Vars& vars) {
  if (body.empty()) return body;
  json j = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return RenderTemplateUnquoted(body, vars);  // a string body
  SHARDCTL_RETURN_IF_ERROR(RenderStrings(j, vars));
  try {
    return j.dump();
  } catch (const json::exception& e) {
    return Status::Invalid(std::string("body: ") + e.what());
  }
}

/// Renders one field and refuses a value that could end the header line it goes into.
Result<std::string> RenderField(const std::string& field, const std::string& tmpl,
                                const Vars& vars) {
  auto s = RenderTemplateUnquoted(tmpl, vars);
  if (!s.ok()) return s.status().Annotate(field + ": ");
  if (HasControl(*s)) return Status::Invalid(field + ": the value holds a control character");
  return s;
}

}  // namespace

std::string HttpRequest::Describe() const {
  return method + " " + host + ":" + std::to_string(port) + path;
}

Result<HttpProbe> ParseHttpProbe(const json& value, const std::string& file,
                                 const std::string& pointer) {
  JsonAt at(value, file, pointer);
  SHARDCTL_RETURN_IF_ERROR(at.OnlyKeys({"host", "port", "method", "path", "headers", "body"}));
  if (!at.Has("port")) return at.Error("expected \"port\" (e.g. \"{{rpc_port}}\"), found nothing");
  HttpProbe probe;
  for (auto [key, field] : {std::pair{"port", &probe.port}, std::pair{"host", &probe.host},
                            std::pair{"path", &probe.path}}) {
    auto text = TemplateField(at, key, *field);
    if (!text.ok()) return text.status();
    *field = *text;
  }
  if (probe.path.empty() || probe.path[0] != '/')
    return at["path"].Expected("a path starting with \"/\"");
  if (at.Has("method")) {
    auto method = at["method"].String();
    if (!method.ok()) return method.status();
    if (*method != "GET" && *method != "POST" && *method != "PUT") {
      return at["method"].Expected("\"GET\", \"POST\" or \"PUT\"");
    }
    probe.method = *method;
  }
  SHARDCTL_RETURN_IF_ERROR(ReadHeaders(at, &probe));
  SHARDCTL_RETURN_IF_ERROR(ReadBody(at, &probe));
  return probe;
}

Result<HttpRequest> RenderHttpProbe(const HttpProbe& probe, const Node& node) {
  HttpRequest req;
  req.method = probe.method;
  auto fail = [&](const Status& s) { return s.Annotate("node " + node.name + ": probe.http."); };
  auto port = RenderField("port", probe.port, node.vars);
  if (!port.ok()) return fail(port.status());
  auto number = ParseDecimal(*port, 1, 65535);
  if (!number) return fail(Status::Invalid("port: expected 1 to 65535, found \"" + *port + "\""));
  req.port = static_cast<int>(*number);
  auto host = RenderField("host", probe.host, node.vars);
  if (!host.ok()) return fail(host.status());
  req.host = *host;
  auto path = RenderField("path", probe.path, node.vars);
  if (!path.ok()) return fail(path.status());
  req.path = *path;
  for (const auto& [name, tmpl] : probe.headers) {
    auto value = RenderField("headers." + name, tmpl, node.vars);
    if (!value.ok()) return fail(value.status());
    req.headers.emplace_back(name, *value);
  }
  auto body = RenderBody(probe.body, node.vars);
  if (!body.ok()) return fail(body.status());
  req.body = *body;
  return req;
}

}  // namespace shardctl
