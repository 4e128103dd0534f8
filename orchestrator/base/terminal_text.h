// Text from nodes (command output, probe errors) is shown to an operator; a node must not be
// able to drive the operator's terminal (move the cursor, set the title, hide text, write to
// the clipboard via OSC 52). Control characters are shown as visible escapes instead.
#pragma once

#include <string>
#include <string_view>

namespace shardctl {

/// Returns text with every C0 control except tab (and newline when keep_newlines) written as
/// "\xNN", DEL as "\x7f", C1 controls (U+0080..U+009F) as "\u00NN", and bytes that are not
/// UTF-8 as "\xNN". Printable UTF-8 is unchanged.
std::string SanitizeForTerminal(std::string_view text, bool keep_newlines = true);

}  // namespace shardctl
