#include "net/http_server.h"

#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <optional>
#include <thread>
#include <vector>

#include "net/crc32.h"
#include "net/gzip.h"

namespace net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;
// Sockets bound to their io_context's executor type (cheaper than the
// type-erased any_io_executor).
using Socket = asio::basic_stream_socket<tcp, asio::io_context::executor_type>;

namespace {

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// True if an Accept-Encoding value lists gzip (or *) with a non-zero q.
bool AcceptsGzip(std::string_view accept) {
  while (!accept.empty()) {
    size_t comma = accept.find(',');
    std::string_view item = Trim(accept.substr(0, comma));
    accept = comma == std::string_view::npos ? std::string_view() : accept.substr(comma + 1);
    size_t semi = item.find(';');
    std::string_view coding = Trim(item.substr(0, semi));
    if (!IEquals(coding, "gzip") && !IEquals(coding, "x-gzip") && coding != "*") continue;
    if (semi == std::string_view::npos) return true;
    std::string_view params = Trim(item.substr(semi + 1));
    // "q=0", "q=0.0", "q=0.000" refuse the coding.
    if (params.size() >= 3 && (params[0] == 'q' || params[0] == 'Q') && params[1] == '=') {
      std::string_view q = params.substr(2);
      bool zero = !q.empty() && q[0] == '0';
      for (size_t i = 1; zero && i < q.size(); ++i) zero = q[i] == '.' || q[i] == '0';
      if (zero) continue;
    }
    return true;
  }
  return false;
}

HttpResponse DefaultErrorResponse(unsigned status, std::string_view message) {
  HttpResponse res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "text/plain");
  res.body().assign(message);
  res.body() += '\n';
  return res;
}

}  // namespace

// State shared by the server and its connections. Connections hold it by
// shared_ptr, so a connection outliving the server object stays safe.
struct ServerState {
  HttpServerOptions options;
  HttpHandler handler;
  std::atomic<int64_t> in_flight{0};
  std::atomic<bool> stopping{false};

  HttpResponse ErrorResponse(unsigned status, std::string_view message) const {
    if (options.error_response) return options.error_response(status, message);
    return DefaultErrorResponse(status, message);
  }
};

// One client connection: reads a request, hands it to the handler, writes
// the response, repeats. All its work runs on its own event loop.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Socket socket, std::shared_ptr<ServerState> state)
      : socket_(std::move(socket)), state_(std::move(state)) {}

  ~Connection() {
    // A request handed to the handler whose Responder vanished unanswered
    // (e.g. the event loop stopped) still counts as done.
    if (awaiting_response_) state_->in_flight.fetch_sub(1, std::memory_order_relaxed);
  }

  void Start() { ReadHeader(); }

  Socket::executor_type executor() { return socket_.get_executor(); }

  // Any thread: queue `res` for writing on this connection's loop.
  // Hands the response to the connection's loop. Takes the caller's
  // reference: the calling thread (a worker) must keep none, or dropping it
  // after the loop has written the response could destroy the connection
  // off its loop, after HttpServer::Stop has destroyed the loop's services.
  static void Deliver(std::shared_ptr<Connection> self, HttpResponse&& res) {
    auto executor = self->socket_.get_executor();
    asio::dispatch(executor, [self = std::move(self), res = std::move(res)]() mutable {
      self->res_ = std::move(res);
      self->WriteResponse();
    });
  }

  static void DeliverUnanswered(std::shared_ptr<Connection> self) {
    HttpResponse res = self->state_->ErrorResponse(500, "The request handler did not answer");
    Deliver(std::move(self), std::move(res));
  }

 private:
  void ReadHeader() {
    if (state_->stopping.load(std::memory_order_relaxed)) return Close();
    parser_.emplace();
    parser_->header_limit(state_->options.max_header_bytes);
    parser_->body_limit(state_->options.max_body_bytes);
    http::async_read_header(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](error_code ec, size_t) { self->OnHeader(ec); });
  }

  void OnHeader(error_code ec) {
    if (ec) return OnReadError(ec);
    auto& req = parser_->get();
    if (parser_->is_done()) return OnRequest();
    auto expect = req[http::field::expect];
    if (!expect.empty() && IEquals(expect, "100-continue") && req.version() >= 11) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      asio::async_write(socket_, asio::buffer(kContinue.data(), kContinue.size()),
                        [self = shared_from_this()](error_code ec, size_t) {
                          if (ec) return self->Close();
                          self->ReadBody();
                        });
      return;
    }
    ReadBody();
  }

  void ReadBody() {
    // Usually the body arrived with the header: parse it from the buffer at
    // once instead of a round through the event loop.
    if (buffer_.size() > 0) {
      error_code ec;
      parser_->eager(true);
      size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec && ec != http::error::need_more) return OnReadError(ec);
      if (parser_->is_done()) return OnRequest();
    }
    http::async_read(socket_, buffer_, *parser_,
                     [self = shared_from_this()](error_code ec, size_t) {
                       if (ec) return self->OnReadError(ec);
                       self->OnRequest();
                     });
  }

  void OnReadError(error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
        ec == http::error::partial_message) {
      return Close();
    }
    unread_input_ = true;
    keep_alive_ = false;
    version_ = 11;
    accepts_gzip_ = false;
    if (ec == http::error::body_limit) {
      return Reject(413, "Request body exceeds the limit of " +
                             std::to_string(state_->options.max_body_bytes) + " bytes");
    }
    if (ec == http::error::header_limit) return Reject(431, "Request header block too large");
    return Reject(400, "Malformed HTTP request: " + ec.message());
  }

  // Counts a request as in flight until its response is written. False if
  // the server is stopping: then the connection just closes. (Stop() sets
  // `stopping` before it waits for in_flight to reach zero; both are
  // sequentially consistent, so a request is either waited for or refused.)
  bool BeginRequest() {
    if (awaiting_response_) return true;
    state_->in_flight.fetch_add(1);
    awaiting_response_ = true;
    if (state_->stopping.load()) {
      awaiting_response_ = false;
      state_->in_flight.fetch_sub(1);
      Close();
      return false;
    }
    return true;
  }

  // Answers a request the server refuses itself.
  void Reject(unsigned status, std::string message) {
    if (!BeginRequest()) return;
    res_ = state_->ErrorResponse(status, message);
    WriteResponse();
  }

  void OnRequest() {
    if (!BeginRequest()) return;
    HttpRequest req = parser_->release();
    parser_.reset();
    version_ = req.version();
    keep_alive_ = req.keep_alive();
    accepts_gzip_ = AcceptsGzip(req[http::field::accept_encoding]);

    auto encoding = Trim(req[http::field::content_encoding]);
    if (!encoding.empty() && !IEquals(encoding, "identity")) {
      if (!IEquals(encoding, "gzip") && !IEquals(encoding, "x-gzip")) {
        return Reject(415, "Unsupported Content-Encoding: " + std::string(encoding));
      }
      switch (GzipInflate(req.body(), &scratch_, state_->options.max_body_bytes)) {
        case InflateResult::kOk:
          break;
        case InflateResult::kTooLarge:
          keep_alive_ = false;
          return Reject(413, "Request body exceeds the limit of " +
                                 std::to_string(state_->options.max_body_bytes) +
                                 " bytes once decompressed");
        case InflateResult::kCorrupt:
          return Reject(400, "Request body is not valid gzip data");
      }
      req.body().swap(scratch_);
      req.erase(http::field::content_encoding);
      req.content_length(req.body().size());
    }

    // The handler may answer inline (Deliver then writes at once, since we
    // are on this connection's loop) or later from another thread.
    state_->handler(std::move(req), Responder(shared_from_this()));
  }

  void WriteResponse() {
    if (!awaiting_response_) return;  // a second Send: ignore
    res_.version(version_);
    res_.keep_alive(keep_alive_ && !state_->stopping.load(std::memory_order_relaxed));
    const auto& opts = state_->options;
    if (accepts_gzip_ && res_.body().size() >= opts.gzip_min_bytes &&
        res_.find(http::field::content_encoding) == res_.end()) {
      if (GzipDeflate(res_.body(), &scratch_, opts.gzip_level) &&
          scratch_.size() < res_.body().size()) {
        res_.body().swap(scratch_);
        res_.set(http::field::content_encoding, "gzip");
      }
    }
    if (!opts.crc32_header.empty()) {
      char digits[16];
      auto [end, ec] = std::to_chars(digits, digits + sizeof digits, Crc32(res_.body()));
      res_.set(opts.crc32_header, std::string_view(digits, end - digits));
    }
    res_.prepare_payload();
    http::async_write(socket_, res_,
                      [self = shared_from_this()](error_code ec, size_t) { self->OnWrite(ec); });
  }

  void OnWrite(error_code ec) {
    awaiting_response_ = false;
    state_->in_flight.fetch_sub(1, std::memory_order_relaxed);
    const bool keep = res_.keep_alive();
    res_ = HttpResponse();
    if (ec) return Close();
    if (!keep) return unread_input_ ? CloseAfterDrain() : Close();
    ReadHeader();
  }

  void Close() {
    error_code ignored;
    socket_.shutdown(Socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  // The client may still be sending a body we refused; closing with unread
  // data would reset the connection and could destroy our response before
  // the client reads it. Half-close, then read and discard for a while.
  void CloseAfterDrain() {
    error_code ignored;
    socket_.shutdown(Socket::shutdown_send, ignored);
    drain_timer_.emplace(socket_.get_executor());
    drain_timer_->expires_after(std::chrono::seconds(5));
    drain_timer_->async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->Close();
    });
    drain_buf_ = std::make_unique<char[]>(kDrainBufBytes);
    Drain();
  }

  void Drain() {
    socket_.async_read_some(asio::buffer(drain_buf_.get(), kDrainBufBytes),
                            [self = shared_from_this()](error_code ec, size_t n) {
                              self->drained_ += n;
                              if (ec || self->drained_ > kMaxDrainBytes) {
                                if (self->drain_timer_) self->drain_timer_->cancel();
                                return self->Close();
                              }
                              self->Drain();
                            });
  }

  static constexpr size_t kDrainBufBytes = 16 << 10;
  static constexpr uint64_t kMaxDrainBytes = 64u << 20;

  Socket socket_;
  std::shared_ptr<ServerState> state_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  HttpResponse res_;
  std::string scratch_;  // gzip in/out, reused across requests
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool accepts_gzip_ = false;
  bool awaiting_response_ = false;
  bool unread_input_ = false;
  std::optional<asio::steady_timer> drain_timer_;
  std::unique_ptr<char[]> drain_buf_;
  uint64_t drained_ = 0;
};

// ---- Responder ----

Responder::Responder(std::shared_ptr<Connection> conn) : conn_(std::move(conn)) {}

Responder& Responder::operator=(Responder&& other) noexcept {
  if (this != &other) {
    if (conn_) Connection::DeliverUnanswered(std::move(conn_));
    conn_ = std::move(other.conn_);
  }
  return *this;
}

Responder::~Responder() {
  if (conn_) Connection::DeliverUnanswered(std::move(conn_));
}

void Responder::Send(HttpResponse&& response) {
  if (!conn_) return;
  Connection::Deliver(std::move(conn_), std::move(response));
}

// ---- HttpServer ----

struct HttpServer::Impl {
  std::shared_ptr<ServerState> state = std::make_shared<ServerState>();
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<std::unique_ptr<asio::io_context>> loops;
  std::vector<Guard> guards;
  std::vector<std::thread> threads;
  std::unique_ptr<tcp::acceptor> acceptor;
  size_t next_loop = 0;
  bool running = false;

  void Accept() {
    asio::io_context& target = *loops[next_loop];
    next_loop = (next_loop + 1) % loops.size();
    auto socket = std::make_shared<Socket>(target.get_executor());
    acceptor->async_accept(*socket, [this, socket](error_code ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      if (!ec) {
        error_code ignored;
        socket->set_option(tcp::no_delay(true), ignored);
        // The connection starts on its own loop; it lives there from now on.
        auto conn = std::make_shared<Connection>(std::move(*socket), state);
        asio::post(conn->executor(), [conn] { conn->Start(); });
      }
      // On an accept error (e.g. too many open files) keep accepting.
      Accept();
    });
  }
};

HttpServer::HttpServer(HttpServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->state->options = std::move(options);
}

HttpServer::~HttpServer() {
  Stop();
  impl_->loops.clear();
}

bool HttpServer::Start(const std::string& host, uint16_t port, HttpHandler handler,
                       std::string* error) {
  auto& im = *impl_;
  if (im.running) {
    if (error) *error = "server already started";
    return false;
  }
  im.state->handler = std::move(handler);
  unsigned n = im.state->options.threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {
    im.loops.push_back(std::make_unique<asio::io_context>(1));
    im.guards.emplace_back(im.loops.back()->get_executor());
  }

  error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, port);
  } else {
    tcp::resolver resolver(*im.loops[0]);
    auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec || results.empty()) {
      if (error) *error = "cannot resolve host '" + host + "': " + ec.message();
      im.guards.clear();
      im.loops.clear();
      return false;
    }
    endpoint = results.begin()->endpoint();
  }

  im.acceptor = std::make_unique<tcp::acceptor>(*im.loops[0]);
  auto fail = [&](const char* what) {
    if (error)
      *error = std::string(what) + " " + endpoint.address().to_string() + ":" +
               std::to_string(endpoint.port()) + ": " + ec.message();
    im.acceptor.reset();
    im.guards.clear();
    im.loops.clear();
    return false;
  };
  im.acceptor->open(endpoint.protocol(), ec);
  if (ec) return fail("cannot open socket for");
  im.acceptor->set_option(asio::socket_base::reuse_address(true), ec);
  im.acceptor->bind(endpoint, ec);
  if (ec) return fail("cannot bind");
  im.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("cannot listen on");
  port_ = im.acceptor->local_endpoint().port();

  im.Accept();
  for (auto& loop : im.loops) {
    im.threads.emplace_back([ctx = loop.get()] {
      for (;;) {
        try {
          ctx->run();
          return;
        } catch (const std::exception& e) {
          std::fprintf(stderr, "http server: unhandled exception in event loop: %s\n", e.what());
        }
      }
    });
  }
  im.running = true;
  return true;
}

void HttpServer::Stop(int drain_ms) {
  auto& im = *impl_;
  if (!im.running) return;
  im.running = false;
  im.state->stopping.store(true);
  // Stop accepting, on the acceptor's own loop.
  asio::post(*im.loops[0], [&im] {
    error_code ignored;
    im.acceptor->close(ignored);
  });
  // Let requests already received finish and their responses go out.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(drain_ms);
  while (im.state->in_flight.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  im.guards.clear();
  for (auto& loop : im.loops) loop->stop();
  for (auto& t : im.threads) t.join();
  im.threads.clear();
  im.acceptor.reset();
  // Destroying the loops closes the idle connections still parked on them.
  // If a request is still unanswered (the drain timed out), a Responder may
  // still post to its loop: then the loops live until the destructor.
  if (im.state->in_flight.load() == 0) im.loops.clear();
}

int64_t HttpServer::in_flight() const { return impl_->state->in_flight.load(); }

}  // namespace net
