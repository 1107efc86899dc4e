// InitiateAuth (USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH / REFRESH_TOKEN; hands
// USER_SRP_AUTH to srp_operations.cc) and RespondToAuthChallenge
// (NEW_PASSWORD_REQUIRED; PASSWORD_VERIFIER in srp_operations.cc).
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "cruddur/userpool/password_hash.h"
#include "cruddur/userpool/password_policy.h"
#include "cruddur/userpool/pool_core.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/response.h"
#include "cruddur/userpool/secrets.h"

namespace cruddur::userpool {
namespace {

// Challenge sessions: 384 random bits (64 characters; the model wants >= 20).
constexpr size_t kSessionBytes = 48;

constexpr std::string_view kNewPasswordRequired = "NEW_PASSWORD_REQUIRED";
constexpr std::string_view kAttributePrefix = "userAttributes.";

base::Error InvalidSession() { return NotAuthorized("Invalid session for the user."); }

// NEW_PASSWORD_REQUIRED's "userAttributes": the user's attributes but sub,
// as a JSON object in a string.
std::string UserAttributesJson(const PoolUser& user) {
  rapidjson::StringBuffer buf;
  rapidjson::Writer<rapidjson::StringBuffer> w(buf);
  w.StartObject();
  for (const auto& [name, value] : user.attributes) {
    if (name == "sub") continue;
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

}  // namespace

base::Result<std::string> PoolCore::RefreshSession(const std::string& refresh_token,
                                                   bool with_challenge_parameters) {
  const int64_t now = NowSeconds();
  StoredSession session;
  StoredUser user;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(std::optional<StoredSession> found,
                     store_->FindSessionByRefreshHash(Sha256Hex(refresh_token)));
    if (!found) return NotAuthorized("Invalid Refresh Token");
    if (found->revoked) return NotAuthorized("Refresh Token has been revoked");
    if (now >= found->expires) return NotAuthorized("Refresh Token has expired");
    ASSIGN_OR_RETURN(std::optional<StoredUser> owner, store_->FindUser(found->username));
    if (!owner) return NotAuthorized("Invalid Refresh Token");
    session = std::move(*found);
    user = std::move(*owner);
  }
  if (!user.user.enabled) return NotAuthorized("User is disabled.");
  ASSIGN_OR_RETURN(MintedTokens tokens,
                   tokens_.Mint(user.user, session.origin_jti, session.auth_time, now));
  ResponseWriter out;
  out.StartObject("AuthenticationResult");
  out.Member("AccessToken", tokens.access_token);
  out.IntMember("ExpiresIn", options_.access_token_validity.count());
  out.Member("TokenType", "Bearer");
  out.Member("IdToken", tokens.id_token);
  out.EndObject();
  if (with_challenge_parameters) {
    out.StartObject("ChallengeParameters");
    out.EndObject();
  }
  return out.Finish();
}

// Cognito's newer refresh call (what aws-amplify v6 uses): the same as
// InitiateAuth REFRESH_TOKEN_AUTH without refresh-token rotation (the local
// app client does not rotate), answering only AuthenticationResult.
base::Result<std::string> PoolCore::GetTokensFromRefreshToken(Request& req) {
  auto refresh_token = req.String("RefreshToken", shape::kAccessToken, true);
  auto client_id = req.String("ClientId", shape::kClientId, true);
  req.String("ClientSecret", shape::kSecretHash, false);
  req.String("DeviceKey", shape::kAccessToken, false);
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckClientId(*client_id));
  return RefreshSession(*refresh_token, /*with_challenge_parameters=*/false);
}

base::Result<std::string> PoolCore::InitiateAuth(Request& req) {
  auto flow = req.Enum("AuthFlow",
                       {"USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN", "CUSTOM_AUTH",
                        "ADMIN_NO_SRP_AUTH", "USER_PASSWORD_AUTH", "ADMIN_USER_PASSWORD_AUTH"},
                       true);
  auto params = req.StringMap("AuthParameters");
  req.StringMap("ClientMetadata");
  auto client_id = req.String("ClientId", shape::kClientId, true);
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckClientId(*client_id));

  if (*flow == "ADMIN_NO_SRP_AUTH" || *flow == "ADMIN_USER_PASSWORD_AUTH") {
    return InvalidParameter("Initiate Auth method not supported.");
  }
  if (*flow == "CUSTOM_AUTH") {
    // The local app client enables SRP, password and refresh sign-in.
    return InvalidParameter(*flow + " flow not enabled for this client");
  }
  if (*flow == "USER_SRP_AUTH") return StartSrp(params);

  if (*flow == "REFRESH_TOKEN_AUTH" || *flow == "REFRESH_TOKEN") {
    ASSIGN_OR_RETURN(std::string refresh_token, RequiredParameter(params, "REFRESH_TOKEN"));
    return RefreshSession(refresh_token, /*with_challenge_parameters=*/true);
  }

  // USER_PASSWORD_AUTH
  ASSIGN_OR_RETURN(std::string username, RequiredParameter(params, "USERNAME"));
  ASSIGN_OR_RETURN(std::string password, RequiredParameter(params, "PASSWORD"));
  std::optional<StoredUser> user;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(user, store_->FindUser(username));
  }
  if (!user) {
    (void)VerifyPassword(password, DummyHash());
    return IncorrectUsernameOrPassword();
  }
  // During a lockout even the right password fails, and is not counted.
  if (LockedOutNow(*user)) return PasswordAttemptsExceeded();
  if (!VerifyPassword(password, user->password_hash)) {
    RETURN_IF_ERROR(RecordSignInFailure(user->user.username));
    return IncorrectUsernameOrPassword();
  }
  // A user from before SRP gets a verifier at this sign-in.
  std::optional<SrpVerifier> srp;
  if (user->srp.empty()) {
    ASSIGN_OR_RETURN(srp, MakeSrpVerifier(srp_pool_name_, user->user.username, password));
  }
  return PasswordVerified(*user, std::move(srp));
}

base::Result<std::string> PoolCore::PasswordVerified(const StoredUser& verified,
                                                     std::optional<SrpVerifier> srp) {
  StoredUser user = verified;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(std::optional<StoredUser> current, store_->FindUser(verified.user.username));
    if (!current) return IncorrectUsernameOrPassword();  // deleted meanwhile
    user = std::move(*current);
    bool changed = RecordSuccess(user.guard);
    // Only if the password is still the one just verified.
    if (srp && user.srp.empty() && user.password_hash == verified.password_hash) {
      user.srp = std::move(*srp);
      changed = true;
    }
    if (changed) RETURN_IF_ERROR(store_->UpdateUser(user));
  }
  if (!user.user.enabled) return NotAuthorized("User is disabled.");
  if (user.user.status == kUnconfirmed) {
    return PoolError(kUserNotConfirmed, "User is not confirmed.");
  }
  if (user.user.status != kForceChangePassword) return StartSession(user.user);

  // An invited user signs in with the temporary password: ask for a new one.
  ASSIGN_OR_RETURN(std::string session, RandomToken(kSessionBytes));
  const int64_t now = NowSeconds();
  {
    std::lock_guard lock(mu_);
    RETURN_IF_ERROR(store_->InsertChallenge(
        Sha256Hex(session), StoredChallenge{user.user.username, now + kChallengeValidity.count()},
        now));
  }
  ResponseWriter out;
  out.Member("ChallengeName", kNewPasswordRequired);
  out.StartObject("ChallengeParameters");
  out.Member("USER_ID_FOR_SRP", user.user.username);
  out.Member("requiredAttributes", "[]");
  out.Member("userAttributes", UserAttributesJson(user.user));
  out.EndObject();
  out.Member("Session", session);
  return out.Finish();
}

base::Result<std::string> PoolCore::RespondToAuthChallenge(Request& req) {
  auto client_id = req.String("ClientId", shape::kClientId, true);
  auto challenge =
      req.Enum("ChallengeName",
               {"SMS_MFA", "SOFTWARE_TOKEN_MFA", "SELECT_MFA_TYPE", "MFA_SETUP",
                "PASSWORD_VERIFIER", "CUSTOM_CHALLENGE", "DEVICE_SRP_AUTH",
                "DEVICE_PASSWORD_VERIFIER", "ADMIN_NO_SRP_AUTH", "NEW_PASSWORD_REQUIRED"},
               true);
  auto session = req.String("Session", shape::kSession);
  auto responses = req.StringMap("ChallengeResponses");
  req.StringMap("ClientMetadata");
  RETURN_IF_ERROR(req.Check());
  RETURN_IF_ERROR(CheckClientId(*client_id));

  if (*challenge == "PASSWORD_VERIFIER") return VerifySrpClaim(responses);
  if (*challenge != kNewPasswordRequired) {
    // Guessed wording: the pool never issues other challenges.
    return InvalidParameter("Challenge " + *challenge + " is not supported by this user pool.");
  }
  if (!session) return InvalidParameter("Missing required parameter Session");
  ASSIGN_OR_RETURN(std::string username, RequiredParameter(responses, "USERNAME"));
  ASSIGN_OR_RETURN(std::string new_password, RequiredParameter(responses, "NEW_PASSWORD"));
  AttributeList writes;
  for (const auto& [key, value] : *responses) {
    if (key.starts_with(kAttributePrefix)) {
      writes.emplace_back(key.substr(kAttributePrefix.size()), value);
    }
  }
  RETURN_IF_ERROR(
      CheckAttributeWrites(writes, AttributeWriter::kClient, options_.custom_attributes));

  const std::string session_hash = Sha256Hex(*session);
  // The session must be live and the user's, still waiting for a password.
  auto check_session = [&]() -> base::Result<StoredUser> {
    ASSIGN_OR_RETURN(std::optional<StoredChallenge> found, store_->FindChallenge(session_hash));
    if (!found) return InvalidSession();
    if (NowSeconds() >= found->expires) {
      return NotAuthorized("Invalid session for the user, session is expired.");
    }
    ASSIGN_OR_RETURN(std::optional<StoredUser> user, store_->FindUser(username));
    if (!user || user->user.username != found->username ||
        user->user.status != kForceChangePassword) {
      return InvalidSession();
    }
    return std::move(*user);
  };
  PoolUser challenged;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(StoredUser user, check_session());
    challenged = std::move(user.user);
  }
  RETURN_IF_ERROR(CheckHandleChange(challenged, writes));
  RETURN_IF_ERROR(CheckPasswordPolicy(new_password));
  ASSIGN_OR_RETURN(Credentials credentials, MakeCredentials(challenged.username, new_password));

  PoolUser confirmed;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(StoredUser user, check_session());
    RETURN_IF_ERROR(ApplyAttributeWritesLocked(user, writes));
    user.password_hash = std::move(credentials.password_hash);
    user.srp = std::move(credentials.srp);
    user.user.status = std::string(kConfirmed);
    user.user.modified = NowEpoch();
    if (auto st = store_->UpdateUser(user); !st.ok()) {
      if (st.error().code == kUsernameExists) {
        return PoolError(kAliasExists, "An account with the given email already exists.");
      }
      return std::move(st).error();
    }
    RETURN_IF_ERROR(store_->DeleteChallenge(session_hash));
    confirmed = user.user;
  }
  NotifyConfirmed(confirmed);
  return StartSession(confirmed);
}

}  // namespace cruddur::userpool
