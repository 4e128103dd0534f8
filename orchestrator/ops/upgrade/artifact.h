// The release binary an upgrade installs, loaded and checked on the operator's machine before any
// node is touched: read from a file or fetched over HTTP(S) (status, length and body checked),
// its sha256 compared with the one the operator requires, its format with the nodes'.
#pragma once

#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/status.h"
#include "ops/upgrade/artifact_format.h"

namespace shardctl::upgrade {

struct FetchOptions {
  Duration connect_timeout{10000};
  Duration read_timeout{30000};  // per read: a server that stalls this long fails the fetch
  Duration deadline{600000};     // the whole download, however the server trickles it
  size_t max_bytes = size_t{1} << 30;
};

struct Artifact {
  std::string source;  // the URL, or the absolute path, it came from (resume may run elsewhere)
  std::string bytes;
  std::string sha256;  // lowercase hex of bytes
};

/// True when source is an http:// or https:// URL (anything else is a local path).
bool IsUrl(std::string_view source);

/// source as the journal must keep it: a URL unchanged, a path made absolute (from the current
/// directory), so `resume` from any directory reads the same file.
std::string AbsoluteSource(const std::string& source);

/// GETs url (redirects followed). Fails, saying what happened and what was expected, on a
/// connection error or timeout, a download that outlasts options.deadline (however slowly the
/// bytes trickle), a non-2xx status, a body shorter or longer than Content-Length, more than
/// max_bytes, or an HTML/XML body (an error page, even with 200 OK).
Result<std::string> FetchUrl(const std::string& url, const FetchOptions& options);

/// Lowercase hex SHA-256 of bytes (OpenSSL EVP).
std::string Sha256Hex(std::string_view bytes);

/// Ok when text is 64 hex digits (either case); otherwise says what was expected.
Status CheckSha256Syntax(std::string_view text);

/// Reads (a regular file, base/read_file.h: never a FIFO, device or directory, size checked
/// before reading) or fetches source, then checks: sha256 equals expected_sha256
/// (case-insensitive), and the bytes are an executable of `format`. Every error names the source.
Result<Artifact> LoadArtifact(const std::string& source, const std::string& expected_sha256,
                              const ArtifactFormat& format, const FetchOptions& options);

}  // namespace shardctl::upgrade
