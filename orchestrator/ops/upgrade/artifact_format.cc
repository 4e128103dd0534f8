#include "ops/upgrade/artifact_format.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace shardctl::upgrade {

namespace {

struct KnownFormat {
  const char* name;
  int elf_class;
  int elf_data;
  int machine;
};

constexpr KnownFormat kFormats[] = {
    {"elf-x86_64", 2, 1, 62}, {"elf-aarch64", 2, 1, 183}, {"elf-i386", 1, 1, 3},
    {"elf-arm", 1, 1, 40},    {"elf-riscv64", 2, 1, 243}, {"elf-ppc64le", 2, 1, 21},
    {"elf-s390x", 2, 2, 22},
};

const char* MachineName(int machine) {
  for (const KnownFormat& f : kFormats) {
    if (f.machine == machine) return f.name + 4;  // skip "elf-"
  }
  return "unknown";
}

uint64_t ReadUint(std::string_view b, size_t at, size_t n, bool big_endian) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    uint64_t byte = static_cast<unsigned char>(b[at + (big_endian ? i : n - 1 - i)]);
    v = (v << 8) | byte;
  }
  return v;
}

/// The first bytes as printable text, for "it starts with ..." in messages.
std::string Preview(std::string_view bytes) {
  std::string out;
  for (char c : bytes.substr(0, 40)) out += std::isprint(static_cast<unsigned char>(c)) ? c : '.';
  return out;
}

}  // namespace

std::string AsciiLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

const std::vector<std::string>& KnownArtifactFormats() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const KnownFormat& f : kFormats) v.push_back(f.name);
    v.push_back("any");
    return v;
  }();
  return names;
}

Result<ArtifactFormat> ParseArtifactFormat(std::string_view name) {
  ArtifactFormat out;
  if (name == "any") return out;
  for (const KnownFormat& f : kFormats) {
    if (name != f.name) continue;
    out.name = f.name;
    out.elf = true;
    out.elf_class = f.elf_class;
    out.elf_data = f.elf_data;
    out.elf_machine = f.machine;
    return out;
  }
  std::string known;
  for (const std::string& n : KnownArtifactFormats()) known += (known.empty() ? "" : ", ") + n;
  return Status::Invalid("unknown artifact format '" + std::string(name) + "' (expected one of " +
                         known + ")");
}

ArtifactFormat HostArtifactFormat() {
#if defined(__x86_64__)
  return ParseArtifactFormat("elf-x86_64").value();
#elif defined(__aarch64__)
  return ParseArtifactFormat("elf-aarch64").value();
#elif defined(__riscv) && __riscv_xlen == 64
  return ParseArtifactFormat("elf-riscv64").value();
#elif defined(__i386__)
  return ParseArtifactFormat("elf-i386").value();
#elif defined(__arm__)
  return ParseArtifactFormat("elf-arm").value();
#else
  return ArtifactFormat{};
#endif
}

std::string DescribeMarkup(std::string_view bytes) {
  size_t i = 0;
  if (bytes.substr(0, 3) == "\xEF\xBB\xBF") i = 3;  // UTF-8 byte order mark
  while (i < bytes.size() && std::isspace(static_cast<unsigned char>(bytes[i]))) ++i;
  std::string head = AsciiLower(bytes.substr(i, 512));
  bool xml = head.rfind("<?xml", 0) == 0 || head.rfind("<error", 0) == 0;
  bool html = head.rfind("<!doctype", 0) == 0 || head.rfind("<html", 0) == 0;
  if (!xml && !html) return "";
  std::string what = xml ? "an XML document" : "an HTML page";
  size_t code = bytes.find("<Code>");
  if (code != std::string_view::npos) {
    size_t end = bytes.find('<', code + 6);
    if (end != std::string_view::npos && end - code - 6 <= 64) {
      what += " (error code " + std::string(bytes.substr(code + 6, end - code - 6)) + ")";
    }
  }
  return what + " starting '" + Preview(bytes.substr(i)) + "'";
}

Status CheckArtifactFormat(std::string_view b, const ArtifactFormat& format) {
  if (std::string markup = DescribeMarkup(b); !markup.empty()) {
    return Status::Invalid("the artifact is " + markup + ", not a binary (an error page?)");
  }
  if (!format.elf) return Status::Ok();
  std::string expected = "expected an ELF executable for " + format.name;
  if (b.size() < 52 || b.substr(0, 4) !=
                           "\x7f"
                           "ELF") {
    return Status::Invalid("the artifact is not an ELF executable (" + std::to_string(b.size()) +
                           " bytes starting '" + Preview(b) + "'); " + expected);
  }
  int cls = b[4], data = b[5];
  bool big = data == 2;
  int machine = static_cast<int>(ReadUint(b, 18, 2, big));
  if (cls != format.elf_class || data != format.elf_data || machine != format.elf_machine) {
    return Status::Invalid("the artifact is an ELF file for " + std::string(MachineName(machine)) +
                           " (" + (cls == 2 ? "64" : "32") + "-bit, machine " +
                           std::to_string(machine) + "); " + expected);
  }
  uint64_t type = ReadUint(b, 16, 2, big);
  size_t entry_size = cls == 2 ? 8 : 4;
  uint64_t entry = b.size() >= 24 + entry_size ? ReadUint(b, 24, entry_size, big) : 0;
  if (type != 2 && !(type == 3 && entry != 0)) {
    return Status::Invalid("the artifact is an ELF file of type " + std::to_string(type) +
                           " (not an executable: a library or object file?); " + expected);
  }
  return Status::Ok();
}

}  // namespace shardctl::upgrade
