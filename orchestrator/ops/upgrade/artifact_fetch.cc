// FetchUrl: the HTTP(S) half of loading an artifact (cpp-httplib).
#include <httplib.h>

#include <algorithm>
#include <cctype>

#include "base/text.h"
#include "base/watchdog.h"
#include "ops/upgrade/artifact.h"

namespace shardctl::upgrade {

namespace {

struct UrlParts {
  std::string origin;  // scheme://host[:port]
  std::string path;    // "/..." with the query, if any
};

Result<UrlParts> SplitUrl(const std::string& url) {
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return Status::Invalid("not a URL: '" + url + "'");
  size_t path_at = url.find('/', scheme_end + 3);
  UrlParts p{url.substr(0, path_at), path_at == std::string::npos ? "/" : url.substr(path_at)};
  if (p.origin.size() <= scheme_end + 3) return Status::Invalid("URL has no host: '" + url + "'");
  return p;
}

/// Reads the whole body into *body, failing past max bytes (the receiver stops the transfer).
httplib::Result Get(httplib::Client& cli, const std::string& path, size_t max, std::string* body,
                    bool* too_big) {
  return cli.Get(path, [&](const char* data, size_t n) {
    if (body->size() + n > max) {
      *too_big = true;
      return false;
    }
    body->append(data, n);
    return true;
  });
}

/// The failure for a response whose body does not match its Content-Length, or is an error page.
Status CheckBody(const httplib::Response& res, const std::string& body) {
  if (res.has_header("Content-Length")) {
    std::string declared = res.get_header_value("Content-Length");
    if (declared != std::to_string(body.size())) {
      return Status::Io("short or over-long download: Content-Length says " + declared +
                        " bytes, received " + std::to_string(body.size()) +
                        " (expected the whole file)");
    }
  }
  std::string markup = DescribeMarkup(body);
  if (!markup.empty()) {
    return Status::Invalid("HTTP " + std::to_string(res.status) + " with " + markup +
                           " instead of a binary (expected the release file, not an error page)");
  }
  return Status::Ok();
}

}  // namespace

Result<std::string> FetchUrl(const std::string& url, const FetchOptions& options) {
  Result<UrlParts> parts = SplitUrl(url);
  if (!parts.ok()) return parts.status();
  httplib::Client cli(parts->origin);
  if (!cli.is_valid()) return Status::Invalid("cannot use URL '" + url + "'");
  auto secs = [](Duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d); };
  cli.set_connection_timeout(secs(options.connect_timeout));
  cli.set_read_timeout(secs(options.read_timeout));
  cli.set_write_timeout(secs(options.connect_timeout));
  cli.set_follow_location(true);
  cli.set_keep_alive(false);
  std::string body;
  bool too_big = false;
  // Per-read timeouts never end a download that trickles a byte at a time: the watchdog shuts
  // the connection down when the whole download outlasts its deadline.
  Watchdog deadline(options.deadline, [&cli] { cli.stop(); });
  httplib::Result res = Get(cli, parts->path, options.max_bytes, &body, &too_big);
  if (deadline.Disarm()) {
    return Status::Timeout("download did not finish within " + FormatDuration(options.deadline) +
                           " (the overall download limit, --download-timeout) after " +
                           std::to_string(body.size()) + " bytes");
  }
  if (too_big) {
    return Status::Invalid("download larger than " + std::to_string(options.max_bytes) + " bytes");
  }
  if (!res) {
    return Status::Unreachable(
        "GET failed: " + httplib::to_string(res.error()) + " after " + std::to_string(body.size()) +
        " bytes (connect timeout " + std::to_string(options.connect_timeout.count()) +
        " ms, read timeout " + std::to_string(options.read_timeout.count()) + " ms)");
  }
  if (res->status < 200 || res->status > 299) {
    std::string markup = DescribeMarkup(body);
    return Status::Failed("HTTP " + std::to_string(res->status) +
                          (markup.empty() ? "" : " (" + markup + ")") +
                          "; expected 2xx with the release file");
  }
  if (Status s = CheckBody(*res, body); !s.ok()) return s;
  return body;
}

}  // namespace shardctl::upgrade
