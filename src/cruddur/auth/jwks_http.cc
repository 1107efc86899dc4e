#include "cruddur/auth/jwks_http.h"

#include <utility>

namespace cruddur::auth {

std::string CognitoJwksUrl(std::string_view region, std::string_view user_pool_id) {
  return CognitoIssuer(region, user_pool_id) + "/.well-known/jwks.json";
}

JwksSource HttpJwksSource(std::shared_ptr<aws::HttpClient> client, std::string url,
                          std::chrono::milliseconds timeout) {
  return [client = std::move(client), url = std::move(url), timeout]() -> ddb::Result<std::string> {
    aws::HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.headers.push_back({"Accept", "application/json"});
    auto response = client->Send(request, timeout);
    if (!response.ok()) return std::move(response).error();
    if (response->status != 200) {
      return ddb::Error{"JwksFetchError",
                        "GET " + url + " returned HTTP " + std::to_string(response->status), 502};
    }
    return std::move(response->body);
  };
}

}  // namespace cruddur::auth
