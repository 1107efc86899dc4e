// The small pieces on their own: targets and routes, query parameters, the
// message body's parser, CORS matching and the access log's format.
#include <gtest/gtest.h>

#include <chrono>

#include "cruddur/api/access_log.h"
#include "cruddur/api/cors.h"
#include "cruddur/api/message_request.h"
#include "cruddur/api/request_target.h"
#include "cruddur/api/routes.h"

namespace cruddur::api {
namespace {

TEST(RequestTargetTest, SplitsPathAndQuery) {
  auto t = SplitTarget("/api/x?a=1&b=2#frag");
  EXPECT_EQ(t.path, "/api/x");
  EXPECT_EQ(t.query, "a=1&b=2");
  t = SplitTarget("/api/x");
  EXPECT_EQ(t.path, "/api/x");
  EXPECT_EQ(t.query, "");
}

TEST(RequestTargetTest, PercentDecodesStrictly) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("%", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4", false), std::nullopt);
  EXPECT_EQ(PercentDecode("%4g", false), std::nullopt);
  EXPECT_EQ(PercentDecode("x%41", false), "xA");
}

TEST(RequestTargetTest, FindsQueryParameters) {
  std::string v;
  EXPECT_EQ(FindQueryParam("limit=5&cursor=abc", "cursor", &v), QueryLookup::kFound);
  EXPECT_EQ(v, "abc");
  EXPECT_EQ(FindQueryParam("cursor=a&cursor=b", "cursor", &v), QueryLookup::kFound);
  EXPECT_EQ(v, "a");
  EXPECT_EQ(FindQueryParam("cursor", "cursor", &v), QueryLookup::kFound);
  EXPECT_EQ(v, "");
  EXPECT_EQ(FindQueryParam("cursorx=1&&%63ursor=y", "cursor", &v), QueryLookup::kFound);
  EXPECT_EQ(v, "y");
  EXPECT_EQ(FindQueryParam("limit=5", "cursor", &v), QueryLookup::kAbsent);
  EXPECT_EQ(FindQueryParam("", "cursor", &v), QueryLookup::kAbsent);
  EXPECT_EQ(FindQueryParam("cursor=%G0", "cursor", &v), QueryLookup::kMalformed);
}

TEST(RoutesTest, MatchesTheFourRoutes) {
  auto m = MatchRoute("/api/message_groups");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->id, RouteId::kMessageGroups);
  m = MatchRoute("/api/messages");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->id, RouteId::kCreateMessage);
  m = MatchRoute("/api/messages/abc%2Ddef");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->id, RouteId::kMessages);
  EXPECT_EQ(m->param, "abc-def");
  m = MatchRoute("/api/users/@some%20one/short");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->id, RouteId::kUserShort);
  EXPECT_EQ(m->param, "some one");
  for (const char* path :
       {"/api/messages/", "/api/messages//", "/api/users/@/short", "/api/users/@x/shorter",
        "/api/users/x/short", "/api/message_groups/", "/api/messages/%", ""}) {
    EXPECT_FALSE(MatchRoute(path)) << path;
  }
}

TEST(RoutesTest, Methods) {
  namespace http = boost::beast::http;
  EXPECT_TRUE(RouteAllows(RouteId::kCreateMessage, http::verb::post));
  EXPECT_TRUE(RouteAllows(RouteId::kCreateMessage, http::verb::options));
  EXPECT_FALSE(RouteAllows(RouteId::kCreateMessage, http::verb::get));
  EXPECT_TRUE(RouteAllows(RouteId::kMessages, http::verb::head));
  EXPECT_FALSE(RouteAllows(RouteId::kMessages, http::verb::post));
  EXPECT_EQ(AllowHeader(RouteId::kUserShort), "GET, HEAD, OPTIONS");
}

TEST(MessageRequestTest, Modes) {
  auto p = ParseMessageRequest(R"({"message":"hi","handle":"bayko"})");
  EXPECT_TRUE(p.bad_request.empty());
  EXPECT_TRUE(p.invalid.empty());
  EXPECT_FALSE(p.request.update);
  EXPECT_EQ(p.request.handle, "bayko");
  p = ParseMessageRequest(R"({"message":"hi","handle":"bayko","message_group_uuid":"g"})");
  EXPECT_TRUE(p.request.update);
  EXPECT_EQ(p.request.message_group_uuid, "g");
  p = ParseMessageRequest(R"({"message":"hi","message_group_uuid":""})");
  EXPECT_TRUE(p.request.update);
  EXPECT_EQ(p.invalid, (std::vector<std::string_view>{"message_group_uuid_blank"}));
}

TEST(MessageRequestTest, ContentTypes) {
  EXPECT_TRUE(IsJsonContentType(""));
  EXPECT_TRUE(IsJsonContentType("application/json"));
  EXPECT_TRUE(IsJsonContentType("application/json;charset=UTF-8"));
  EXPECT_TRUE(IsJsonContentType("application/vnd.api+json"));
  EXPECT_FALSE(IsJsonContentType("text/plain"));
  EXPECT_FALSE(IsJsonContentType("multipart/form-data; boundary=x"));
  EXPECT_FALSE(IsJsonContentType("application/jsonx"));
}

TEST(MessageRequestTest, CodePointsAndBlank) {
  EXPECT_EQ(CodePoints("abc"), 3u);
  EXPECT_EQ(CodePoints("\xC3\xA9\xE2\x9C\x93\xF0\x9F\x98\x80"), 3u);
  EXPECT_TRUE(IsBlank(""));
  EXPECT_TRUE(IsBlank(" \t\r\n"));
  EXPECT_FALSE(IsBlank(" x "));
}

TEST(CorsPolicyTest, MatchesOriginsExactlyButCaseInsensitively) {
  CorsPolicy cors({"http://localhost:3000/", "", "https://Example.com"});
  EXPECT_TRUE(cors.Allows("http://localhost:3000"));
  EXPECT_TRUE(cors.Allows("https://example.com"));
  EXPECT_FALSE(cors.Allows("http://localhost:3000/"));
  EXPECT_FALSE(cors.Allows("http://localhost"));
  EXPECT_FALSE(cors.Allows(""));
  EXPECT_FALSE(cors.Allows("null"));
}

TEST(AccessLogTest, FormatsOneLineOfJson) {
  AccessRecord r;
  r.time = std::chrono::system_clock::time_point(std::chrono::milliseconds(1'700'000'000'123));
  r.request_id = "ID";
  r.method = "GET";
  r.path = "/api/x\n\"";
  r.status = 200;
  r.duration_ms = 1.23456;
  EXPECT_EQ(AccessLogLine(r),
            R"({"time":"2023-11-14T22:13:20.123Z","request_id":"ID","method":"GET",)"
            R"("path":"/api/x%0A\"","status":200,"duration_ms":1.235})");
  r.route = "/api/x";
  r.user = "sub";
  r.error = "E";
  EXPECT_NE(AccessLogLine(r).find(R"("route":"/api/x")"), std::string::npos);
  EXPECT_NE(AccessLogLine(r).find(R"("user":"sub","error":"E")"), std::string::npos);
  EXPECT_EQ(AccessLogLine(r).find("transactions"), std::string::npos);  // not a send
  r.transactions = 3;
  EXPECT_NE(AccessLogLine(r).find(R"("error":"E","transactions":3})"), std::string::npos);
  EXPECT_EQ(FormatUtcMillis(std::chrono::system_clock::time_point()), "1970-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace cruddur::api
