// What the `cruddur` command groups (ddb, db, cognito) share: the Failure
// they throw to end with one line on stderr, the AWS clients and the users
// directory they open, and the `prod` argument.
//
// Inside this layer a command reports a failure by throwing Failure (caught
// by RunCruddur in app.cc, printed "cruddur: <message>", exit status 1);
// nothing of this header is seen outside cruddur/cli.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "aws/client.h"
#include "base/error.h"
#include "cruddur/cli/cruddur_cli.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::cli {

// A failure to report: one line, exit status 1.
struct Failure {
  std::string message;
};

// The local DynamoDB endpoint when AWS_ENDPOINT_URL is unset.
inline constexpr const char* kLocalEndpoint = "http://localhost:8000";

// The environment variable `name`, "" when unset.
std::string Env(const char* name);

// Where the ddb commands go, for messages: "the AWS endpoint" with `prod`,
// else AWS_ENDPOINT_URL or kLocalEndpoint.
std::string Where(bool prod);

// A one-line reason for a service or client error: an unreachable server,
// a missing `table` (when given) and an unimplemented operation are
// explained with what to run; anything else is "<type>: <message>".
std::string Reason(const base::Error& e, bool prod, const std::string& table = "");

// The value of `r`; throws Failure{Reason(...)} on error.
template <typename T>
T Check(base::Result<T> r, bool prod, const std::string& table = "") {
  if (!r.ok()) throw Failure{Reason(r.error(), prod, table)};
  return std::move(r).value();
}

// A client of `service`: with `prod` the public endpoint of the configured
// region and credentials; else the local server (AWS_ENDPOINT_URL, else
// kLocalEndpoint) in us-east-1 with local keys unless the environment
// names others. 10 s per attempt, 30 s in all. Throws Failure.
std::unique_ptr<aws::AwsJsonClient> Client(const aws::AwsService& service, bool prod);

// The users directory CONNECTION_URL names. Throws Failure "users database:
// <message>".
std::unique_ptr<users::UsersDirectory> Users();

// The value of `r`; throws Failure "users database: <message>", or the hint
// to run bin/db/schema-load when the users table is missing.
template <typename T>
T CheckUsers(base::Result<T> r) {
  if (!r.ok()) {
    if (r.error().code == users::kSchemaMissing) {
      throw Failure{"users database has no users table (run bin/db/schema-load)"};
    }
    throw Failure{"users database: " + r.error().message};
  }
  return std::move(r).value();
}

// Throws Failure "users database: <message>" if `s` is an error.
void CheckUsers(base::Status s);

// True for the users directory's own errors (users_directory.h).
bool IsUsersError(const base::Error& e);

// The arguments the ddb and cognito subcommands share.
struct Target {
  std::string target;  // "" or "prod"
  bool prod() const { return target == "prod"; }
};

// Adds the optional positional argument `target` ("prod") to `cmd`, written
// to `*t`, which must outlive the parse.
void AddTarget(CLI::App* cmd, Target* t);

// Makes `cmd`'s callback (run when it is chosen) set `action` to `run`,
// whose exit status is 0 unless it throws. `action` must outlive the parse.
void OnChosen(CLI::App* cmd, Action& action, std::function<void()> run);

}  // namespace cruddur::cli
