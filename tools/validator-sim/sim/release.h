// A release's identity, carried inside the binary so `sandbox release` can make a new release by
// patching a copy in place (the copy stays a valid ELF; its sha256 differs). The slot starts with
// the magic kReleaseMagic, then one flag byte ('1': crash on start) and a NUL-padded version.
#pragma once

#include <cstddef>
#include <string>

namespace vsim {

inline constexpr char kReleaseMagic[] = "@@VSIM-RELEASE@@";  // 16 bytes, found by tools/sandbox
inline constexpr size_t kReleaseVersionMax = 62;             // bytes of version text

/// The version this binary reports ("v1.0.0" unless a release patched it).
std::string ReleaseVersion();

/// True in a release made with --crash-on-start: `validator-sim run` exits 1 at once.
bool ReleaseCrashesOnStart();

}  // namespace vsim
