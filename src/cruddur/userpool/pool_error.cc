#include "cruddur/userpool/pool_error.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>

#include "net/auth_error.h"

namespace cruddur::userpool {

namespace {

// The name of the code `value` of this domain.
std::string_view CodeName(int value) {
  switch (static_cast<ErrorCode>(value)) {
    case kInvalidParameter:
      return "InvalidParameterException";
    case kNotAuthorized:
      return "NotAuthorizedException";
    case kUserNotFound:
      return "UserNotFoundException";
    case kUsernameExists:
      return "UsernameExistsException";
    case kAliasExists:
      return "AliasExistsException";
    case kUserNotConfirmed:
      return "UserNotConfirmedException";
    case kCodeMismatch:
      return "CodeMismatchException";
    case kExpiredCode:
      return "ExpiredCodeException";
    case kInvalidPassword:
      return "InvalidPasswordException";
    case kResourceNotFound:
      return "ResourceNotFoundException";
    case kLimitExceeded:
      return "LimitExceededException";
    case kUnsupportedUserState:
      return "UnsupportedUserStateException";
    case kSerialization:
      return "SerializationException";
    case kUnknownOperation:
      return "UnknownOperationException";
    case kUserLambdaValidation:
      return "UserLambdaValidationException";
    case kUnsupportedTokenType:
      return "UnsupportedTokenTypeException";
    case kInternalError:
      return "InternalErrorException";
  }
  return "InternalErrorException";
}

bool IsPoolError(const base::Error& error) { return error.code.category() == ErrorCategory(); }

}  // namespace

const std::error_category& ErrorCategory() {
  static const base::NamedCategory category("cognito-idp", &CodeName);
  return category;
}

base::Error PoolError(ErrorCode code, std::string message) {
  return base::Error(code, std::move(message));
}

base::Error InvalidParameter(std::string message) {
  return PoolError(kInvalidParameter, std::move(message));
}

base::Error NotAuthorized(std::string message) {
  return PoolError(kNotAuthorized, std::move(message));
}

base::Error IncorrectUsernameOrPassword() {
  return NotAuthorized("Incorrect username or password.");
}

base::Error PasswordAttemptsExceeded() { return NotAuthorized("Password attempts exceeded"); }

base::Error UserNotFound() { return PoolError(kUserNotFound, "User does not exist."); }

base::Error InternalError(std::string detail) {
  return PoolError(kInternalError, std::move(detail));
}

base::Error AsPoolError(base::Error error) {
  if (IsPoolError(error)) return error;
  return InternalError(error.Name() + ": " + error.message);
}

std::string ErrorName(const base::Error& error) {
  if (IsPoolError(error) || error.code.category() == net::AuthErrorCategory()) {
    return error.Name();
  }
  return "InternalErrorException";
}

int ErrorStatus(const base::Error& error) {
  if (error.code == net::AuthErrorCode::kRequestRefused) return 403;
  if (error.code.category() == net::AuthErrorCategory()) return 400;
  return IsPoolError(error) && error.code != kInternalError ? 400 : 500;
}

std::string ErrorBody(const base::Error& error) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("__type");
  const std::string name = ErrorName(error);
  w.String(name.data(), static_cast<rapidjson::SizeType>(name.size()));
  w.Key("message");
  w.String(error.message.data(), static_cast<rapidjson::SizeType>(error.message.size()));
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace cruddur::userpool
