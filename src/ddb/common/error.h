// Error and Result: how every layer of the engine reports failure.
//
// An Error carries a DynamoDB error name (e.g. "ValidationException"), the
// message DynamoDB would send, and the HTTP status, from the place the problem
// is detected to the wire unchanged. Errors are values: no layer throws across
// its boundary.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace ddb {

struct Error {
  // The error's short name, as botocore sees it after the '#'.
  std::string type;
  // Human-readable message exactly as DynamoDB words it.
  std::string message;
  // HTTP status: 400 for client errors, 500 for InternalServerError.
  int http_status = 400;
  // The '__type' namespace prefix. DynamoDB uses three: coral.validate for
  // ValidationException, coral.service for protocol-level errors and the
  // service namespace for the rest. Left empty, it is derived from `type`.
  std::string type_namespace;
  // Optional extra top-level JSON members, already serialized without the
  // surrounding braces, e.g. "\"Item\":{...}" for
  // ConditionalCheckFailedException with ALL_OLD, or
  // "\"CancellationReasons\":[...]" for TransactionCanceledException.
  std::string extra_json;

  std::string FullType() const;
};

// Constructors for the errors the engine raises most.
Error Validation(std::string message);
Error ResourceNotFound(std::string message = "Requested resource not found");
Error ResourceInUse(std::string message);
Error ConditionalCheckFailed(std::string message = "The conditional request failed");
Error Serialization(std::string message);
Error Internal(std::string message = "Internal server error");
Error LimitExceeded(std::string message);

// Result<T>: either a T or an Error. A tiny stand-in for C++23 std::expected.
// Other layers with their own error type use Result<T, TheirError>.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(E error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & {
    assert(ok());
    return std::get<0>(v_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(v_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const E& error() const& {
    assert(!ok());
    return std::get<1>(v_);
  }
  E&& error() && {
    assert(!ok());
    return std::get<1>(std::move(v_));
  }

 private:
  std::variant<T, E> v_;
};

// Status: success or an Error (Result without a value).
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)) {}  // NOLINT
  static Status Ok() { return Status(); }
  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

}  // namespace ddb

// Propagate an error from an expression yielding Status or Result<T>.
#define DDB_RETURN_IF_ERROR(expr)                 \
  do {                                            \
    auto _st = (expr);                            \
    if (!_st.ok()) return std::move(_st).error(); \
  } while (0)

#define DDB_CONCAT_INNER(a, b) a##b
#define DDB_CONCAT(a, b) DDB_CONCAT_INNER(a, b)
// DDB_ASSIGN_OR_RETURN(auto x, Compute()); assigns the value or returns the error.
#define DDB_ASSIGN_OR_RETURN(lhs, expr) \
  DDB_ASSIGN_OR_RETURN_IMPL(DDB_CONCAT(_res_, __LINE__), lhs, expr)
#define DDB_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return std::move(tmp).error();   \
  lhs = std::move(tmp).value()
