#include "sim/release.h"

namespace vsim {
namespace {

constexpr size_t kMagicLen = sizeof(kReleaseMagic) - 1;
constexpr size_t kSlotSize = kMagicLen + 1 + kReleaseVersionMax + 1;

// volatile: the compiler must read the bytes at run time, so a patched copy changes behaviour.
// The flag byte is '0'; the version is empty (the default) until `sandbox release` writes one.
const volatile char kReleaseSlot[kSlotSize] = "@@VSIM-RELEASE@@0";

static_assert(sizeof("@@VSIM-RELEASE@@0") == kMagicLen + 2, "magic and flag layout");

}  // namespace

std::string ReleaseVersion() {
  std::string v;
  for (size_t i = kMagicLen + 1; i < kSlotSize && kReleaseSlot[i] != '\0'; ++i) {
    v += kReleaseSlot[i];
  }
  return v.empty() ? "v1.0.0" : v;
}

bool ReleaseCrashesOnStart() { return kReleaseSlot[kMagicLen] == '1'; }

}  // namespace vsim
