// The one way a wire format's enum is spelled: a table of {value, name} pairs, read both ways.
// Every enum that is written to a journal, a report or JSON output declares one table (in its
// schema file) and uses these two helpers on it, so a word is spelled in exactly one place.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string_view>

namespace shardctl {

template <typename E>
struct EnumName {
  E value;
  const char* name;
};

/// A table: `constexpr EnumNames<Step, 3> kSteps{{{Step::kRun, "run"}, ...}};`.
template <typename E, size_t N>
using EnumNames = std::array<EnumName<E>, N>;

/// value's name in table, "?" when the table lacks it (a bug: every value has a row).
template <typename E, size_t N>
constexpr const char* NameIn(const EnumNames<E, N>& table, E value) {
  for (const EnumName<E>& row : table) {
    if (row.value == value) return row.name;
  }
  return "?";
}

/// The value named text in table, nullopt when no row has that name.
template <typename E, size_t N>
constexpr std::optional<E> ValueIn(const EnumNames<E, N>& table, std::string_view text) {
  for (const EnumName<E>& row : table) {
    if (text == row.name) return row.value;
  }
  return std::nullopt;
}

}  // namespace shardctl
