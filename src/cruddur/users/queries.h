// The users directory's SQL, one set per dialect. The statements are the same
// text on both backends except where the dialects truly differ: the DDL and
// how created_at is read back, and how a handle's key (handle_key.h) is
// computed. Placeholders are $1..$n (see sql_connection.h).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "cruddur/users/sql_connection.h"

namespace cruddur::users {

// The names of the users table's unique keys, as the schema below creates
// them and PostgreSQL reports them on a violation (SqlFailure::constraint).
inline constexpr std::string_view kUuidKeyName = "users_pkey";  // PostgreSQL's default name
inline constexpr std::string_view kHandleKeyName = "users_handle_key";
inline constexpr std::string_view kHandleLowerKeyName = "users_handle_lower_key";
inline constexpr std::string_view kCognitoUserIdKeyName = "users_cognito_user_id_key";

struct UsersQueries {
  std::string create_schema;  // script; run inside a transaction
  // Run after create_schema, in the same transaction: the handles that
  // collide regardless of case (one column, colliding handles together), then
  // the unique index on the handle's key that forbids them.
  std::string handle_collisions;
  std::string create_handle_index;  // script
  std::string drop_schema;          // script
  // Every "user" query below selects the User columns in struct order.
  // $1 uuid, $2 display_name, $3 handle, $4 email, $5 cognito_user_id, $6 created_at.
  std::string insert_user;              // RETURNING the user
  std::string seed_user;                // same, but skips a user whose keys are taken
  std::string uuid_by_cognito_user_id;  // $1; selects uuid only
  std::string user_by_handle;           // $1, compared by key
  std::string user_by_uuid;             // $1
  std::string message_users;            // $1 sender cognito_user_id, $2 receiver handle
  // The rows a link would change, locked until the transaction ends
  // (PostgreSQL; SQLite's write transaction already excludes writers):
  // uuid, handle, cognito_user_id.
  std::string link_rows_by_handle;               // $1 handle, by key
  std::string link_rows_by_email;                // $1 email
  std::string update_cognito_user_id_by_handle;  // $1 cognito_user_id, $2 handle (by key)
  std::string update_cognito_user_id_by_email;   // $1 cognito_user_id, $2 email
  std::string retire_cognito_user_id;            // $1 the retired id, $2 the sub
  // After a unique-key violation on SQLite (which does not report the key):
  // uuid, handle, cognito_user_id of the rows that hold $1 uuid, $2 handle
  // (by key) or $3 cognito_user_id (not the placeholder). SQLite only: on
  // PostgreSQL the failed statement has aborted the transaction, and
  // SqlFailure names the key.
  std::string key_holders;

  // Users whose handle has the key of one of $1..$n.
  std::string UsersByHandles(size_t n) const;

  std::string user_columns;  // the select list, for UsersByHandles
  // The handle's key of a SQL expression (handle_key.h), for UsersByHandles.
  std::string (*handle_key)(const std::string& expression) = nullptr;
};

const UsersQueries& QueriesFor(Dialect dialect);

}  // namespace cruddur::users
