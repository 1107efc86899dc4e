// Cognito's error codes, and their wire form.
//
// Every error the pool returns has a code of the "cognito-idp" domain, whose
// name is the Cognito exception's (what botocore reads from "__type"), and
// the message the real service sends, where we know it.
#pragma once

#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>

#include "base/error.h"

namespace cruddur::userpool {

enum class ErrorCode {
  kInvalidParameter = 1,
  kNotAuthorized,
  kUserNotFound,
  kUsernameExists,
  kAliasExists,
  kUserNotConfirmed,
  kCodeMismatch,
  kExpiredCode,
  kInvalidPassword,
  kResourceNotFound,
  kLimitExceeded,
  kUnsupportedUserState,
  kSerialization,
  kUnknownOperation,
  kUserLambdaValidation,
  kUnsupportedTokenType,
  kInternalError,
};
// The codes by their short names (userpool::kNotAuthorized).
using enum ErrorCode;

// The "cognito-idp" domain; a code's name is the exception's.
const std::error_category& ErrorCategory();
inline std::error_code make_error_code(ErrorCode c) {
  return {static_cast<int>(c), ErrorCategory()};
}

// An error of `code` (one of the above).
base::Error PoolError(ErrorCode code, std::string message);

base::Error InvalidParameter(std::string message);
base::Error NotAuthorized(std::string message);
// NotAuthorizedException "Incorrect username or password." (a wrong password
// and an unknown user look the same).
base::Error IncorrectUsernameOrPassword();
// NotAuthorizedException "Password attempts exceeded" (during a lockout).
base::Error PasswordAttemptsExceeded();
// UserNotFoundException "User does not exist."
base::Error UserNotFound();
// InternalErrorException; `detail` says what failed (local only, so it is
// worth showing).
base::Error InternalError(std::string detail);

// Any error from a layer below (storage, randomness) as an
// InternalErrorException; errors of the Cognito domain pass unchanged.
base::Error AsPoolError(base::Error error);

// The Cognito wire form, made here at the pool's edge:
// {"__type":"<name>","message":"<message>"}, JSON-escaped. The name is the
// code's for the Cognito and the "aws-auth" (net/auth_error.h) domains, and
// InternalErrorException for any other.
std::string ErrorBody(const base::Error& error);
// The name ErrorBody writes (also the x-amzn-ErrorType header).
std::string ErrorName(const base::Error& error);
// The HTTP status: 500 for InternalErrorException (and any error of another
// domain), 403 for a refused request (net::AuthErrorCode::kRequestRefused),
// 400 otherwise.
int ErrorStatus(const base::Error& error);

}  // namespace cruddur::userpool

template <>
struct std::is_error_code_enum<cruddur::userpool::ErrorCode> : std::true_type {};
