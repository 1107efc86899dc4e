// cruddur: Cruddur's developer tools (see src/cruddur/cli/cruddur_cli.h) and
// `cruddur serve`, the local stack (src/cruddur/serve/serve_command.h). The
// two layers do not know each other; this file composes them.
#include "base/malloc_arenas.h"
#include "base/owner_only.h"
#include "cruddur/cli/cruddur_cli.h"
#include "cruddur/serve/serve_command.h"
#include "cruddur/serve/serve_config.h"

int main(int argc, char** argv) {
  base::LimitMallocArenas();
  base::CreateOwnerOnlyFiles();  // the data is nobody else's business
  cruddur::cli::Extensions extensions;
  extensions.commands.push_back(cruddur::serve::AddServeCommand);
  extensions.local_pool_id = cruddur::serve::LocalPoolId;
  return cruddur::cli::RunCruddur(argc, argv, extensions);
}
