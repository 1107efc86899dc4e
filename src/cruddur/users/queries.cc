#include "cruddur/users/queries.h"

namespace cruddur::users {
namespace {

// The partial unique index leaves the seed's placeholder out (see
// users_directory.h); the e-mail index serves UpdateCognitoUserIdByEmail.
// The handle's case-insensitive unique index (users_handle_lower_key) is made
// separately, after a check for rows it would refuse (create_handle_index).
constexpr const char* kIndexes =
    "CREATE UNIQUE INDEX IF NOT EXISTS users_cognito_user_id_key ON users (cognito_user_id) "
    "WHERE cognito_user_id <> 'MOCK';\n"
    "CREATE INDEX IF NOT EXISTS users_email_idx ON users (email);\n";

constexpr const char* kSqliteTable =
    "CREATE TABLE IF NOT EXISTS users (\n"
    "  uuid TEXT NOT NULL PRIMARY KEY,\n"
    "  display_name TEXT NOT NULL,\n"
    "  handle TEXT NOT NULL,\n"
    "  email TEXT NOT NULL,\n"
    "  cognito_user_id TEXT NOT NULL,\n"
    "  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000+00:00'),\n"
    "  CONSTRAINT users_handle_key UNIQUE (handle)\n"
    ");\n";

// The seed's table (uuid primary key with a random default, so that the
// seed's own db/seed.sql still loads) plus the unique keys. The advisory lock
// serializes concurrent schema loads, which PostgreSQL's IF NOT EXISTS alone
// does not.
constexpr const char* kPostgresTable =
    "SELECT pg_advisory_xact_lock(7261830);\n"
    "CREATE TABLE IF NOT EXISTS users (\n"
    "  uuid uuid NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,\n"
    "  display_name text NOT NULL,\n"
    "  handle text NOT NULL,\n"
    "  email text NOT NULL,\n"
    "  cognito_user_id text NOT NULL,\n"
    "  created_at timestamp NOT NULL DEFAULT (now() AT TIME ZONE 'utc'),\n"
    "  CONSTRAINT users_handle_key UNIQUE (handle)\n"
    ");\n";

// A handle's key (handle_key.h): lower() folds only ASCII in SQLite, and in
// PostgreSQL under the "C" collation, whatever the database's locale.
std::string SqliteKey(const std::string& expression) { return "lower(" + expression + ")"; }
std::string PostgresKey(const std::string& expression) {
  // A parameter needs a type before it can take a collation.
  const std::string typed = expression.starts_with("$") ? expression + "::text" : expression;
  return "lower(" + typed + " COLLATE \"C\")";
}

constexpr const char* kSqliteColumns =
    "uuid, display_name, handle, email, cognito_user_id, created_at";
// created_at is stored as UTC without a zone; print it in our fixed form.
constexpr const char* kPostgresColumns =
    "uuid::text, display_name, handle, email, cognito_user_id, "
    "to_char(created_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"+00:00\"')";

UsersQueries Make(const char* table, const char* columns, std::string (*key)(const std::string&),
                  const char* lock_rows) {
  const std::string cols = columns;
  const std::string handle_is_1 = key("handle") + " = " + key("$1");
  const std::string handle_is_2 = key("handle") + " = " + key("$2");
  const std::string insert =
      "INSERT INTO users (uuid, display_name, handle, email, cognito_user_id, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)";
  UsersQueries q;
  q.user_columns = cols;
  q.handle_key = key;
  q.create_schema = std::string(table) + kIndexes;
  q.handle_collisions = "SELECT handle FROM users WHERE " + key("handle") + " IN (SELECT " +
                        key("handle") + " FROM users GROUP BY " + key("handle") +
                        " HAVING count(*) > 1) ORDER BY " + key("handle") + ", handle LIMIT 20";
  q.create_handle_index =
      "CREATE UNIQUE INDEX IF NOT EXISTS users_handle_lower_key ON users (" + key("handle") + ")";
  q.drop_schema = "DROP TABLE IF EXISTS users";
  q.insert_user = insert + " RETURNING " + cols;
  q.seed_user = insert + " ON CONFLICT DO NOTHING";
  // LIMIT 2: a table made by the seed's own schema.sql has no unique keys, and
  // a duplicate must be reported, not silently picked.
  q.uuid_by_cognito_user_id = "SELECT uuid FROM users WHERE cognito_user_id = $1 LIMIT 2";
  q.user_by_handle = "SELECT " + cols + " FROM users WHERE " + handle_is_1 + " LIMIT 2";
  q.user_by_uuid = "SELECT " + cols + " FROM users WHERE uuid = $1";
  q.message_users =
      "SELECT " + cols + " FROM users WHERE cognito_user_id = $1 OR " + handle_is_2 + " LIMIT 3";
  const std::string link_columns = "SELECT uuid, handle, cognito_user_id FROM users WHERE ";
  q.link_rows_by_handle = link_columns + handle_is_1 + lock_rows;
  q.link_rows_by_email = link_columns + "email = $1" + lock_rows;
  q.update_cognito_user_id_by_handle = "UPDATE users SET cognito_user_id = $1 WHERE " + handle_is_2;
  q.update_cognito_user_id_by_email = "UPDATE users SET cognito_user_id = $1 WHERE email = $2";
  q.retire_cognito_user_id = "UPDATE users SET cognito_user_id = $1 WHERE cognito_user_id = $2";
  // The placeholder is nobody's key (the partial index leaves it out): at
  // most one row per key, so three rows at most.
  q.key_holders = link_columns + "uuid = $1 OR " + handle_is_2 +
                  " OR (cognito_user_id = $3 AND cognito_user_id <> 'MOCK') LIMIT 3";
  return q;
}

}  // namespace

std::string UsersQueries::UsersByHandles(size_t n) const {
  std::string sql =
      "SELECT " + user_columns + " FROM users WHERE " + handle_key("handle") + " IN (";
  for (size_t i = 1; i <= n; ++i) {
    if (i > 1) sql += ", ";
    sql += handle_key("$" + std::to_string(i));
  }
  sql += ")";
  return sql;
}

const UsersQueries& QueriesFor(Dialect dialect) {
  static const UsersQueries sqlite = Make(kSqliteTable, kSqliteColumns, SqliteKey, "");
  static const UsersQueries postgres =
      Make(kPostgresTable, kPostgresColumns, PostgresKey, " FOR UPDATE");
  return dialect == Dialect::kSqlite ? sqlite : postgres;
}

}  // namespace cruddur::users
