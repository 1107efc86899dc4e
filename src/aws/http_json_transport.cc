#include "aws/http_json_transport.h"

#include <charconv>

#include "aws/client_error.h"
#include "aws/error_response.h"
#include "aws/retry.h"
#include "aws/shared_config.h"
#include "net/crc32.h"

namespace aws {

namespace {

// nullopt when the header is absent or matches; else the error.
std::optional<base::Error> CheckCrc32(const HttpResponse& response) {
  auto header = FindHeader(response.headers, "x-amz-crc32");
  if (!header) return std::nullopt;
  uint32_t expected = 0;
  auto [p, ec] = std::from_chars(header->data(), header->data() + header->size(), expected);
  uint32_t actual = net::Crc32(response.body);
  if (ec == std::errc() && p == header->data() + header->size() && expected == actual) {
    return std::nullopt;
  }
  return ClientError(ClientErrorCode::kChecksum,
                     "response body failed its checksum: x-amz-crc32 is " + std::string(*header) +
                         ", the body's CRC32 is " + std::to_string(actual));
}

}  // namespace

HttpJsonTransport::HttpJsonTransport(HttpJsonTransportOptions options)
    : options_(std::move(options)),
      url_(options_.endpoint.url),
      host_header_(options_.endpoint.HostHeader()),
      http_(options_.http) {
  // The endpoint URL has no trailing '/'; the JSON protocol posts to its path.
  if (options_.endpoint.path == "/") url_ += "/";
}

base::Result<std::string> HttpJsonTransport::RoundTrip(std::string_view operation,
                                                       std::string_view body,
                                                       std::chrono::milliseconds timeout) {
  HttpRequest request;
  request.method = "POST";
  request.url = url_;
  request.body = std::string(body);
  request.headers = {
      {"Host", host_header_},
      {"Content-Type", std::string(options_.service.content_type)},
      {"X-Amz-Target", std::string(options_.service.target_prefix) + "." + std::string(operation)},
  };
  SignRequest(request.method, options_.endpoint.path, "", request.headers, request.body,
              options_.credentials,
              {options_.region, options_.service.signing_name, options_.clock()});
  request.headers.push_back({"User-Agent", options_.user_agent});

  ASSIGN_OR_RETURN(HttpResponse response, http_.Send(request, timeout));
  if (auto bad = CheckCrc32(response)) return std::move(*bad);
  if (response.status == 200) return std::move(response.body);
  return ParseErrorResponse(response.status, response.headers, response.body,
                            options_.service.decode_error);
}

}  // namespace aws
