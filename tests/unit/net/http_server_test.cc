// HttpServer in-process: keep-alive, pipelining order, gzip both ways,
// limits, and the async Responder, through a real TCP client.
#include "net/http_server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <thread>

#include "net/crc32.h"
#include "net/gzip.h"

namespace net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

// Echoes "<method> <target> <body>"; the target "/slow" answers from another
// thread after 50 ms, "/drop" drops the Responder, "/big" sends 4 KB.
void EchoHandler(HttpRequest&& req, Responder r) {
  HttpResponse res{http::status::ok, 11};
  res.set(http::field::content_type, "text/plain");
  std::string target(req.target());
  if (target == "/drop") return;
  if (target == "/big") {
    res.body() = std::string(4096, 'a');
    return r.Send(std::move(res));
  }
  res.body() = std::string(req.method_string()) + " " + target + " " + req.body();
  if (target == "/slow") {
    std::thread([r = std::move(r), res = std::move(res)]() mutable {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      r.Send(std::move(res));
    }).detach();
    return;
  }
  r.Send(std::move(res));
}

class HttpServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpServerOptions opts = {}) {
    opts.threads = 2;
    opts.crc32_header = "x-amz-crc32";
    server_ = std::make_unique<HttpServer>(std::move(opts));
    std::string err;
    ASSERT_TRUE(server_->Start("127.0.0.1", 0, EchoHandler, &err)) << err;
    ASSERT_NE(server_->port(), 0);
  }
  void SetUp() override { StartServer(); }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  tcp::socket Connect() {
    tcp::socket s(ioc_);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    return s;
  }

  static http::request<http::string_body> Post(std::string target, std::string body) {
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, "localhost");
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
  }

  asio::io_context ioc_;
  std::unique_ptr<HttpServer> server_;
};

http::response<http::string_body> Read(tcp::socket& s, beast::flat_buffer& buf) {
  http::response<http::string_body> res;
  http::read(s, buf, res);
  return res;
}

TEST_F(HttpServerTest, TwoRequestsOnOneConnection) {
  auto s = Connect();
  beast::flat_buffer buf;
  for (int i = 0; i < 2; ++i) {
    auto req = Post("/", "hello " + std::to_string(i));
    http::write(s, req);
    auto res = Read(s, buf);
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), "POST / hello " + std::to_string(i));
    EXPECT_TRUE(res.keep_alive());
    EXPECT_EQ(res["x-amz-crc32"], std::to_string(Crc32(res.body())));
    EXPECT_EQ(res[http::field::content_length], std::to_string(res.body().size()));
  }
}

TEST_F(HttpServerTest, PipelinedRequestsAnswerInOrder) {
  auto s = Connect();
  std::string wire;
  for (auto target : {"/slow", "/", "/slow", "/"}) {
    std::ostringstream os;
    os << Post(target, target);
    wire += os.str();
  }
  asio::write(s, asio::buffer(wire));
  beast::flat_buffer buf;
  for (auto target : {"/slow", "/", "/slow", "/"}) {
    auto res = Read(s, buf);
    EXPECT_EQ(res.body(), std::string("POST ") + target + " " + target);
  }
}

TEST_F(HttpServerTest, ConnectionCloseIsHonoured) {
  auto s = Connect();
  auto req = Post("/", "x");
  req.keep_alive(false);
  http::write(s, req);
  beast::flat_buffer buf;
  auto res = Read(s, buf);
  EXPECT_FALSE(res.keep_alive());
  char c;
  boost::system::error_code ec;
  s.read_some(asio::buffer(&c, 1), ec);
  EXPECT_EQ(ec, asio::error::eof);
}

TEST_F(HttpServerTest, GzipRequestBodyIsInflated) {
  auto s = Connect();
  std::string packed;
  ASSERT_TRUE(GzipDeflate("{\"TableName\":\"t\"}", &packed));
  auto req = Post("/", packed);
  req.set(http::field::content_encoding, "gzip");
  http::write(s, req);
  beast::flat_buffer buf;
  auto res = Read(s, buf);
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res.body(), "POST / {\"TableName\":\"t\"}");

  // A body that is not gzip: 400, and the connection stays usable.
  auto bad = Post("/", "definitely not gzip");
  bad.set(http::field::content_encoding, "gzip");
  http::write(s, bad);
  res = Read(s, buf);
  EXPECT_EQ(res.result(), http::status::bad_request);
  http::write(s, Post("/", "after"));
  res = Read(s, buf);
  EXPECT_EQ(res.body(), "POST / after");
}

TEST_F(HttpServerTest, UnknownContentEncodingIs415) {
  auto s = Connect();
  auto req = Post("/", "x");
  req.set(http::field::content_encoding, "br");
  http::write(s, req);
  beast::flat_buffer buf;
  EXPECT_EQ(Read(s, buf).result(), http::status::unsupported_media_type);
}

TEST_F(HttpServerTest, GzipResponseWhenAccepted) {
  auto s = Connect();
  beast::flat_buffer buf;
  // Small bodies are never compressed.
  auto req = Post("/", "x");
  req.set(http::field::accept_encoding, "gzip, deflate");
  http::write(s, req);
  auto res = Read(s, buf);
  EXPECT_EQ(res[http::field::content_encoding], "");
  // Large ones are; the CRC covers the bytes sent.
  req = Post("/big", "");
  req.set(http::field::accept_encoding, "gzip");
  http::write(s, req);
  res = Read(s, buf);
  EXPECT_EQ(res[http::field::content_encoding], "gzip");
  EXPECT_EQ(res["x-amz-crc32"], std::to_string(Crc32(res.body())));
  std::string plain;
  ASSERT_EQ(GzipInflate(res.body(), &plain, 1 << 20), InflateResult::kOk);
  EXPECT_EQ(plain, std::string(4096, 'a'));
  // Not when refused with q=0.
  req = Post("/big", "");
  req.set(http::field::accept_encoding, "gzip;q=0, identity");
  http::write(s, req);
  res = Read(s, buf);
  EXPECT_EQ(res[http::field::content_encoding], "");
  EXPECT_EQ(res.body().size(), 4096u);
}

TEST_F(HttpServerTest, OversizedBodyIs413) {
  // Announced by Content-Length: refused before the body is read.
  auto s = Connect();
  std::string head =
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string((16u << 20) + 1) +
      "\r\n\r\n";
  asio::write(s, asio::buffer(head));
  beast::flat_buffer buf;
  auto res = Read(s, buf);
  EXPECT_EQ(res.result(), http::status::payload_too_large);
  EXPECT_FALSE(res.keep_alive());
}

TEST_F(HttpServerTest, OversizedAfterInflationIs413) {
  std::string zeros((16u << 20) + 1, '0'), packed;
  ASSERT_TRUE(GzipDeflate(zeros, &packed, 9));
  auto s = Connect();
  auto req = Post("/", packed);
  req.set(http::field::content_encoding, "gzip");
  http::write(s, req);
  beast::flat_buffer buf;
  auto res = Read(s, buf);
  EXPECT_EQ(res.result(), http::status::payload_too_large);
}

TEST_F(HttpServerTest, ExactlyTheLimitIsAccepted) {
  server_->Stop();
  HttpServerOptions opts;
  opts.max_body_bytes = 1000;
  StartServer(opts);
  auto s = Connect();
  beast::flat_buffer buf;
  http::write(s, Post("/", std::string(1000, 'b')));
  EXPECT_EQ(Read(s, buf).result(), http::status::ok);
  // One more byte, sent in full: 413, and the response still arrives.
  http::write(s, Post("/", std::string(1001, 'b')));
  EXPECT_EQ(Read(s, buf).result(), http::status::payload_too_large);
}

TEST_F(HttpServerTest, CustomErrorResponder) {
  server_->Stop();
  HttpServerOptions opts;
  opts.max_body_bytes = 10;
  opts.error_response = [](unsigned status, std::string_view) {
    HttpResponse res{static_cast<http::status>(status), 11};
    res.body() = "{\"__type\":\"TooLarge\"}";
    return res;
  };
  StartServer(opts);
  auto s = Connect();
  http::write(s, Post("/", std::string(11, 'b')));
  beast::flat_buffer buf;
  auto res = Read(s, buf);
  EXPECT_EQ(res.result(), http::status::payload_too_large);
  EXPECT_EQ(res.body(), "{\"__type\":\"TooLarge\"}");
  EXPECT_EQ(res["x-amz-crc32"], std::to_string(Crc32(res.body())));
}

TEST_F(HttpServerTest, DroppedResponderAnswers500) {
  auto s = Connect();
  beast::flat_buffer buf;
  http::write(s, Post("/drop", ""));
  EXPECT_EQ(Read(s, buf).result(), http::status::internal_server_error);
  http::write(s, Post("/", "still alive"));
  EXPECT_EQ(Read(s, buf).body(), "POST / still alive");
}

TEST_F(HttpServerTest, ExpectContinue) {
  auto s = Connect();
  std::string head =
      "POST /e HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n";
  asio::write(s, asio::buffer(head));
  beast::flat_buffer buf;
  http::response<http::empty_body> cont;
  http::read(s, buf, cont);
  EXPECT_EQ(cont.result(), http::status::continue_);
  asio::write(s, asio::buffer(std::string("abc")));
  EXPECT_EQ(Read(s, buf).body(), "POST /e abc");
}

TEST_F(HttpServerTest, StopFinishesInFlightRequests) {
  auto s = Connect();
  http::write(s, Post("/slow", "late"));
  // Wait until the server has the request, then stop while it is pending.
  for (int i = 0; i < 1000 && server_->in_flight() == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(server_->in_flight(), 1);
  std::thread stopper([&] { server_->Stop(); });
  beast::flat_buffer buf;
  auto res = Read(s, buf);
  EXPECT_EQ(res.body(), "POST /slow late");
  EXPECT_FALSE(res.keep_alive());
  stopper.join();
  // No longer accepting.
  tcp::socket s2(ioc_);
  boost::system::error_code ec;
  s2.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()), ec);
  EXPECT_TRUE(ec);
}

TEST(HttpServerStart, BindFailureIsReported) {
  HttpServer a, b;
  std::string err;
  ASSERT_TRUE(a.Start("127.0.0.1", 0, EchoHandler, &err)) << err;
  EXPECT_FALSE(b.Start("127.0.0.1", a.port(), EchoHandler, &err));
  EXPECT_NE(err.find("bind"), std::string::npos) << err;
  EXPECT_FALSE(b.Start("no.such.host.invalid", 0, EchoHandler, &err));
}

}  // namespace
}  // namespace net
