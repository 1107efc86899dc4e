// PoolStore: the pool's users, sign-in sessions and pending challenges in
// SQLite (users layer's SqlConnection), so that they survive restarts.
//
// Users are found by Username (the sub) or by e-mail, both case-insensitive
// (e-mails are unique, compared in ASCII lowercase). A session is one
// sign-in: its origin_jti is in every token issued from it, its refresh token
// is kept only as a SHA-256 hash. A challenge is a pending
// NEW_PASSWORD_REQUIRED sign-in, also kept by hash.
//
// A database written before the security columns existed (SRP verifier,
// code failures, reset code, lockout, e-mail verification code) gets them on
// Open, with empty / zero values: such users have no verifier until their
// password is next written or they next sign in with USER_PASSWORD_AUTH.
//
// Not thread-safe: the pool serializes calls. Errors are Cognito-typed
// (pool_error.h): a second user with the same e-mail is
// UsernameExistsException "An account with the given email already exists.",
// everything else InternalErrorException.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"
#include "cruddur/userpool/one_time_code.h"
#include "cruddur/userpool/pool_types.h"
#include "cruddur/userpool/sign_in_guard.h"
#include "cruddur/userpool/srp.h"
#include "cruddur/users/sql_connection.h"

namespace cruddur::userpool {

struct StoredUser {
  PoolUser user;
  std::string password_hash;  // password_hash.h format; "" = no password
  SrpVerifier srp;            // SRP salt and verifier; empty until written
  StoredCode signup_code;     // the sign-up confirmation code
  StoredCode reset_code;      // ForgotPassword's code
  StoredCode email_code;      // the e-mail verification code (VerifyUserAttribute)
  SignInGuard guard;          // failed sign-ins and lockout
};

struct StoredSession {
  std::string origin_jti;
  std::string username;
  int64_t auth_time = 0;  // epoch seconds of the sign-in
  int64_t expires = 0;    // epoch seconds when the refresh token expires
  bool revoked = false;
};

struct StoredChallenge {
  std::string username;
  int64_t expires = 0;
};

// The lookup key of an e-mail or Username: ASCII lowercase.
std::string LookupKey(std::string_view name);

class PoolStore {
 public:
  // Opens (creating if missing, with mode 0600) the database at `path`, or a
  // private in-memory one for ":memory:", and creates the schema.
  static base::Result<std::unique_ptr<PoolStore>> Open(const std::string& path);

  // The user whose Username or e-mail is `name` (an '@' means an e-mail), or
  // nullopt.
  base::Result<std::optional<StoredUser>> FindUser(std::string_view name);
  // Adds a user (Username and e-mail must be new).
  base::Status InsertUser(const StoredUser& user);
  // Replaces the stored user with this Username (e-mail may change, to one
  // not taken).
  base::Status UpdateUser(const StoredUser& user);
  // Removes the user, its sessions and challenges. Deleting nobody is OK.
  base::Status DeleteUser(std::string_view username);

  // Users in creation order, starting after position `after` (0 = from the
  // first), each with its position (for pagination).
  base::Result<std::vector<std::pair<int64_t, StoredUser>>> ListUsers(int64_t after);

  // Adds a session with its refresh token's hash; drops sessions that
  // expired before `now`.
  base::Status InsertSession(const StoredSession& session, std::string_view refresh_hash,
                             int64_t now);
  base::Result<std::optional<StoredSession>> FindSessionByRefreshHash(
      std::string_view refresh_hash);
  base::Result<std::optional<StoredSession>> FindSession(std::string_view origin_jti);
  // Marks every session of the user revoked.
  base::Status RevokeSessions(std::string_view username);
  // Marks the one session `origin_jti` revoked (none: OK).
  base::Status RevokeSession(std::string_view origin_jti);

  // Adds a challenge under its session's hash; drops expired ones.
  base::Status InsertChallenge(std::string_view session_hash, const StoredChallenge& challenge,
                               int64_t now);
  base::Result<std::optional<StoredChallenge>> FindChallenge(std::string_view session_hash);
  base::Status DeleteChallenge(std::string_view session_hash);

 private:
  explicit PoolStore(std::unique_ptr<users::SqlConnection> db) : db_(std::move(db)) {}
  // ALTER TABLE for each of the users table's later columns it lacks.
  base::Status AddMissingColumns();
  base::Result<users::SqlRows> Run(std::string_view sql, std::vector<std::string> params);
  // The one session `sql` (selecting the session columns, "$1" bound to
  // `value`) finds, or nullopt.
  base::Result<std::optional<StoredSession>> FindSessionWhere(std::string_view sql,
                                                              std::string_view value);

  std::unique_ptr<users::SqlConnection> db_;
};

}  // namespace cruddur::userpool
