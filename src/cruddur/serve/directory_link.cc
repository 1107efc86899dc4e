#include "cruddur/serve/directory_link.h"

namespace cruddur::serve {

namespace {

std::string HandleOf(const userpool::PoolUser& user) {
  std::string handle = user.Attribute("preferred_username");
  if (handle.empty()) {
    const std::string email = user.Attribute("email");
    handle = email.substr(0, email.find('@'));
  }
  return handle;
}

}  // namespace

ddb::Status LinkConfirmedUser(users::UsersDirectory& directory, const userpool::PoolUser& user) {
  const std::string handle = HandleOf(user);
  auto existing = directory.FindByHandle(handle);
  if (existing.ok()) {
    if (existing->cognito_user_id == user.sub) return ddb::Status::Ok();
    if (existing->cognito_user_id != users::kUnlinkedCognitoUserId) {
      return ddb::Error{std::string(users::kUserAlreadyExists),
                        "handle " + handle + " belongs to another Cognito user", 409};
    }
    auto n = directory.UpdateCognitoUserIdByHandle(handle, user.sub);
    if (!n.ok()) return n.error();
    return ddb::Status::Ok();
  }
  if (!users::Is(existing.error(), users::kUserNotFound)) return existing.error();
  users::NewUser row;
  row.handle = handle;
  row.display_name = user.Attribute("name").empty() ? handle : user.Attribute("name");
  row.email = user.Attribute("email");
  row.cognito_user_id = user.sub;
  auto inserted = directory.InsertUser(row);
  if (!inserted.ok()) return inserted.error();
  return ddb::Status::Ok();
}

ddb::Status UnlinkDeletedUser(users::UsersDirectory& directory, const userpool::PoolUser& user) {
  auto uuid = directory.FindUuidByCognitoUserId(user.sub);
  if (!uuid.ok()) {
    return users::Is(uuid.error(), users::kUserNotFound) ? ddb::Status::Ok()
                                                         : ddb::Status(uuid.error());
  }
  auto row = directory.FindByUuid(*uuid);
  if (!row.ok()) return row.error();
  auto n = directory.UpdateCognitoUserIdByHandle(row->handle, users::kUnlinkedCognitoUserId);
  if (!n.ok()) return n.error();
  return ddb::Status::Ok();
}

}  // namespace cruddur::serve
