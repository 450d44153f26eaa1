// Errors are values: every fallible step returns Status or Result<T>. Each ErrorCode maps to exactly one HTTP
// status in the one list (core/error_codes.def), so the Worker never decides what a core failure means.
#pragma once
#include <cstdint>
#include <string>
#include <utility>

namespace edgepix {

// Every code, from the one list (error_codes.def); error_table.cpp gives each its HTTP status.
enum class ErrorCode : uint8_t {
#define EP_ERROR(code, status, raised_by) code,
#include "core/error_codes.def"
#undef EP_ERROR
};

struct ErrorInfo {
  const char* name;      // stable, machine-readable code sent to clients
  uint16_t http_status;
};
const ErrorInfo& error_info(ErrorCode code);

class Status {
 public:
  Status() = default;
  static Status error(ErrorCode code, std::string message) { return Status(code, std::move(message)); }
  bool ok() const { return code_ == ErrorCode::ok; }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }

 private:
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  ErrorCode code_ = ErrorCode::ok;
  std::string message_;
};

// A value or the Status saying why there is none. Moves only what it holds; no exceptions anywhere.
template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}                       // NOLINT: implicit on purpose
  Result(Status status) : status_(std::move(status)), has_value_(false) {}  // NOLINT
  bool ok() const { return has_value_; }
  const Status& status() const { return status_; }
  T& value() { return value_; }
  const T& value() const { return value_; }
  T* operator->() { return &value_; }
  const T* operator->() const { return &value_; }
  T& operator*() { return value_; }

 private:
  T value_{};
  Status status_;
  bool has_value_ = true;
};

inline Status error(ErrorCode code, std::string message) { return Status::error(code, std::move(message)); }

}  // namespace edgepix

namespace edgepix {
inline const Status& status_of(const Status& s) { return s; }
template <class T>
const Status& status_of(const Result<T>& r) { return r.status(); }
}  // namespace edgepix

// Returns early from the enclosing function with the failure of a Status or Result expression.
#define EP_TRY(expr)                                              \
  do {                                                            \
    const auto& ep_try_value_ = (expr);                           \
    if (!ep_try_value_.ok()) return ::edgepix::status_of(ep_try_value_); \
  } while (0)
