#include "cruddur/userpool/pool_core.h"

#include "base/ascii.h"
#include "cruddur/auth/token_verifier.h"
#include "cruddur/userpool/password_hash.h"
#include "cruddur/userpool/password_policy.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/response.h"
#include "cruddur/userpool/secrets.h"
#include "cruddur/users/ids.h"

namespace cruddur::userpool {
namespace {

// Refresh tokens: 256 random bits.
constexpr size_t kRefreshTokenBytes = 32;

}  // namespace

base::Result<std::string> RequiredParameter(const std::optional<AttributeList>& map,
                                            std::string_view key) {
  if (map) {
    if (const std::string* v = FindAttribute(*map, key)) return *v;
  }
  return InvalidParameter("Missing required parameter " + std::string(key));
}

PoolCore::PoolCore(UserPoolOptions options, std::shared_ptr<const SigningKey> key,
                   std::unique_ptr<PoolStore> store)
    : options_(std::move(options)),
      issuer_(auth::CognitoIssuer(options_.region, options_.pool_id)),
      key_(std::move(key)),
      tokens_(key_, issuer_, options_.client_id, options_.access_token_validity,
              options_.id_token_validity),
      srp_pool_name_(SrpPoolName(options_.pool_id)),
      store_(std::move(store)) {}

int64_t PoolCore::NowSeconds() const {
  const auto now = options_.clock ? options_.clock() : std::chrono::system_clock::now();
  return std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
}

int64_t PoolCore::NowMillis() const {
  const auto now = options_.clock ? options_.clock() : std::chrono::system_clock::now();
  return std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
}

base::Result<Credentials> PoolCore::MakeCredentials(std::string_view username,
                                                    std::string_view password) const {
  Credentials c;
  ASSIGN_OR_RETURN(c.password_hash, HashPassword(password));
  ASSIGN_OR_RETURN(c.srp, MakeSrpVerifier(srp_pool_name_, username, password));
  return c;
}

bool PoolCore::LockedOutNow(StoredUser& user) const {
  const int64_t now = NowMillis();
  Refresh(user.guard, now, options_.lockout_unit);
  return LockedOut(user.guard, now);
}

base::Status PoolCore::RecordSignInFailure(std::string_view username) {
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(std::optional<StoredUser> user, store_->FindUser(username));
  if (!user) return base::Status::Ok();  // deleted meanwhile
  const int64_t now = NowMillis();
  if (LockedOut(user->guard, now)) return base::Status::Ok();  // counted by another attempt
  RecordFailure(user->guard, now, options_.lockout_unit);
  return store_->UpdateUser(*user);
}

double PoolCore::NowEpoch() const {
  const auto now = options_.clock ? options_.clock() : std::chrono::system_clock::now();
  const auto us =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count();
  return static_cast<double>(us) / 1e6;
}

base::Status PoolCore::CheckPoolId(std::string_view pool_id) const {
  if (pool_id == options_.pool_id) return base::Status::Ok();
  return PoolError(kResourceNotFound, "User pool " + std::string(pool_id) + " does not exist.");
}

base::Status PoolCore::CheckClientId(std::string_view client_id) const {
  if (client_id == options_.client_id) return base::Status::Ok();
  return PoolError(kResourceNotFound,
                   "User pool client " + std::string(client_id) + " does not exist.");
}

base::Result<StoredUser> PoolCore::FindUserLocked(std::string_view name) {
  ASSIGN_OR_RETURN(std::optional<StoredUser> found, store_->FindUser(name));
  if (!found) return UserNotFound();
  return std::move(*found);
}

base::Status PoolCore::CheckEmailFreeLocked(std::string_view email, std::string message) {
  ASSIGN_OR_RETURN(std::optional<StoredUser> found, store_->FindUser(email));
  if (found) return PoolError(kUsernameExists, std::move(message));
  return base::Status::Ok();
}

base::Status PoolCore::ApplyAttributeWritesLocked(StoredUser& user, const AttributeList& writes) {
  bool sets_email_verified = false;
  for (const auto& [name, value] : writes) sets_email_verified |= name == "email_verified";
  for (const auto& [name, value] : writes) {
    if (name == "email" && LookupKey(value) != LookupKey(user.user.Attribute("email"))) {
      ASSIGN_OR_RETURN(std::optional<StoredUser> other, store_->FindUser(value));
      if (other && other->user.username != user.user.username) {
        return PoolError(kAliasExists, "An account with the given email already exists.");
      }
      if (!sets_email_verified) SetAttribute(user.user.attributes, "email_verified", "false");
      user.email_code = StoredCode{};
    }
    SetAttribute(user.user.attributes, name,
                 IsVerifiedFlag(name) ? base::AsciiLowercase(value) : value);
  }
  return base::Status::Ok();
}

base::Result<StoredUser> PoolCore::NewUser(std::string_view email, const AttributeList& attributes,
                                           std::string_view status) const {
  ASSIGN_OR_RETURN(std::string sub, users::NewUuidV4());
  StoredUser u;
  u.user.username = sub;
  u.user.sub = sub;
  u.user.status = std::string(status);
  u.user.enabled = true;
  u.user.created = u.user.modified = NowEpoch();
  u.user.attributes = {{"sub", sub}, {"email", std::string(email)}};
  for (const auto& [name, value] : attributes) {
    if (name == "email") continue;  // the Username is the e-mail
    SetAttribute(u.user.attributes, name,
                 IsVerifiedFlag(name) ? base::AsciiLowercase(value) : value);
  }
  return u;
}

base::Result<std::string> PoolCore::HashPassword(std::string_view password) const {
  return userpool::HashPassword(password, options_.scrypt_log2_n);
}

const std::string& PoolCore::DummyHash() {
  std::call_once(dummy_once_, [this] {
    auto h = HashPassword("not a password: for users that do not exist");
    if (h.ok()) dummy_hash_ = std::move(h).value();
  });
  return dummy_hash_;
}

base::Result<std::string> PoolCore::StartSession(const PoolUser& user) {
  const int64_t now = NowSeconds();
  StoredSession session;
  ASSIGN_OR_RETURN(session.origin_jti, users::NewUuidV4());
  session.username = user.username;
  session.auth_time = now;
  session.expires = now + options_.refresh_token_validity.count();
  ASSIGN_OR_RETURN(std::string refresh_token, RandomToken(kRefreshTokenBytes));
  {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(store_->InsertSession(session, Sha256Hex(refresh_token), now));
  }
  ASSIGN_OR_RETURN(MintedTokens tokens, tokens_.Mint(user, session.origin_jti, now, now));
  ResponseWriter out;
  out.StartObject("AuthenticationResult");
  out.Member("AccessToken", tokens.access_token);
  out.IntMember("ExpiresIn", options_.access_token_validity.count());
  out.Member("TokenType", "Bearer");
  out.Member("RefreshToken", refresh_token);
  out.Member("IdToken", tokens.id_token);
  out.EndObject();
  out.StartObject("ChallengeParameters");
  out.EndObject();
  return out.Finish();
}

base::Result<StoredUser> PoolCore::Authorize(std::string_view access_token) {
  ASSIGN_OR_RETURN(AccessTokenClaims claims, tokens_.VerifyAccessToken(access_token, NowSeconds()));
  std::lock_guard lock(mu_);
  ASSIGN_OR_RETURN(StoredUser user, FindUserLocked(claims.username));
  if (user.user.sub != claims.sub) return NotAuthorized("Invalid Access Token");
  ASSIGN_OR_RETURN(std::optional<StoredSession> session, store_->FindSession(claims.origin_jti));
  if (!session || session->revoked || session->username != user.user.username) {
    return NotAuthorized("Access Token has been revoked");
  }
  if (!user.user.enabled) return NotAuthorized("User is disabled.");
  return user;
}

base::Result<std::string> PoolCore::IssueCodeLocked(StoredUser& user,
                                                    StoredCode StoredUser::*slot) {
  ASSIGN_OR_RETURN(std::string code,
                   IssueCode(user.*slot, user.user.username, NowSeconds(), options_.code_validity));
  RETURN_IF_ERROR(store_->UpdateUser(user));
  return code;
}

std::string PoolCore::DeliverCode(const PoolUser& user, std::string_view code) const {
  Deliver(user, code);
  ResponseWriter out;
  out.CodeDeliveryDetails(user.Attribute("email"));
  return out.Finish();
}

void PoolCore::NotifyConfirmed(const PoolUser& user) const {
  if (!options_.on_confirmed) return;
  try {
    options_.on_confirmed(user);
  } catch (...) {
    // A callback's failure is its own; the user is confirmed regardless.
  }
}

void PoolCore::NotifyDeleted(const PoolUser& user) const {
  if (!options_.on_deleted) return;
  try {
    options_.on_deleted(user);
  } catch (...) {
  }
}

void PoolCore::Deliver(const PoolUser& user, std::string_view code) const {
  if (!options_.deliver_code) return;
  try {
    options_.deliver_code(user, code);
  } catch (...) {
  }
}

base::Result<PoolUser> PoolCore::EnsureUser(std::string_view email, std::string_view password,
                                            const AttributeList& attributes) {
  if (!IsEmail(email)) return InvalidParameter("Username should be an email.");
  std::optional<StoredUser> existing;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(existing, store_->FindUser(email));
  }
  if (existing) {
    // A user from before SRP gets a verifier now, if this is their password.
    if (existing->srp.empty() && VerifyPassword(password, existing->password_hash)) {
      ASSIGN_OR_RETURN(SrpVerifier srp,
                       MakeSrpVerifier(srp_pool_name_, existing->user.username, password));
      std::lock_guard lock(mu_);
      ASSIGN_OR_RETURN(std::optional<StoredUser> again, store_->FindUser(email));
      if (again && again->srp.empty() && again->password_hash == existing->password_hash) {
        again->srp = std::move(srp);
        RETURN_IF_ERROR(store_->UpdateUser(*again));
      }
    }
    return existing->user;
  }
  RETURN_IF_ERROR(
      CheckAttributeWrites(attributes, AttributeWriter::kAdmin, options_.custom_attributes));
  RETURN_IF_ERROR(CheckPasswordPolicy(password));
  ASSIGN_OR_RETURN(StoredUser user, NewUser(email, attributes, kConfirmed));
  ASSIGN_OR_RETURN(Credentials credentials, MakeCredentials(user.user.username, password));
  SetAttribute(user.user.attributes, "email_verified", "true");
  user.password_hash = std::move(credentials.password_hash);
  user.srp = std::move(credentials.srp);
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(std::optional<StoredUser> found, store_->FindUser(email));
    if (found) return found->user;  // created meanwhile by another thread
    RETURN_IF_ERROR(store_->InsertUser(user));
  }
  NotifyConfirmed(user.user);
  return user.user;
}

base::Result<std::string> PoolCore::ReadClientUsername(Request& req) const {
  auto client_id = req.String("ClientId", shape::kClientId, true);
  req.String("SecretHash", shape::kSecretHash);
  auto username = req.String("Username", shape::kUsername, true);
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckClientId(*client_id));
  return std::move(*username);
}

}  // namespace cruddur::userpool
