// What the nodes can execute: an ELF class and machine, or "any" for systems that do not run ELF.
// The upgrade refuses an artifact that does not match before any node is touched.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace shardctl::upgrade {

struct ArtifactFormat {
  std::string name = "any";  // "elf-x86_64", "elf-aarch64", ..., or "any"
  bool elf = false;          // false: any bytes pass (still not an HTML/XML page)
  int elf_class = 0;         // 1: 32-bit, 2: 64-bit
  int elf_data = 1;          // 1: little-endian, 2: big-endian
  int elf_machine = 0;       // e_machine (62: x86-64, 183: AArch64, ...)
};

/// The format named `name` ("elf-x86_64", "elf-aarch64", "elf-i386", "elf-arm", "elf-riscv64",
/// "elf-ppc64le", "elf-s390x", "any"); an unknown name is an error listing the known ones.
Result<ArtifactFormat> ParseArtifactFormat(std::string_view name);
/// Names ParseArtifactFormat knows, for messages and docs.
const std::vector<std::string>& KnownArtifactFormats();
/// The format of the machine shardctl was built for (the operator's).
ArtifactFormat HostArtifactFormat();

/// Ok when bytes are an executable of `format`: ELF magic, class, byte order, machine, and
/// e_type EXEC (or DYN with an entry point: a PIE). The error says what was found and expected.
Status CheckArtifactFormat(std::string_view bytes, const ArtifactFormat& format);

/// s with ASCII letters lowercased (URL schemes, markup sniffing).
std::string AsciiLower(std::string_view s);

/// Non-empty when bytes look like an HTML or XML document (what a web server or S3 sends as an
/// error page): a short description naming it, e.g. "an XML error document (<Code>AccessDenied)".
std::string DescribeMarkup(std::string_view bytes);

}  // namespace shardctl::upgrade
