#include "cruddur/users/errors.h"

#include "cruddur/users/users_directory.h"

namespace cruddur::users {
namespace {

ddb::Error Make(std::string_view type, std::string message, int http_status) {
  ddb::Error e;
  e.type = std::string(type);
  e.message = std::move(message);
  e.http_status = http_status;
  return e;
}

}  // namespace

bool Is(const ddb::Error& error, std::string_view type) { return error.type == type; }

ddb::Error NotFoundError(std::string message) {
  return Make(kUserNotFound, std::move(message), 404);
}
ddb::Error AlreadyExistsError(std::string message) {
  return Make(kUserAlreadyExists, std::move(message), 409);
}
ddb::Error InvalidInputError(std::string message) {
  return Make(kInvalidUserInput, std::move(message), 422);
}
ddb::Error SelfMessageError(std::string message) {
  return Make(kSelfMessage, std::move(message), 422);
}
ddb::Error UnavailableError(std::string message) {
  return Make(kDatabaseUnavailable, std::move(message), 503);
}
ddb::Error SchemaMissingError(std::string message) {
  return Make(kSchemaMissing, std::move(message), 500);
}
ddb::Error DatabaseError(std::string message) {
  return Make(kDatabaseError, std::move(message), 500);
}
ddb::Error HandleCollisionError(std::string message) {
  return Make(kHandleCollision, std::move(message), 500);
}

}  // namespace cruddur::users
