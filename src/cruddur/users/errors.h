// The users layer's error codes (the "users" domain), and constructors for
// its errors.
#pragma once

#include <string>
#include <system_error>
#include <type_traits>

#include "base/error.h"

namespace cruddur::users {

// The codes of the errors this layer returns: the "users" domain (their
// names, Error::Name(), are the enumerators' without the 'k'; the schema's is
// "UsersSchemaMissing").
enum class ErrorCode {
  kUserNotFound = 1,
  // A unique key (handle, email, cognito_user_id) already taken.
  kUserAlreadyExists,
  // A bad argument (an empty handle, a malformed uuid).
  kInvalidUserInput,
  // Sender and receiver are the same user.
  kSelfMessage,
  // Cannot connect, connection lost, or locked longer than the busy timeout.
  kDatabaseUnavailable,
  // The users table does not exist (run CreateSchema / bin/db/schema-load).
  kSchemaMissing,
  // Anything else the database reports.
  kDatabaseError,
  // CreateSchema cannot add the case-insensitive handle index because
  // existing handles differ only in case; the message names them and says
  // how to fix it.
  kHandleCollision,
};
// The codes by their short names (users::kUserNotFound).
using enum ErrorCode;

const std::error_category& ErrorCategory();
inline std::error_code make_error_code(ErrorCode c) {
  return {static_cast<int>(c), ErrorCategory()};
}

base::Error NotFoundError(std::string message);
base::Error AlreadyExistsError(std::string message);
base::Error InvalidInputError(std::string message);
base::Error SelfMessageError(std::string message);
base::Error UnavailableError(std::string message);
base::Error SchemaMissingError(std::string message);
base::Error DatabaseError(std::string message);
base::Error HandleCollisionError(std::string message);

}  // namespace cruddur::users

template <>
struct std::is_error_code_enum<cruddur::users::ErrorCode> : std::true_type {};
