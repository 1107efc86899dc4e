// ApiHandler::Handle behind a real net::HttpServer on an ephemeral port,
// spoken to over TCP with the aws layer's HttpClient (curl): requests run on
// the worker pool and their answers come back through the event loop, many
// at a time, and shutting down drains them.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "api_fixture.h"
#include "aws/http_client.h"
#include "net/http_server.h"

namespace cruddur::api::testing {
namespace {

class ServerTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    handler_ = MakeHandler(verifier_.get(), /*workers=*/4);
    server_ = std::make_unique<net::HttpServer>(MakeApiServerOptions(/*io_threads=*/1));
    std::string error;
    ASSERT_TRUE(server_->Start(
        "127.0.0.1", 0,
        [this](net::HttpRequest&& req, net::Responder responder) {
          handler_->Handle(std::move(req), std::move(responder));
        },
        &error))
        << error;
    base_ = "http://127.0.0.1:" + std::to_string(server_->port());
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (handler_) handler_->Drain();
    server_.reset();
    ApiTest::TearDown();
  }

  aws::HttpResponse Call(const std::string& method, const std::string& target,
                         const std::string& token, std::string body = {},
                         aws::HeaderList headers = {}) {
    aws::HttpRequest req;
    req.method = method;
    req.url = base_ + target;
    req.headers = std::move(headers);
    if (!token.empty()) req.headers.push_back({"Authorization", "Bearer " + token});
    if (!body.empty()) req.headers.push_back({"Content-Type", "application/json"});
    req.body = std::move(body);
    auto res = http_.Send(req, std::chrono::seconds(10));
    EXPECT_TRUE(res.ok()) << (res.ok() ? "" : res.error().message);
    return res.ok() ? std::move(res).value() : aws::HttpResponse{};
  }

  static std::string H(const aws::HttpResponse& res, std::string_view name) {
    auto v = aws::FindHeader(res.headers, name);
    return v ? std::string(*v) : std::string();
  }

  std::unique_ptr<net::HttpServer> server_;
  std::string base_;
  aws::HttpClient http_;
};

TEST_F(ServerTest, ServesTheRoutesOverTcp) {
  const std::string andrew = TokenFor(kAndrewSub);
  aws::HttpResponse sent =
      Call("POST", "/api/messages", andrew, R"({"message":"over the wire","handle":"bayko"})");
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_EQ(H(sent, "Content-Type"), "application/json");
  EXPECT_EQ(H(sent, "X-Request-Id").size(), 52u);
  const std::string group = ParseJson(sent.body)["message_group_uuid"].GetString();

  aws::HttpResponse list = Call("GET", "/api/messages/" + group, TokenFor(kBaykoSub));
  ASSERT_EQ(list.status, 200) << list.body;
  rapidjson::Document doc = ParseJson(list.body);
  ASSERT_EQ(doc.Size(), 1u);
  EXPECT_EQ(std::string(doc[0]["message"].GetString()), "over the wire");

  aws::HttpResponse head = Call("HEAD", "/api/message_groups", andrew);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");

  aws::HttpResponse preflight =
      Call("OPTIONS", "/api/messages", "", {},
           {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "POST"}});
  EXPECT_EQ(preflight.status, 204);
  EXPECT_EQ(H(preflight, "Access-Control-Allow-Origin"), "http://localhost:3000");

  EXPECT_EQ(Call("GET", "/api/message_groups", "").status, 401);
  EXPECT_EQ(Call("GET", "/nowhere", "").status, 404);
  EXPECT_EQ(Call("DELETE", "/api/messages", "").status, 405);
}

TEST_F(ServerTest, TheServersOwnRejectionsAreJson) {
  aws::HttpResponse res =
      Call("POST", "/api/messages", TokenFor(kAndrewSub), std::string((1u << 20) + 1, 'x'));
  EXPECT_EQ(res.status, 413);
  EXPECT_EQ(H(res, "Content-Type"), "application/json");
  EXPECT_EQ(res.body, R"({"errors":["request_too_large"]})");
}

TEST_F(ServerTest, ManyConcurrentRequests) {
  const std::string group = Start(kAndrewSub, "bayko", "start");
  constexpr int kThreads = 8;
  constexpr int kPerThread = 6;
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      aws::HttpClient client;
      const std::string token = TokenFor(t % 2 ? kAndrewSub : kBaykoSub);
      for (int i = 0; i < kPerThread; ++i) {
        aws::HttpRequest req;
        req.url = base_ + "/api/messages";
        req.headers = {{"Authorization", "Bearer " + token}, {"Content-Type", "application/json"}};
        req.body = R"({"message":"t)" + std::to_string(t) + "-" + std::to_string(i) +
                   R"(","message_group_uuid":")" + group + R"("})";
        auto res = client.Send(req, std::chrono::seconds(30));
        if (res.ok() && res->status == 200) ++ok;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), kThreads * kPerThread);

  // Every message arrived: page through them all.
  int total = 0;
  std::string cursor;
  do {
    aws::HttpResponse page =
        Call("GET",
             "/api/messages/" + group + "?limit=100" + (cursor.empty() ? "" : "&cursor=" + cursor),
             TokenFor(kAndrewSub));
    ASSERT_EQ(page.status, 200);
    total += static_cast<int>(ParseJson(page.body).Size());
    cursor = H(page, "X-Next-Cursor");
  } while (!cursor.empty());
  EXPECT_EQ(total, 1 + kThreads * kPerThread);
}

TEST_F(ServerTest, AfterDrainRequestsAreRefusedAt503) {
  server_->Stop();
  handler_->Drain();
  handler_->Drain();  // idempotent
  // A Responder without a connection: Send is a no-op, the log shows the answer.
  handler_->Handle(Get("/api/message_groups", TokenFor(kAndrewSub)), net::Responder());
  std::vector<std::string> lines = LogLines();
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines.back().find(R"("status":503)"), std::string::npos) << lines.back();
}

}  // namespace
}  // namespace cruddur::api::testing
