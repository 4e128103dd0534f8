#include "ops/upgrade/artifact.h"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

#include "base/read_file.h"

namespace shardctl::upgrade {

std::string AbsoluteSource(const std::string& source) {
  if (source.empty() || IsUrl(source)) return source;
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(source, ec);
  return ec ? source : abs.lexically_normal().string();
}

bool IsUrl(std::string_view source) {
  std::string s = AsciiLower(source.substr(0, 8));
  return s.rfind("http://", 0) == 0 || s.rfind("https://", 0) == 0;
}

std::string Sha256Hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1) return "";
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

Status CheckSha256Syntax(std::string_view text) {
  bool hex =
      std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isxdigit(c) != 0; });
  if (text.size() == 64 && hex) return Status::Ok();
  return Status::Invalid("--sha256 must be 64 hex digits (the SHA-256 of the release), got '" +
                         std::string(text) + "'");
}

Result<Artifact> LoadArtifact(const std::string& source, const std::string& expected_sha256,
                              const ArtifactFormat& format, const FetchOptions& options) {
  if (Status s = CheckSha256Syntax(expected_sha256); !s.ok()) return s;
  Result<std::string> bytes =
      IsUrl(source) ? FetchUrl(source, options) : ReadRegularFile(source, options.max_bytes);
  if (!bytes.ok()) return bytes.status().Annotate("artifact " + source + ": ");
  Artifact a{AbsoluteSource(source), std::move(bytes).value(), ""};
  a.sha256 = Sha256Hex(a.bytes);
  if (a.sha256 != AsciiLower(expected_sha256)) {
    std::string markup = DescribeMarkup(a.bytes);
    return Status::Invalid("artifact " + source + ": sha256 is " + a.sha256 + " (" +
                           std::to_string(a.bytes.size()) + " bytes" +
                           (markup.empty() ? "" : ", " + markup) + "), expected " +
                           AsciiLower(expected_sha256) + " (--sha256)");
  }
  if (Status s = CheckArtifactFormat(a.bytes, format); !s.ok()) {
    return s.Annotate("artifact " + source + ": ");
  }
  return a;
}

}  // namespace shardctl::upgrade
