#include "cruddur/cli/command_support.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdlib>
#include <string_view>

#include "aws/client_error.h"
#include "ddb/common/error.h"

namespace cruddur::cli {

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string Where(bool prod) {
  if (prod) return "the AWS endpoint";
  std::string e = Env("AWS_ENDPOINT_URL");
  return e.empty() ? kLocalEndpoint : e;
}

std::string Reason(const base::Error& e, bool prod, const std::string& table) {
  if (e.code == aws::ClientErrorCode::kConnection || e.code == aws::ClientErrorCode::kTimeout) {
    return "cannot reach DynamoDB at " + Where(prod) +
           (prod ? "" : " (is the local server running? make run, or set AWS_ENDPOINT_URL)") +
           ": " + e.message;
  }
  if (e.code == ddb::ErrorCode::kResourceNotFound && !table.empty()) {
    return "table " + table + " does not exist at " + Where(prod) + " (run bin/ddb/schema-load" +
           (prod ? " prod" : "") + ")";
  }
  if (e.code == ddb::ErrorCode::kUnknownOperation ||
      e.code == aws::ClientErrorCode::kUnknownOperation) {
    return "the server at " + Where(prod) +
           " does not implement this operation (Cognito calls need a user pool: make run "
           "starts one on :8000)";
  }
  std::string m = e.message;
  for (char& c : m) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  // An error a service answered with a name its decoder does not know
  // carries the name in its message already (aws/error_response.h).
  if (e.code == aws::ClientErrorCode::kServiceError || e.code == aws::ClientErrorCode::kThrottled ||
      e.code == aws::ClientErrorCode::kServerError ||
      e.code == aws::ClientErrorCode::kUnknownOperation) {
    return m;
  }
  return e.Name() + ": " + m;
}

std::unique_ptr<aws::AwsJsonClient> Client(const aws::AwsService& service, bool prod) {
  aws::ClientConfig config;
  if (prod) {
    config.public_endpoint = true;
  } else {
    std::string e = Env("AWS_ENDPOINT_URL");
    config.endpoint_url = e.empty() ? kLocalEndpoint : e;
    // A local server accepts any keys in any region.
    config.default_region = "us-east-1";
    config.default_credentials = aws::Credentials{"cruddur-local", "cruddur-local", ""};
  }
  aws::ClientOptions options;
  options.attempt_timeout = std::chrono::seconds(10);
  options.total_timeout = std::chrono::seconds(30);
  return Check(
      aws::AwsJsonClient::FromEnvironment(service, config, aws::ProcessEnvironment(), options),
      prod);
}

std::unique_ptr<users::UsersDirectory> Users() {
  auto dir = users::OpenUsersDirectory(users::ConnectionUrlFromEnv());
  if (!dir.ok()) throw Failure{"users database: " + dir.error().message};
  return std::move(dir).value();
}

void CheckUsers(base::Status s) {
  if (!s.ok()) throw Failure{"users database: " + s.error().message};
}

bool IsUsersError(const base::Error& e) { return e.code.category() == users::ErrorCategory(); }

void AddTarget(CLI::App* cmd, Target* t) {
  cmd->add_option("target", t->target,
                  "\"prod\": the AWS endpoint of the configured region instead of the local "
                  "server (AWS_ENDPOINT_URL, else http://localhost:8000)")
      ->check(CLI::IsMember({"prod"}));
}

void OnChosen(CLI::App* cmd, Action& action, std::function<void()> run) {
  cmd->callback([&action, run = std::move(run)] {
    action = [run] {
      run();
      return 0;
    };
  });
}

}  // namespace cruddur::cli
