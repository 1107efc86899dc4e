// The `cruddur` command: the seed's developer tools as subcommands.
//
//   cruddur ddb {schema-load,list-tables,drop,seed,scan,get-conversation,
//                list-conversations} [prod]
//   cruddur db  {create,drop,schema-load,seed,setup,connect,sessions,
//                update-cognito-user-ids}
//   cruddur cognito list-users [prod]
//   cruddur serve [flags]      the local stack (cruddur/serve/serve.h)
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

namespace cruddur::cli {

// Runs the command line; returns the process exit status.
int RunCruddur(int argc, char** argv);

}  // namespace cruddur::cli
