// Constructors for the users layer's errors (types in users_directory.h).
#pragma once

#include <string>

#include "ddb/common/error.h"

namespace cruddur::users {

ddb::Error NotFoundError(std::string message);
ddb::Error AlreadyExistsError(std::string message);
ddb::Error InvalidInputError(std::string message);
ddb::Error SelfMessageError(std::string message);
ddb::Error UnavailableError(std::string message);
ddb::Error SchemaMissingError(std::string message);
ddb::Error DatabaseError(std::string message);
ddb::Error HandleCollisionError(std::string message);

}  // namespace cruddur::users
