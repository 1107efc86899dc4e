// bin/cognito/list-users: every user of a Cognito user pool (the local one
// or AWS's), printed as the seed's script prints them.
#pragma once

#include <rapidjson/document.h>

#include <map>
#include <string>

#include "aws/client.h"
#include "base/error.h"

namespace cruddur::cli {

// Every user of the pool: ListUsers (AttributesToGet preferred_username and
// sub) with PaginationToken followed to the end; an array of the service's
// UserType objects.
base::Result<rapidjson::Document> FetchPoolUsers(aws::AwsJsonClient& cognito,
                                                 const std::string& pool_id);

// {preferred_username: sub} of those users (users without a
// preferred_username are left out).
std::map<std::string, std::string> HandleToSub(const rapidjson::Value& users);

// Calls ListUsers on `pool_id` (AttributesToGet preferred_username and sub)
// following PaginationToken to the end (the seed's script read one page
// only), and returns the seed's output: the users as JSON (keys sorted,
// indent 2, dates as Python prints a datetime), then the {handle: sub} map.
// Errors: the service's (ResourceNotFoundException for an unknown pool, ...).
base::Result<std::string> ListPoolUsers(aws::AwsJsonClient& cognito, const std::string& pool_id);

}  // namespace cruddur::cli
