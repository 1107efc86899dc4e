// ServeConfig: what `cruddur serve` runs with, from its flags and the seed's
// environment variables, with local defaults for a machine without a cloud.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/shared_config.h"
#include "cruddur/userpool/user_pool.h"
#include "net/connection_limits.h"
#include "server/audit_log_settings.h"

namespace cruddur::serve {

// The local user pool's ids when the environment names none. Real pool ids
// are "<region>_<letters and digits>" and client ids letters and digits, so
// these have the same shapes.
inline constexpr const char* kLocalPoolSuffix = "_cruddur";
inline constexpr const char* kLocalClientId = "cruddurlocalclient";

// The local pool's id in `region` when the environment names none.
std::string LocalPoolId(std::string_view region);

struct ServeConfig {
  // Listening address of both ports.
  std::string host = "127.0.0.1";
  // The API (the seed's backend port).
  uint16_t api_port = 4567;
  // The DynamoDB endpoint and the local user pool.
  uint16_t ddb_port = 8000;
  // Data directory: ddb/ (the engine), cruddur.sqlite3 (users, unless
  // CONNECTION_URL says otherwise), userpool.sqlite3 and the pool's key.
  std::string data_dir = "./data";
  // Nothing on disk (tests): the engine, the users and the pool in memory.
  bool in_memory = false;
  // AWS itself: DynamoDB and Cognito of the configured region; no local
  // engine, no local pool, no :8000.
  bool prod = false;
  // Seed an empty local stack (messages table, users, pool users).
  bool seed = true;
  // DynamoDB throttling of the in-process engine (ddb-server's default).
  bool throttling = true;
  // Connection deadlines, cap and buffered-bytes budget, applied to each of
  // the two servers (each has its own cap and budget); ddb-server's flags.
  net::ConnectionLimits http_limits;
  // Access to the :8000 endpoint (server/access_policy.h). --credentials:
  // the credentials file (required to listen on a non-loopback address);
  // --cors: the browser origins allowed, comma-separated ("*": any; default
  // FRONTEND_URL and server::kDefaultOrigins); --allowed-host: host names
  // served besides localhost, 127.0.0.1 and [::1] without a credentials
  // file (both ports).
  std::string credentials_path;
  std::string cors;
  std::vector<std::string> allowed_hosts;
  // TLS (--tls-cert, --tls-key; server/tls_flags.h): the certificate chain
  // and private key (PEM) with which every listener (API, DynamoDB/user
  // pool, web app) serves HTTPS; both empty = plain HTTP. RunServe loads
  // them before it listens. With TLS the URLs it prints and the defaults
  // of FRONTEND_URL and BACKEND_URL are https.
  std::string tls_cert_path;
  std::string tls_key_path;
  // "https" with a --tls-cert, else "http".
  const char* scheme() const { return tls_cert_path.empty() ? "http" : "https"; }
  // The audit log (--audit-log, --no-audit-log, --audit-log-max-bytes,
  // --audit-log-files): by default <data_dir>/audit.log, none with
  // --in-memory (server/audit_log_settings.h).
  server::AuditLogFlags audit_log;

  // The local pool's declared custom attributes (--custom-attribute NAME,
  // repeatable; a "custom:" prefix is optional). Cruddur's own pool declares
  // none: its users carry email, name and preferred_username.
  std::vector<std::string> custom_attributes;
  // Test-only, from CRUDDUR_POOL_CODE_VALIDITY_SECONDS and
  // CRUDDUR_POOL_LOCKOUT_UNIT_MS: shorter code validity (default 24 hours)
  // and lockout unit (default 1 second) for the local pool. 0 = the default.
  int64_t pool_code_validity_seconds = 0;
  int64_t pool_lockout_unit_ms = 0;
  // How often the live-update follower reads the table's stream
  // (--events-poll-ms); 0 = 250 ms locally, 1000 ms with --prod.
  int events_poll_ms = 0;

  // The web app's port (web_handler.h), --web-port: -1 = the default,
  // FRONTEND_URL's port when it names one, else 3000 (WebPort), and that
  // port being in use then only means no web app (a warning), so that a dev
  // server or another stack on it does not stop serve; 0 = any free port,
  // and FRONTEND_URL becomes the app's own origin.
  int web_port = -1;
  // The built app's directory; empty = web_root.h's lookup. --web-root.
  std::string web_root;
  // Serve the web app at all (--no-web: not).
  bool web = true;
  // Test-only, from CRUDDUR_POOL_ACCESS_TOKEN_SECONDS: a shorter lifetime
  // of the local pool's access and ID tokens (default 1 hour). 0 = the
  // default.
  int64_t pool_access_token_seconds = 0;

  // From the environment (the seed's variables).
  std::string region;            // AWS_DEFAULT_REGION / AWS_REGION, else us-east-1
  std::string user_pool_id;      // AWS_COGNITO_USER_POOL_ID, else <region>_cruddur
  std::string client_id;         // AWS_COGNITO_USER_POOL_CLIENT_ID, else cruddurlocalclient
  std::string connection_url;    // CONNECTION_URL, else SQLite under data_dir
  std::string table;             // DDB_MESSAGE_TABLE, else cruddur-messages
  std::string frontend_url;      // FRONTEND_URL, else http://localhost:3000
  std::string backend_url;       // BACKEND_URL, else http://localhost:<api_port>
  std::string ddb_endpoint_url;  // AWS_ENDPOINT_URL: an external DynamoDB; empty = in-process

  // True when the messages live in this process's engine.
  bool in_process_engine() const { return !prod && ddb_endpoint_url.empty(); }
  // True when this process plays the user pool.
  bool local_pool() const { return !prod; }
};

// True when `url` is this machine's own :ddb_port, e.g. the
// AWS_ENDPOINT_URL=http://localhost:8000 the seed's tools use: the messages
// then stay in the in-process engine that serves that port.
bool NamesThisServer(const std::string& url, uint16_t ddb_port);

// The port of an http(s) URL when it names one ("http://localhost:3000" ->
// 3000), else 0.
uint16_t UrlPort(std::string_view url);

// The web app's port: --web-port, else FRONTEND_URL's, else 3000.
uint16_t WebPort(const ServeConfig& config);

// Fills the environment-derived fields of `config` (its flags already set).
void ResolveFromEnvironment(ServeConfig& config, const aws::EnvLookup& env);

// The local pool's settings from `config`: its custom attributes (without
// the "custom:" prefix) and the test-only periods, when set.
void ConfigurePool(const ServeConfig& config, userpool::UserPoolOptions& pool);

// The configuration as "NAME=value" lines for the start-up banner. Secrets
// (a password in CONNECTION_URL) are masked.
std::vector<std::pair<std::string, std::string>> DescribeConfig(const ServeConfig& config);

// `url` with the password of its userinfo (scheme://user:password@host)
// replaced by "***".
std::string MaskPassword(const std::string& url);

}  // namespace cruddur::serve
