// Validating reads from parsed JSON, with errors that say FILE:/json/pointer: expected X, found Y.
// Shared by the inventory and playbook parsers.
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

#include "base/status.h"
#include "model/json_text.h"

namespace shardctl {

/// A position in a JSON document: the file it came from and the JSON pointer to the value.
class JsonAt {
 public:
  JsonAt(const nlohmann::json& value, std::string file, std::string pointer = "")
      : value_(&value), file_(std::move(file)), pointer_(std::move(pointer)) {}

  const nlohmann::json& value() const { return *value_; }
  const std::string& pointer() const { return pointer_; }
  /// "FILE:/a/b" (or "FILE:/" for the root).
  std::string Where() const;

  /// Child positions. The parent must outlive them. Key/index must exist.
  JsonAt operator[](const std::string& key) const;
  JsonAt operator[](size_t index) const;
  bool Has(const std::string& key) const;

  /// Invalid("FILE:/p: expected <what>, found <short rendering of the value>").
  Status Expected(const std::string& what) const;
  /// Invalid("FILE:/p: <message>").
  Status Error(const std::string& message) const;

  Status RequireObject() const;
  Status RequireArray() const;
  /// Rejects keys outside `allowed`, naming the key and the allowed set.
  Status OnlyKeys(std::initializer_list<const char*> allowed) const;

  Result<std::string> String() const;  // non-empty string
  Result<int64_t> Int(int64_t min, int64_t max) const;
  Result<double> Number(double min, double max) const;
  Result<bool> Bool() const;
  /// A string or number rendered as a string (template variables).
  Result<std::string> Scalar() const;

 private:
  const nlohmann::json* value_;
  std::string file_;
  std::string pointer_;
};

/// A short human rendering of a JSON value for error messages ("\"abc\"", "an object", "null").
std::string DescribeJson(const nlohmann::json& v);

}  // namespace shardctl
