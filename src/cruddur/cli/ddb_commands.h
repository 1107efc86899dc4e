// `cruddur ddb ...`: the messages table (DDB_MESSAGE_TABLE, default
// cruddur-messages) in DynamoDB, as the seed's bin/ddb/* scripts use it.
//
//   schema-load          create the table (and, locally, enable its stream)
//   list-tables          print the tables' names
//   drop TABLE_NAME      delete a table
//   seed                 the seed users and the seed's conversation
//                        (messaging/seed_conversation.h), idempotent
//   scan                 print every item (stdout), the count on stderr
//   get-conversation     pattern A: a conversation, with its read cost
//   list-conversations   pattern B: a user's conversations
//
// Each takes the optional `prod` (command_support.h's Target). A failure
// throws Failure (command_support.h) from the action.
#pragma once

#include "cruddur/cli/cruddur_cli.h"

namespace cruddur::cli {

// Adds the `ddb` subcommand and its subcommands to `app`; the one chosen
// sets `action`. Its options' state lives as long as `app`.
void AddDdbCommands(CLI::App& app, Action& action);

}  // namespace cruddur::cli
