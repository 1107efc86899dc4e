// HttpJsonTransport against a scripted HTTP server (net::HttpServer) that
// verifies every request's SigV4 signature with VerifySigV4: the client's
// signatures verify, a wrong secret is refused with DynamoDB's error, a body
// failing its x-amz-crc32 is retried, 5xx is retried and 4xx is not.
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <mutex>
#include <vector>

#include "aws/client.h"
#include "aws/http_json_transport.h"
#include "aws/sigv4_verifier.h"
#include "net/crc32.h"
#include "net/http_server.h"

namespace aws {
namespace {

namespace http = boost::beast::http;

struct Scripted {
  unsigned status;
  std::string body;
  std::string crc;  // "" = the correct CRC32, else this value
};

class VerifyingServer {
 public:
  VerifyingServer() {
    std::string error;
    bool ok = server_.Start(
        "127.0.0.1", 0, [this](net::HttpRequest&& req, net::Responder r) { Handle(req, r); },
        &error);
    EXPECT_TRUE(ok) << error;
  }
  ~VerifyingServer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      held_.clear();  // answers 500 to the requests left hanging
    }
    server_.Stop();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(server_.port()); }
  void Script(std::deque<Scripted> s) {
    std::lock_guard<std::mutex> lock(mu_);
    script_ = std::move(s);
  }
  std::atomic<int> requests{0};
  std::string last_target_header;

 private:
  void Handle(net::HttpRequest& req, net::Responder& r) {
    ++requests;
    HeaderList headers;
    for (const auto& f : req)
      headers.push_back({std::string(f.name_string()), std::string(f.value())});
    std::string_view target = req.target();
    size_t q = target.find('?');
    std::string method(req.method_string());
    VerifyOptions o;
    auto rejected = VerifySigV4(
        {method, target.substr(0, q), q == std::string_view::npos ? "" : target.substr(q + 1),
         headers, req.body()},
        [](std::string_view id) -> std::optional<std::string> {
          if (id == "AKIDGOOD") return std::string("good-secret");
          return std::nullopt;
        },
        o);
    Scripted reply{200, "{}", ""};
    bool hang = false;
    if (rejected) {
      reply = {400,
               R"({"__type":"com.amazon.coral.service#)" + rejected->Name() + R"(","message":")" +
                   rejected->message + "\"}",
               ""};
    } else {
      std::lock_guard<std::mutex> lock(mu_);
      last_target_header = std::string(req["X-Amz-Target"]);
      if (!script_.empty()) {
        reply = script_.front();
        script_.pop_front();
      }
      hang = reply.status == 0;
      if (hang) held_.push_back(std::move(r));  // never answered while the test runs
    }
    if (hang) return;
    net::HttpResponse res{static_cast<http::status>(reply.status), 11};
    res.set(http::field::content_type, "application/x-amz-json-1.0");
    res.set("x-amz-crc32", reply.crc.empty() ? std::to_string(net::Crc32(reply.body)) : reply.crc);
    res.body() = reply.body;
    r.Send(std::move(res));
  }

  net::HttpServer server_{net::HttpServerOptions{.threads = 2}};
  std::mutex mu_;
  std::deque<Scripted> script_;
  std::vector<net::Responder> held_;
};

std::unique_ptr<AwsJsonClient> ClientFor(const std::string& url, const std::string& secret,
                                         std::string token = "", ClientOptions o = {}) {
  HttpJsonTransportOptions t;
  t.endpoint = *ParseEndpointUrl(url);
  t.region = "eu-west-1";
  t.credentials = {"AKIDGOOD", secret, std::move(token)};
  o.sleep = [](std::chrono::milliseconds) {};
  return std::make_unique<AwsJsonClient>(std::make_unique<HttpJsonTransport>(t), o);
}

TEST(HttpJsonTransport, SignaturesVerifyOnTheServer) {
  VerifyingServer server;
  auto r = ClientFor(server.url(), "good-secret")->Call("ListTables", "{}");
  ASSERT_TRUE(r.ok()) << r.error().Name() << ": " << r.error().message;
  EXPECT_EQ(*r, "{}");
  EXPECT_EQ(server.last_target_header, "DynamoDB_20120810.ListTables");
  // With a session token too (it is signed).
  r = ClientFor(server.url(), "good-secret", "TOKEN/+=")->Call("ListTables", "{}");
  EXPECT_TRUE(r.ok());
}

TEST(HttpJsonTransport, AWrongSecretIsRejectedAndNotRetried) {
  VerifyingServer server;
  CallStats stats;
  auto r = ClientFor(server.url(), "bad-secret")->Call("ListTables", "{}", &stats);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "InvalidSignatureException");
  EXPECT_EQ(r.error().message, kSignatureMismatchMessage);
  EXPECT_EQ(stats.attempts, 1);
}

TEST(HttpJsonTransport, ChecksumMismatchIsRetried) {
  VerifyingServer server;
  server.Script({{200, R"({"TableNames":[]})", "12345"}, {200, R"({"TableNames":["t"]})", ""}});
  CallStats stats;
  auto r = ClientFor(server.url(), "good-secret")->Call("ListTables", "{}", &stats);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, R"({"TableNames":["t"]})");
  EXPECT_EQ(stats.attempts, 2);
}

TEST(HttpJsonTransport, ChecksumMismatchReportedWhenItPersists) {
  VerifyingServer server;
  server.Script({{200, "{}", "1"}, {200, "{}", "1"}, {200, "{}", "1"}});
  auto r = ClientFor(server.url(), "good-secret")->Call("ListTables", "{}");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "ChecksumError");
}

TEST(HttpJsonTransport, ServerErrorsAreRetriedClientErrorsAreNot) {
  VerifyingServer server;
  server.Script({{500, R"({"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"})", ""},
                 {400,
                  R"({"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException",)"
                  R"("message":"Requested resource not found"})",
                  ""},
                 {200, "{}", ""}});
  CallStats stats;
  auto r = ClientFor(server.url(), "good-secret")->Call("DescribeTable", "{}", &stats);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "ResourceNotFoundException");
  EXPECT_EQ(r.error().message, "Requested resource not found");
  EXPECT_EQ(stats.attempts, 2);
}

TEST(HttpJsonTransport, ASilentServerTimesOutAndIsRetried) {
  VerifyingServer server;
  server.Script({{0, "", ""}, {200, R"({"TableNames":[]})", ""}});
  ClientOptions o;
  o.attempt_timeout = std::chrono::milliseconds(200);
  CallStats stats;
  auto r = ClientFor(server.url(), "good-secret", "", o)->Call("ListTables", "{}", &stats);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(stats.attempts, 2);

  server.Script({{0, "", ""}, {0, "", ""}});
  o.retry.max_attempts = 2;
  r = ClientFor(server.url(), "good-secret", "", o)->Call("ListTables", "{}", &stats);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().Name(), "TimeoutError");
}

}  // namespace
}  // namespace aws
