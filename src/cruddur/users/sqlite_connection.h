// The SQLite backend of SqlConnection (sqlite3 C API).
#pragma once

#include <memory>
#include <string>

#include "cruddur/users/sql_connection.h"

namespace cruddur::users {

// Opens (creating if missing) the database file at `path`, or a private
// in-memory database for ":memory:". Creates the file's parent directory if
// missing. Sets WAL mode and `busy_timeout_ms`. kDatabaseUnavailable if the file
// cannot be opened or is not a SQLite database.
base::Result<std::unique_ptr<SqlConnection>> OpenSqliteConnection(const std::string& path,
                                                                  int busy_timeout_ms);

}  // namespace cruddur::users
