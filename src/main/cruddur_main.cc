// cruddur: Cruddur's developer tools (see src/cruddur/cli/cruddur_cli.h).
#include "base/malloc_arenas.h"
#include "base/owner_only.h"
#include "cruddur/cli/cruddur_cli.h"

int main(int argc, char** argv) {
  base::LimitMallocArenas();
  base::CreateOwnerOnlyFiles();  // the data is nobody else's business
  return cruddur::cli::RunCruddur(argc, argv);
}
