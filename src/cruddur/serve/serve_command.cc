#include "cruddur/serve/serve_command.h"

#include <CLI/CLI.hpp>
#include <memory>

#include "aws/shared_config.h"
#include "cruddur/serve/serve.h"
#include "cruddur/serve/serve_config.h"
#include "server/audit_log_flags.h"
#include "server/http_limit_flags.h"
#include "server/tls_flags.h"

namespace cruddur::serve {
namespace {

// What the flags write to.
struct ServeFlags {
  ServeConfig config;
  bool no_web = false;
  bool no_seed = false;
  bool no_throttling = false;
};

}  // namespace

void AddServeCommand(CLI::App& app, std::function<int()>& action) {
  auto f = std::make_shared<ServeFlags>();
  ServeConfig& sc = f->config;
  CLI::App* srv = app.add_subcommand(
      "serve",
      "Run the local stack: the DynamoDB endpoint with the local Cognito user pool, the "
      "API and the web app. Settings from AWS_DEFAULT_REGION, AWS_COGNITO_USER_POOL_ID, "
      "AWS_COGNITO_USER_POOL_CLIENT_ID, CONNECTION_URL, DDB_MESSAGE_TABLE, FRONTEND_URL, "
      "BACKEND_URL, AWS_ENDPOINT_URL");
  srv->add_option("--host", sc.host, "Address to listen on")->capture_default_str();
  srv->add_option("--api-port", sc.api_port, "API port (0: any free port)")->capture_default_str();
  srv->add_option("--ddb-port", sc.ddb_port,
                  "DynamoDB endpoint and user pool port (0: any free port)")
      ->capture_default_str();
  srv->add_option("--data", sc.data_dir, "Data directory")->capture_default_str();
  srv->add_flag("--in-memory", sc.in_memory, "Keep nothing on disk");
  srv->add_flag("--prod", sc.prod,
                "Amazon DynamoDB and the Cognito pool of the region (no local engine or pool)");
  srv->add_option("--custom-attribute", sc.custom_attributes,
                  "Declare a custom attribute of the local user pool (repeatable; custom:NAME "
                  "or NAME; Cognito's limit is 50)");
  srv->add_option("--web-port", sc.web_port,
                  "Web app port (default: FRONTEND_URL's port, 3000; 0: any free port, and "
                  "FRONTEND_URL becomes its origin)")
      ->check(CLI::Range(0, 65535));
  srv->add_option("--web-root", sc.web_root,
                  "The built web app's directory (default: web/dist of the repository the "
                  "binary or the working directory is in)");
  srv->add_flag("--no-web", f->no_web, "Do not serve the web app");
  srv->add_flag("--no-seed", f->no_seed, "Do not seed an empty local stack");
  srv->add_flag("--no-throttling", f->no_throttling, "Do not throttle provisioned tables");
  srv->add_option("--events-poll-ms", sc.events_poll_ms,
                  "How often GET /api/events reads the messages table's stream, ms (default "
                  "250; 1000 with --prod)")
      ->check(CLI::Range(0, 60000));
  server::AddHttpLimitFlags(srv, &sc.http_limits);
  server::AddAuditLogFlags(srv, &sc.audit_log, "<data>/audit.log");
  srv->add_option("--credentials", sc.credentials_path,
                  "JSON file of access keys and permissions: every DynamoDB and user-pool admin "
                  "request must be signed by one of them (required for a non-loopback --host)")
      ->check(CLI::ExistingFile);
  srv->add_option("--cors", sc.cors,
                  "Browser origins allowed on the DynamoDB/user-pool port, comma-separated ('*': "
                  "any); default FRONTEND_URL, http://localhost:3000, http://127.0.0.1:3000, "
                  "http://localhost:5173");
  srv->add_option("--allowed-host", sc.allowed_hosts,
                  "Host name served besides localhost, 127.0.0.1 and [::1] without a credentials "
                  "file (repeatable)");
  server::AddTlsFlags(srv, &sc.tls_cert_path, &sc.tls_key_path);
  srv->callback([f, &action] {
    action = [f] {
      ServeConfig& config = f->config;
      config.seed = !f->no_seed;
      config.web = !f->no_web;
      config.throttling = !f->no_throttling;
      ResolveFromEnvironment(config, aws::ProcessEnvironment());
      return RunServe(config);
    };
  });
}

}  // namespace cruddur::serve
