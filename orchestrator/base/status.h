// Errors as values: Status says whether an operation worked and, if not, why, in words a person
// can act on. Result<T> carries a value or the Status explaining its absence.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>

namespace shardctl {

class [[nodiscard]] Status {
 public:
  enum class Code {
    kOk,
    kInvalid,  // bad input: file, JSON path and what was expected are in the message
    kNotFound,
    kIo,
    kTimeout,
    kUnreachable,  // connect refused / no route / DNS
    kAuth,
    kHostKey,
    kCancelled,
    kFailed,  // a remote step ran and did not do what it should
    kLocked,  // another run holds the network (its run lock, a node lease, the etcd key)
    kInternal,
  };

  Status() = default;
  static Status Ok() { return Status(); }
  static Status Invalid(std::string m) { return Status(Code::kInvalid, std::move(m)); }
  static Status NotFound(std::string m) { return Status(Code::kNotFound, std::move(m)); }
  static Status Io(std::string m) { return Status(Code::kIo, std::move(m)); }
  static Status Timeout(std::string m) { return Status(Code::kTimeout, std::move(m)); }
  static Status Unreachable(std::string m) { return Status(Code::kUnreachable, std::move(m)); }
  static Status Auth(std::string m) { return Status(Code::kAuth, std::move(m)); }
  static Status HostKey(std::string m) { return Status(Code::kHostKey, std::move(m)); }
  static Status Cancelled(std::string m) { return Status(Code::kCancelled, std::move(m)); }
  static Status Failed(std::string m) { return Status(Code::kFailed, std::move(m)); }
  static Status Locked(std::string m) { return Status(Code::kLocked, std::move(m)); }
  static Status Internal(std::string m) { return Status(Code::kInternal, std::move(m)); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  /// "ok" or the message; for logs.
  std::string ToString() const { return ok() ? "ok" : message_; }

  /// Prefixes the message with context ("s0-a: " + message); no-op when ok.
  Status Annotate(const std::string& prefix) const {
    return ok() ? *this : Status(code_, prefix + message_);
  }

 private:
  Status(Code c, std::string m) : code_(c), message_(std::move(m)) {}
  Code code_ = Code::kOk;
  std::string message_;
};

/// A value or the Status saying why there is none. Accessing value() of an error is a bug.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)) { assert(!status_.ok()); }  // NOLINT

  bool ok() const { return value_.has_value(); }
  const Status& status() const { return status_; }
  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::optional<T> value_;
  Status status_;
};

}  // namespace shardctl

#define SHARDCTL_RETURN_IF_ERROR(expr) \
  do {                                 \
    ::shardctl::Status _st = (expr);   \
    if (!_st.ok()) return _st;         \
  } while (0)
