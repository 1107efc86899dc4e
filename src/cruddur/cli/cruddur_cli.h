// The `cruddur` command: the seed's developer tools as subcommands.
//
//   cruddur ddb {schema-load,list-tables,drop,seed,scan,get-conversation,
//                list-conversations} [prod]          (ddb_commands.h)
//   cruddur db  {create,drop,schema-load,seed,setup,connect,sessions,
//                update-cognito-user-ids}            (db_commands.h)
//   cruddur cognito list-users [prod]                (cognito_commands.h)
//
// and whatever subcommands the program adds (Extensions): src/main/
// cruddur_main.cc adds `cruddur serve [flags]`, the local stack, from the
// serve layer (cruddur/serve/serve_command.h). This layer does not know the
// serve layer; the program composes the two.
//
// bin/ddb/*, bin/db/* and bin/cognito/list-users are thin wrappers with the
// seed's script names.
// Without `prod` the ddb commands talk to the local server
// (AWS_ENDPOINT_URL, else http://localhost:8000); with `prod` to the public
// endpoint of the configured region. The db commands use CONNECTION_URL
// (SQLite at ./data/cruddur.sqlite3 when unset).
//
// Every failure prints one line "cruddur: <reason>" on stderr and exits 1;
// usage errors exit 2 (CLI11's convention is kept: 105/106... are mapped to 2).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace cruddur::cli {

// What the chosen subcommand does once the whole command line is parsed.
// Returns the process exit status (0: success; a negative value counts as
// 0). It may throw: a std::exception is reported as one line "cruddur:
// unexpected error: <what>" and the exit status is 1.
using Action = std::function<int()>;

// Adds one subcommand (with its options) to the top-level `app`. When the
// subcommand is chosen, the callback it installs stores what to run in
// `action`, which outlives the parse; the installer keeps whatever state
// its options write to alive itself (e.g. in a shared_ptr its callbacks
// hold), as `app` may outlive the installer's call.
using CommandInstaller = std::function<void(CLI::App& app, Action& action)>;

// The local user pool's id in `region` (e.g. "us-east-1_cruddur"), for the
// cognito commands without `prod` when the environment names no pool.
using LocalPoolIdFn = std::function<std::string(std::string_view region)>;

// What the program adds to the tools of this layer.
struct Extensions {
  // Subcommands added after ddb, db and cognito, in this order (so `--help`
  // lists them after those). Default: none.
  std::vector<CommandInstaller> commands;
  // The local pool's id (see LocalPoolIdFn). Default (empty): there is no
  // local pool, and the cognito commands fail with "AWS_COGNITO_USER_POOL_ID
  // is not set" when the environment names none.
  LocalPoolIdFn local_pool_id;
};

// Runs the command line: the ddb, db and cognito subcommands plus
// `extensions`. Returns the process exit status (the header's comment says
// which); prints help, usage errors and failures itself.
int RunCruddur(int argc, char** argv, const Extensions& extensions);

}  // namespace cruddur::cli
