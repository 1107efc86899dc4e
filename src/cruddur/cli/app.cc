// `cruddur`: the command line's wiring (CLI11), and how the outcome of a
// parse or of a command becomes output and an exit status.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>

#include "cruddur/cli/cognito_commands.h"
#include "cruddur/cli/command_support.h"
#include "cruddur/cli/cruddur_cli.h"
#include "cruddur/cli/db_commands.h"
#include "cruddur/cli/ddb_commands.h"

namespace cruddur::cli {

int RunCruddur(int argc, char** argv, const Extensions& extensions) {
  CLI::App app{"cruddur: Cruddur's developer tools (the seed's bin/ddb and bin/db scripts)",
               "cruddur"};
  app.require_subcommand(1);
  Action action;
  AddDdbCommands(app, action);
  AddDbCommands(app, action, extensions.local_pool_id);
  AddCognitoCommands(app, action, extensions.local_pool_id);
  for (const CommandInstaller& install : extensions.commands) install(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    // One line, then a pointer to --help.
    std::string what = e.what();
    for (char& ch : what) {
      if (ch == '\n') ch = ' ';
    }
    std::fprintf(stderr, "cruddur: %s (see --help)\n", what.c_str());
    return 2;
  }
  int status = 0;
  try {
    if (action) status = action();
  } catch (const Failure& f) {
    std::cout.flush();
    std::fprintf(stderr, "cruddur: %s\n", f.message.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::cout.flush();
    std::fprintf(stderr, "cruddur: unexpected error: %s\n", e.what());
    return 1;
  }
  std::cout.flush();
  return status > 0 ? status : 0;
}

}  // namespace cruddur::cli
