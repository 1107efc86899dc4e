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
//                       which thread).
//
// Every response carries x-amzn-RequestId (52 characters [A-Z0-9]); the
// HttpServer adds x-amz-crc32 (see MakeHttpServerOptions).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "ddb/engine/engine.h"
#include "net/http_server.h"

namespace server {

struct HandlerOptions {
  // Region named in the health check.
  std::string region = "us-east-1";
  // Threads for operations that may write (they block on fsync; more
  // threads let more writes share one sync).
  unsigned worker_threads = 16;
};

class DynamoDbHandler {
 public:
  // `engine` must outlive the handler.
  DynamoDbHandler(ddb::Engine* engine, HandlerOptions options);
  ~DynamoDbHandler();  // Drain()s

  // The HttpServer handler. Thread-safe.
  void Handle(net::HttpRequest&& request, net::Responder responder);

  // Waits for all queued work to finish and stops the worker threads.
  // Call after HttpServer::Stop and before closing the engine.
  void Drain();

 private:
  struct Call;
  void Run(Call& call);

  ddb::Engine* engine_;
  HandlerOptions options_;
  std::string health_body_;
  boost::asio::thread_pool workers_;
};

// HttpServer options for a DynamoDB endpoint: CRC32 header, 16 MB bodies,
// and the server's own errors (413 and the like) as DynamoDB JSON errors.
net::HttpServerOptions MakeHttpServerOptions(unsigned io_threads);

}  // namespace server
