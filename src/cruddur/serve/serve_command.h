// The `cruddur serve` subcommand: its flags (ServeConfig's, serve_config.h,
// plus the connection-limit, audit-log and TLS flags it shares with
// ddb-server) and what it runs (RunServe, serve.h).
//
// The `cruddur` program (src/main/cruddur_main.cc) adds it to the command
// line of the tools (cruddur/cli/cruddur_cli.h) as one of their
// Extensions; this layer does not know the tools' layer, so the signature
// uses only CLI11's and the standard library's types.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace cruddur::serve {

// Adds the `serve` subcommand to `app`. When it is chosen, its callback
// sets `action` to: resolve the settings from the environment
// (ResolveFromEnvironment), then RunServe, whose exit status `action`
// returns. `action` must outlive the parse; the flags' state lives as long
// as `app`.
void AddServeCommand(CLI::App& app, std::function<int()>& action);

}  // namespace cruddur::serve
