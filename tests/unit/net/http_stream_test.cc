// Streaming responses (Responder::Stream / ResponseStream): chunk framing,
// writes from other threads, the client going away, a slow reader dropped
// with a clean end, heartbeats keeping a stream past the idle timeout, the
// idle deadline ending a silent stream, and Stop() ending streams promptly.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/beast/http.hpp>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "net/http_server.h"

namespace net {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

class RawClient {
 public:
  explicit RawClient(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~RawClient() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  void SmallReceiveBuffer() {
    int size = 4096;
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  }
  bool Get(std::string_view target, std::string_view version = "HTTP/1.1") {
    std::string r =
        "GET " + std::string(target) + " " + std::string(version) + "\r\nHost: x\r\n\r\n";
    return ::send(fd_, r.data(), r.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(r.size());
  }
  // Everything until the server closes, or `seconds` pass (`*closed` says).
  std::string ReadUntilClose(double seconds, bool* closed) {
    std::string out;
    *closed = false;
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    char buf[65536];
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 10) <= 0) continue;
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        *closed = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

 private:
  int fd_ = -1;
};

HttpResponse Head() {
  HttpResponse head{http::status::ok, 11};
  head.set(http::field::content_type, "text/event-stream");
  return head;
}

// A server whose handler starts a stream and hands it to the test.
class StreamTest : public ::testing::Test {
 protected:
  void StartServer(ConnectionLimits limits = {}, size_t max_queued = 256u << 10) {
    HttpServerOptions o;
    o.threads = 2;
    o.limits = limits;
    server_ = std::make_unique<HttpServer>(o);
    std::string error;
    ASSERT_TRUE(server_->Start(
        "127.0.0.1", 0,
        [this, max_queued](HttpRequest&&, Responder r) {
          StreamOptions so;
          so.max_queued_bytes = max_queued;
          so.on_close = [this] { closes_.fetch_add(1); };
          auto s = r.Stream(Head(), std::move(so));
          std::lock_guard<std::mutex> lock(mu_);
          streams_.push_back(s);
        },
        &error))
        << error;
  }
  ResponseStream WaitStream() {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (!streams_.empty()) return streams_.back();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return ResponseStream();
  }
  bool WaitCloses(int n, double seconds = 3) {
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    while (closes_.load() < n && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return closes_.load() >= n;
  }

  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::vector<ResponseStream> streams_;
  std::atomic<int> closes_{0};
};

TEST_F(StreamTest, HeadThenChunksThenLastChunk) {
  StartServer();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Get("/events"));
  ResponseStream s = WaitStream();
  std::thread writer([s]() mutable {
    EXPECT_TRUE(s.Write("a"));
    EXPECT_TRUE(s.Write("bcdefghijklmnopq"));
    s.End();
    EXPECT_FALSE(s.Write("late"));
  });
  writer.join();
  bool closed = false;
  std::string got = c.ReadUntilClose(3, &closed);
  EXPECT_TRUE(closed);
  EXPECT_NE(got.find("HTTP/1.1 200 OK\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("Transfer-Encoding: chunked\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("Connection: close\r\n"), std::string::npos) << got;
  EXPECT_EQ(got.find("Content-Length"), std::string::npos) << got;
  EXPECT_NE(got.find("\r\n\r\n1\r\na\r\n10\r\nbcdefghijklmnopq\r\n0\r\n\r\n"), std::string::npos)
      << got;
  EXPECT_TRUE(WaitCloses(1));
  EXPECT_TRUE(s.closed());
  EXPECT_EQ(server_->in_flight(), 0);
}

TEST_F(StreamTest, Http10GetsUnframedBytes) {
  StartServer();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Get("/events", "HTTP/1.0"));
  ResponseStream s = WaitStream();
  EXPECT_TRUE(s.Write("hello "));
  EXPECT_TRUE(s.Write("world"));
  s.End();
  bool closed = false;
  std::string got = c.ReadUntilClose(3, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(got.find("chunked"), std::string::npos) << got;
  EXPECT_NE(got.find("\r\n\r\nhello world"), std::string::npos) << got;
}

TEST_F(StreamTest, ClientGoneClosesTheStream) {
  StartServer();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Get("/events"));
  ResponseStream s = WaitStream();
  EXPECT_TRUE(s.Write("x"));
  c.Close();
  EXPECT_TRUE(WaitCloses(1));
  EXPECT_TRUE(s.closed());
  EXPECT_FALSE(s.Write("y"));
  for (int i = 0; i < 200 && server_->in_flight() != 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(server_->in_flight(), 0);
}

TEST_F(StreamTest, SlowReaderIsDroppedWithACleanEnd) {
  StartServer({}, 64u << 10);
  RawClient c(server_->port());
  c.SmallReceiveBuffer();
  ASSERT_TRUE(c.Get("/events"));
  ResponseStream s = WaitStream();
  const std::string chunk(16 << 10, 'z');
  int accepted = 0;
  bool refused = false;
  // The kernel's buffers take some megabytes; then the queue fills.
  for (int i = 0; i < 20000 && !refused; ++i) {
    if (s.Write(chunk)) {
      ++accepted;
    } else {
      refused = true;
    }
    if (i % 64 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(refused) << accepted << " chunks accepted";
  EXPECT_TRUE(s.closed());
  EXPECT_TRUE(WaitCloses(0));
  // Reading now drains what was in flight, then the last chunk.
  bool closed = false;
  std::string got = c.ReadUntilClose(10, &closed);
  EXPECT_TRUE(closed);
  ASSERT_GE(got.size(), 7u);
  EXPECT_EQ(got.substr(got.size() - 7), "\r\n0\r\n\r\n");
  EXPECT_TRUE(WaitCloses(1));
}

TEST_F(StreamTest, HeartbeatsKeepAStreamPastTheIdleTimeout) {
  ConnectionLimits limits;
  limits.idle_timeout_seconds = 0.3;
  limits.write_timeout_seconds = 0.3;
  StartServer(limits);
  RawClient c(server_->port());
  ASSERT_TRUE(c.Get("/events"));
  ResponseStream s = WaitStream();
  std::thread beats([s]() mutable {
    for (int i = 0; i < 12; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!s.Write(": ping\n\n")) return;
    }
    s.End();
  });
  bool closed = false;
  std::string got = c.ReadUntilClose(5, &closed);
  beats.join();
  EXPECT_TRUE(closed);
  size_t pings = 0;
  for (size_t at = got.find(": ping"); at != std::string::npos; at = got.find(": ping", at + 1)) {
    ++pings;
  }
  EXPECT_EQ(pings, 12u) << got;
  EXPECT_EQ(got.substr(got.size() - 5), "0\r\n\r\n");
}

TEST_F(StreamTest, ASilentStreamEndsAtTheIdleTimeout) {
  ConnectionLimits limits;
  limits.idle_timeout_seconds = 0.3;
  StartServer(limits);
  RawClient c(server_->port());
  ASSERT_TRUE(c.Get("/events"));
  ResponseStream s = WaitStream();
  auto t0 = Clock::now();
  bool closed = false;
  std::string got = c.ReadUntilClose(5, &closed);
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 2.0);
  EXPECT_EQ(got.substr(got.size() - 5), "0\r\n\r\n") << got;
  EXPECT_TRUE(WaitCloses(1));
}

TEST_F(StreamTest, StopEndsStreamsPromptly) {
  StartServer();
  RawClient a(server_->port()), b(server_->port());
  ASSERT_TRUE(a.Get("/events"));
  ASSERT_TRUE(b.Get("/events"));
  for (int i = 0; i < 500; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (streams_.size() == 2) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ResponseStream s = WaitStream();
  EXPECT_TRUE(s.Write("before stop"));
  auto t0 = Clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::duration<double>(Clock::now() - t0).count(), 2.0);
  EXPECT_EQ(closes_.load(), 2);
  EXPECT_FALSE(s.Write("after stop"));
  for (RawClient* c : {&a, &b}) {
    bool closed = false;
    std::string got = c->ReadUntilClose(3, &closed);
    EXPECT_TRUE(closed);
    EXPECT_EQ(got.substr(got.size() - 5), "0\r\n\r\n") << got;
  }
}

TEST_F(StreamTest, StreamHandlesOutliveTheServer) {
  StartServer();
  RawClient c(server_->port());
  ASSERT_TRUE(c.Get("/events"));
  ResponseStream s = WaitStream();
  server_->Stop();
  server_.reset();
  EXPECT_TRUE(s.closed());
  EXPECT_FALSE(s.Write("nobody"));
  s.End();
}

}  // namespace
}  // namespace net
