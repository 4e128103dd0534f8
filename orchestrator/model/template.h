// Command templates: shell text with {{var}} placeholders filled from a node's vars. Every
// substituted value is shell-quoted, so a value can never become two words or a second command.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "model/inventory.h"

namespace shardctl {

/// Names of the {{name}} placeholders in tmpl, in order of appearance (repeats kept).
/// Whitespace inside the braces is ignored. An unclosed "{{" or an empty or malformed name
/// (allowed: letters, digits, '_', '.', '-') is an error saying where in the template, and so
/// is a placeholder inside the template's own single or double quotes or after a backslash
/// (the value's quoting would be undone there).
Result<std::vector<std::string>> TemplateVars(std::string_view tmpl);

/// Replaces every {{name}} by ShellQuote(vars.at(name)). A name missing from vars is an error
/// naming it.
Result<std::string> RenderTemplate(std::string_view tmpl, const Vars& vars);

/// Like RenderTemplate but substitutes values as they are, for text that is itself substituted
/// (and so quoted) later, e.g. the upgrade paths. Never send its result to a shell directly.
Result<std::string> RenderTemplateUnquoted(std::string_view tmpl, const Vars& vars);

/// RenderTemplate over node.vars; errors name the node.
Result<std::string> RenderCommand(std::string_view tmpl, const Node& node);

}  // namespace shardctl
