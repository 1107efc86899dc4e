// DynamoDbHandler: the server's routes, as an HttpServer handler.
//
//   GET  (any path)  -> 200 "healthy: dynamodb.<region>.amazonaws.com "
//   OPTIONS + Origin -> CORS preflight
//   POST /           -> X-Amz-Target: DynamoDB_20120810.<Operation> (or
//                       DynamoDBStreams_20120810.<Operation>), a JSON
//                       body (application/x-amz-json-1.0, also 1.1 and
//                       application/json): checked in DynamoDB's order -
//                       content type, JSON, operation, credential shape -
//                       then run on the engine (see dispatch_policy.h for
//                       which thread). Bodies over 64 KiB are parsed on a
//                       worker, so no event loop spends long on one request.
//
// Admission (access_policy.h), before anything else: the Host (without a
// credentials file) and the browser's Origin; a refused request gets 403
// and nothing runs. A preflight from an allowed origin gets the fixed grant.
// A browser's POST is served only with a credentials file (and a verified
// signature). Each POST's credentials are then checked in DynamoDB's order
// (after JSON and operation): their shape only without a credentials file,
// else the signature and the key's permissions (AccessDeniedException).
//
// Audit (net/audit_log.h, server/request_audit.h), when an audit log is
// given: every refusal above (admission, browser, credentials, permissions)
// as a "denied" event, and every control-plane operation
// (IsAuditedOperation) with its outcome, written before the response is
// sent. Data-plane operations (PutItem, Query, ...) are not recorded.
//
// Every response carries x-amzn-RequestId (52 characters [A-Z0-9]); the
// HttpServer adds x-amz-crc32 (see MakeHttpServerOptions).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "ddb/engine/engine.h"
#include "ddb/protocol/dynamodb_json.h"
#include "net/audit_log.h"
#include "net/http_server.h"
#include "server/access_policy.h"

namespace server {

struct HandlerOptions {
  // Region named in the health check.
  std::string region = "us-east-1";
  // Threads for what leaves the event loops (dispatch_policy.h): table
  // operations, and item reads and writes that need the disk.
  unsigned worker_threads = 16;
  // Who may call (access_policy.h); null = no credentials file, the default
  // origins, no extra host names.
  std::shared_ptr<const AccessPolicy> access;
  // Where refusals and control-plane operations are recorded; null = not.
  std::shared_ptr<net::AuditLog> audit;
};

class DynamoDbHandler {
 public:
  // `engine` must outlive the handler.
  DynamoDbHandler(ddb::Engine* engine, HandlerOptions options);
  ~DynamoDbHandler();  // Drain()s

  // The HttpServer handler. Thread-safe.
  void Handle(net::HttpRequest&& request, net::Responder responder);

  // Waits for all queued work to finish and stops the worker threads, then
  // answers the writes still waiting for their sync. Call after
  // HttpServer::Stop and before closing the engine.
  void Drain();

 private:
  struct Call;
  // Parses and checks the request, then runs it: on the loop from memory
  // when `on_loop` and the operation reads or writes items
  // (dispatch_policy.h), else on a worker (Run).
  void Dispatch(std::unique_ptr<Call> call, const net::HttpRequest& req, bool on_loop);
  void Run(std::unique_ptr<Call> call);
  // Answers a call that wrote once its writes are synced (Engine::AfterSync).
  void ReplyAfterSync(std::unique_ptr<Call> call, ddb::protocol::Reply reply);
  // Records a refusal of a parsed request (when there is an audit log).
  void AuditDenial(const Call& call, const net::HttpRequest& req, std::string_view operation,
                   bool streams, const base::Error& error, std::string_view reason = {});

  ddb::Engine* engine_;
  HandlerOptions options_;
  std::shared_ptr<const AccessPolicy> access_;
  std::string health_body_;
  boost::asio::thread_pool workers_;
};

// HttpServer options for a DynamoDB endpoint: CRC32 header, 16 MB bodies,
// and the server's own errors (413 and the like) as DynamoDB JSON errors.
net::HttpServerOptions MakeHttpServerOptions(unsigned io_threads);

}  // namespace server
