#include "cruddur/cli/db_commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "cruddur/cli/cognito_commands.h"
#include "cruddur/cli/cognito_list_users.h"
#include "cruddur/cli/command_support.h"
#include "cruddur/users/database_admin.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::cli {
namespace {

// The value of `r`; throws Failure with its message as it is (the database
// administration's messages are written to be printed: database_admin.h).
// The value of `r` (users/database_admin.h); throws Failure{its message}.
template <typename T>
T CheckAdmin(base::Result<T> r) {
  if (!r.ok()) throw Failure{r.error().message};
  return std::move(r).value();
}
void CheckAdmin(const base::Status& s) {
  if (!s.ok()) throw Failure{s.error().message};
}

void DbCreate() {
  const std::string url = users::ConnectionUrlFromEnv();
  if (users::IsPostgresUrl(url)) {
    const std::string name = CheckAdmin(users::CreatePostgresDatabase(url));
    std::cout << "created database " << name << "\n";
    return;
  }
  auto dir = Users();  // SQLite creates the file
  std::cout << "created database " << dir->Describe().location << "\n";
}

void DbDrop() {
  const std::string url = users::ConnectionUrlFromEnv();
  if (users::IsPostgresUrl(url)) {
    const std::string name = CheckAdmin(users::DropPostgresDatabase(url));
    std::cout << "dropped database " << name << "\n";
    return;
  }
  const std::string path = users::SqlitePath(url);
  CheckAdmin(users::RemoveSqliteDatabase(path));
  std::cout << "dropped database " << path << "\n";
}

void DbSchemaLoad() {
  auto dir = Users();
  CheckUsers(dir->CreateSchema());
  std::cout << "users schema loaded (" << dir->Describe().backend << ")\n";
}

void DbSeed() {
  auto dir = Users();
  const int n = CheckUsers(dir->SeedUsers());
  std::cout << "seed users: " << n << " inserted\n";
}

// bin/db/update_cognito_user_ids: every user of the pool (ListUsers, paginated)
// gets its `sub` stored as cognito_user_id of the user with its
// preferred_username as handle.
void DbUpdateCognitoUserIds(bool quiet_if_unconfigured, const LocalPoolIdFn& local_pool_id) {
  if (quiet_if_unconfigured && Env("AWS_COGNITO_USER_POOL_ID").empty() &&
      Env("AWS_USER_POOLS_ID").empty()) {
    std::cout << "cognito: AWS_COGNITO_USER_POOL_ID not set, cognito_user_id left as is\n";
    return;
  }
  const std::string pool = PoolId(false, local_pool_id);
  auto client = Client(aws::kCognitoIdentityProvider, false);
  auto dir = Users();
  auto pool_users = Check(FetchPoolUsers(*client, pool), false);
  int updated = 0;
  for (const auto& [handle, sub] : HandleToSub(pool_users)) {
    auto r = dir->UpdateCognitoUserIdByHandle(handle, sub);
    if (r.ok()) {
      std::cout << handle << " -> " << sub << "\n";
      ++updated;
    } else if (r.error().code != users::kUserNotFound) {
      throw Failure{"users database: " + r.error().message};
    }
  }
  std::cout << updated << " users linked to Cognito\n";
}

void DbSetup(const LocalPoolIdFn& local_pool_id) {
  DbDrop();
  DbCreate();
  DbSchemaLoad();
  DbSeed();
  DbUpdateCognitoUserIds(true, local_pool_id);
}

void DbConnect() {
  const std::string url = users::ConnectionUrlFromEnv();
  std::vector<std::string> args;
  if (users::IsPostgresUrl(url)) {
    args = {"psql", url};
  } else {
    args = {"sqlite3", users::SqlitePath(url)};
  }
  std::vector<char*> argv;
  for (auto& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::cout.flush();
  execvp(argv[0], argv.data());
  throw Failure{std::string("cannot run ") + args[0] + ": " + std::strerror(errno)};
}

void DbSessions() {
  auto dir = Users();
  auto sessions = CheckUsers(dir->ListSessions());
  std::printf("%-8s %-12s %-14s %-20s %-16s %-8s %s\n", "pid", "user", "database", "application",
              "client", "state", "started");
  for (const auto& s : sessions) {
    std::printf("%-8lld %-12s %-14s %-20s %-16s %-8s %s%s\n", static_cast<long long>(s.pid),
                s.user.c_str(), s.database.c_str(), s.application_name.c_str(),
                s.client_address.c_str(), s.state.c_str(), s.backend_start.c_str(),
                s.is_self ? " (this)" : "");
  }
}

}  // namespace

void AddDbCommands(CLI::App& app, Action& action, LocalPoolIdFn local_pool_id) {
  CLI::App* db =
      app.add_subcommand("db",
                         "The users database (CONNECTION_URL: postgresql://..., else SQLite "
                         "./data/cruddur.sqlite3)");
  db->require_subcommand(1);
  OnChosen(db->add_subcommand("create", "Create the database"), action, DbCreate);
  OnChosen(db->add_subcommand("drop", "Drop the database (all users)"), action, DbDrop);
  OnChosen(db->add_subcommand("schema-load", "Create the users table"), action, DbSchemaLoad);
  OnChosen(
      db->add_subcommand("seed", "Insert the seed users (andrewbrown, bayko, londo, altbrown)"),
      action, DbSeed);
  OnChosen(db->add_subcommand("setup", "drop, create, schema-load, seed, update-cognito-user-ids"),
           action, [local_pool_id] { DbSetup(local_pool_id); });
  OnChosen(db->add_subcommand("connect", "Open psql or sqlite3 on the database"), action,
           DbConnect);
  OnChosen(db->add_subcommand("sessions", "List connections to the database"), action, DbSessions);
  OnChosen(db->add_subcommand("update-cognito-user-ids",
                              "Store each Cognito user's sub as cognito_user_id (by "
                              "preferred_username)"),
           action, [local_pool_id] { DbUpdateCognitoUserIds(false, local_pool_id); });
}

}  // namespace cruddur::cli
