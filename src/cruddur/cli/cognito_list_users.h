// bin/cognito/list-users: every user of a Cognito user pool (the local one
// or AWS's), printed as the seed's script prints them.
#pragma once

#include <string>

#include "aws/client.h"
#include "ddb/common/error.h"

namespace cruddur::cli {

// Calls ListUsers on `pool_id` (AttributesToGet preferred_username and sub)
// following PaginationToken to the end (the seed's script read one page
// only), and returns the seed's output: the users as JSON (keys sorted,
// indent 2, dates as Python prints a datetime), then the {handle: sub} map.
// Errors: the service's (ResourceNotFoundException for an unknown pool, ...).
ddb::Result<std::string> ListPoolUsers(aws::AwsJsonClient& cognito, const std::string& pool_id);

}  // namespace cruddur::cli
