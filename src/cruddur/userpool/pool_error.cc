#include "cruddur/userpool/pool_error.h"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>

namespace cruddur::userpool {

ddb::Error PoolError(std::string_view type, std::string message) {
  ddb::Error e;
  e.type = std::string(type);
  e.message = std::move(message);
  e.http_status = type == kInternalError ? 500 : 400;
  return e;
}

ddb::Error InvalidParameter(std::string message) {
  return PoolError(kInvalidParameter, std::move(message));
}

ddb::Error NotAuthorized(std::string message) {
  return PoolError(kNotAuthorized, std::move(message));
}

ddb::Error IncorrectUsernameOrPassword() {
  return NotAuthorized("Incorrect username or password.");
}

ddb::Error PasswordAttemptsExceeded() { return NotAuthorized("Password attempts exceeded"); }

ddb::Error UserNotFound() { return PoolError(kUserNotFound, "User does not exist."); }

ddb::Error InternalError(std::string detail) {
  return PoolError(kInternalError, std::move(detail));
}

ddb::Error AsPoolError(ddb::Error error) {
  static constexpr std::array kPoolTypes = {
      kInvalidParameter,    kNotAuthorized,    kUserNotFound,         kUsernameExists,
      kAliasExists,         kUserNotConfirmed, kCodeMismatch,         kExpiredCode,
      kInvalidPassword,     kResourceNotFound, kUnsupportedUserState, kLimitExceeded,
      kSerialization,       kUnknownOperation, kInternalError,        kUserLambdaValidation,
      kUnsupportedTokenType};
  for (std::string_view t : kPoolTypes) {
    if (error.type == t) return error;
  }
  return InternalError(error.type + ": " + error.message);
}

std::string ErrorBody(const ddb::Error& error) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  w.Key("__type");
  w.String(error.type.data(), static_cast<rapidjson::SizeType>(error.type.size()));
  w.Key("message");
  w.String(error.message.data(), static_cast<rapidjson::SizeType>(error.message.size()));
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace cruddur::userpool
