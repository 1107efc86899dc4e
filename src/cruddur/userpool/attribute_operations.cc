// A signed-in user's own attributes: UpdateUserAttributes, and e-mail
// verification (GetUserAttributeVerificationCode, VerifyUserAttribute);
// plus the attribute update UpdateUserAttributes shares with
// AdminUpdateUserAttributes (the handle rule, then the writes).
//
// The pool verifies one attribute, the e-mail (there is no SMS locally).
// Its code is a one_time_code.h code like the sign-up and reset codes (24
// hours, 5 wrong guesses), kept in StoredUser::email_code and "e-mailed"
// through UserPoolOptions::deliver_code. A changed e-mail is unverified at
// once (the pool does not keep the old address until the new one is
// verified: Cognito's default, without AttributesRequireVerificationBeforeUpdate).
#include "base/ascii.h"
#include "cruddur/userpool/one_time_code.h"
#include "cruddur/userpool/pool_core.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/response.h"

namespace cruddur::userpool {
namespace {

constexpr std::string_view kPreferredUsername = "preferred_username";

// OK for the attribute the pool can verify.
base::Status CheckVerifiable(std::string_view name) {
  if (name == "email") return base::Status::Ok();
  // Guessed wording: the pool has no SMS, and other attributes are not
  // verified at all.
  return InvalidParameter("Attribute " + std::string(name) + " cannot be verified.");
}

// The value `writes` leave `name` with (the last write wins), or nullptr.
const std::string* LastWrite(const AttributeList& writes, std::string_view name) {
  const std::string* found = nullptr;
  for (const auto& [n, v] : writes) {
    if (n == name) found = &v;
  }
  return found;
}

}  // namespace

base::Status PoolCore::CheckHandleChange(const PoolUser& user, const AttributeList& writes) const {
  const std::string* handle = LastWrite(writes, kPreferredUsername);
  if (!handle || handle->empty()) return base::Status::Ok();
  // The same handle in another case is still the user's own.
  if (base::AsciiLowercase(*handle) == base::AsciiLowercase(user.Attribute(kPreferredUsername))) {
    return base::Status::Ok();
  }
  PoolUser after = user;
  for (const auto& [name, value] : writes) SetAttribute(after.attributes, name, value);
  return PreSignUp(after);
}

base::Result<PoolCore::AttributeUpdate> PoolCore::UpdateAttributes(std::string_view name,
                                                                   const AttributeList& writes,
                                                                   bool verify_new_email) {
  PoolUser before;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(StoredUser found, FindUserLocked(name));
    before = std::move(found.user);
  }
  RETURN_IF_ERROR(CheckHandleChange(before, writes));

  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(StoredUser user, FindUserLocked(before.username));
  const std::string old_email = LookupKey(user.user.Attribute("email"));
  RETURN_IF_ERROR(ApplyAttributeWritesLocked(user, writes));
  AttributeUpdate out;
  if (verify_new_email && LookupKey(user.user.Attribute("email")) != old_email) {
    ASSIGN_OR_RETURN(out.code, IssueCode(user.email_code, user.user.username, NowSeconds(),
                                         options_.code_validity));
  }
  user.user.modified = NowEpoch();
  if (auto st = store_->UpdateUser(user); !st.ok()) {
    // Only a changed e-mail can collide.
    if (st.error().code == kUsernameExists) {
      return PoolError(kAliasExists, "An account with the given email already exists.");
    }
    return std::move(st).error();
  }
  out.user = std::move(user.user);
  return out;
}

base::Result<std::string> PoolCore::UpdateUserAttributes(Request& req) {
  auto attributes = req.Attributes("UserAttributes", true);
  auto token = req.String("AccessToken", shape::kAccessToken, true);
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  ASSIGN_OR_RETURN(StoredUser user, Authorize(*token));
  RETURN_IF_ERROR(
      CheckAttributeWrites(*attributes, AttributeWriter::kUser, options_.custom_attributes));
  ASSIGN_OR_RETURN(AttributeUpdate done, UpdateAttributes(user.user.username, *attributes,
                                                          /*verify_new_email=*/true));
  if (done.code.empty()) return std::string("{}");
  Deliver(done.user, done.code);
  ResponseWriter out;
  out.CodeDeliveryDetailsList(done.user.Attribute("email"));
  return out.Finish();
}

base::Result<std::string> PoolCore::GetUserAttributeVerificationCode(Request& req) {
  auto token = req.String("AccessToken", shape::kAccessToken, true);
  auto name = req.String("AttributeName", shape::kAttributeName, true);
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  ASSIGN_OR_RETURN(StoredUser user, Authorize(*token));
  RETURN_IF_ERROR(CheckVerifiable(*name));
  PoolUser recipient;
  std::string code;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(StoredUser current, FindUserLocked(user.user.username));
    ASSIGN_OR_RETURN(code, IssueCodeLocked(current, &StoredUser::email_code));
    recipient = std::move(current.user);
  }
  return DeliverCode(recipient, code);
}

base::Result<std::string> PoolCore::VerifyUserAttribute(Request& req) {
  auto token = req.String("AccessToken", shape::kAccessToken, true);
  auto name = req.String("AttributeName", shape::kAttributeName, true);
  auto code = req.String("Code", shape::kConfirmationCode, true);
  RETURN_IF_ERROR(req.Check());
  ASSIGN_OR_RETURN(StoredUser user, Authorize(*token));
  RETURN_IF_ERROR(CheckVerifiable(*name));

  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(StoredUser current, FindUserLocked(user.user.username));
  const int failures_before = current.email_code.failures;
  if (auto st = CheckCode(current.email_code, current.user.username, *code, NowSeconds());
      !st.ok()) {
    if (current.email_code.failures != failures_before) {
      RETURN_IF_ERROR(store_->UpdateUser(current));  // the wrong guess counts
    }
    return std::move(st).error();
  }
  current.email_code = StoredCode{};
  SetAttribute(current.user.attributes, "email_verified", "true");
  current.user.modified = NowEpoch();
  RETURN_IF_ERROR(store_->UpdateUser(current));
  return std::string("{}");
}

}  // namespace cruddur::userpool
