// Cognito's error types as ddb::Error values, and their wire form.
//
// Every error the pool returns carries the Cognito exception name in `type`
// (what botocore reads from "__type") and the message the real service sends,
// where we know it. Status 400, except InternalErrorException (500).
#pragma once

#include <string>
#include <string_view>

#include "ddb/common/error.h"

namespace cruddur::userpool {

inline constexpr std::string_view kInvalidParameter = "InvalidParameterException";
inline constexpr std::string_view kNotAuthorized = "NotAuthorizedException";
inline constexpr std::string_view kUserNotFound = "UserNotFoundException";
inline constexpr std::string_view kUsernameExists = "UsernameExistsException";
inline constexpr std::string_view kAliasExists = "AliasExistsException";
inline constexpr std::string_view kUserNotConfirmed = "UserNotConfirmedException";
inline constexpr std::string_view kCodeMismatch = "CodeMismatchException";
inline constexpr std::string_view kExpiredCode = "ExpiredCodeException";
inline constexpr std::string_view kInvalidPassword = "InvalidPasswordException";
inline constexpr std::string_view kResourceNotFound = "ResourceNotFoundException";
inline constexpr std::string_view kLimitExceeded = "LimitExceededException";
inline constexpr std::string_view kUnsupportedUserState = "UnsupportedUserStateException";
inline constexpr std::string_view kSerialization = "SerializationException";
inline constexpr std::string_view kUnknownOperation = "UnknownOperationException";
inline constexpr std::string_view kUserLambdaValidation = "UserLambdaValidationException";
inline constexpr std::string_view kUnsupportedTokenType = "UnsupportedTokenTypeException";
inline constexpr std::string_view kInternalError = "InternalErrorException";

// An error of `type` (one of the above) with status 500 for
// InternalErrorException and 400 otherwise.
ddb::Error PoolError(std::string_view type, std::string message);

ddb::Error InvalidParameter(std::string message);
ddb::Error NotAuthorized(std::string message);
// NotAuthorizedException "Incorrect username or password." (a wrong password
// and an unknown user look the same).
ddb::Error IncorrectUsernameOrPassword();
// NotAuthorizedException "Password attempts exceeded" (during a lockout).
ddb::Error PasswordAttemptsExceeded();
// UserNotFoundException "User does not exist."
ddb::Error UserNotFound();
// InternalErrorException; `detail` says what failed (local only, so it is
// worth showing).
ddb::Error InternalError(std::string detail);

// Any error from a layer below (storage, randomness) as an
// InternalErrorException; errors already of a Cognito type pass unchanged.
ddb::Error AsPoolError(ddb::Error error);

// {"__type":"<type>","message":"<message>"}, JSON-escaped.
std::string ErrorBody(const ddb::Error& error);

}  // namespace cruddur::userpool
