// The PostgreSQL backend of SqlConnection (libpq).
#pragma once

#include <memory>
#include <string>

#include "cruddur/users/sql_connection.h"

namespace cruddur::users {

// Connects to `url` (a libpq URI: postgresql://user:password@host:port/db?...).
// `connect_timeout_s` applies unless the URL sets connect_timeout.
// kDatabaseUnavailable if the server cannot be reached or refuses the login.
// A lost connection is re-established at the next call.
base::Result<std::unique_ptr<SqlConnection>> OpenPostgresConnection(const std::string& url,
                                                                    int connect_timeout_s);

}  // namespace cruddur::users
