// PoolCore: the user pool's state and operations behind UserPool (internal).
//
// Each operation reads its Request, validates it (Request::Check, then the
// pool / client id), and returns its JSON output or a Cognito-typed error.
// The operations live in one file per family: signup_operations.cc,
// admin_operations.cc, auth_operations.cc (password and refresh sign-in),
// srp_operations.cc (USER_SRP_AUTH), password_operations.cc (reset and
// change), token_operations.cc, attribute_operations.cc (a user's own
// attribute writes and e-mail verification), revoke_operations.cc
// (RevokeToken); the shared steps (credentials, lockout, sessions,
// authorization, callbacks) in pool_core.cc.
//
// Locking: mu_ guards store_ and is held only around store calls, never
// while hashing a password, signing a token or running a callback. Steps that
// must see a consistent user re-read it after re-taking the lock.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "cruddur/userpool/attributes.h"
#include "cruddur/userpool/pool_store.h"
#include "cruddur/userpool/pool_types.h"
#include "cruddur/userpool/request.h"
#include "cruddur/userpool/signing_key.h"
#include "cruddur/userpool/srp_challenges.h"
#include "cruddur/userpool/token_issuer.h"

namespace cruddur::userpool {

inline constexpr std::string_view kUnconfirmed = "UNCONFIRMED";
inline constexpr std::string_view kConfirmed = "CONFIRMED";
inline constexpr std::string_view kForceChangePassword = "FORCE_CHANGE_PASSWORD";

// How long a NEW_PASSWORD_REQUIRED session or an SRP challenge stays valid
// (Cognito's default: 3 minutes). Codes: UserPoolOptions::code_validity.
inline constexpr std::chrono::seconds kChallengeValidity{180};

// What a password becomes when it is set: its scrypt hash and SRP verifier.
struct Credentials {
  std::string password_hash;
  SrpVerifier srp;
};

class PoolCore {
 public:
  PoolCore(UserPoolOptions options, std::shared_ptr<const SigningKey> key,
           std::unique_ptr<PoolStore> store);

  const UserPoolOptions& options() const { return options_; }
  const std::string& issuer() const { return issuer_; }
  std::string JwksJson() const { return key_->JwksJson(); }

  // signup_operations.cc
  base::Result<std::string> SignUp(Request& req);
  base::Result<std::string> ConfirmSignUp(Request& req);
  base::Result<std::string> ResendConfirmationCode(Request& req);
  base::Result<std::string> AdminConfirmSignUp(Request& req);
  // admin_operations.cc
  base::Result<std::string> AdminCreateUser(Request& req);
  base::Result<std::string> AdminSetUserPassword(Request& req);
  base::Result<std::string> AdminGetUser(Request& req);
  base::Result<std::string> AdminUpdateUserAttributes(Request& req);
  base::Result<std::string> AdminDeleteUser(Request& req);
  base::Result<std::string> ListUsers(Request& req);
  // auth_operations.cc
  base::Result<std::string> InitiateAuth(Request& req);
  base::Result<std::string> RespondToAuthChallenge(Request& req);
  base::Result<std::string> GetTokensFromRefreshToken(Request& req);
  // password_operations.cc
  base::Result<std::string> ForgotPassword(Request& req);
  base::Result<std::string> ConfirmForgotPassword(Request& req);
  base::Result<std::string> ChangePassword(Request& req);
  // token_operations.cc
  base::Result<std::string> GetUser(Request& req);
  base::Result<std::string> DeleteUser(Request& req);
  base::Result<std::string> GlobalSignOut(Request& req);
  // attribute_operations.cc
  base::Result<std::string> UpdateUserAttributes(Request& req);
  base::Result<std::string> GetUserAttributeVerificationCode(Request& req);
  base::Result<std::string> VerifyUserAttribute(Request& req);
  // revoke_operations.cc
  base::Result<std::string> RevokeToken(Request& req);

  // UserPool::EnsureUser.
  base::Result<PoolUser> EnsureUser(std::string_view email, std::string_view password,
                                    const AttributeList& attributes);

 private:
  // New access and ID tokens for a refresh token's session (auth_operations.cc);
  // InitiateAuth's answer also carries empty ChallengeParameters.
  base::Result<std::string> RefreshSession(const std::string& refresh_token,
                                           bool with_challenge_parameters);
  int64_t NowSeconds() const;
  int64_t NowMillis() const;
  double NowEpoch() const;

  // srp_operations.cc: InitiateAuth USER_SRP_AUTH (after the request is
  // checked) and RespondToAuthChallenge PASSWORD_VERIFIER.
  base::Result<std::string> StartSrp(const std::optional<AttributeList>& params);
  base::Result<std::string> VerifySrpClaim(const std::optional<AttributeList>& responses);

  // auth_operations.cc: what follows a verified password (USER_PASSWORD_AUTH,
  // PASSWORD_VERIFIER): the lockout count reset (and `srp` stored when the
  // user had no verifier and it is given), then "User is disabled.",
  // UserNotConfirmedException, the NEW_PASSWORD_REQUIRED challenge of an
  // invited user, or a new session.
  base::Result<std::string> PasswordVerified(const StoredUser& user,
                                             std::optional<SrpVerifier> srp);

  // The scrypt hash and SRP verifier of `password` for user `username` (the
  // sub). Slow: call without mu_.
  base::Result<Credentials> MakeCredentials(std::string_view username,
                                            std::string_view password) const;
  // The lockout state of `user` now, old counts forgotten. Caller holds mu_
  // if it stores the user afterwards.
  bool LockedOutNow(StoredUser& user) const;
  // Counts a failed password for `username` (re-read under mu_) and stores it.
  base::Status RecordSignInFailure(std::string_view username);

  // ResourceNotFoundException unless the id is the pool's / the client's.
  base::Status CheckPoolId(std::string_view pool_id) const;
  base::Status CheckClientId(std::string_view client_id) const;
  // ClientId (checked), Username, and the SecretHash / ClientMetadata they
  // may carry: the request of ForgotPassword and ResendConfirmationCode.
  base::Result<std::string> ReadClientUsername(Request& req) const;

  // The user named by Username or e-mail, or UserNotFoundException. Caller
  // holds mu_.
  base::Result<StoredUser> FindUserLocked(std::string_view name);
  // UsernameExistsException `message` if a user has this e-mail. Caller holds mu_.
  base::Status CheckEmailFreeLocked(std::string_view email, std::string message);
  // Applies attribute writes to `user`: a changed e-mail must be free
  // (AliasExistsException), resets email_verified to "false" unless the
  // writes set it too, and voids a pending e-mail verification code (it was
  // sent to the old address); verified flags are stored lowercase. Caller
  // holds mu_.
  base::Status ApplyAttributeWritesLocked(StoredUser& user, const AttributeList& writes);

  // A user after an attribute update, and the e-mail verification code sent
  // to their new address ("" when none is due).
  struct AttributeUpdate {
    PoolUser user;
    std::string code;
  };
  // attribute_operations.cc: applies `writes` (already checked with
  // CheckAttributeWrites) to the user named `name`, for UpdateUserAttributes
  // and AdminUpdateUserAttributes: a preferred_username that changes (other
  // than in case) must pass the handle rule first (CheckHandleChange), then
  // ApplyAttributeWritesLocked, stored. With `verify_new_email`, a changed
  // e-mail gets a new verification code in email_code (returned in clear,
  // not delivered). UserNotFoundException, AliasExistsException,
  // UserLambdaValidationException.
  base::Result<AttributeUpdate> UpdateAttributes(std::string_view name, const AttributeList& writes,
                                                 bool verify_new_email);
  // The handle rule, as SignUp applies it: when `writes` set a non-empty
  // preferred_username that differs from `user`'s other than in ASCII case,
  // the pre sign-up hook (PreSignUp) judges `user` with the writes applied.
  // Call without mu_.
  base::Status CheckHandleChange(const PoolUser& user, const AttributeList& writes) const;

  // A new user (fresh sub, attributes sub, email, then `attributes` except
  // email), not stored yet.
  base::Result<StoredUser> NewUser(std::string_view email, const AttributeList& attributes,
                                   std::string_view status) const;

  base::Result<std::string> HashPassword(std::string_view password) const;
  // A hash to verify against for unknown users, so sign-in takes as long
  // whether or not the user exists.
  const std::string& DummyHash();

  // Signs `user` in: a new session, its tokens, and the InitiateAuth output
  // {"AuthenticationResult":{...},"ChallengeParameters":{}}.
  base::Result<std::string> StartSession(const PoolUser& user);

  // The user an access token belongs to, if the token is valid, its session
  // not revoked and the user enabled. NotAuthorizedException ("Invalid Access
  // Token", "Access Token has expired", "Access Token has been revoked",
  // "User is disabled.") or UserNotFoundException.
  base::Result<StoredUser> Authorize(std::string_view access_token);

  // A new code in `user`.*`slot` (sign-up, reset or e-mail), stored;
  // returns it in clear. Caller holds mu_.
  base::Result<std::string> IssueCodeLocked(StoredUser& user, StoredCode StoredUser::*slot);
  // Delivers `code` to `user` (without mu_) and returns the operation's
  // {"CodeDeliveryDetails": ...} output.
  std::string DeliverCode(const PoolUser& user, std::string_view code) const;

  // Runs options_.pre_sign_up (without mu_): OK without a hook, else its
  // refusal as UserLambdaValidationException "PreSignUp failed with error
  // <message>.".
  base::Status PreSignUp(const PoolUser& user) const;
  void NotifyConfirmed(const PoolUser& user) const;
  void NotifyDeleted(const PoolUser& user) const;
  void Deliver(const PoolUser& user, std::string_view code) const;

  const UserPoolOptions options_;
  const std::string issuer_;
  const std::shared_ptr<const SigningKey> key_;
  const TokenIssuer tokens_;

  const std::string srp_pool_name_;  // SrpPoolName(pool_id)
  SrpChallenges srp_challenges_;     // its own lock

  std::mutex mu_;
  std::unique_ptr<PoolStore> store_;  // guarded by mu_

  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

// The value of `key` in an AuthParameters / ChallengeResponses map, or
// InvalidParameterException "Missing required parameter <key>".
base::Result<std::string> RequiredParameter(const std::optional<AttributeList>& map,
                                            std::string_view key);

}  // namespace cruddur::userpool
