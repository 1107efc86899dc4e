// Error, Result and Status: how every layer reports failure.
//
// An Error is a code and a message for a person. The code is a
// std::error_code: its category is the error's domain ("dynamodb",
// "cognito-idp", "users", "messaging", "aws-client", ...) and its value one
// of that domain's enum, registered with std::is_error_code_enum next to the
// enum in the layer that owns it. Layers tell errors apart by comparing codes
// (`e.code == users::ErrorCode::kUserNotFound`), never by their text.
//
// What an error looks like on a wire (DynamoDB's "__type" and HTTP status,
// Cognito's, the API's 4xx with its JSON body) is decided at that wire's edge
// from the code; nothing below the edge knows it. Errors are values: no layer
// throws across its boundary.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>

namespace base {

struct Error {
  Error() = default;
  Error(std::error_code c, std::string m, std::string extra = {})
      : code(c), message(std::move(m)), extra_json(std::move(extra)) {}
  template <typename Code>
  requires std::is_error_code_enum_v<Code> Error(
      Code c, std::string m, std::string extra = {})  // NOLINT: a code is an error
      : Error(make_error_code(c), std::move(m), std::move(extra)) {}

  // The code's name in its domain ("ValidationException", "UserNotFound"):
  // for logs and for people, not for telling errors apart.
  std::string Name() const { return code.message(); }

  std::error_code code;
  // Human-readable, exactly as the domain words it (DynamoDB's messages are
  // DynamoDB's, word for word).
  std::string message;
  // Extra top-level JSON members the error's wire form carries, serialized
  // without the surrounding braces: "\"Item\":{...}" for DynamoDB's
  // ConditionalCheckFailedException with ALL_OLD, "\"CancellationReasons\":
  // [...]" for TransactionCanceledException. Empty for most errors.
  std::string extra_json;
};

// The std::error_category of a domain whose codes' names come from a
// function: what every layer's enum needs, written once.
//   const std::error_category& ErrorCategory() {
//     static const base::NamedCategory category("users", &CodeName);
//     return category;
//   }
class NamedCategory final : public std::error_category {
 public:
  using NameOf = std::string_view (*)(int value);
  NamedCategory(const char* domain, NameOf name_of) : domain_(domain), name_of_(name_of) {}
  const char* name() const noexcept override { return domain_; }
  std::string message(int value) const override { return std::string(name_of_(value)); }

 private:
  const char* domain_;
  NameOf name_of_;
};

// Result<T>: either a T or an Error. A tiny stand-in for C++23 std::expected.
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

}  // namespace base

// Propagate an error from an expression yielding Status or Result<T>.
#define RETURN_IF_ERROR(expr)                     \
  do {                                            \
    auto _st = (expr);                            \
    if (!_st.ok()) return std::move(_st).error(); \
  } while (0)

#define BASE_CONCAT_INNER(a, b) a##b
#define BASE_CONCAT(a, b) BASE_CONCAT_INNER(a, b)
// ASSIGN_OR_RETURN(auto x, Compute()); assigns the value or returns the error.
#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(BASE_CONCAT(_res_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr)   \
  auto tmp = (expr);                            \
  if (!tmp.ok()) return std::move(tmp).error(); \
  lhs = std::move(tmp).value()
