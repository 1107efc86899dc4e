// cruddur: Cruddur's developer tools (see src/cruddur/cli/cruddur_cli.h).
#include "cruddur/cli/cruddur_cli.h"

int main(int argc, char** argv) { return cruddur::cli::RunCruddur(argc, argv); }
