// The operations a signed-in user calls with an access token: GetUser,
// DeleteUser, GlobalSignOut.
#include "cruddur/userpool/pool_core.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/response.h"

namespace cruddur::userpool {

base::Result<std::string> PoolCore::GetUser(Request& req) {
  auto token = req.String("AccessToken", shape::kAccessToken, true);
  RETURN_IF_ERROR(req.Check());
  ASSIGN_OR_RETURN(StoredUser user, Authorize(*token));
  ResponseWriter out;
  out.Member("Username", user.user.username);
  out.Attributes("UserAttributes", user.user.attributes);
  return out.Finish();
}

base::Result<std::string> PoolCore::DeleteUser(Request& req) {
  auto token = req.String("AccessToken", shape::kAccessToken, true);
  RETURN_IF_ERROR(req.Check());
  ASSIGN_OR_RETURN(StoredUser user, Authorize(*token));
  {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(store_->DeleteUser(user.user.username));
  }
  NotifyDeleted(user.user);
  return std::string("{}");
}

base::Result<std::string> PoolCore::GlobalSignOut(Request& req) {
  auto token = req.String("AccessToken", shape::kAccessToken, true);
  RETURN_IF_ERROR(req.Check());
  ASSIGN_OR_RETURN(StoredUser user, Authorize(*token));
  std::lock_guard lock(mu_);
  RETURN_IF_ERROR(store_->RevokeSessions(user.user.username));
  return std::string("{}");
}

}  // namespace cruddur::userpool
