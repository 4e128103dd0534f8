// Command templates: the text up to the first NUL is the template (here-documents and comments
// span lines), the rest a value; without a NUL, the first line is the template. Whatever the
// value, rendering it into a single placeholder must give the value back as one shell word:
// ShellQuote's output between the template's own text, never text that escapes its quotes.
#include <string_view>

#include "base/shell_quote.h"
#include "fuzz_input.h"
#include "model/template.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text = shardctl::fuzz::AsText(data, size);
  size_t sep = text.find('\0');
  if (sep == std::string::npos) sep = text.find('\n');
  std::string tmpl = text.substr(0, sep);
  std::string value = sep == std::string::npos ? "" : text.substr(sep + 1);
  auto names = shardctl::TemplateVars(tmpl);
  if (!names.ok()) return 0;
  shardctl::Vars vars;
  for (const auto& n : *names) vars[n] = value;
  auto rendered = shardctl::RenderTemplate(tmpl, vars);
  if (!rendered.ok()) shardctl::fuzz::Broken();  // every name has a value
  // One placeholder alone renders to exactly the quoted value.
  auto alone = shardctl::RenderTemplate("{{v}}", {{"v", value}});
  if (!alone.ok() || *alone != shardctl::ShellQuote(value)) shardctl::fuzz::Broken();
  return 0;
}
