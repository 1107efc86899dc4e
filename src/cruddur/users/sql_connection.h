// SqlConnection: the little a UsersDirectory needs from a SQL database, so that
// the directory's queries are written once (sql_users_directory.cc) and each
// backend only knows how to run a statement.
//
// Statements use PostgreSQL's $1..$n placeholders on both backends (SQLite
// reads "$1" as a named parameter; the SQLite connection binds by name). Every
// value is bound as text; nothing is ever spliced into SQL.
//
// Errors come back already mapped to the users layer's types
// (users_directory.h): a unique-key violation is kUserAlreadyExists, a missing
// table kSchemaMissing, a lost or locked database kDatabaseUnavailable, the
// rest kDatabaseError. Which key a violation hit is told apart by
// SqlFailure::constraint where the backend reports it, never by the message.
//
// Not thread-safe: the directory serializes calls.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::users {

enum class Dialect { kSqlite, kPostgres };

struct SqlRows {
  // Every column as text; SQL NULL reads as "".
  std::vector<std::vector<std::string>> rows;
  // Rows inserted, updated or deleted by the statement.
  int64_t changes = 0;
};

// What a failed statement reports beside its base::Error, for callers that act
// on it.
struct SqlFailure {
  // For a unique-key violation (kUserAlreadyExists): the name of the violated
  // constraint or unique index, as PostgreSQL reports it
  // (PG_DIAG_CONSTRAINT_NAME). "" otherwise, and always on SQLite, which says
  // which key only in its message text.
  std::string constraint;
};

class SqlConnection {
 public:
  virtual ~SqlConnection() = default;
  virtual Dialect dialect() const = 0;
  virtual DatabaseInfo Describe() = 0;

  // Runs one statement with $k bound to params[k-1]. If it fails and
  // `failure` is not null, *failure is filled in (else left alone).
  virtual base::Result<SqlRows> Execute(std::string_view sql,
                                        std::span<const std::string> params = {},
                                        SqlFailure* failure = nullptr) = 0;
  // Runs a script of statements without parameters (schema DDL).
  virtual base::Status ExecuteScript(std::string_view sql) = 0;

  // Transactions. Begin takes the write lock up front on SQLite (BEGIN
  // IMMEDIATE) so that a transaction never fails half-way on lock upgrade.
  virtual base::Status Begin() = 0;
  virtual base::Status Commit() = 0;
  virtual void Rollback() = 0;

  virtual base::Result<std::vector<Session>> ListSessions() = 0;
};

}  // namespace cruddur::users
