// `cruddur serve`: the whole local stack in one process.
//
//   :8000  the DynamoDB endpoint of the in-process engine (data under
//          <data>/ddb), the local Cognito user pool and its JWKS
//          (front_handler.h), so the tools, the AWS CLI, boto3 and Amplify
//          reach it;
//   :4567  the Cruddur API (api/api_handler.h), accepting access tokens of
//          the pool.
// With AWS_ENDPOINT_URL the messages live in that DynamoDB instead (:8000
// then serves the pool only); with --prod in Amazon DynamoDB, and tokens are
// checked against the real Cognito pool's JWKS (no :8000 at all).
//
// On a local start the stack is seeded when empty (local_seed.h). Access
// logs are JSON lines on stdout; the banner (each setting, where everything
// listens, the dev users' sign-in) goes to stderr. SIGINT / SIGTERM stop it
// cleanly: no new connections, requests in flight answered, the engine
// closed.
#pragma once

#include "cruddur/serve/serve_config.h"

namespace cruddur::serve {

// Runs until SIGINT or SIGTERM. Returns the process exit status: 0 after a
// clean stop, 1 (after printing one line "cruddur serve: <reason>" to
// stderr) when the stack cannot start.
int RunServe(const ServeConfig& config);

}  // namespace cruddur::serve
