// Any bytes as a run journal (what resume and retry read after a crash): entries or an error
// naming the line, never a crash.
#include "fuzz_input.h"
#include "run/journal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  (void)shardctl::ParseJournalText(shardctl::fuzz::AsText(data, size), "fuzz");  // crashes only
  return 0;
}
