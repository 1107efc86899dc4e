// PoolCore: the user pool's state and operations behind UserPool (internal).
//
// Each operation reads its Request, validates it (Request::Check, then the
// pool / client id), and returns its JSON output or a Cognito-typed error.
// The operations live in one file per family: signup_operations.cc,
// admin_operations.cc, auth_operations.cc, token_operations.cc; the shared
// steps (sessions, authorization, callbacks) in pool_core.cc.
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

#include "cruddur/userpool/attributes.h"
#include "cruddur/userpool/pool_store.h"
#include "cruddur/userpool/request.h"
#include "cruddur/userpool/signing_key.h"
#include "cruddur/userpool/token_issuer.h"
#include "cruddur/userpool/user_pool.h"
#include "ddb/common/error.h"

namespace cruddur::userpool {

inline constexpr std::string_view kUnconfirmed = "UNCONFIRMED";
inline constexpr std::string_view kConfirmed = "CONFIRMED";
inline constexpr std::string_view kForceChangePassword = "FORCE_CHANGE_PASSWORD";

// How long a SignUp confirmation code and a NEW_PASSWORD_REQUIRED session
// stay valid (Cognito: 24 hours; 3 minutes by default).
inline constexpr std::chrono::seconds kCodeValidity{24 * 3600};
inline constexpr std::chrono::seconds kChallengeValidity{180};

class PoolCore {
 public:
  PoolCore(UserPoolOptions options, std::shared_ptr<const SigningKey> key,
           std::unique_ptr<PoolStore> store);

  const UserPoolOptions& options() const { return options_; }
  const std::string& issuer() const { return issuer_; }
  std::string JwksJson() const { return key_->JwksJson(); }

  // signup_operations.cc
  ddb::Result<std::string> SignUp(Request& req);
  ddb::Result<std::string> ConfirmSignUp(Request& req);
  ddb::Result<std::string> AdminConfirmSignUp(Request& req);
  // admin_operations.cc
  ddb::Result<std::string> AdminCreateUser(Request& req);
  ddb::Result<std::string> AdminSetUserPassword(Request& req);
  ddb::Result<std::string> AdminGetUser(Request& req);
  ddb::Result<std::string> AdminUpdateUserAttributes(Request& req);
  ddb::Result<std::string> AdminDeleteUser(Request& req);
  ddb::Result<std::string> ListUsers(Request& req);
  // auth_operations.cc
  ddb::Result<std::string> InitiateAuth(Request& req);
  ddb::Result<std::string> RespondToAuthChallenge(Request& req);
  // token_operations.cc
  ddb::Result<std::string> GetUser(Request& req);
  ddb::Result<std::string> DeleteUser(Request& req);
  ddb::Result<std::string> GlobalSignOut(Request& req);

  // UserPool::EnsureUser.
  ddb::Result<PoolUser> EnsureUser(std::string_view email, std::string_view password,
                                   const AttributeList& attributes);

 private:
  int64_t NowSeconds() const;
  double NowEpoch() const;

  // ResourceNotFoundException unless the id is the pool's / the client's.
  ddb::Status CheckPoolId(std::string_view pool_id) const;
  ddb::Status CheckClientId(std::string_view client_id) const;

  // The user named by Username or e-mail, or UserNotFoundException. Caller
  // holds mu_.
  ddb::Result<StoredUser> FindUserLocked(std::string_view name);
  // UsernameExistsException `message` if a user has this e-mail. Caller holds mu_.
  ddb::Status CheckEmailFreeLocked(std::string_view email, std::string message);
  // Applies attribute writes to `user`: a changed e-mail must be free
  // (AliasExistsException) and resets email_verified to "false" unless the
  // writes set it too; verified flags are stored lowercase. Caller holds mu_.
  ddb::Status ApplyAttributeWritesLocked(StoredUser& user, const AttributeList& writes);

  // A new user (fresh sub, attributes sub, email, then `attributes` except
  // email), not stored yet.
  ddb::Result<StoredUser> NewUser(std::string_view email, const AttributeList& attributes,
                                  std::string_view status) const;

  ddb::Result<std::string> HashPassword(std::string_view password) const;
  // A hash to verify against for unknown users, so sign-in takes as long
  // whether or not the user exists.
  const std::string& DummyHash();

  // Signs `user` in: a new session, its tokens, and the InitiateAuth output
  // {"AuthenticationResult":{...},"ChallengeParameters":{}}.
  ddb::Result<std::string> StartSession(const PoolUser& user);

  // The user an access token belongs to, if the token is valid, its session
  // not revoked and the user enabled. NotAuthorizedException ("Invalid Access
  // Token", "Access Token has expired", "Access Token has been revoked",
  // "User is disabled.") or UserNotFoundException.
  ddb::Result<StoredUser> Authorize(std::string_view access_token);

  void NotifyConfirmed(const PoolUser& user) const;
  void NotifyDeleted(const PoolUser& user) const;
  void Deliver(const PoolUser& user, std::string_view code) const;

  const UserPoolOptions options_;
  const std::string issuer_;
  const std::shared_ptr<const SigningKey> key_;
  const TokenIssuer tokens_;

  std::mutex mu_;
  std::unique_ptr<PoolStore> store_;  // guarded by mu_

  std::once_flag dummy_once_;
  std::string dummy_hash_;
};

// Sha256Hex("<username>:<code>"): how a confirmation code is stored.
std::string ConfirmationCodeHash(std::string_view username, std::string_view code);

// The value of `key` in an AuthParameters / ChallengeResponses map, or
// InvalidParameterException "Missing required parameter <key>".
ddb::Result<std::string> RequiredParameter(const std::optional<AttributeList>& map,
                                           std::string_view key);

}  // namespace cruddur::userpool
