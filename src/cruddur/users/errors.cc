#include "cruddur/users/errors.h"

namespace cruddur::users {
namespace {

// The name of the code `value` of this domain.
std::string_view CodeName(int value) {
  switch (static_cast<ErrorCode>(value)) {
    case kUserNotFound:
      return "UserNotFound";
    case kUserAlreadyExists:
      return "UserAlreadyExists";
    case kInvalidUserInput:
      return "InvalidUserInput";
    case kSelfMessage:
      return "SelfMessage";
    case kDatabaseUnavailable:
      return "DatabaseUnavailable";
    case kSchemaMissing:
      return "UsersSchemaMissing";
    case kDatabaseError:
      return "DatabaseError";
    case kHandleCollision:
      return "HandleCollision";
  }
  return "UsersError";
}

}  // namespace

const std::error_category& ErrorCategory() {
  static const base::NamedCategory category("users", &CodeName);
  return category;
}

base::Error NotFoundError(std::string message) { return {kUserNotFound, std::move(message)}; }
base::Error AlreadyExistsError(std::string message) {
  return {kUserAlreadyExists, std::move(message)};
}
base::Error InvalidInputError(std::string message) {
  return {kInvalidUserInput, std::move(message)};
}
base::Error SelfMessageError(std::string message) { return {kSelfMessage, std::move(message)}; }
base::Error UnavailableError(std::string message) {
  return {kDatabaseUnavailable, std::move(message)};
}
base::Error SchemaMissingError(std::string message) { return {kSchemaMissing, std::move(message)}; }
base::Error DatabaseError(std::string message) { return {kDatabaseError, std::move(message)}; }
base::Error HandleCollisionError(std::string message) {
  return {kHandleCollision, std::move(message)};
}

}  // namespace cruddur::users
