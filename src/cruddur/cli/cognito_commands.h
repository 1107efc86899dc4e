// `cruddur cognito list-users [prod]`: the users of the Cognito user pool
// (cognito_list_users.h), and which pool the cognito and db commands use.
#pragma once

#include <string>

#include "cruddur/cli/cruddur_cli.h"

namespace cruddur::cli {

// The user pool the cognito commands use: AWS_COGNITO_USER_POOL_ID (or the
// seed student's AWS_USER_POOLS_ID); without either and without `prod`,
// local_pool_id(AWS_DEFAULT_REGION, else AWS_REGION, else "us-east-1"),
// the local pool of `cruddur serve`. "" when none is known (no
// local_pool_id).
std::string PoolId(bool prod, const LocalPoolIdFn& local_pool_id);

// Adds the `cognito` subcommand and its subcommands to `app`; the one chosen
// sets `action`. `local_pool_id` as for PoolId.
void AddCognitoCommands(CLI::App& app, Action& action, LocalPoolIdFn local_pool_id);

}  // namespace cruddur::cli
