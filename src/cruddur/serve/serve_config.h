// ServeConfig: what `cruddur serve` runs with, from its flags and the seed's
// environment variables, with local defaults for a machine without a cloud.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/shared_config.h"

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

// Fills the environment-derived fields of `config` (its flags already set).
void ResolveFromEnvironment(ServeConfig& config, const aws::EnvLookup& env);

// The configuration as "NAME=value" lines for the start-up banner. Secrets
// (a password in CONNECTION_URL) are masked.
std::vector<std::pair<std::string, std::string>> DescribeConfig(const ServeConfig& config);

// `url` with the password of its userinfo (scheme://user:password@host)
// replaced by "***".
std::string MaskPassword(const std::string& url);

}  // namespace cruddur::serve
