// A JwksSource that downloads a user pool's JWKS over HTTP(S) with the aws
// layer's HttpClient.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "aws/http_client.h"
#include "cruddur/auth/token_verifier.h"

namespace cruddur::auth {

// "https://cognito-idp.<region>.amazonaws.com/<pool>/.well-known/jwks.json"
std::string CognitoJwksUrl(std::string_view region, std::string_view user_pool_id);

// GETs `url` on each call. Errors: the client's (aws::ClientErrorCode::
// kConnection, kTimeout, kUntrustedCertificate), or kServiceError (a status
// from 400 up to 499) or kServerError (any other status but 200) naming the
// status.
JwksSource HttpJwksSource(std::shared_ptr<aws::HttpClient> client, std::string url,
                          std::chrono::milliseconds timeout = std::chrono::seconds(5));

}  // namespace cruddur::auth
