// FrontHandler: the routes of the local :8000 endpoint of `cruddur serve`.
//
//   POST, X-Amz-Target: AWSCognitoIdentityProviderService.<Op>
//                       -> the local user pool (on a worker pool: password
//                          hashing is deliberately slow and must not stall
//                          the event loop)
//   GET /<pool id>/.well-known/jwks.json
//                       -> the pool's signing keys, as Cognito serves them
//   anything else       -> the DynamoDB endpoint (DynamoDbHandler), or, when
//                          the messages live elsewhere, a JSON error
//
// So the tools, the AWS CLI, boto3's dynamodb and cognito-idp clients and
// the Amplify library all reach this one endpoint.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>

#include "cruddur/userpool/user_pool.h"
#include "net/http_server.h"
#include "server/dynamodb_handler.h"

namespace cruddur::serve {

class FrontHandler {
 public:
  // `dynamodb` may be null (no in-process engine). Neither is owned; both
  // must outlive the handler.
  FrontHandler(server::DynamoDbHandler* dynamodb, userpool::UserPool* pool,
               unsigned pool_threads = 4);
  ~FrontHandler();  // Drain()s

  // The HttpServer handler. Thread-safe.
  void Handle(net::HttpRequest&& request, net::Responder responder);

  // Waits for queued user-pool calls; call after HttpServer::Stop.
  void Drain();

 private:
  void HandlePool(net::HttpRequest&& request, net::Responder responder, std::string operation);

  server::DynamoDbHandler* dynamodb_;
  userpool::UserPool* pool_;
  std::string jwks_path_;
  boost::asio::thread_pool workers_;
};

}  // namespace cruddur::serve
