// AdminCreateUser, AdminSetUserPassword, AdminGetUser,
// AdminUpdateUserAttributes, AdminDeleteUser, ListUsers.
#include <charconv>

#include "base/base64.h"
#include "cruddur/userpool/password_policy.h"
#include "cruddur/userpool/pool_core.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/response.h"
#include "cruddur/userpool/secrets.h"
#include "cruddur/userpool/user_filter.h"

namespace cruddur::userpool {
namespace {

constexpr int64_t kMaxListLimit = 60;
constexpr std::string_view kTokenPrefix = "users-after:";

// ListUsers' PaginationToken: the position of the last user returned.
std::string EncodePaginationToken(int64_t after) {
  return base::Base64UrlEncode(std::string(kTokenPrefix) + std::to_string(after));
}

base::Result<int64_t> DecodePaginationToken(std::string_view token) {
  auto raw = base::Base64UrlDecode(token);
  int64_t after = -1;
  if (raw && raw->starts_with(kTokenPrefix)) {
    const char* first = raw->data() + kTokenPrefix.size();
    const char* last = raw->data() + raw->size();
    auto [ptr, ec] = std::from_chars(first, last, after);
    if (ec != std::errc() || ptr != last) after = -1;
  }
  if (after < 0) return InvalidParameter("Invalid pagination token.");
  return after;
}

}  // namespace

base::Result<std::string> PoolCore::AdminCreateUser(Request& req) {
  auto pool_id = req.String("UserPoolId", shape::kUserPoolId, true);
  auto username = req.String("Username", shape::kUsername, true);
  auto attributes = req.Attributes("UserAttributes");
  req.Attributes("ValidationData");
  auto temporary_password = req.String("TemporaryPassword", shape::kPassword);
  req.Bool("ForceAliasCreation");
  auto action = req.Enum("MessageAction", {"RESEND", "SUPPRESS"});
  req.StringList("DesiredDeliveryMediums", StringShape{});
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckPoolId(*pool_id));

  if (!IsEmail(*username)) return InvalidParameter("Username should be an email.");
  const AttributeList writes = attributes.value_or(AttributeList{});
  RETURN_IF_ERROR(
      CheckAttributeWrites(writes, AttributeWriter::kAdmin, options_.custom_attributes));
  std::string password;
  if (temporary_password) {
    RETURN_IF_ERROR(CheckPasswordPolicy(*temporary_password));
    password = *temporary_password;
  } else {
    ASSIGN_OR_RETURN(password, RandomTemporaryPassword());
  }
  const bool resend = action == "RESEND";
  const bool suppress = action == "SUPPRESS";

  StoredUser user;
  if (resend) {
    // A new temporary password (and invitation) for a user not yet signed in.
    {
      std::lock_guard lock(mu_);
      ASSIGN_OR_RETURN(user, FindUserLocked(*username));
      if (user.user.status != kForceChangePassword) {
        // Guessed wording: Cognito refuses RESEND for users past the invitation.
        return PoolError(kUnsupportedUserState, "Resend not possible. " + user.user.username +
                                                    " status is not FORCE_CHANGE_PASSWORD.");
      }
    }
    ASSIGN_OR_RETURN(Credentials credentials, MakeCredentials(user.user.username, password));
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(user, FindUserLocked(*username));
    user.password_hash = std::move(credentials.password_hash);
    user.srp = std::move(credentials.srp);
    user.user.modified = NowEpoch();
    RETURN_IF_ERROR(store_->UpdateUser(user));
  } else {
    constexpr const char* kExists = "User account already exists";
    {
      std::lock_guard lock(mu_);
      RETURN_IF_ERROR(CheckEmailFreeLocked(*username, kExists));
    }
    ASSIGN_OR_RETURN(user, NewUser(*username, writes, kForceChangePassword));
    RETURN_IF_ERROR(PreSignUp(user.user));
    ASSIGN_OR_RETURN(Credentials credentials, MakeCredentials(user.user.username, password));
    user.password_hash = std::move(credentials.password_hash);
    user.srp = std::move(credentials.srp);
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(CheckEmailFreeLocked(*username, kExists));
    RETURN_IF_ERROR(store_->InsertUser(user));
  }
  if (!suppress) Deliver(user.user, password);

  ResponseWriter out;
  out.StartObject("User");
  out.UserFields(user.user, "Attributes");
  out.EndObject();
  return out.Finish();
}

base::Result<std::string> PoolCore::AdminSetUserPassword(Request& req) {
  auto pool_id = req.String("UserPoolId", shape::kUserPoolId, true);
  auto username = req.String("Username", shape::kUsername, true);
  auto password = req.String("Password", shape::kPassword, true);
  const bool permanent = req.Bool("Permanent").value_or(false);
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckPoolId(*pool_id));
  std::string sub;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(StoredUser found, FindUserLocked(*username));
    sub = found.user.username;
  }
  RETURN_IF_ERROR(CheckPasswordPolicy(*password));
  ASSIGN_OR_RETURN(Credentials credentials, MakeCredentials(sub, *password));

  bool newly_confirmed = false;
  PoolUser updated;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(StoredUser user, FindUserLocked(*username));
    newly_confirmed = permanent && user.user.status != kConfirmed;
    user.password_hash = std::move(credentials.password_hash);
    user.srp = std::move(credentials.srp);
    user.user.status = std::string(permanent ? kConfirmed : kForceChangePassword);
    if (permanent) user.signup_code = StoredCode{};
    user.user.modified = NowEpoch();
    RETURN_IF_ERROR(store_->UpdateUser(user));
    updated = user.user;
  }
  if (newly_confirmed) NotifyConfirmed(updated);
  return std::string("{}");
}

base::Result<std::string> PoolCore::AdminGetUser(Request& req) {
  auto pool_id = req.String("UserPoolId", shape::kUserPoolId, true);
  auto username = req.String("Username", shape::kUsername, true);
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckPoolId(*pool_id));
  StoredUser user;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(user, FindUserLocked(*username));
  }
  ResponseWriter out;
  out.UserFields(user.user, "UserAttributes");
  return out.Finish();
}

base::Result<std::string> PoolCore::AdminUpdateUserAttributes(Request& req) {
  auto pool_id = req.String("UserPoolId", shape::kUserPoolId, true);
  auto username = req.String("Username", shape::kUsername, true);
  auto attributes = req.Attributes("UserAttributes", true);
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckPoolId(*pool_id));
  RETURN_IF_ERROR(
      CheckAttributeWrites(*attributes, AttributeWriter::kAdmin, options_.custom_attributes));
  // An administrator's e-mail change sends no code (set email_verified to
  // vouch for the new address).
  RETURN_IF_ERROR(UpdateAttributes(*username, *attributes, /*verify_new_email=*/false));
  return std::string("{}");
}

base::Result<std::string> PoolCore::AdminDeleteUser(Request& req) {
  auto pool_id = req.String("UserPoolId", shape::kUserPoolId, true);
  auto username = req.String("Username", shape::kUsername, true);
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckPoolId(*pool_id));
  PoolUser deleted;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(StoredUser user, FindUserLocked(*username));
    RETURN_IF_ERROR(store_->DeleteUser(user.user.username));
    deleted = std::move(user.user);
  }
  NotifyDeleted(deleted);
  return std::string("{}");
}

base::Result<std::string> PoolCore::ListUsers(Request& req) {
  auto pool_id = req.String("UserPoolId", shape::kUserPoolId, true);
  auto attributes_to_get = req.StringList("AttributesToGet", shape::kAttributeName);
  auto limit = req.Int("Limit", 0, kMaxListLimit);
  auto token = req.String("PaginationToken", shape::kPaginationToken);
  auto filter_text = req.String("Filter", shape::kFilter);
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckPoolId(*pool_id));

  ASSIGN_OR_RETURN(std::optional<UserFilter> filter, ParseUserFilter(filter_text.value_or("")));
  int64_t after = 0;
  if (token) {
    ASSIGN_OR_RETURN(after, DecodePaginationToken(*token));
  }
  // 0, like no Limit, means the most a page holds (guessed: the model allows 0).
  const size_t page = static_cast<size_t>(limit && *limit > 0 ? *limit : kMaxListLimit);

  std::vector<std::pair<int64_t, StoredUser>> candidates;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(candidates, store_->ListUsers(after));
  }
  std::vector<const PoolUser*> users;
  std::optional<int64_t> next;
  for (const auto& [position, stored] : candidates) {
    if (filter && !Matches(*filter, stored.user)) continue;
    if (users.size() == page) {
      next = after;  // one more matches: there is a next page
      break;
    }
    users.push_back(&stored.user);
    after = position;
  }

  ResponseWriter out;
  out.StartArray("Users");
  for (const PoolUser* u : users) {
    out.StartObject();
    out.UserFields(*u, "Attributes", attributes_to_get ? &*attributes_to_get : nullptr);
    out.EndObject();
  }
  out.EndArray();
  if (next) out.Member("PaginationToken", EncodePaginationToken(*next));
  return out.Finish();
}

}  // namespace cruddur::userpool
