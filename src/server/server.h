// Server: a running DynamoDB endpoint - the engine, the HTTP server and the
// routes, started and stopped as one. What the ddb-server binary runs.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/error.h"
#include "net/audit_log.h"
#include "net/connection_limits.h"
#include "server/access_policy.h"

namespace net {
class TlsContext;
}

namespace server {

struct ServerOptions {
  // Address to listen on.
  std::string host = "127.0.0.1";
  // TCP port; 0 = an ephemeral port (see Server::port()).
  uint16_t port = 8000;
  // Database directory (created if missing). Ignored when in_memory.
  std::string db_path = "./data/ddb";
  // Keep everything in memory; nothing survives the process.
  bool in_memory = false;
  // Region in ARNs and the health check.
  std::string region = "us-east-1";
  // Event-loop threads; 0 = the number of cores.
  unsigned io_threads = 0;
  // Worker threads for operations that may write.
  unsigned worker_threads = 16;
  // Throttle PROVISIONED tables at their provisioned throughput
  // (ddb::EngineOptions::throttling); --no-throttling turns it off.
  bool throttling = true;
  // Item-collection size limit of LSI tables; lowered only by tests.
  int64_t item_collection_limit_bytes = int64_t{10} << 30;
  // Period of the TTL sweeper in seconds (ddb::EngineOptions::ttl_sweep_seconds).
  double ttl_sweep_seconds = 60;
  // Point-in-time recovery period in days (ddb::EngineOptions::pitr_recovery_days).
  int64_t pitr_recovery_days = 35;
  // Tables that may exist at once (ddb::EngineOptions::max_tables).
  size_t max_tables = 2500;
  // The folder standing in for S3 in table exports
  // (ddb::EngineOptions::export_root); "" = none. ddb-server's --export-root
  // defaults to <db_path>/exports unless in_memory.
  std::string export_root;
  // Connection deadlines, connection cap and buffered request bytes of the
  // HTTP server (defaults in net/connection_limits.h; flags in
  // server/http_limit_flags.h).
  net::ConnectionLimits http_limits;
  // Credentials file, allowed browser origins and host names
  // (access_policy.h); `access.region` is set from `region`. Without
  // credentials only a loopback `host` may be used.
  AccessOptions access;
  // The audit log (net/audit_log.h): refusals and control-plane operations.
  // path "" = none (the flags' default is <db_path>/audit.log unless
  // in_memory; server/audit_log_flags.h).
  net::AuditLogOptions audit_log;
  // HTTPS with this certificate and key (net::LoadTlsContext; flags in
  // server/tls_flags.h); null = plain HTTP. TLS does not replace
  // credentials: the loopback rule above stays.
  std::shared_ptr<net::TlsContext> tls;
};

class Server {
 public:
  // Opens the engine, binds and starts serving. Errors: a non-loopback
  // `host` without credentials (CheckExposure's one-line reason, as a
  // ValidationException), the engine's (e.g. the database directory is
  // locked by another server), an InternalServerError naming the audit log
  // that could not be opened or the address that could not be bound.
  static base::Result<std::unique_ptr<Server>> Start(const ServerOptions& options);
  ~Server();  // Stop()s

  // The bound port (the real one when started with port 0).
  uint16_t port() const;

  // Stops accepting connections, finishes the requests already received,
  // drains the worker pool, closes the audit log (writing its pending
  // denial summaries) and the engine. Idempotent.
  void Stop();

 private:
  Server();
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace server
