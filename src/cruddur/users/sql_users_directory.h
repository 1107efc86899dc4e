// SqlUsersDirectory: the UsersDirectory over any SqlConnection. All the
// directory's logic (input checks, error wording, the meaning of each query's
// rows) lives here once, for both backends.
#pragma once

#include <memory>

#include "cruddur/users/sql_connection.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::users {

std::unique_ptr<UsersDirectory> NewSqlUsersDirectory(std::unique_ptr<SqlConnection> connection);

}  // namespace cruddur::users
