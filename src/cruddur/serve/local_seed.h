// The local stack's first-start data: what `make run` gives a newcomer
// without running a single tool. Idempotent: run at every local start.
#pragma once

#include <string>

#include "aws/client.h"
#include "base/error.h"
#include "cruddur/userpool/user_pool.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::serve {

// The development password of the seed's users in the local pool (written
// in the README). It meets Cognito's default password policy.
inline constexpr const char* kDevPassword = "Cruddur1!";

struct SeedSummary {
  bool table_created = false;  // the messages table was missing and is new
  int messages_written = 0;    // lines of the seed conversation written
  int users_inserted = 0;      // seed users added to the directory
  int pool_users = 0;          // seed users present in the pool
};

// Creates the users schema and the seed's users when missing; when the
// messages table is missing, creates it and writes the seed's conversation
// (bin/ddb/seed); with a pool, ensures each seed user exists there,
// confirmed, with kDevPassword, and is linked to their directory row.
base::Result<SeedSummary> SeedLocalStack(aws::AwsJsonClient& dynamodb, const std::string& table,
                                         users::UsersDirectory& directory,
                                         userpool::UserPool* pool);

}  // namespace cruddur::serve
