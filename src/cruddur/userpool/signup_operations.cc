// SignUp, ConfirmSignUp, ResendConfirmationCode, AdminConfirmSignUp.
#include "cruddur/userpool/one_time_code.h"
#include "cruddur/userpool/password_policy.h"
#include "cruddur/userpool/pool_core.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/response.h"
#include "cruddur/userpool/secrets.h"

namespace cruddur::userpool {
namespace {

// The user's status moves to CONFIRMED; the sign-up code is spent.
void MarkConfirmed(StoredUser& user, double now) {
  user.user.status = std::string(kConfirmed);
  user.user.modified = now;
  user.signup_code = StoredCode{};
}

base::Error CannotConfirm(std::string_view status) {
  return NotAuthorized("User cannot be confirmed. Current status is " + std::string(status));
}

}  // namespace

base::Status PoolCore::PreSignUp(const PoolUser& user) const {
  if (!options_.pre_sign_up) return base::Status::Ok();
  base::Status verdict = base::Status::Ok();
  try {
    verdict = options_.pre_sign_up(user);
  } catch (...) {
    verdict = InternalError("the pre sign-up hook failed");
  }
  if (verdict.ok()) return verdict;
  // Cognito's wording when a PreSignUp trigger fails: the trigger's message
  // after "PreSignUp failed with error ", then a period.
  return PoolError(kUserLambdaValidation,
                   "PreSignUp failed with error " + verdict.error().message + ".");
}

base::Result<std::string> PoolCore::SignUp(Request& req) {
  auto client_id = req.String("ClientId", shape::kClientId, true);
  req.String("SecretHash", shape::kSecretHash);
  auto username = req.String("Username", shape::kUsername, true);
  auto password = req.String("Password", shape::kPassword, true);
  auto attributes = req.Attributes("UserAttributes");
  req.Attributes("ValidationData");
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckClientId(*client_id));

  if (!IsEmail(*username)) return InvalidParameter("Username should be an email.");
  const AttributeList writes = attributes.value_or(AttributeList{});
  RETURN_IF_ERROR(
      CheckAttributeWrites(writes, AttributeWriter::kClient, options_.custom_attributes));
  RETURN_IF_ERROR(CheckPasswordPolicy(*password));
  constexpr const char* kTaken = "An account with the given email already exists.";
  {
    // Checked before hashing so a taken e-mail costs no scrypt.
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(CheckEmailFreeLocked(*username, kTaken));
  }

  ASSIGN_OR_RETURN(StoredUser user, NewUser(*username, writes, kUnconfirmed));
  RETURN_IF_ERROR(PreSignUp(user.user));
  ASSIGN_OR_RETURN(Credentials credentials, MakeCredentials(user.user.username, *password));
  user.password_hash = std::move(credentials.password_hash);
  user.srp = std::move(credentials.srp);
  ASSIGN_OR_RETURN(std::string code, IssueCode(user.signup_code, user.user.username, NowSeconds(),
                                               options_.code_validity));
  {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(CheckEmailFreeLocked(*username, kTaken));
    RETURN_IF_ERROR(store_->InsertUser(user));
  }
  Deliver(user.user, code);

  ResponseWriter out;
  out.BoolMember("UserConfirmed", false);
  out.CodeDeliveryDetails(*username);
  out.Member("UserSub", user.user.sub);
  return out.Finish();
}

base::Result<std::string> PoolCore::ConfirmSignUp(Request& req) {
  auto client_id = req.String("ClientId", shape::kClientId, true);
  req.String("SecretHash", shape::kSecretHash);
  auto username = req.String("Username", shape::kUsername, true);
  auto code = req.String("ConfirmationCode", shape::kConfirmationCode, true);
  req.Bool("ForceAliasCreation");
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckClientId(*client_id));

  PoolUser confirmed;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(std::optional<StoredUser> found, store_->FindUser(*username));
    // Cognito's answer for an unknown user here (what its LEGACY existence
    // errors say; with PreventUserExistenceErrors it may answer
    // CodeMismatchException instead).
    if (!found) return PoolError(kUserNotFound, "Username/client id combination not found.");
    StoredUser& user = *found;
    if (user.user.status != kUnconfirmed) return CannotConfirm(user.user.status);
    const int failures_before = user.signup_code.failures;
    if (auto st = CheckCode(user.signup_code, user.user.username, *code, NowSeconds()); !st.ok()) {
      if (user.signup_code.failures != failures_before) {
        RETURN_IF_ERROR(store_->UpdateUser(user));  // the wrong guess counts
      }
      return std::move(st).error();
    }
    MarkConfirmed(user, NowEpoch());
    SetAttribute(user.user.attributes, "email_verified", "true");  // the code came by e-mail
    RETURN_IF_ERROR(store_->UpdateUser(user));
    confirmed = user.user;
  }
  NotifyConfirmed(confirmed);
  return std::string("{}");
}

base::Result<std::string> PoolCore::ResendConfirmationCode(Request& req) {
  ASSIGN_OR_RETURN(std::string username, ReadClientUsername(req));

  PoolUser user;
  std::string code;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(std::optional<StoredUser> found, store_->FindUser(username));
    if (!found) return PoolError(kUserNotFound, "Username/client id combination not found.");
    if (found->user.status != kUnconfirmed) {
      return InvalidParameter("User is already confirmed.");
    }
    ASSIGN_OR_RETURN(code, IssueCodeLocked(*found, &StoredUser::signup_code));
    user = found->user;
  }
  return DeliverCode(user, code);
}

base::Result<std::string> PoolCore::AdminConfirmSignUp(Request& req) {
  auto pool_id = req.String("UserPoolId", shape::kUserPoolId, true);
  auto username = req.String("Username", shape::kUsername, true);
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckPoolId(*pool_id));

  PoolUser confirmed;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(StoredUser user, FindUserLocked(*username));
    if (user.user.status != kUnconfirmed) return CannotConfirm(user.user.status);
    MarkConfirmed(user, NowEpoch());
    RETURN_IF_ERROR(store_->UpdateUser(user));
    confirmed = user.user;
  }
  NotifyConfirmed(confirmed);
  return std::string("{}");
}

}  // namespace cruddur::userpool
