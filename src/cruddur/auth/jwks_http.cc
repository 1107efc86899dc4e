#include "cruddur/auth/jwks_http.h"

#include <utility>

#include "aws/client_error.h"

namespace cruddur::auth {

std::string CognitoJwksUrl(std::string_view region, std::string_view user_pool_id) {
  return CognitoIssuer(region, user_pool_id) + "/.well-known/jwks.json";
}

JwksSource HttpJwksSource(std::shared_ptr<aws::HttpClient> client, std::string url,
                          std::chrono::milliseconds timeout) {
  return [client = std::move(client), url = std::move(url),
          timeout]() -> base::Result<std::string> {
    aws::HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.headers.push_back({"Accept", "application/json"});
    auto response = client->Send(request, timeout);
    if (!response.ok()) return std::move(response).error();
    if (response->status != 200) {
      const bool client_side = response->status >= 400 && response->status < 500;
      return aws::ClientError(
          client_side ? aws::ClientErrorCode::kServiceError : aws::ClientErrorCode::kServerError,
          "GET " + url + " returned HTTP " + std::to_string(response->status));
    }
    return std::move(response->body);
  };
}

}  // namespace cruddur::auth
