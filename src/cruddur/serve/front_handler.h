// FrontHandler: the routes of the local :8000 endpoint of `cruddur serve`.
//
//   POST, X-Amz-Target: AWSCognitoIdentityProviderService.<Op>
//                       -> the local user pool (on a worker pool: password
//                          hashing is deliberately slow and must not stall
//                          the event loop)
//   GET /<pool id>/.well-known/jwks.json
//                       -> the pool's signing keys, as Cognito serves them
//   OPTIONS + Origin    -> the CORS preflight (server::AccessPolicy)
//   anything else       -> the DynamoDB endpoint (DynamoDbHandler), or, when
//                          the messages live elsewhere, a JSON error
//
// So the tools, the AWS CLI, boto3's dynamodb and cognito-idp clients and
// the Amplify library all reach this one endpoint.
//
// Access (server/access_policy.h; the DynamoDB routes check their own):
// every request passes AccessPolicy::Admit (Host without a credentials
// file, Origin). The pool's public and token-authorized operations
// (kPublicPoolOperations) need no signature and are served to browsers from
// the allowed origins. Every other pool operation (Admin*, ListUsers, ...)
// is IAM-authorized, as in Cognito: it must be signed for service
// "cognito-idp" - any well-formed signature without a credentials file, a
// verified one by a key with the userpool-admin permission on the pool id
// with one - and it is never accepted from a browser (403). Errors are
// Cognito's: MissingAuthenticationTokenException "Missing Authentication
// Token", UnrecognizedClientException, InvalidSignatureException,
// IncompleteSignatureException, AccessDeniedException "User: <arn> is not
// authorized to perform: cognito-idp:<Op> on resource:
// arn:aws:cognito-idp:<region>:<account>:userpool/<pool id> because no
// identity-based policy allows the cognito-idp:<Op> action".
//
// Audit (net/audit_log.h), when an audit log is given: every IAM-authorized
// pool operation with its outcome (resource: the pool's ARN), every refusal
// of a pool request (admission, browser, credentials, permissions) and every
// NotAuthorizedException of a public operation (a wrong password, a revoked
// token) as "denied" events. Never a username, password, code or token.
// The DynamoDB routes record their own (DynamoDbHandler).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <memory>
#include <string>
#include <string_view>

#include "cruddur/userpool/user_pool.h"
#include "net/audit_log.h"
#include "net/http_server.h"
#include "server/access_policy.h"
#include "server/dynamodb_handler.h"

namespace cruddur::serve {

// The pool operations served without AWS credentials (Cognito's public and
// access-token-authorized operations); the rest are IAM-authorized.
inline constexpr std::string_view kPublicPoolOperations[] = {
    "SignUp",
    "ConfirmSignUp",
    "ResendConfirmationCode",
    "InitiateAuth",
    "RespondToAuthChallenge",
    "GetTokensFromRefreshToken",
    "RevokeToken",
    "GetUser",
    "GlobalSignOut",
    "ForgotPassword",
    "ConfirmForgotPassword",
    "ChangePassword",
    "UpdateUserAttributes",
    "VerifyUserAttribute",
    "GetUserAttributeVerificationCode",
    "DeleteUser",
};

bool IsPublicPoolOperation(std::string_view operation);

class FrontHandler {
 public:
  // `dynamodb` may be null (no in-process engine). Neither is owned; both
  // must outlive the handler. `access` null: no credentials file, the
  // default origins. `audit` null: no audit log.
  FrontHandler(server::DynamoDbHandler* dynamodb, userpool::UserPool* pool,
               std::shared_ptr<const server::AccessPolicy> access = nullptr,
               unsigned pool_threads = 4, std::shared_ptr<net::AuditLog> audit = nullptr);
  ~FrontHandler();  // Drain()s

  // The HttpServer handler. Thread-safe.
  void Handle(net::HttpRequest&& request, net::Responder responder);

  // Waits for queued user-pool calls; call after HttpServer::Stop.
  void Drain();

 private:
  void HandlePool(net::HttpRequest&& request, net::Responder responder, std::string operation);
  // nullopt when `request` may run IAM-authorized pool `operation`.
  std::optional<base::Error> CheckPoolAdmin(const net::HttpRequest& request,
                                            std::string_view operation) const;
  // "arn:aws:cognito-idp:<region>:<account>:userpool/<pool id>".
  std::string PoolArn() const;
  // Records a refused pool request (when there is an audit log).
  void AuditDenial(const net::HttpRequest& request, const net::Responder& responder,
                   std::string_view operation, std::string_view request_id,
                   const base::Error& error, std::string_view reason = {}) const;
  // Records an answered pool call: an IAM-authorized one always, a public
  // one when it was refused (NotAuthorizedException).
  void AuditPoolCall(const net::HttpRequest& request, const net::Responder& responder,
                     std::string_view operation, std::string_view request_id, int status,
                     std::string_view body) const;

  server::DynamoDbHandler* dynamodb_;
  userpool::UserPool* pool_;
  std::shared_ptr<const server::AccessPolicy> access_;
  std::string jwks_path_;
  std::shared_ptr<net::AuditLog> audit_;
  boost::asio::thread_pool workers_;
};

}  // namespace cruddur::serve
