#include "cruddur/serve/directory_link.h"

namespace cruddur::serve {

std::string HandleFor(const userpool::PoolUser& user) {
  std::string handle = user.Attribute("preferred_username");
  if (handle.empty()) {
    const std::string email = user.Attribute("email");
    handle = email.substr(0, email.find('@'));
  }
  return handle;
}

base::Status CheckHandleFree(users::UsersDirectory& directory, const userpool::PoolUser& user) {
  const std::string handle = HandleFor(user);
  auto existing = directory.FindByHandle(handle);
  if (existing.ok()) {
    return base::Error{users::kUserAlreadyExists, "Handle " + handle + " is already taken"};
  }
  if (existing.error().code == users::kUserNotFound) return base::Status::Ok();
  return existing.error();
}

base::Status LinkConfirmedUser(users::UsersDirectory& directory, const userpool::PoolUser& user) {
  const std::string handle = HandleFor(user);
  auto existing = directory.FindByHandle(handle);
  if (existing.ok()) {
    if (existing->cognito_user_id == user.sub) return base::Status::Ok();
    if (existing->cognito_user_id != users::kUnlinkedCognitoUserId) {
      return base::Error{users::kUserAlreadyExists,
                         "handle " + existing->handle + " belongs to another Cognito user"};
    }
    // UpdateCognitoUserIdByHandle re-checks under its transaction.
    auto n = directory.UpdateCognitoUserIdByHandle(existing->handle, user.sub);
    if (!n.ok()) return n.error();
    return base::Status::Ok();
  }
  if (existing.error().code != users::kUserNotFound) return existing.error();
  users::NewUser row;
  row.handle = handle;
  row.display_name = user.Attribute("name").empty() ? handle : user.Attribute("name");
  row.email = user.Attribute("email");
  row.cognito_user_id = user.sub;
  auto inserted = directory.InsertUser(row);
  if (!inserted.ok()) return inserted.error();
  return base::Status::Ok();
}

base::Status UnlinkDeletedUser(users::UsersDirectory& directory, const userpool::PoolUser& user) {
  auto n = directory.RetireCognitoUser(user.sub);
  if (!n.ok()) return n.error();
  return base::Status::Ok();
}

}  // namespace cruddur::serve
