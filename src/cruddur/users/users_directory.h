// UsersDirectory: Cruddur's users, kept in a relational database.
//
// The directory is the seed's `users` table (uuid, display_name, handle,
// email, cognito_user_id, created_at) and the handful of queries the app and
// the `bin/db/*` tools run on it. It lives in SQLite by default (one file
// under ./data, nothing to install) or in PostgreSQL when the connection URL
// says `postgresql://` or `postgres://`. Both backends run the same queries,
// with bound parameters only, and answer the same way, errors included.
//
// Schema decisions that differ from the seed (see docs/DESIGN.md §10.16):
//   - `handle` is unique regardless of case (constraint users_handle_key and
//     the unique index users_handle_lower_key on the handle's key,
//     handle_key.h): `Bayko` cannot join `bayko`. CreateSchema adds the index
//     to an existing table, and refuses (kHandleCollision) while rows collide.
//   - `cognito_user_id` is unique (index users_cognito_user_id_key) except for
//     the seed's placeholder "MOCK" (kUnlinkedCognitoUserId), which every user
//     carries until bin/db/update_cognito_user_ids links them to Cognito. The
//     placeholder is never an identity: lookups by it find nobody.
//   - A user deleted from Cognito keeps their row, retired: cognito_user_id
//     becomes "deleted:<their sub>" (RetiredCognitoUserId). A retired row
//     names nobody (lookups by it find nobody, and the old sub no longer finds
//     it), is never linked again, and keeps its handle taken, so the messages
//     that name it still name the right person and nobody inherits them.
//   - Linking never moves a row from one Cognito user to another: a row takes
//     a Cognito id only while unlinked (or already linked to that id).
//   - `created_at` is UTC and reads back as
//     `YYYY-MM-DDTHH:MM:SS.ffffff+00:00` on both backends.
//
// Handles compare by their key (ASCII letters regardless of case, other bytes
// exactly; handle_key.h): every lookup by handle finds `bayko` when asked for
// `Bayko`, and rows keep the handle as written. E-mails and Cognito ids
// compare exactly (case-sensitive).
//
// A UsersDirectory is safe to use from many threads: calls are serialized on
// its one connection. Errors are values (base::Result / base::Status with the
// error codes below); nothing throws.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "cruddur/users/errors.h"

namespace cruddur::users {

// The cognito_user_id the seed gives users not yet linked to Cognito.
inline constexpr std::string_view kUnlinkedCognitoUserId = "MOCK";

// The cognito_user_id of a row whose Cognito user was deleted is this prefix
// followed by that user's sub.
inline constexpr std::string_view kRetiredCognitoUserIdPrefix = "deleted:";

// The retired form of `sub`, and whether an id is one.
std::string RetiredCognitoUserId(std::string_view sub);
bool IsRetiredCognitoUserId(std::string_view cognito_user_id);

// Default SQLite database when no connection URL is given.
inline constexpr std::string_view kDefaultSqlitePath = "./data/cruddur.sqlite3";

// This layer's errors have the codes of errors.h (the "users" domain).

// One row of the users table.
struct User {
  std::string uuid;  // lowercase 8-4-4-4-12 hyphenated form
  std::string display_name;
  std::string handle;
  std::string email;
  std::string cognito_user_id;  // kUnlinkedCognitoUserId until linked
  std::string created_at;       // UTC, YYYY-MM-DDTHH:MM:SS.ffffff+00:00
};

// What InsertUser needs. Every text field must be non-empty valid UTF-8 of at
// most kMaxFieldBytes bytes, without control characters.
struct NewUser {
  std::string display_name;
  std::string handle;
  std::string email;
  std::string cognito_user_id = std::string(kUnlinkedCognitoUserId);
  // Optional: a uuid to use (lowercase hyphenated form); empty = a fresh
  // random version-4 uuid.
  std::string uuid;
};

inline constexpr size_t kMaxFieldBytes = 1024;

// The two participants of a new message (the seed's create_message_users).
struct MessageUsers {
  User sender;
  User receiver;
};

// Where the directory lives, for tools (bin/db/connect, logs). Never holds a
// password.
struct DatabaseInfo {
  std::string backend;   // "sqlite" or "postgresql"
  std::string location;  // SQLite file path, or the PostgreSQL URL without its password
  std::string server_version;
};

// A connection to the database as bin/db/sessions lists it. PostgreSQL lists
// every backend connected to the current database (pg_stat_activity); SQLite
// has no server and lists only this directory's own connection.
struct Session {
  int64_t pid = 0;
  std::string user;
  std::string database;
  std::string application_name;
  std::string client_address;  // empty for unix sockets and SQLite
  std::string state;           // "active", "idle", ...; "open" for SQLite
  std::string backend_start;   // as the server prints it; empty for SQLite
  bool is_self = false;        // this directory's own connection
};

class UsersDirectory {
 public:
  virtual ~UsersDirectory() = default;

  virtual DatabaseInfo Describe() const = 0;

  // Creates the users table and its indexes if they do not exist, and
  // migrates an older table (adds users_handle_lower_key). Idempotent.
  // kHandleCollision if existing handles differ only in case (nothing is
  // changed then).
  virtual base::Status CreateSchema() = 0;
  // Drops the users table (and its data) if it exists. Idempotent.
  virtual base::Status DropSchema() = 0;

  // Inserts one user and returns the stored row (uuid and created_at
  // filled in). kUserAlreadyExists if the handle (regardless of case), the
  // uuid or a (non placeholder) cognito_user_id is taken; kInvalidUserInput
  // for a bad field.
  virtual base::Result<User> InsertUser(const NewUser& user) = 0;

  // Inserts the seed's users (SeedUsers()) that are missing, by handle, in one
  // transaction; users already present are left as they are. Returns how many
  // were inserted, so a second run returns 0.
  virtual base::Result<int> SeedUsers() = 0;

  // The uuid of the user with this Cognito id (the seed's
  // uuid_from_cognito_user_id). kUserNotFound if none, for the placeholder,
  // and for a retired id.
  virtual base::Result<std::string> FindUuidByCognitoUserId(std::string_view cognito_user_id) = 0;

  // The user with this handle, regardless of case (the seed's `short`).
  // kUserNotFound if none. A retired user is found (their messages name them).
  virtual base::Result<User> FindByHandle(std::string_view handle) = 0;

  // The users with these handles (regardless of case), ordered by handle;
  // handles nobody has are left out and duplicates (also case-twins) collapse. Any number of
  // handles (queried in chunks); an empty list gives an empty result.
  virtual base::Result<std::vector<User>> FindByHandles(std::span<const std::string> handles) = 0;

  // The user with this uuid. kInvalidUserInput if `uuid` is not a uuid,
  // kUserNotFound if nobody has it.
  virtual base::Result<User> FindByUuid(std::string_view uuid) = 0;

  // Both participants of a new message in one query (the seed's
  // create_message_users): the sender by Cognito id, the receiver by handle
  // (regardless of case).
  // kUserNotFound names which one is missing; kSelfMessage if they are the
  // same user.
  virtual base::Result<MessageUsers> FindMessageUsers(std::string_view sender_cognito_user_id,
                                                      std::string_view receiver_handle) = 0;

  // Set cognito_user_id of the user with this handle (regardless of case) /
  // e-mail (for bin/db/update_cognito_user_ids). Returns the number of users
  // updated (e-mail need not be unique; one transaction updates them all or
  // none). kUserNotFound if nobody matches; kUserAlreadyExists if another
  // user already has this Cognito id, if a matching row is linked to another
  // Cognito user (unlink it first: set the placeholder), or if a matching row
  // is retired (it stays so). Setting the placeholder unlinks any row that is
  // not retired.
  virtual base::Result<int64_t> UpdateCognitoUserIdByHandle(std::string_view handle,
                                                            std::string_view cognito_user_id) = 0;
  virtual base::Result<int64_t> UpdateCognitoUserIdByEmail(std::string_view email,
                                                           std::string_view cognito_user_id) = 0;

  // Connections to the database (see Session).
  virtual base::Result<std::vector<Session>> ListSessions() = 0;

  // Retires the row linked to this Cognito user, who was deleted: its
  // cognito_user_id becomes RetiredCognitoUserId(sub), for good (see the top
  // of this file). Returns the number of rows retired: 0 if nobody has this
  // id (already retired, or never linked). kInvalidUserInput for a bad id or
  // the placeholder. The default says the directory cannot (test doubles).
  virtual base::Result<int64_t> RetireCognitoUser(std::string_view sub) {
    (void)sub;
    return base::Error{kDatabaseError, "this directory cannot retire users"};
  }
};

// The seed's users (db/seed.sql, prod): andrewbrown, bayko, londo, altbrown,
// all unlinked. Their uuids are fixed so that re-creating the users database
// does not orphan the messages that name them.
std::span<const NewUser> SeedUsers();

// The URL from the CONNECTION_URL environment variable, or "" if unset.
std::string ConnectionUrlFromEnv();

struct OpenOptions {
  // How long SQLite waits for another writer before failing a statement.
  int busy_timeout_ms = 5000;
  // PostgreSQL connect timeout in seconds (unless the URL sets connect_timeout).
  int connect_timeout_s = 10;
};

// Opens the directory `connection_url` names:
//   ""                                      SQLite at kDefaultSqlitePath
//   "postgresql://..." / "postgres://..."   PostgreSQL (libpq URI, any parameters)
//   "sqlite:PATH" / "sqlite://PATH"         SQLite at PATH (":memory:" for a
//                                           private in-memory database)
//   a path without "://"                    SQLite at that path
// SQLite creates the file's directory if missing, runs in WAL mode and waits
// up to `busy_timeout_ms` for a lock. Does not create the schema.
// kInvalidUserInput for an unknown scheme; kDatabaseUnavailable if the
// database cannot be opened or reached.
base::Result<std::unique_ptr<UsersDirectory>> OpenUsersDirectory(std::string_view connection_url,
                                                                 const OpenOptions& options = {});

}  // namespace cruddur::users
