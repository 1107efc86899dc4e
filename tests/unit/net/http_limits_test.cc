// HttpServer's protection from clients (net/connection_limits.h): deadlines
// for each connection phase, the connection cap, the buffered-bytes budget
// with backpressure, and the acceptor's back-off when out of descriptors.
// Raw POSIX sockets, so that reads can time out.
#include <arpa/inet.h>
#include <dirent.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <boost/beast/http.hpp>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "net/fd_limit.h"
#include "net/http_server.h"

namespace net {
namespace {

namespace http = boost::beast::http;
using Clock = std::chrono::steady_clock;

double SecondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Answers "<body size>"; "/sleep" answers after 600 ms from another thread;
// "/huge" answers 64 MiB.
void SizeHandler(HttpRequest&& req, Responder r) {
  HttpResponse res{http::status::ok, 11};
  res.body() = std::to_string(req.body().size());
  if (req.target() == "/huge") res.body() = std::string(64u << 20, 'h');
  if (req.target() == "/sleep") {
    std::thread([r = std::move(r), res = std::move(res)]() mutable {
      std::this_thread::sleep_for(std::chrono::milliseconds(600));
      r.Send(std::move(res));
    }).detach();
    return;
  }
  r.Send(std::move(res));
}

// A blocking client socket.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd_ < 0) return;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~Client() { Close(); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  Client(Client&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }

  bool ok() const { return fd_ >= 0; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

  bool Send(std::string_view data) {
    while (!data.empty()) {
      ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads whatever arrives until the peer closes or `seconds` pass.
  // `closed` tells which.
  std::string ReadUntilClose(double seconds, bool* closed) {
    std::string out;
    *closed = false;
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    char buf[65536];
    while (Clock::now() < deadline) {
      pollfd p{fd_, POLLIN, 0};
      int ms = static_cast<int>(
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      if (::poll(&p, 1, std::max(ms, 1)) <= 0) continue;
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) {
        *closed = true;
        break;
      }
      out.append(buf, static_cast<size_t>(n));
    }
    return out;
  }

  // Reads one response (Content-Length framed) within `seconds`; empty if
  // none arrived.
  std::string ReadResponse(double seconds = 5) {
    auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
    char buf[65536];
    while (Clock::now() < deadline) {
      size_t end = pending_.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t cl = pending_.find("Content-Length: ");
        size_t len = cl < end ? std::stoul(pending_.substr(cl + 16)) : 0;
        if (pending_.size() >= end + 4 + len) {
          std::string res = pending_.substr(0, end + 4 + len);
          pending_.erase(0, end + 4 + len);
          return res;
        }
      }
      pollfd p{fd_, POLLIN, 0};
      if (::poll(&p, 1, 10) <= 0) continue;
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n <= 0) break;
      pending_.append(buf, static_cast<size_t>(n));
    }
    return "";
  }

 private:
  int fd_ = -1;
  std::string pending_;
};

std::string Post(std::string_view target, std::string_view body, bool close = false) {
  std::string r = "POST " + std::string(target) +
                  " HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n";
  if (close) r += "Connection: close\r\n";
  return r + "\r\n" + std::string(body);
}

std::string Status(const std::string& response) { return response.substr(0, 12); }

std::string Body(const std::string& response) {
  size_t end = response.find("\r\n\r\n");
  return end == std::string::npos ? "" : response.substr(end + 4);
}

template <class F>
bool WaitFor(F done, double seconds = 5) {
  auto deadline = Clock::now() + std::chrono::duration<double>(seconds);
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

class HttpLimitsTest : public ::testing::Test {
 protected:
  void StartServer(HttpServerOptions opts) {
    if (opts.threads == 0) opts.threads = 2;
    server_ = std::make_unique<HttpServer>(std::move(opts));
    std::string err;
    ASSERT_TRUE(server_->Start("127.0.0.1", 0, SizeHandler, &err)) << err;
  }
  // Short deadlines: 0.3 s each.
  static HttpServerOptions Short() {
    HttpServerOptions o;
    o.limits.header_timeout_seconds = 0.3;
    o.limits.body_timeout_seconds = 0.3;
    o.limits.idle_timeout_seconds = 0.3;
    o.limits.write_timeout_seconds = 0.3;
    return o;
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }
  uint16_t port() const { return server_->port(); }

  std::unique_ptr<HttpServer> server_;
};

TEST_F(HttpLimitsTest, SilentConnectionIsClosedQuietly) {
  StartServer(Short());
  Client c(port());
  ASSERT_TRUE(c.ok());
  auto t0 = Clock::now();
  bool closed;
  std::string got = c.ReadUntilClose(3, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(got, "");  // nothing of a request arrived: no 408
  EXPECT_GE(SecondsSince(t0), 0.25);
  EXPECT_LT(SecondsSince(t0), 1.5);
  EXPECT_TRUE(WaitFor([&] { return server_->open_connections() == 0; }));
}

TEST_F(HttpLimitsTest, PartialHeaderGets408AndClose) {
  StartServer(Short());
  Client c(port());
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Le"));
  auto t0 = Clock::now();
  bool closed;
  std::string got = c.ReadUntilClose(3, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(Status(got), "HTTP/1.1 408") << got;
  EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
  EXPECT_NE(got.find("header"), std::string::npos) << got;
  EXPECT_LT(SecondsSince(t0), 1.5);
}

TEST_F(HttpLimitsTest, PartialBodyGets408AndClose) {
  StartServer(Short());
  Client c(port());
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nonly some"));
  bool closed;
  std::string got = c.ReadUntilClose(3, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(Status(got), "HTTP/1.1 408") << got;
  EXPECT_NE(got.find("body"), std::string::npos) << got;
  EXPECT_TRUE(WaitFor([&] { return server_->buffered_request_bytes() == 0; }));
}

TEST_F(HttpLimitsTest, IdleKeepAliveConnectionIsClosedQuietly) {
  HttpServerOptions o = Short();
  o.limits.idle_timeout_seconds = 0.5;
  StartServer(o);
  Client c(port());
  ASSERT_TRUE(c.Send(Post("/", "abc")));
  std::string res = c.ReadResponse();
  ASSERT_EQ(Status(res), "HTTP/1.1 200") << res;
  EXPECT_EQ(Body(res), "3");
  auto t0 = Clock::now();
  bool closed;
  std::string got = c.ReadUntilClose(3, &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(got, "");
  EXPECT_GE(SecondsSince(t0), 0.45);
  EXPECT_LT(SecondsSince(t0), 1.5);
}

TEST_F(HttpLimitsTest, RequestsWithinTheDeadlinesKeepTheConnection) {
  StartServer(Short());
  Client c(port());
  for (int i = 0; i < 5; ++i) {
    // A slow handler is not a deadline: the handler phase has none.
    ASSERT_TRUE(c.Send(Post(i == 2 ? "/sleep" : "/", "xy")));
    std::string res = c.ReadResponse();
    ASSERT_EQ(Status(res), "HTTP/1.1 200") << i;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));  // < idle deadline
  }
  // A request trickling in within its header and body deadlines.
  std::string req = Post("/", "0123456789");
  for (char ch : req) {
    ASSERT_TRUE(c.Send(std::string(1, ch)));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(Body(c.ReadResponse()), "10");
}

TEST_F(HttpLimitsTest, ClientThatDoesNotReadIsDisconnected) {
  StartServer(Short());
  Client c(port());
  ASSERT_TRUE(c.Send(Post("/huge", "")));
  // Never read: the write deadline closes the connection and ends the request.
  EXPECT_TRUE(WaitFor([&] { return server_->in_flight() == 0; }, 10));
  EXPECT_TRUE(WaitFor([&] { return server_->open_connections() == 0; }, 5));
}

TEST_F(HttpLimitsTest, ZeroMeansNoDeadline) {
  HttpServerOptions o;
  o.limits.header_timeout_seconds = 0;
  o.limits.body_timeout_seconds = 0;
  o.limits.idle_timeout_seconds = 0;
  o.limits.write_timeout_seconds = 0;
  StartServer(o);
  Client c(port());
  ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nab"));
  bool closed;
  EXPECT_EQ(c.ReadUntilClose(0.5, &closed), "");
  EXPECT_FALSE(closed);
  ASSERT_TRUE(c.Send("cd"));
  EXPECT_EQ(Body(c.ReadResponse()), "4");
}

TEST_F(HttpLimitsTest, ConnectionsOverTheCapGet503) {
  HttpServerOptions o;
  o.limits.max_connections = 3;
  StartServer(o);
  EXPECT_EQ(server_->max_connections(), 3u);
  std::vector<Client> held;
  for (int i = 0; i < 3; ++i) {
    held.emplace_back(port());
    ASSERT_TRUE(held.back().Send(Post("/", "a")));
    ASSERT_EQ(Status(held.back().ReadResponse()), "HTTP/1.1 200");
  }
  EXPECT_EQ(server_->open_connections(), 3);
  {
    Client extra(port());
    ASSERT_TRUE(extra.ok());
    extra.Send(Post("/", "a"));
    bool closed;
    std::string got = extra.ReadUntilClose(3, &closed);
    EXPECT_TRUE(closed);
    EXPECT_EQ(Status(got), "HTTP/1.1 503") << got;
    EXPECT_NE(got.find("Connection: close"), std::string::npos) << got;
  }
  // The held connections still work; closing one makes room.
  ASSERT_TRUE(held[0].Send(Post("/", "bb")));
  EXPECT_EQ(Body(held[0].ReadResponse()), "2");
  held.pop_back();
  ASSERT_TRUE(WaitFor([&] { return server_->open_connections() == 2; }));
  Client again(port());
  ASSERT_TRUE(again.Send(Post("/", "ccc")));
  EXPECT_EQ(Body(again.ReadResponse()), "3");
}

TEST(HttpLimitsDefaults, CapFollowsTheOpenFileLimit) {
  EXPECT_EQ(DefaultMaxConnections(0), 10000u);
  EXPECT_EQ(DefaultMaxConnections(1024), 512u);
  EXPECT_EQ(DefaultMaxConnections(4096), 3072u);
  EXPECT_EQ(DefaultMaxConnections(20000), 10000u);
  EXPECT_EQ(DefaultMaxConnections(1u << 20), 10000u);
  rlimit lim{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
  uint64_t raised = RaiseOpenFileLimit();
  EXPECT_GE(raised, static_cast<uint64_t>(lim.rlim_cur));
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &lim), 0);
  if (lim.rlim_max != RLIM_INFINITY) {
    EXPECT_EQ(lim.rlim_cur, lim.rlim_max);
  }
}

// The budget: 256 KiB bodies at most, so the budget is at least 320 KiB;
// with 400 KiB, 80 KiB are shared and 320 KiB kept for one finisher.
HttpServerOptions SmallBudget() {
  HttpServerOptions o;
  o.max_body_bytes = 256 << 10;
  o.limits.max_buffered_request_bytes = 400 << 10;
  return o;
}

TEST_F(HttpLimitsTest, BudgetHoldsBackReadersAndEveryoneFinishes) {
  StartServer(SmallBudget());
  constexpr int kClients = 8;
  constexpr size_t kBody = 200 << 10, kFirst = 150 << 10;
  const std::string body(kBody, 'z');
  std::vector<Client> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.emplace_back(port());
    std::string req = Post("/", body);
    // Header plus most of the body; the rest later.
    ASSERT_TRUE(clients.back().Send(std::string_view(req).substr(0, req.size() - kBody + kFirst)));
  }
  // 8 x 150 KiB were sent, but the server holds at most its budget (plus
  // what arrived with the headers) and the rest wait in the kernel.
  ASSERT_TRUE(WaitFor([&] { return server_->connections_waiting_for_budget() > 0; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_LE(server_->buffered_request_bytes(), (400u << 10) + kClients * (64u << 10));
  EXPECT_GT(server_->connections_waiting_for_budget(), 0u);
  // Everyone sends the rest: every request completes, in full.
  for (int i = 0; i < kClients; ++i) {
    std::string req = Post("/", body);
    ASSERT_TRUE(clients[i].Send(std::string_view(req).substr(req.size() - kBody + kFirst)));
  }
  for (int i = 0; i < kClients; ++i) {
    std::string res = clients[i].ReadResponse(10);
    EXPECT_EQ(Status(res), "HTTP/1.1 200") << i;
    EXPECT_EQ(Body(res), std::to_string(kBody)) << i;
  }
  EXPECT_EQ(server_->buffered_request_bytes(), 0u);
  EXPECT_EQ(server_->connections_waiting_for_budget(), 0u);
}

TEST_F(HttpLimitsTest, WaitingForBudgetStillHasABodyDeadline) {
  HttpServerOptions o = SmallBudget();
  o.limits.body_timeout_seconds = 1.0;
  StartServer(o);
  const std::string head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 250000\r\n\r\n";
  // The waiter's header comes first (so its body deadline is the earliest);
  // it takes one read's worth of the 80 KiB shared part.
  Client waiter(port());
  ASSERT_TRUE(waiter.Send(head));
  ASSERT_TRUE(WaitFor([&] { return server_->buffered_request_bytes() >= (64u << 10); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  // Then a holder: short of shared bytes, it becomes the finisher and reads
  // 240,000 bytes from the reserve, then stalls.
  Client holder(port());
  ASSERT_TRUE(holder.Send(head + std::string(240000, 'a')));
  ASSERT_TRUE(WaitFor([&] { return server_->buffered_request_bytes() >= 240000 + (64u << 10); }));
  // Now the waiter sends more than its read: it waits for budget.
  ASSERT_TRUE(waiter.Send(std::string(100000, 'b')));
  ASSERT_TRUE(WaitFor([&] { return server_->connections_waiting_for_budget() == 1; }));
  bool closed;
  std::string got = waiter.ReadUntilClose(3, &closed);
  EXPECT_EQ(Status(got), "HTTP/1.1 408") << got;
  EXPECT_TRUE(closed);
  // It timed out while waiting: the holder's bytes are still held.
  EXPECT_GE(server_->buffered_request_bytes(), 240000u);
  // Then the holder times out too; all budget is back.
  got = holder.ReadUntilClose(3, &closed);
  EXPECT_EQ(Status(got), "HTTP/1.1 408") << got;
  EXPECT_TRUE(WaitFor([&] { return server_->buffered_request_bytes() == 0; }));
  EXPECT_EQ(server_->connections_waiting_for_budget(), 0u);
  Client fresh(port());
  ASSERT_TRUE(fresh.Send(Post("/", std::string(200000, 'c'))));
  EXPECT_EQ(Body(fresh.ReadResponse()), "200000");
}

TEST_F(HttpLimitsTest, BudgetIsReturnedWhenTheClientGoesAway) {
  StartServer(SmallBudget());
  {
    Client c(port());
    ASSERT_TRUE(c.Send("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 250000\r\n\r\n" +
                       std::string(100000, 'a')));
    ASSERT_TRUE(WaitFor([&] { return server_->buffered_request_bytes() >= 100000; }));
  }
  EXPECT_TRUE(WaitFor([&] { return server_->buffered_request_bytes() == 0; }));
  EXPECT_TRUE(WaitFor([&] { return server_->open_connections() == 0; }));
}

TEST_F(HttpLimitsTest, StopWithConnectionsWaitingForBudget) {
  HttpServerOptions o = SmallBudget();
  o.limits.body_timeout_seconds = 0;  // nothing but the budget's line holds them
  StartServer(o);
  const std::string head = "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 250000\r\n\r\n";
  std::vector<Client> clients;
  for (int i = 0; i < 3; ++i) {
    clients.emplace_back(port());
    ASSERT_TRUE(clients.back().Send(head + std::string(i == 0 ? 80000 : 240000, 'a')));
  }
  ASSERT_TRUE(WaitFor([&] { return server_->connections_waiting_for_budget() >= 1; }));
  server_->Stop();  // must neither hang nor leak (LeakSanitizer checks)
  bool closed;
  clients[2].ReadUntilClose(2, &closed);
  EXPECT_TRUE(closed);
}

// Counts this process's open descriptors.
int OpenDescriptors() {
  int n = 0;
  DIR* d = opendir("/proc/self/fd");
  if (!d) return -1;
  while (readdir(d)) ++n;
  closedir(d);
  return n - 3;  // ".", ".." and the directory's own descriptor
}

double ProcessCpuSeconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
         (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

TEST_F(HttpLimitsTest, AcceptBacksOffWhenOutOfDescriptors) {
  HttpServerOptions o;
  o.limits.max_connections = 100000;  // the descriptors run out first
  StartServer(o);
  // This process may open only 20 more descriptors.
  rlimit saved{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &saved), 0);
  rlimit low = saved;
  low.rlim_cur = static_cast<rlim_t>(OpenDescriptors() + 20);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  // Clients in a child process (system calls only: no allocation after
  // fork): 60 connections, held until killed.
  const uint16_t p = port();
  pid_t child = fork();
  if (child == 0) {
    setrlimit(RLIMIT_NOFILE, &saved);
    for (int i = 0; i < 60; ++i) {
      int fd = ::socket(AF_INET, SOCK_STREAM, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_port = htons(p);
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    }
    alarm(30);  // never outlive the test
    for (;;) pause();
  }
  if (child < 0) setrlimit(RLIMIT_NOFILE, &saved);
  ASSERT_GT(child, 0);

  bool backed_off = WaitFor([&] { return server_->accept_backoffs() > 0; });
  // While out of descriptors the server idles instead of spinning.
  double cpu0 = ProcessCpuSeconds();
  auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  double cpu_share = (ProcessCpuSeconds() - cpu0) / SecondsSince(t0);
  int64_t open_at_limit = server_->open_connections();
  uint64_t backoffs = server_->accept_backoffs();
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &saved), 0);

  EXPECT_TRUE(backed_off);
  EXPECT_LT(cpu_share, 0.25);
  EXPECT_LT(open_at_limit, 60);
  // Back-off doubles up to 1 s: a handful of retries in a second, not a spin.
  EXPECT_LT(backoffs, 20u);
  // Descriptors again: the waiting connections are accepted, and served.
  EXPECT_TRUE(WaitFor([&] { return server_->open_connections() == 60; }, 5));
  Client c(port());
  ASSERT_TRUE(c.Send(Post("/", "after")));
  EXPECT_EQ(Body(c.ReadResponse()), "5");
  kill(child, SIGKILL);
  int status = 0;
  waitpid(child, &status, 0);
}

}  // namespace
}  // namespace net
