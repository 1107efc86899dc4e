// ForgotPassword, ConfirmForgotPassword (a reset code "e-mailed" through
// UserPoolOptions::deliver_code, as the sign-up code is) and ChangePassword
// (access token + previous password).
#include "cruddur/userpool/one_time_code.h"
#include "cruddur/userpool/password_hash.h"
#include "cruddur/userpool/password_policy.h"
#include "cruddur/userpool/pool_core.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/response.h"

namespace cruddur::userpool {

base::Result<std::string> PoolCore::ForgotPassword(Request& req) {
  ASSIGN_OR_RETURN(std::string username, ReadClientUsername(req));

  PoolUser user;
  std::string code;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(std::optional<StoredUser> found, store_->FindUser(username));
    if (!found) {
      // PreventUserExistenceErrors ENABLED: Cognito answers as if it had sent
      // a code.
      ResponseWriter out;
      out.CodeDeliveryDetails(username);
      return out.Finish();
    }
    if (!found->user.enabled) return NotAuthorized("User is disabled.");
    if (found->user.status == kForceChangePassword) {
      return NotAuthorized("User password cannot be reset in the current state.");
    }
    if (found->user.Attribute("email_verified") != "true") {
      return InvalidParameter(
          "Cannot reset password for the user as there is no registered/verified email or "
          "phone_number");
    }
    ASSIGN_OR_RETURN(code, IssueCodeLocked(*found, &StoredUser::reset_code));
    user = found->user;
  }
  return DeliverCode(user, code);
}

base::Result<std::string> PoolCore::ConfirmForgotPassword(Request& req) {
  auto client_id = req.String("ClientId", shape::kClientId, true);
  req.String("SecretHash", shape::kSecretHash);
  auto username = req.String("Username", shape::kUsername, true);
  auto code = req.String("ConfirmationCode", shape::kConfirmationCode, true);
  auto password = req.String("Password", shape::kPassword, true);
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckClientId(*client_id));

  std::string sub;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(std::optional<StoredUser> found, store_->FindUser(*username));
    // PreventUserExistenceErrors ENABLED: an unknown user's code just does
    // not match.
    if (!found) return CodeMismatchError();
    sub = found->user.username;
  }
  // Before the code, so a password the policy refuses costs no guess.
  RETURN_IF_ERROR(CheckPasswordPolicy(*password));
  ASSIGN_OR_RETURN(Credentials credentials, MakeCredentials(sub, *password));

  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(std::optional<StoredUser> user, store_->FindUser(sub));
  if (!user) return CodeMismatchError();
  const int failures_before = user->reset_code.failures;
  if (auto st = CheckCode(user->reset_code, sub, *code, NowSeconds()); !st.ok()) {
    if (user->reset_code.failures != failures_before) {
      RETURN_IF_ERROR(store_->UpdateUser(*user));  // the wrong guess counts
    }
    return std::move(st).error();
  }
  user->reset_code = StoredCode{};
  user->password_hash = std::move(credentials.password_hash);
  user->srp = std::move(credentials.srp);
  user->user.modified = NowEpoch();
  RETURN_IF_ERROR(store_->UpdateUser(*user));
  return std::string("{}");
}

base::Result<std::string> PoolCore::ChangePassword(Request& req) {
  auto previous = req.String("PreviousPassword", shape::kPassword, true);
  auto proposed = req.String("ProposedPassword", shape::kPassword, true);
  auto token = req.String("AccessToken", shape::kAccessToken, true);
  RETURN_IF_ERROR(req.Check());
  ASSIGN_OR_RETURN(StoredUser user, Authorize(*token));
  {
    // The previous password is guessable like a sign-in: the same count and
    // lockout, worded as Cognito words ChangePassword's throttling.
    std::lock_guard lock(mu_);
    if (LockedOutNow(user)) return AttemptLimitExceeded();
  }
  RETURN_IF_ERROR(CheckPasswordPolicy(*proposed));
  if (!VerifyPassword(*previous, user.password_hash)) {
    RETURN_IF_ERROR(RecordSignInFailure(user.user.username));
    return IncorrectUsernameOrPassword();
  }
  ASSIGN_OR_RETURN(Credentials credentials, MakeCredentials(user.user.username, *proposed));
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(StoredUser current, FindUserLocked(user.user.username));
  current.password_hash = std::move(credentials.password_hash);
  current.srp = std::move(credentials.srp);
  RecordSuccess(current.guard);
  current.user.modified = NowEpoch();
  RETURN_IF_ERROR(store_->UpdateUser(current));
  return std::string("{}");
}

}  // namespace cruddur::userpool
