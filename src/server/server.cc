#include "server/server.h"

#include <cstdlib>
#include <utility>

#include "ddb/engine/engine.h"
#include "net/http_server.h"
#include "server/dynamodb_handler.h"

namespace server {

struct Server::Impl {
  // Declaration order is teardown order in reverse: the HTTP server goes
  // first, then the handler's workers, then the engine, then the audit log.
  std::shared_ptr<net::AuditLog> audit;
  std::unique_ptr<ddb::Engine> engine;
  std::unique_ptr<DynamoDbHandler> handler;
  std::unique_ptr<net::HttpServer> http;
  bool stopped = false;
};

Server::Server() : impl_(std::make_unique<Impl>()) {}

Server::~Server() { Stop(); }

base::Result<std::unique_ptr<Server>> Server::Start(const ServerOptions& options) {
  if (auto reason = CheckExposure(options.host, options.access.credentials != nullptr)) {
    return ddb::Validation(*reason);
  }
  ddb::EngineOptions eo;
  eo.region = options.region;
  // The account in table, stream and backup ARNs is the one the permission
  // checks use: the credentials file's account_id (else 000000000000).
  if (options.access.credentials) eo.account = options.access.credentials->account_id;
  eo.store.path = options.db_path;
  eo.store.in_memory = options.in_memory;
  eo.store.sync = !options.in_memory;
  eo.throttling = options.throttling;
  eo.item_collection_limit_bytes = options.item_collection_limit_bytes;
  eo.ttl_sweep_seconds = options.ttl_sweep_seconds;
  eo.pitr_recovery_days = options.pitr_recovery_days;
  eo.export_root = options.export_root;
  eo.max_tables = options.max_tables;
  // Hidden knobs for tests: a short stream shard period (shard rollover),
  // retention (TrimmedDataAccessException) and iterator lifetime
  // (ExpiredIteratorException).
  if (const char* v = std::getenv("DDB_STREAM_SHARD_SECONDS"); v && std::atof(v) > 0) {
    eo.stream_shard_seconds = std::atof(v);
  }
  if (const char* v = std::getenv("DDB_STREAM_RETENTION_SECONDS"); v && std::atof(v) > 0) {
    eo.stream_retention_seconds = std::atof(v);
  }
  if (const char* v = std::getenv("DDB_STREAM_ITERATOR_SECONDS"); v && std::atof(v) > 0) {
    eo.stream_iterator_seconds = std::atof(v);
  }
  auto engine = ddb::Engine::Open(eo);
  if (!engine.ok()) return std::move(engine).error();

  std::unique_ptr<Server> s(new Server());
  auto& im = *s->impl_;
  im.engine = std::move(engine).value();
  if (!options.audit_log.path.empty()) {
    // After the engine: the data directory exists and is this server's.
    std::string error;
    im.audit = net::AuditLog::Open(options.audit_log, &error);
    if (!im.audit) {
      im.engine->Close();
      return ddb::Internal("--audit-log: " + error);
    }
  }
  HandlerOptions ho;
  ho.region = options.region;
  ho.worker_threads = options.worker_threads;
  AccessOptions access = options.access;
  access.region = options.region;
  ho.access = std::make_shared<const AccessPolicy>(std::move(access));
  ho.audit = im.audit;
  im.handler = std::make_unique<DynamoDbHandler>(im.engine.get(), ho);
  net::HttpServerOptions http_options = MakeHttpServerOptions(options.io_threads);
  http_options.limits = options.http_limits;
  http_options.tls = options.tls;
  im.http = std::make_unique<net::HttpServer>(std::move(http_options));
  std::string error;
  DynamoDbHandler* h = im.handler.get();
  if (!im.http->Start(
          options.host, options.port,
          [h](net::HttpRequest&& req, net::Responder r) {
            h->Handle(std::move(req), std::move(r));
          },
          &error)) {
    im.http.reset();
    im.handler.reset();
    im.engine->Close();
    return ddb::Internal(error);
  }
  return s;
}

uint16_t Server::port() const { return impl_->http ? impl_->http->port() : 0; }

void Server::Stop() {
  auto& im = *impl_;
  if (im.stopped) return;
  im.stopped = true;
  if (im.http) im.http->Stop();
  if (im.handler) im.handler->Drain();
  im.http.reset();  // after the drain: no Responder outlives its server
  im.handler.reset();
  im.audit.reset();  // the last holder: writes the pending denial summaries
  if (im.engine) im.engine->Close();
}

}  // namespace server
