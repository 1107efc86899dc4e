// MakeApiServerOptions (declared in api_handler.h).
#include <boost/beast/http/field.hpp>

#include "cruddur/api/api_handler.h"
#include "cruddur/api/error_codes.h"
#include "cruddur/api/json_views.h"
#include "net/request_id.h"

namespace cruddur::api {

net::HttpServerOptions MakeApiServerOptions(unsigned io_threads) {
  namespace http = boost::beast::http;
  net::HttpServerOptions options;
  options.threads = io_threads;
  // Far above any valid message (1024 code points, at most 12 bytes each
  // when JSON-escaped), so that over-long text gets its 422, not a 413.
  options.max_body_bytes = 1u << 20;
  options.error_response = [](unsigned status, std::string_view) {
    std::string_view code = codes::kBadRequest;
    if (status == 413) code = codes::kRequestTooLarge;
    if (status == 415) code = codes::kUnsupportedMediaType;
    if (status >= 500) code = codes::kInternal;
    net::HttpResponse res{static_cast<http::status>(status), 11};
    res.set(http::field::content_type, "application/json");
    res.set("X-Request-Id", net::NewRequestId());
    const std::string_view one[] = {code};
    res.body() = ErrorsJson(one);
    return res;
  };
  return options;
}

}  // namespace cruddur::api
