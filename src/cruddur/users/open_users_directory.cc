// OpenUsersDirectory: picks the backend from the connection URL.
#include <cstdlib>

#include "cruddur/users/errors.h"
#include "cruddur/users/postgres_connection.h"
#include "cruddur/users/sql_users_directory.h"
#include "cruddur/users/sqlite_connection.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::users {

std::string ConnectionUrlFromEnv() {
  const char* url = std::getenv("CONNECTION_URL");
  return url ? url : "";
}

base::Result<std::unique_ptr<UsersDirectory>> OpenUsersDirectory(std::string_view connection_url,
                                                                 const OpenOptions& options) {
  std::string url(connection_url);
  std::unique_ptr<SqlConnection> conn;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    ASSIGN_OR_RETURN(conn, OpenPostgresConnection(url, options.connect_timeout_s));
  } else {
    std::string path;
    if (url.empty()) {
      path = std::string(kDefaultSqlitePath);
    } else if (url.starts_with("sqlite://")) {
      path = url.substr(9);
    } else if (url.starts_with("sqlite:")) {
      path = url.substr(7);
    } else if (url.find("://") == std::string::npos) {
      path = url;
    } else {
      // Do not echo the URL: it may carry a password.
      return InvalidInputError("unsupported connection URL scheme '" +
                               url.substr(0, url.find("://")) +
                               "' (expected postgresql://, postgres://, sqlite: or a file path)");
    }
    ASSIGN_OR_RETURN(conn, OpenSqliteConnection(path, options.busy_timeout_ms));
  }
  return NewSqlUsersDirectory(std::move(conn));
}

}  // namespace cruddur::users
