#include "cruddur/cli/cognito_commands.h"

#include <CLI/CLI.hpp>
#include <iostream>
#include <memory>

#include "cruddur/cli/cognito_list_users.h"
#include "cruddur/cli/command_support.h"

namespace cruddur::cli {
namespace {

void CognitoListUsers(const Target& a, const LocalPoolIdFn& local_pool_id) {
  const std::string pool = PoolId(a.prod(), local_pool_id);
  if (pool.empty()) throw Failure{"AWS_COGNITO_USER_POOL_ID is not set"};
  auto client = Client(aws::kCognitoIdentityProvider, a.prod());
  std::cout << Check(ListPoolUsers(*client, pool), a.prod());
}

}  // namespace

std::string PoolId(bool prod, const LocalPoolIdFn& local_pool_id) {
  std::string pool = Env("AWS_COGNITO_USER_POOL_ID");
  if (pool.empty()) pool = Env("AWS_USER_POOLS_ID");
  if (pool.empty() && !prod && local_pool_id) {
    std::string region = Env("AWS_DEFAULT_REGION");
    if (region.empty()) region = Env("AWS_REGION");
    pool = local_pool_id(region.empty() ? "us-east-1" : region);
  }
  return pool;
}

void AddCognitoCommands(CLI::App& app, Action& action, LocalPoolIdFn local_pool_id) {
  auto a = std::make_shared<Target>();
  CLI::App* cognito = app.add_subcommand("cognito", "The Cognito user pool");
  cognito->require_subcommand(1);
  CLI::App* c = cognito->add_subcommand(
      "list-users", "List the pool's users and their {handle: sub} map (all pages)");
  AddTarget(c, a.get());
  OnChosen(c, action, [a, local_pool_id] { CognitoListUsers(*a, local_pool_id); });
}

}  // namespace cruddur::cli
