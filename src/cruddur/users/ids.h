// Fresh identifiers and timestamps for new users.
#pragma once

#include <string>

#include "base/error.h"

namespace cruddur::users {

// base::NewUuidV4 (base/uuid.h) as this layer's Result: a random version-4
// uuid in lowercase 8-4-4-4-12 form; kDatabaseError only if the CSPRNG fails.
base::Result<std::string> NewUuidV4();

// The current UTC time as YYYY-MM-DDTHH:MM:SS.ffffff+00:00 (fixed width).
std::string NowUtcTimestamp();

}  // namespace cruddur::users
