// `cruddur db ...`: the users database CONNECTION_URL names (PostgreSQL for
// postgresql://..., else SQLite, ./data/cruddur.sqlite3 when unset), as the
// seed's bin/db/* scripts use it.
//
//   create / drop            the database itself (users/database_admin.h)
//   schema-load / seed       the users table, the seed's users
//   setup                    drop, create, schema-load, seed,
//                            update-cognito-user-ids (skipped, with a line
//                            saying so, when no pool is configured)
//   connect                  exec psql or sqlite3 on the database
//   sessions                 the connections to the database
//   update-cognito-user-ids  each pool user's sub stored as cognito_user_id
//                            of the user whose handle is their
//                            preferred_username
//
// A failure throws Failure (command_support.h) from the action.
#pragma once

#include "cruddur/cli/cruddur_cli.h"

namespace cruddur::cli {

// Adds the `db` subcommand and its subcommands to `app`; the one chosen
// sets `action`. `local_pool_id` names the pool update-cognito-user-ids
// uses when the environment names none (cognito_commands.h's PoolId).
void AddDbCommands(CLI::App& app, Action& action, LocalPoolIdFn local_pool_id);

}  // namespace cruddur::cli
