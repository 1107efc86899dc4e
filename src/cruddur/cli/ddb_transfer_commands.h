// `cruddur ddb export` and `cruddur ddb import` (bin/ddb/export, bin/ddb/import):
// the messages table to and from S3 (locally: the ddb-server's --export-root
// folder), waiting for the job to finish.
#pragma once

#include <CLI/CLI.hpp>

#include "cruddur/cli/cruddur_cli.h"

namespace cruddur::cli {

// Adds the two subcommands to `ddb`.
void AddDdbTransferCommands(CLI::App* ddb, Action& action);

}  // namespace cruddur::cli
