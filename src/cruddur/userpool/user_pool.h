// UserPool: a local Amazon Cognito user pool, so that development needs no AWS
// account. It answers a subset of the Cognito Identity Provider JSON API
// (X-Amz-Target AWSCognitoIdentityProviderService.<Op>, application/x-amz-json-1.1)
// with the request and response shapes of the botocore model, so boto3's
// `cognito-idp` client and the web UI's Cognito library work against it
// unchanged. Transport-free: the HTTP layer hands Call() an operation name and
// a JSON body and sends back the PoolResponse.
//
// The pool behaves like Cruddur's real one: e-mail is the username attribute
// (SignUp's Username must be an e-mail; the stored Username is the user's sub,
// a uuid; sign-in and Admin* calls accept either), e-mails are unique and
// compared case-insensitively, the default password policy holds (8 characters,
// upper, lower, digit, symbol), there is one app client without a secret, and
// unknown users signing in get "Incorrect username or password."
// (PreventUserExistenceErrors ENABLED).
//
// A pre sign-up hook (UserPoolOptions::pre_sign_up) stands where Cognito runs
// a PreSignUp Lambda trigger: Cruddur's serve layer refuses taken handles
// with it, at sign-up and whenever preferred_username changes.
//
// Operations: SignUp, ConfirmSignUp, ResendConfirmationCode,
// AdminConfirmSignUp, AdminCreateUser, AdminSetUserPassword, InitiateAuth
// (USER_SRP_AUTH, USER_PASSWORD_AUTH, REFRESH_TOKEN_AUTH / REFRESH_TOKEN),
// RespondToAuthChallenge (PASSWORD_VERIFIER, NEW_PASSWORD_REQUIRED),
// ForgotPassword, ConfirmForgotPassword, ChangePassword, GetUser,
// AdminGetUser, ListUsers, AdminUpdateUserAttributes, AdminDeleteUser,
// DeleteUser, GlobalSignOut, RevokeToken, UpdateUserAttributes,
// GetUserAttributeVerificationCode, VerifyUserAttribute.
//
// Security as Cognito documents it: the lockout after 5 failed sign-ins
// (sign_in_guard.h); codes that expire after 24 hours and die after 5 wrong
// guesses (one_time_code.h); only declared custom attributes, values of at
// most 2048 characters (attributes.h); SRP-6a exactly as Cognito's clients
// compute it (srp.h), so Amplify's default USER_SRP_AUTH works.
//
// Tokens are RS256 JWTs with Cognito's claims, signed with the pool's RSA key
// and verifiable with cruddur::auth::TokenVerifier against JwksJson(). Refresh
// tokens are opaque random strings stored only as SHA-256 hashes. Every token
// names its sign-in session (origin_jti); GlobalSignOut revokes the user's
// sessions and RevokeToken the one of a refresh token, which the pool checks
// for refresh and for its own access-token operations (GetUser, DeleteUser,
// GlobalSignOut, ChangePassword, UpdateUserAttributes,
// GetUserAttributeVerificationCode, VerifyUserAttribute). Other verifiers
// only see signature and expiry, as with the real Cognito.
//
// Passwords are kept only as salted scrypt hashes and SRP verifiers (written
// whenever a password is set, and at a user's next USER_PASSWORD_AUTH when
// missing). Users, sessions and the
// signing key persist under data_dir (SQLite file and a 0600 PEM file).
//
// Thread-safe: any number of threads may call any method at once. Password
// hashing and token signing run outside the pool's lock.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "cruddur/userpool/pool_types.h"

namespace cruddur::userpool {

class PoolCore;  // the implementation (pool_core.h)

class UserPool {
 public:
  // Opens the pool: loads or creates data_dir's database and signing key (or
  // an in-memory pool for data_dir ""). Errors: InvalidParameterException for
  // bad options (empty or malformed pool_id / client_id, scrypt_log2_n out of
  // range, non-positive validity); InternalErrorException when the directory,
  // database or key file cannot be created or read (e.g. the key file is not
  // an RSA private key of at least 2048 bits).
  static base::Result<std::unique_ptr<UserPool>> Open(UserPoolOptions options);

  ~UserPool();
  UserPool(const UserPool&) = delete;
  UserPool& operator=(const UserPool&) = delete;

  // Runs one API call. `operation` is the X-Amz-Target suffix ("InitiateAuth"),
  // `body` the JSON request. Never throws and never crashes on any input:
  // unknown operation -> 400 {"__type":"UnknownOperationException"}; a body
  // that is not a JSON object, or a member of the wrong JSON type ->
  // SerializationException; missing or out-of-constraint members ->
  // InvalidParameterException "N validation error(s) detected: ...", as
  // Cognito words it. An empty body reads as {}.
  PoolResponse Call(std::string_view operation, std::string_view body);

  // The pool's JWKS: {"keys":[{"alg":"RS256","e":..,"kid":..,"kty":"RSA",
  // "n":..,"use":"sig"}]}. Parses with cruddur::auth::Jwks::Parse.
  std::string JwksJson() const;

  const std::string& pool_id() const;
  const std::string& client_id() const;
  // https://cognito-idp.<region>.amazonaws.com/<pool_id>, as the real
  // Cognito's, so auth::TokenVerifier accepts the pool's access tokens.
  std::string issuer() const;

  // For seeding: the user with this e-mail if there is one (returned
  // unchanged, whatever its status and password, except that a user without
  // an SRP verifier whose password this is gets one); otherwise a new CONFIRMED
  // user with email_verified "true", this permanent password and these
  // attributes (name, preferred_username, ...), after which on_confirmed is
  // called. Errors: InvalidParameterException for an e-mail that is not one or
  // bad attributes, InvalidPasswordException when the password breaks the
  // policy, InternalErrorException from storage.
  base::Result<PoolUser> EnsureUser(
      std::string_view email, std::string_view password,
      const std::vector<std::pair<std::string, std::string>>& attributes);

 private:
  explicit UserPool(std::unique_ptr<PoolCore> core);
  std::unique_ptr<PoolCore> core_;
};

}  // namespace cruddur::userpool
