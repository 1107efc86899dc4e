// AppendResponseHead writes, byte for byte, the head Beast's serializer
// writes before the body (the server writes one in place of the other).
#include "net/response_head.h"

#include <gtest/gtest.h>

#include <boost/beast/http/write.hpp>
#include <sstream>
#include <string>

namespace net {
namespace {

namespace http = boost::beast::http;
using HttpResponse = http::response<http::string_body>;

std::string BeastBytes(const HttpResponse& res) {
  std::ostringstream os;
  os << res;  // Beast's serializer: the head, then the body
  return os.str();
}

std::string OurBytes(const HttpResponse& res) {
  std::string out = "(already there)";
  AppendResponseHead(res, &out);
  return out.substr(15) + res.body();
}

HttpResponse Response(http::status status, unsigned version, std::string body) {
  HttpResponse res{status, version};
  res.body() = std::move(body);
  return res;
}

TEST(ResponseHeadTest, SameBytesAsBeastsSerializer) {
  std::vector<HttpResponse> cases;
  {
    HttpResponse r = Response(http::status::ok, 11, R"({"Item":{"pk":{"S":"a"}}})");
    r.set(http::field::content_type, "application/x-amz-json-1.0");
    r.set("x-amzn-RequestId", "R4ND0M");
    r.set("x-amz-crc32", "2745614147");
    r.keep_alive(true);
    r.prepare_payload();
    cases.push_back(std::move(r));
  }
  {
    HttpResponse r = Response(http::status::bad_request, 11, R"({"__type":"x"})");
    r.set(http::field::content_type, "application/x-amz-json-1.0");
    r.keep_alive(false);  // Connection: close
    r.prepare_payload();
    cases.push_back(std::move(r));
  }
  {
    HttpResponse r = Response(http::status::ok, 10, "{}");  // HTTP/1.0 kept alive
    r.keep_alive(true);
    r.prepare_payload();
    cases.push_back(std::move(r));
  }
  {
    HttpResponse r = Response(http::status::not_found, 11, "");
    r.reason("Nothing Here");  // a reason of its own
    r.set(http::field::retry_after, "1");
    r.set("X-Empty", "");
    r.prepare_payload();
    cases.push_back(std::move(r));
  }
  {
    HttpResponse r = Response(static_cast<http::status>(599), 11, "odd");  // no standard reason
    r.prepare_payload();
    cases.push_back(std::move(r));
  }
  {
    HttpResponse r = Response(http::status::no_content, 11, "");  // no Content-Length
    r.prepare_payload();
    cases.push_back(std::move(r));
  }
  for (const HttpResponse& res : cases) {
    EXPECT_EQ(OurBytes(res), BeastBytes(res));
  }
  // The first one, spelled out.
  EXPECT_EQ(OurBytes(cases[0]),
            "HTTP/1.1 200 OK\r\n"
            "Content-Type: application/x-amz-json-1.0\r\n"
            "x-amzn-RequestId: R4ND0M\r\n"
            "x-amz-crc32: 2745614147\r\n"
            "Content-Length: 25\r\n"
            "\r\n"
            R"({"Item":{"pk":{"S":"a"}}})");
}

}  // namespace
}  // namespace net
