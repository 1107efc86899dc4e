// HTTP behaviour around the routes: 404 / 405 as JSON, CORS as the seed's
// flask-cors configuration (plus the headers the client must read), HEAD,
// request ids, the access log, and 503 (never 500) when a backend is down.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "api_fixture.h"

namespace cruddur::api::testing {
namespace {

namespace http = boost::beast::http;

constexpr char kFrontend[] = "http://localhost:3000";
constexpr char kBackend[] = "http://localhost:4567";

class HttpBehaviourTest : public ApiTest {};

TEST_F(HttpBehaviourTest, UnknownRoutesAre404Json) {
  for (const char* target :
       {"/", "/api", "/api/", "/api/message_groups/", "/api/messages/", "/api/activities/home",
        "/api/messages/a/b", "/api/users/@bayko", "/health", "/api/message_groups/x",
        "/API/message_groups", "/api/messages/%zz"}) {
    for (auto method : {http::verb::get, http::verb::post, http::verb::options}) {
      net::HttpResponse res = Serve(MakeRequest(method, target, TokenFor(kAndrewSub), "{}"));
      EXPECT_EQ(res.result_int(), 404u) << target;
      EXPECT_EQ(Header(res, "Content-Type"), "application/json");
      EXPECT_EQ(Errors(res), std::vector<std::string>{"not_found"}) << target;
    }
  }
}

TEST_F(HttpBehaviourTest, WrongMethodsAre405WithAllowBeforeAuth) {
  struct Case {
    http::verb method;
    const char* target;
    const char* allow;
  };
  for (const Case& c : {Case{http::verb::delete_, "/api/messages", "POST, OPTIONS"},
                        Case{http::verb::get, "/api/messages", "POST, OPTIONS"},
                        Case{http::verb::post, "/api/message_groups", "GET, HEAD, OPTIONS"},
                        Case{http::verb::put, "/api/users/@bayko/short", "GET, HEAD, OPTIONS"},
                        Case{http::verb::patch, "/api/messages/x", "GET, HEAD, OPTIONS"}}) {
    net::HttpResponse res = Serve(MakeRequest(c.method, c.target));  // no token
    EXPECT_EQ(res.result_int(), 405u) << c.target;
    EXPECT_EQ(Header(res, "Allow"), c.allow) << c.target;
    EXPECT_EQ(Errors(res), std::vector<std::string>{"method_not_allowed"});
  }
}

TEST_F(HttpBehaviourTest, CorsForAllowedOriginsOnly) {
  for (const char* origin : {kFrontend, kBackend, "HTTP://LOCALHOST:3000"}) {
    net::HttpRequest req = Get("/api/message_groups", TokenFor(kAndrewSub));
    req.set(http::field::origin, origin);
    net::HttpResponse res = Serve(req);
    EXPECT_EQ(res.result_int(), 200u);
    EXPECT_EQ(Header(res, "Access-Control-Allow-Origin"), origin);
    EXPECT_EQ(Header(res, "Access-Control-Expose-Headers"),
              "Authorization, X-Next-Cursor, X-Request-Id");
    EXPECT_EQ(Header(res, "Vary"), "Origin");
    EXPECT_FALSE(HasHeader(res, "Access-Control-Allow-Credentials"));
  }
  // Errors carry them too, so that the browser lets the client see a 401.
  net::HttpRequest unauthenticated = Get("/api/message_groups");
  unauthenticated.set(http::field::origin, kFrontend);
  net::HttpResponse res = Serve(unauthenticated);
  EXPECT_EQ(res.result_int(), 401u);
  EXPECT_EQ(Header(res, "Access-Control-Allow-Origin"), kFrontend);

  for (const char* origin : {"http://evil.example", "http://localhost:3001", "null",
                             "http://localhost:3000.evil.example", ""}) {
    net::HttpRequest req = Get("/api/message_groups", TokenFor(kAndrewSub));
    req.set(http::field::origin, origin);
    net::HttpResponse denied = Serve(req);
    EXPECT_EQ(denied.result_int(), 200u);  // CORS is the browser's to enforce
    EXPECT_FALSE(HasHeader(denied, "Access-Control-Allow-Origin")) << origin;
    EXPECT_FALSE(HasHeader(denied, "Access-Control-Expose-Headers")) << origin;
    EXPECT_EQ(Header(denied, "Vary"), "Origin");
  }
}

TEST_F(HttpBehaviourTest, PreflightNeedsNoTokenAndAnswersForAllowedOrigins) {
  for (const char* target :
       {"/api/messages", "/api/message_groups", "/api/messages/x", "/api/users/@bayko/short"}) {
    net::HttpRequest req = MakeRequest(http::verb::options, target);
    req.set(http::field::origin, kFrontend);
    req.set(http::field::access_control_request_method, "POST");
    req.set(http::field::access_control_request_headers, "content-type,authorization");
    net::HttpResponse res = Serve(req);
    EXPECT_EQ(res.result_int(), 204u) << target;
    EXPECT_EQ(res.body(), "");
    EXPECT_EQ(Header(res, "Access-Control-Allow-Origin"), kFrontend);
    EXPECT_EQ(Header(res, "Access-Control-Allow-Methods"), "OPTIONS, GET, HEAD, POST");
    EXPECT_EQ(Header(res, "Access-Control-Allow-Headers"),
              "Content-Type, Authorization, Last-Event-ID");
    EXPECT_EQ(Header(res, "Access-Control-Max-Age"), "600");
    EXPECT_EQ(Header(res, "Vary"), "Origin");
    EXPECT_FALSE(Header(res, "Allow").empty());
  }
  // Another origin, or a method outside the list: no CORS headers.
  net::HttpRequest evil = MakeRequest(http::verb::options, "/api/messages");
  evil.set(http::field::origin, "http://evil.example");
  evil.set(http::field::access_control_request_method, "POST");
  net::HttpResponse res = Serve(evil);
  EXPECT_EQ(res.result_int(), 204u);
  EXPECT_FALSE(HasHeader(res, "Access-Control-Allow-Origin"));
  EXPECT_FALSE(HasHeader(res, "Access-Control-Allow-Methods"));
  net::HttpRequest del = MakeRequest(http::verb::options, "/api/messages");
  del.set(http::field::origin, kFrontend);
  del.set(http::field::access_control_request_method, "DELETE");
  EXPECT_FALSE(HasHeader(Serve(del), "Access-Control-Allow-Origin"));
}

TEST_F(HttpBehaviourTest, ConfiguredOriginsReplaceTheDefaults) {
  ApiOptions options;
  options.frontend_url = "https://cruddur.example/";  // trailing '/' ignored
  options.backend_url = "";
  ApiHandler handler(store_.get(), users_.get(), verifier_.get(), options);
  net::HttpRequest req = Get("/api/message_groups", TokenFor(kAndrewSub));
  req.set(http::field::origin, "https://cruddur.example");
  EXPECT_EQ(Header(handler.Serve(req), "Access-Control-Allow-Origin"), "https://cruddur.example");
  req.set(http::field::origin, kFrontend);
  EXPECT_FALSE(HasHeader(handler.Serve(req), "Access-Control-Allow-Origin"));
}

TEST_F(HttpBehaviourTest, HeadIsGetWithoutTheBody) {
  const std::string group = Start(kAndrewSub, "bayko", "one");
  Send(kAndrewSub, R"({"message":"two","message_group_uuid":")" + group + R"("})");
  for (const std::string& target :
       {std::string("/api/message_groups"), "/api/messages/" + group + "?limit=1",
        std::string("/api/users/@bayko/short"), std::string("/api/messages/nope")}) {
    net::HttpResponse get = Serve(Get(target, TokenFor(kAndrewSub)));
    net::HttpResponse head = Serve(MakeRequest(http::verb::head, target, TokenFor(kAndrewSub)));
    EXPECT_EQ(head.result_int(), get.result_int()) << target;
    EXPECT_EQ(head.body(), "");
    EXPECT_FALSE(get.body().empty());
    EXPECT_EQ(Header(head, "Content-Type"), "application/json");
    EXPECT_EQ(HasHeader(head, "X-Next-Cursor"), HasHeader(get, "X-Next-Cursor")) << target;
  }
}

TEST_F(HttpBehaviourTest, EveryResponseHasARequestIdAndALogLine) {
  std::vector<std::string> ids;
  const std::string token = TokenFor(kAndrewSub);
  const std::string secret_text = "the password is swordfish";
  ids.push_back(
      Header(Serve(Post("/api/messages", R"({"message":")" + secret_text + R"(","handle":"bayko"})",
                        token)),
             "X-Request-Id"));
  ids.push_back(Header(Serve(Get("/api/message_groups?cursor=zzz", token)), "X-Request-Id"));
  ids.push_back(Header(Serve(Get("/nowhere")), "X-Request-Id"));
  ids.push_back(Header(Serve(MakeRequest(http::verb::options, "/api/messages")), "X-Request-Id"));
  for (const auto& id : ids) EXPECT_EQ(id.size(), 52u) << id;
  EXPECT_NE(ids[0], ids[1]);

  std::vector<std::string> lines = LogLines();
  ASSERT_EQ(lines.size(), 4u);
  for (const auto& line : lines) {
    EXPECT_EQ(line.find(secret_text), std::string::npos) << line;
    EXPECT_EQ(line.find(token.substr(0, 20)), std::string::npos) << line;
    EXPECT_EQ(line.find(token.substr(token.size() - 20)), std::string::npos) << line;
    EXPECT_EQ(line.find("zzz"), std::string::npos) << line;  // no query
    EXPECT_EQ(line.find('\n'), std::string::npos);
  }
  rapidjson::Document first = ParseJson(lines[0]);
  EXPECT_EQ(std::string(first["request_id"].GetString()), ids[0]);
  EXPECT_EQ(std::string(first["method"].GetString()), "POST");
  EXPECT_EQ(std::string(first["path"].GetString()), "/api/messages");
  EXPECT_EQ(std::string(first["route"].GetString()), "/api/messages");
  EXPECT_EQ(first["status"].GetUint(), 200u);
  EXPECT_TRUE(first["duration_ms"].IsNumber());
  EXPECT_GE(first["duration_ms"].GetDouble(), 0.0);
  EXPECT_EQ(std::string(first["user"].GetString()), kAndrewSub);
  const std::string time = first["time"].GetString();
  EXPECT_EQ(time.size(), 24u) << time;  // 2026-01-01T00:00:00.000Z
  EXPECT_EQ(time.back(), 'Z');

  rapidjson::Document second = ParseJson(lines[1]);
  EXPECT_EQ(second["status"].GetUint(), 400u);
  EXPECT_EQ(std::string(second["path"].GetString()), "/api/message_groups");
  EXPECT_EQ(std::string(second["error"].GetString()), "InvalidCursor");
  rapidjson::Document third = ParseJson(lines[2]);
  EXPECT_EQ(third["status"].GetUint(), 404u);
  EXPECT_FALSE(third.HasMember("route"));
  EXPECT_FALSE(third.HasMember("user"));
}

TEST_F(HttpBehaviourTest, OddPathBytesAreLoggedSafely) {
  Serve(Get("/api/\xFF\x01\"x\\", TokenFor(kAndrewSub)));
  std::vector<std::string> lines = LogLines();
  ASSERT_EQ(lines.size(), 1u);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(lines[0].c_str());
  ASSERT_FALSE(doc.HasParseError()) << lines[0];
  EXPECT_EQ(std::string(doc["path"].GetString()), "/api/%FF%01\"x\\");
}

TEST_F(HttpBehaviourTest, DynamoDbDownIs503) {
  const std::string group = Start(kAndrewSub, "bayko", "before the outage");
  dynamodb_down_ = true;
  for (const auto& req :
       {Get("/api/message_groups", TokenFor(kAndrewSub)),
        Get("/api/messages/" + group, TokenFor(kAndrewSub)),
        Post("/api/messages", R"({"message":"x","handle":"bayko"})", TokenFor(kAndrewSub)),
        Post("/api/messages", R"({"message":"x","message_group_uuid":")" + group + R"("})",
             TokenFor(kAndrewSub))}) {
    net::HttpResponse res = Serve(req);
    EXPECT_EQ(res.result_int(), 503u) << req.target();
    EXPECT_EQ(Errors(res), std::vector<std::string>{"messages_unavailable"});
    EXPECT_EQ(Header(res, "Retry-After"), "1");
  }
  // The user lookup does not need DynamoDB.
  EXPECT_EQ(Serve(Get("/api/users/@bayko/short", TokenFor(kAndrewSub))).result_int(), 200u);
  dynamodb_down_ = false;
  EXPECT_EQ(Serve(Get("/api/message_groups", TokenFor(kAndrewSub))).result_int(), 200u);
}

TEST_F(HttpBehaviourTest, MissingTableIs503) {
  messaging::MessageStoreOptions options;
  options.table = "no-such-table";
  messaging::MessageStore missing(client_.get(), options);
  ApiHandler handler(&missing, users_.get(), verifier_.get(), ApiOptions{});
  net::HttpResponse res = handler.Serve(Get("/api/message_groups", TokenFor(kAndrewSub)));
  EXPECT_EQ(res.result_int(), 503u);
  EXPECT_EQ(Errors(res), std::vector<std::string>{"messages_unavailable"});
  res = handler.Serve(
      Post("/api/messages", R"({"message":"x","handle":"bayko"})", TokenFor(kAndrewSub)));
  EXPECT_EQ(res.result_int(), 503u);
}

TEST_F(HttpBehaviourTest, UsersDatabaseDownIs503) {
  users_down_ = true;
  for (const auto& req :
       {Get("/api/message_groups", TokenFor(kAndrewSub)),
        Get("/api/users/@bayko/short", TokenFor(kAndrewSub)),
        Post("/api/messages", R"({"message":"x","handle":"bayko"})", TokenFor(kAndrewSub))}) {
    net::HttpResponse res = Serve(req);
    EXPECT_EQ(res.result_int(), 503u) << req.target();
    EXPECT_EQ(Errors(res), std::vector<std::string>{"users_unavailable"});
  }
  // Without a valid token it is still a plain 401: the database is not asked.
  EXPECT_EQ(Serve(Get("/api/message_groups", "garbage")).result_int(), 401u);
}

}  // namespace
}  // namespace cruddur::api::testing
