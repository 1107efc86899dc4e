// The Cognito ids a row can carry besides a user's sub (users_directory.h).
#include "cruddur/users/users_directory.h"

namespace cruddur::users {

std::string RetiredCognitoUserId(std::string_view sub) {
  return std::string(kRetiredCognitoUserIdPrefix) + std::string(sub);
}

bool IsRetiredCognitoUserId(std::string_view cognito_user_id) {
  return cognito_user_id.starts_with(kRetiredCognitoUserIdPrefix);
}

}  // namespace cruddur::users
