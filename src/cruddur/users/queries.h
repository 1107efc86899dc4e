// The users directory's SQL, one set per dialect. The statements are the same
// text on both backends except where the dialects truly differ: the DDL and
// how created_at is read back. Placeholders are $1..$n (see sql_connection.h).
#pragma once

#include <cstddef>
#include <string>

#include "cruddur/users/sql_connection.h"

namespace cruddur::users {

struct UsersQueries {
  std::string create_schema;  // script; run inside a transaction
  std::string drop_schema;    // script
  // Every "user" query below selects the User columns in struct order.
  // $1 uuid, $2 display_name, $3 handle, $4 email, $5 cognito_user_id, $6 created_at.
  std::string insert_user;                       // RETURNING the user
  std::string seed_user;                         // same, but skips a user whose keys are taken
  std::string uuid_by_cognito_user_id;           // $1; selects uuid only
  std::string user_by_handle;                    // $1
  std::string user_by_uuid;                      // $1
  std::string message_users;                     // $1 sender cognito_user_id, $2 receiver handle
  std::string update_cognito_user_id_by_handle;  // $1 cognito_user_id, $2 handle
  std::string update_cognito_user_id_by_email;   // $1 cognito_user_id, $2 email

  // Users whose handle is one of $1..$n.
  std::string UsersByHandles(size_t n) const;

  std::string user_columns;  // the select list, for UsersByHandles
};

const UsersQueries& QueriesFor(Dialect dialect);

}  // namespace cruddur::users
