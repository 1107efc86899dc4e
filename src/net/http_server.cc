#include "net/http_server.h"

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream_base.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <deque>
#include <list>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "base/ascii.h"
#include "net/accept_encoding.h"
#include "net/byte_budget.h"
#include "net/content_encoding.h"
#include "net/crc32.h"
#include "net/fd_limit.h"
#include "net/gzip.h"
#include "net/response_head.h"
#include "net/tls.h"

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

HttpResponse DefaultErrorResponse(unsigned status, std::string_view message) {
  HttpResponse res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "text/plain");
  res.body().assign(message);
  res.body() += '\n';
  return res;
}

}  // namespace

// One event loop: its io_context, its connections (for the deadline sweep)
// and the sweep timer. Member order matters: destroying the io_context
// destroys the connections parked on it, which unregister from `conns`.
struct Loop {
  std::list<Connection*> conns;
  asio::io_context ctx{1};
  asio::steady_timer sweep{ctx};
};

// State shared by the server and its connections. Connections hold it by
// shared_ptr, so a connection outliving the server object stays safe.
struct ServerState {
  HttpServerOptions options;
  HttpHandler handler;
  std::atomic<int64_t> in_flight{0};
  std::atomic<bool> stopping{false};
  std::atomic<int64_t> open_connections{0};
  std::atomic<int64_t> refusing{0};
  uint64_t max_connections = 0;  // the cap in force, set by Start
  std::unique_ptr<ByteBudget> budget;

  HttpResponse ErrorResponse(unsigned status, std::string_view message) const {
    if (options.error_response) return options.error_response(status, message);
    return DefaultErrorResponse(status, message);
  }
};

namespace {

using Clock = std::chrono::steady_clock;

// Largest single read from a socket; a body's budget is taken per read.
constexpr size_t kReadBytes = 64 << 10;
// Smallest read of a request's first bytes: a whole usual request (a PutItem
// with its header is ~700 bytes), so that it takes one receive, not two or
// three of Beast's natural 512. Idle connections keep a buffer this size.
constexpr size_t kHeaderReadBytes = 4096;
// Refused connections being answered at once; beyond this they just close.
constexpr int64_t kMaxRefusing = 256;

Clock::time_point DeadlineAfter(double seconds) {
  if (!(seconds > 0)) return Clock::time_point::max();
  return Clock::now() + std::chrono::duration_cast<Clock::duration>(
                            std::chrono::duration<double>(std::min(seconds, 1e9)));
}

// The sweep period: a tenth of the shortest deadline, within [10 ms, 1 s];
// zero if no deadline is configured.
Clock::duration SweepPeriod(const ConnectionLimits& l) {
  double shortest = 0;
  for (double t : {l.header_timeout_seconds, l.body_timeout_seconds, l.idle_timeout_seconds,
                   l.write_timeout_seconds}) {
    if (t > 0 && (shortest == 0 || t < shortest)) shortest = t;
  }
  if (shortest == 0) return Clock::duration::zero();
  double period = std::clamp(shortest / 10, 0.01, 1.0);
  return std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(period));
}

bool OutOfDescriptors(const error_code& ec) {
  return ec == asio::error::no_descriptors || ec == asio::error::no_buffer_space ||
         ec == asio::error::no_memory || ec == error_code(ENFILE, boost::system::system_category());
}

}  // namespace

// What a streaming response's handles (ResponseStream) share with its
// connection. The connection holds it strongly, the handles hold no
// reference to the connection: a handle dropped on another thread never
// destroys a connection off its loop. Writers post to the loop under `mu`
// only while `closed` is false; Stop() sets it (under `mu`) for every stream
// before it destroys the loops, so nothing posts to a loop that is gone.
struct StreamChannel {
  StreamChannel(asio::io_context::executor_type ex, size_t max_bytes, std::function<void()> done)
      : executor(ex), max_queued(max_bytes), on_close(std::move(done)) {}

  asio::io_context::executor_type executor;
  const size_t max_queued;
  std::mutex mu;
  std::deque<std::string> queue;  // bytes written, not yet framed or sent
  size_t queued = 0;
  bool closed = false;        // no more writes accepted
  bool end = false;           // write the last chunk once the queue is empty
  bool flush_posted = false;  // a Flush is on its way to the loop
  std::weak_ptr<Connection> conn;
  std::function<void()> on_close;  // taken (and called) once

  // Call with `mu` held.
  void PostFlushLocked();
  // Closes for writers, discards the queue and calls on_close (once).
  void Shut() {
    std::function<void()> done;
    {
      std::lock_guard<std::mutex> lock(mu);
      closed = true;
      queue.clear();
      queued = 0;
      done = std::move(on_close);
      on_close = nullptr;
    }
    if (done) done();
  }
};

// A connection's way to its client: the TCP socket, or TLS over it when the
// server has a TLS context (the plain path pays one branch per operation).
// Requests are read and responses written through it; draining and closing
// use the socket itself. Not movable: the TLS layer refers to the socket.
class Transport {
 public:
  Transport(Socket socket, TlsContext* tls) : socket_(std::move(socket)) {
    if (tls) tls_.emplace(socket_, tls->context());
  }
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  bool tls() const { return tls_.has_value(); }
  Socket& socket() { return socket_; }

  // The server side of the TLS handshake (only when tls()).
  template <class Handler>
  void Handshake(Handler&& handler) {
    tls_->async_handshake(asio::ssl::stream_base::server, std::forward<Handler>(handler));
  }
  template <class Buffers, class Handler>
  void ReadSome(const Buffers& buffers, Handler&& handler) {
    if (tls_) return tls_->async_read_some(buffers, std::forward<Handler>(handler));
    socket_.async_read_some(buffers, std::forward<Handler>(handler));
  }
  template <class Buffers, class Handler>
  void Write(const Buffers& buffers, Handler&& handler) {
    if (tls_) return asio::async_write(*tls_, buffers, std::forward<Handler>(handler));
    asio::async_write(socket_, buffers, std::forward<Handler>(handler));
  }
  template <class Handler>
  void WriteMessage(HttpResponse& res, Handler&& handler) {
    if (tls_) return http::async_write(*tls_, res, std::forward<Handler>(handler));
    http::async_write(socket_, res, std::forward<Handler>(handler));
  }

  // Errors of the TLS layer itself (a failed handshake, a bad record): the
  // connection is beyond answering.
  static bool TlsError(const error_code& ec) {
    return ec.category() == asio::error::get_ssl_category() ||
           ec.category() == asio::ssl::error::get_stream_category();
  }

 private:
  Socket socket_;
  // beast::ssl_stream: asio's TLS stream behind a flat_stream, which writes a
  // response's header and body as one TLS record instead of one each.
  std::optional<beast::ssl_stream<Socket&>> tls_;
};

std::string PeerAddress(const Socket& socket) {
  error_code ec;
  const auto endpoint = socket.remote_endpoint(ec);
  if (ec) return {};
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6());
  }
  return address.to_string();
}

// One client connection: reads a request, hands it to the handler, writes
// the response, repeats. All its work runs on its own event loop.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(Socket socket, std::shared_ptr<ServerState> state, Loop* loop)
      : remote_address_(PeerAddress(socket)),
        io_(std::move(socket), state->options.tls.get()),
        state_(std::move(state)),
        loop_(loop) {}

  // The client's address ("127.0.0.1", "::1"), taken once at accept so that
  // any thread may read it; empty if the socket could not tell.
  const std::string& remote_address() const { return remote_address_; }

  ~Connection() {
    // A request handed to the handler whose Responder vanished unanswered
    // (e.g. the event loop stopped) still counts as done.
    if (awaiting_response_) state_->in_flight.fetch_sub(1, std::memory_order_relaxed);
    state_->budget->Release(&account_);
    if (registered_) loop_->conns.erase(place_);
    state_->open_connections.fetch_sub(1, std::memory_order_relaxed);
  }

  void Start() {
    place_ = loop_->conns.insert(loop_->conns.end(), this);
    registered_ = true;
    if (!io_.tls()) return ReadRequest();
    // The first request's header deadline covers the handshake too.
    SetPhase(Phase::kHandshake, state_->options.limits.header_timeout_seconds);
    io_.Handshake([self = shared_from_this()](error_code ec) { self->OnHandshake(ec); });
  }

  Socket::executor_type executor() { return io_.socket().get_executor(); }
  Clock::time_point deadline() const { return deadline_; }

  // Any thread: queue `res` for writing on this connection's loop.
  // Hands the response to the connection's loop. Takes the caller's
  // reference: the calling thread (a worker) must keep none, or dropping it
  // after the loop has written the response could destroy the connection
  // off its loop, after HttpServer::Stop has destroyed the loop's services.
  static void Deliver(std::shared_ptr<Connection> self, HttpResponse&& res) {
    auto executor = self->io_.socket().get_executor();
    asio::dispatch(executor, [self = std::move(self), res = std::move(res)]() mutable {
      self->res_ = std::move(res);
      self->WriteResponse();
    });
  }

  static void DeliverUnanswered(std::shared_ptr<Connection> self) {
    HttpResponse res = self->state_->ErrorResponse(500, "The request handler did not answer");
    Deliver(std::move(self), std::move(res));
  }

  // The loop's sweep found the deadline passed.
  void OnDeadline() {
    const auto& limits = state_->options.limits;
    switch (phase_) {
      case Phase::kHandshake:  // no TLS session in time: close quietly
      case Phase::kIdle:       // nothing of a request arrived: close quietly
        return Close();
      case Phase::kHeader:
      case Phase::kBody: {
        const bool header = phase_ == Phase::kHeader;
        if (continue_writing_) return Close();
        StopReading();
        error_code ignored;
        io_.socket().cancel(ignored);
        PrepareRejection();
        char seconds[32];
        std::snprintf(seconds, sizeof seconds, "%g",
                      header ? limits.header_timeout_seconds : limits.body_timeout_seconds);
        return Reject(408, std::string("The request ") + (header ? "header" : "body") +
                               " did not arrive within " + seconds + " seconds");
      }
      case Phase::kWrite:  // the client does not read its response
        return Close();
      case Phase::kStream:  // nothing written for the idle timeout: end it
        deadline_ = Clock::time_point::max();
        return EndStream();
      case Phase::kHandler:
      case Phase::kDone:
        deadline_ = Clock::time_point::max();
        return;
    }
  }

 private:
  enum class Phase {
    kHandshake,  // TLS: the handshake, before the first request
    kIdle,       // waiting for the first byte of a request
    kHeader,     // reading a request's header block
    kBody,       // reading its body
    kHandler,    // the handler has the request
    kWrite,      // writing the response (or a stream's bytes)
    kStream,     // a stream between writes
    kDone,       // closed or closing
  };

  void SetPhase(Phase phase, double timeout_seconds) {
    phase_ = phase;
    deadline_ = DeadlineAfter(timeout_seconds);
  }

  void OnHandshake(error_code ec) {
    if (phase_ != Phase::kHandshake) return;  // timed out
    if (ec) return Close();                   // not TLS, or not ours: nothing to answer
    ReadRequest();
  }

  void ReadRequest() {
    if (state_->stopping.load(std::memory_order_relaxed)) return Close();
    const auto& limits = state_->options.limits;
    parser_.emplace();
    parser_->header_limit(state_->options.max_header_bytes);
    parser_->body_limit(state_->options.max_body_bytes);
    if (buffer_.size() == 0) {
      // Idle connections keep no large read buffer.
      if (buffer_.capacity() > kHeaderReadBytes) buffer_.shrink_to_fit();
      if (phase_ == Phase::kHandshake) {
        phase_ = Phase::kIdle;  // the handshake's deadline runs on
      } else {
        SetPhase(Phase::kIdle,
                 first_request_ ? limits.header_timeout_seconds : limits.idle_timeout_seconds);
      }
      first_request_ = false;
      return ReadHeaderBytes();
    }
    first_request_ = false;
    SetPhase(Phase::kHeader, limits.header_timeout_seconds);
    ParseHeader();
  }

  // Parses the header from what is buffered; reads more if incomplete.
  void ParseHeader() {
    if (buffer_.size() > 0) {
      error_code ec;
      size_t used = parser_->put(buffer_.data(), ec);
      buffer_.consume(used);
      if (ec && ec != http::error::need_more) return OnReadError(ec);
      if (parser_->is_header_done()) return OnHeader();
    }
    ReadHeaderBytes();
  }

  void ReadHeaderBytes() {
    io_.ReadSome(
        buffer_.prepare(std::max(beast::read_size(buffer_, kReadBytes), kHeaderReadBytes)),
        [self = shared_from_this()](error_code ec, size_t n) { self->OnHeaderBytes(ec, n); });
  }

  void OnHeaderBytes(error_code ec, size_t n) {
    if (phase_ != Phase::kIdle && phase_ != Phase::kHeader) return;  // timed out
    buffer_.commit(n);
    if (ec) return OnReadError(ec);
    if (phase_ == Phase::kIdle) {
      // The first bytes of a request: from now on its header has a deadline
      // (unless the whole request is here already, the usual case).
      phase_ = Phase::kHeader;
      error_code pec;
      size_t used = parser_->put(buffer_.data(), pec);
      buffer_.consume(used);
      if (pec && pec != http::error::need_more) return OnReadError(pec);
      if (parser_->is_header_done()) return OnHeader();
      SetPhase(Phase::kHeader, state_->options.limits.header_timeout_seconds);
      return ReadHeaderBytes();
    }
    ParseHeader();
  }

  void OnHeader() {
    if (parser_->is_done()) return OnRequest();
    phase_ = Phase::kBody;
    // Body bytes that came with the header were read before any budget was
    // taken: count them now.
    if (buffer_.size() > 0) state_->budget->Force(&account_, buffer_.size());
    if (ParseBufferedBody()) return;
    SetPhase(Phase::kBody, state_->options.limits.body_timeout_seconds);
    auto& req = parser_->get();
    auto expect = req[http::field::expect];
    if (!expect.empty() && base::AsciiEqualsIgnoreCase(expect, "100-continue") &&
        req.version() >= 11) {
      static constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
      continue_writing_ = true;
      io_.Write(asio::buffer(kContinue.data(), kContinue.size()),
                [self = shared_from_this()](error_code ec, size_t) {
                  self->continue_writing_ = false;
                  if (self->phase_ != Phase::kBody) return;
                  if (ec) return self->Close();
                  self->ReadBody();
                });
      return;
    }
    ReadBody();
  }

  // Feeds the buffered bytes to the body parser. True if that settled the
  // request (complete, or an error answered).
  bool ParseBufferedBody() {
    if (buffer_.size() == 0) return false;
    error_code ec;
    parser_->eager(true);
    size_t used = parser_->put(buffer_.data(), ec);
    buffer_.consume(used);
    if (ec && ec != http::error::need_more) {
      OnReadError(ec);
      return true;
    }
    if (parser_->is_done()) {
      OnRequest();
      return true;
    }
    return false;
  }

  // Reads the next chunk of the body, once the budget allows it.
  void ReadBody() {
    if (ParseBufferedBody()) return;
    // The parser consumes body bytes as they come; what it leaves buffered
    // is an unfinished chunk header (extensions) or trailer block, which
    // Beast does not limit: hold it to the header limit.
    if (buffer_.size() > state_->options.max_header_bytes) {
      StopReading();
      PrepareRejection();
      return Reject(state_->options.refusals.header_too_large,
                    "Chunk header or trailers exceed the limit of " +
                        std::to_string(state_->options.max_header_bytes) + " bytes");
    }
    uint64_t want = kReadBytes;
    if (auto rest = parser_->content_length_remaining()) {
      want = std::clamp<uint64_t>(*rest, 1, kReadBytes);
    }
    if (credit_ < want) {
      const uint64_t more = want - credit_;
      // The budget's line keeps the connection alive while it waits.
      auto wake = [self = shared_from_this(), more]() mutable {
        auto executor = self->executor();
        asio::post(executor, [self = std::move(self), more] { self->OnBudget(more); });
      };
      if (!state_->budget->Take(&account_, more, std::move(wake))) {
        waiting_budget_ = true;  // the body deadline keeps running
        return;
      }
      credit_ += more;
    }
    io_.ReadSome(
        buffer_.prepare(static_cast<size_t>(credit_)),
        [self = shared_from_this()](error_code ec, size_t n) { self->OnBodyBytes(ec, n); });
  }

  void OnBudget(uint64_t more) {
    // Released meanwhile (deadline, close): the bytes went back with the rest.
    if (phase_ != Phase::kBody || !waiting_budget_) return;
    waiting_budget_ = false;
    credit_ += more;
    ReadBody();
  }

  void OnBodyBytes(error_code ec, size_t n) {
    if (phase_ != Phase::kBody) return;  // timed out
    buffer_.commit(n);
    credit_ -= std::min<uint64_t>(credit_, n);
    if (ec) return OnReadError(ec);
    ReadBody();
  }

  // Gives back the request's budget.
  void StopReading() {
    state_->budget->Release(&account_);
    credit_ = 0;
    waiting_budget_ = false;
  }

  // The connection will not read another request after this rejection.
  void PrepareRejection() {
    unread_input_ = true;
    keep_alive_ = false;
    version_ = 11;
    response_coding_.reset();
  }

  void OnReadError(error_code ec) {
    if (ec == http::error::end_of_stream || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::operation_aborted ||
        ec == http::error::partial_message || Transport::TlsError(ec)) {
      return Close();
    }
    StopReading();
    PrepareRejection();
    if (ec == http::error::body_limit) {
      return Reject(413, "Request body exceeds the limit of " +
                             std::to_string(state_->options.max_body_bytes) + " bytes");
    }
    if (ec == http::error::header_limit) {
      return Reject(state_->options.refusals.header_too_large,
                    "Request line and headers exceed the limit of " +
                        std::to_string(state_->options.max_header_bytes) + " bytes");
    }
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
    SetPhase(Phase::kHandler, 0);
    if (!BeginRequest()) return;
    res_ = state_->ErrorResponse(status, message);
    WriteResponse();
  }

  void OnRequest() {
    SetPhase(Phase::kHandler, 0);
    if (!BeginRequest()) return;
    HttpRequest req = parser_->release();
    parser_.reset();
    StopReading();  // the body is the handler's now
    version_ = req.version();
    keep_alive_ = req.keep_alive();
    // Of repeated Accept-Encoding fields DynamoDB reads the last.
    response_coding_.reset();
    for (auto [it, end] = req.equal_range(http::field::accept_encoding); it != end; ++it) {
      response_coding_ = NegotiateResponseCoding(it->value());
    }

    const auto& refusals = state_->options.refusals;
    auto [first, end] = req.equal_range(http::field::content_encoding);
    if (first != end) {
      const BodyCoding body_coding =
          std::next(first) != end ? BodyCoding::kUnsupported : ParseContentEncoding(first->value());
      if (body_coding == BodyCoding::kUnsupported) {
        std::string named(first->value().substr(0, 64));
        if (std::next(first) != end) named += ", ...";
        return Reject(refusals.unsupported_coding, "Unsupported Content-Encoding: " + named);
      }
      if (body_coding != BodyCoding::kIdentity) {
        const bool deflate = body_coding == BodyCoding::kDeflate;
        const Coding coding = deflate ? Coding::kDeflate : Coding::kGzip;
        const InflateResult inflated =
            Inflate(coding, req.body(), &scratch_, state_->options.max_body_bytes);
        if (inflated == InflateResult::kOk) {
          req.body().swap(scratch_);
          ReleaseScratch();
        } else {
          ReleaseScratch();
          if (inflated == InflateResult::kTooLarge) {
            keep_alive_ = false;
            return Reject(413, "Request body exceeds the limit of " +
                                   std::to_string(state_->options.max_body_bytes) +
                                   " bytes once decompressed");
          }
          return Reject(refusals.undecodable_body, deflate
                                                       ? "Request body is not valid deflate data"
                                                       : "Request body is not valid gzip data");
        }
      }
      req.erase(http::field::content_encoding);
      req.content_length(req.body().size());
    }

    // The handler may answer inline (Deliver then writes at once, since we
    // are on this connection's loop) or later from another thread.
    state_->handler(std::move(req), Responder(shared_from_this()));
  }

  void WriteResponse() {
    if (!awaiting_response_) return;  // a second Send: ignore
    SetPhase(Phase::kWrite, state_->options.limits.write_timeout_seconds);
    res_.version(version_);
    res_.keep_alive(keep_alive_ && !state_->stopping.load(std::memory_order_relaxed));
    const auto& opts = state_->options;
    if (response_coding_ && res_.body().size() >= opts.gzip_min_bytes &&
        res_.find(http::field::content_encoding) == res_.end()) {
      if (Deflate(*response_coding_, res_.body(), &scratch_, opts.gzip_level) &&
          scratch_.size() < res_.body().size()) {
        res_.body().swap(scratch_);
        res_.set(http::field::content_encoding,
                 *response_coding_ == Coding::kGzip ? "gzip" : "deflate");
      }
      ReleaseScratch();
    }
    if (!opts.crc32_header.empty()) {
      char digits[16];
      auto [end, ec] = std::to_chars(digits, digits + sizeof digits, Crc32(res_.body()));
      res_.set(opts.crc32_header, std::string_view(digits, end - digits));
    }
    res_.prepare_payload();
    // TLS keeps Beast's serializer: the gathered write below, through
    // beast::ssl_stream, stalled on a 100 KB body (TlsServerTest) and was not
    // chased further; the plain path is the one that carries the load.
    if (io_.tls()) {
      return io_.WriteMessage(
          res_, [self = shared_from_this()](error_code ec, size_t) { self->OnWrite(ec); });
    }
    head_.clear();
    AppendResponseHead(res_, &head_);
    const std::array<asio::const_buffer, 2> bytes{asio::buffer(head_), asio::buffer(res_.body())};
    io_.Write(bytes, [self = shared_from_this()](error_code ec, size_t) { self->OnWrite(ec); });
  }

  // An idle keep-alive connection keeps no large buffer from its last
  // request or response.
  void ReleaseScratch() {
    if (scratch_.capacity() > (64u << 10)) std::string().swap(scratch_);
  }

  void OnWrite(error_code ec) {
    awaiting_response_ = false;
    state_->in_flight.fetch_sub(1, std::memory_order_relaxed);
    const bool keep = res_.keep_alive();
    res_ = HttpResponse();
    if (ec || phase_ == Phase::kDone) return Close();
    if (!keep) return unread_input_ ? CloseAfterDrain() : Close();
    ReadRequest();
  }

  void Close() {
    SetPhase(Phase::kDone, 0);
    StopReading();
    error_code ignored;
    io_.socket().shutdown(Socket::shutdown_both, ignored);
    io_.socket().close(ignored);
    if (stream_) FinishStream();
  }

 public:
  // ---- streaming responses (ResponseStream) ----

  // On the loop: the handler answered with a stream.
  void StartStream(HttpResponse&& head, std::shared_ptr<StreamChannel> ch) {
    if (!awaiting_response_ || stream_) {  // answered already: refuse the stream
      ch->Shut();
      return;
    }
    stream_ = std::move(ch);
    head.version(version_);
    head.keep_alive(false);
    head.body().clear();
    head.erase(http::field::content_length);
    stream_chunked_ = version_ >= 11;
    if (stream_chunked_) head.set(http::field::transfer_encoding, "chunked");
    if (response_coding_ && head.find(http::field::content_encoding) == head.end()) {
      stream_deflater_ =
          std::make_unique<StreamDeflater>(*response_coding_, state_->options.gzip_level);
      head.set(http::field::content_encoding,
               *response_coding_ == Coding::kGzip ? "gzip" : "deflate");
    }
    std::ostringstream out;
    out << head.base();
    stream_head_ = out.str();
    WatchPeer();
    FlushStream();
  }

  // On the loop: writes what is queued (the last chunk too once ended).
  void FlushStream() {
    if (!stream_ || phase_ == Phase::kDone || stream_writing_) return;
    std::deque<std::string> pieces;
    bool last = false;
    {
      std::lock_guard<std::mutex> lock(stream_->mu);
      stream_->flush_posted = false;
      pieces.swap(stream_->queue);
      stream_->queued = 0;
      if (stream_->end && !last_chunk_sent_) last_chunk_sent_ = last = true;
    }
    std::string bytes = std::move(stream_head_);
    stream_head_.clear();
    if (stream_deflater_ && (!pieces.empty() || last)) {
      // One compressed chunk per flush; the last one ends the coding too.
      std::string packed;
      for (size_t i = 0; i < pieces.size(); ++i) {
        const bool finish = last && i + 1 == pieces.size();
        if (!stream_deflater_->Write(pieces[i], finish, &packed)) return Close();
      }
      if (pieces.empty() && !stream_deflater_->Write({}, true, &packed)) return Close();
      pieces.clear();
      if (!packed.empty()) pieces.push_back(std::move(packed));
    }
    for (const std::string& piece : pieces) AppendFramed(piece, &bytes);
    if (last && stream_chunked_) bytes += "0\r\n\r\n";
    if (bytes.empty()) {
      if (last_chunk_sent_) return Close();
      return SetPhase(Phase::kStream, state_->options.limits.idle_timeout_seconds);
    }
    stream_writing_ = true;
    stream_out_ = std::move(bytes);
    SetPhase(Phase::kWrite, state_->options.limits.write_timeout_seconds);
    io_.Write(asio::buffer(stream_out_), [self = shared_from_this(), last](error_code ec, size_t) {
      self->stream_writing_ = false;
      self->stream_out_.clear();
      if (ec || last || self->phase_ == Phase::kDone) return self->Close();
      self->FlushStream();
    });
  }

  // On the loop: ends the stream after what is queued.
  void EndStream() {
    if (!stream_) return;
    {
      std::lock_guard<std::mutex> lock(stream_->mu);
      stream_->closed = true;
      stream_->end = true;
    }
    FlushStream();
  }

  // On the loop, when the server stops: a stream ends, with a second for
  // its last bytes.
  void OnServerStop() {
    if (!stream_ || phase_ == Phase::kDone) return;
    EndStream();
    drain_timer_.emplace(io_.socket().get_executor());
    drain_timer_->expires_after(std::chrono::seconds(1));
    drain_timer_->async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->Close();
    });
  }

  // After the loops stopped: no writer may post to them any more.
  void ShutStream() {
    if (stream_) stream_->Shut();
  }

 private:
  // Appends `bytes` to `*out` as the stream frames it: one chunk over
  // HTTP/1.1, bare over HTTP/1.0.
  void AppendFramed(std::string_view bytes, std::string* out) const {
    if (bytes.empty()) return;
    if (!stream_chunked_) {
      out->append(bytes);
      return;
    }
    char size[20];
    int n = std::snprintf(size, sizeof size, "%zx\r\n", bytes.size());
    out->append(size, static_cast<size_t>(n)).append(bytes).append("\r\n");
  }

  // The stream is over: the response counts as written, writers learn it.
  void FinishStream() {
    auto ch = std::move(stream_);
    stream_.reset();
    if (awaiting_response_) {
      awaiting_response_ = false;
      state_->in_flight.fetch_sub(1, std::memory_order_relaxed);
    }
    if (drain_timer_) drain_timer_->cancel();
    ch->Shut();
  }

  // Reads (and discards) what the client sends during a stream, to notice
  // when it goes away. Straight from the socket (with TLS too: nothing is
  // read through TLS after this, and the stream's writes are never held up
  // by a TLS read).
  void WatchPeer() {
    if (!drain_buf_) drain_buf_ = std::make_unique<char[]>(kDrainBufBytes);
    io_.socket().async_read_some(asio::buffer(drain_buf_.get(), kDrainBufBytes),
                                 [self = shared_from_this()](error_code ec, size_t n) {
                                   self->drained_ += n;
                                   if (!self->stream_) return;
                                   if (ec || self->drained_ > kMaxDrainBytes) return self->Close();
                                   self->WatchPeer();
                                 });
  }

 private:
  // The client may still be sending a body we refused; closing with unread
  // data would reset the connection and could destroy our response before
  // the client reads it. Half-close, then read and discard for a while.
  void CloseAfterDrain() {
    SetPhase(Phase::kDone, 0);
    StopReading();
    error_code ignored;
    io_.socket().shutdown(Socket::shutdown_send, ignored);
    drain_timer_.emplace(io_.socket().get_executor());
    drain_timer_->expires_after(std::chrono::seconds(5));
    drain_timer_->async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->Close();
    });
    drain_buf_ = std::make_unique<char[]>(kDrainBufBytes);
    Drain();
  }

  // Straight from the socket, TLS or not: the bytes are thrown away.
  void Drain() {
    io_.socket().async_read_some(asio::buffer(drain_buf_.get(), kDrainBufBytes),
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

  const std::string remote_address_;
  Transport io_;
  std::shared_ptr<ServerState> state_;
  Loop* loop_;
  std::list<Connection*>::iterator place_;
  bool registered_ = false;
  Phase phase_ = Phase::kIdle;
  Clock::time_point deadline_ = Clock::time_point::max();
  bool first_request_ = true;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  ByteBudget::Account account_;
  uint64_t credit_ = 0;  // budget taken and not yet filled by reads
  bool waiting_budget_ = false;
  bool continue_writing_ = false;
  HttpResponse res_;
  std::string head_;     // res_'s status line and fields, as written (response_head.h)
  std::string scratch_;  // gzip in/out, reused across requests
  unsigned version_ = 11;
  bool keep_alive_ = true;
  // The coding of this request's response (Accept-Encoding), if any.
  std::optional<Coding> response_coding_;
  bool awaiting_response_ = false;
  bool unread_input_ = false;
  std::optional<asio::steady_timer> drain_timer_;
  std::unique_ptr<char[]> drain_buf_;
  uint64_t drained_ = 0;
  std::shared_ptr<StreamChannel> stream_;  // while answering with a stream
  bool stream_writing_ = false;
  bool last_chunk_sent_ = false;
  std::string stream_out_;   // the bytes being written
  std::string stream_head_;  // the stream's status and headers, until sent
  bool stream_chunked_ = true;
  std::unique_ptr<StreamDeflater> stream_deflater_;  // a compressed stream's coder
};

void StreamChannel::PostFlushLocked() {
  if (flush_posted) return;
  flush_posted = true;
  asio::post(executor, [w = conn] {
    if (auto c = w.lock()) c->FlushStream();
  });
}

// ---- ResponseStream ----

ResponseStream::ResponseStream(std::shared_ptr<StreamChannel> channel)
    : channel_(std::move(channel)) {}

bool ResponseStream::Write(std::string_view bytes) {
  if (!channel_ || bytes.empty()) return false;
  StreamChannel& ch = *channel_;
  std::lock_guard<std::mutex> lock(ch.mu);
  if (ch.closed) return false;
  if (ch.queued + bytes.size() > ch.max_queued) {
    // Too slow a reader: drop what waits and end the stream cleanly.
    ch.queue.clear();
    ch.queued = 0;
    ch.closed = true;
    ch.end = true;
    ch.PostFlushLocked();
    return false;
  }
  ch.queue.emplace_back(bytes);
  ch.queued += bytes.size();
  ch.PostFlushLocked();
  return true;
}

void ResponseStream::End() {
  if (!channel_) return;
  std::lock_guard<std::mutex> lock(channel_->mu);
  if (channel_->closed) return;
  channel_->closed = true;
  channel_->end = true;
  channel_->PostFlushLocked();
}

bool ResponseStream::closed() const {
  if (!channel_) return true;
  std::lock_guard<std::mutex> lock(channel_->mu);
  return channel_->closed;
}

// A connection over the cap: answered 503 with `Connection: close` (after
// the TLS handshake, with TLS), then half-closed and drained, all within a
// second (so the client reads the answer instead of a reset), then closed.
class Refusal : public std::enable_shared_from_this<Refusal> {
 public:
  Refusal(Socket socket, std::shared_ptr<ServerState> state)
      : io_(std::move(socket), state->options.tls.get()),
        state_(std::move(state)),
        timer_(io_.socket().get_executor()) {}
  ~Refusal() { state_->refusing.fetch_sub(1, std::memory_order_relaxed); }

  void Start() {
    res_ = state_->ErrorResponse(503, "Too many open connections; try again later");
    res_.keep_alive(false);
    res_.prepare_payload();
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([self = shared_from_this()](error_code ec) {
      if (!ec) self->Close();
    });
    if (!io_.tls()) return Answer();
    io_.Handshake([self = shared_from_this()](error_code ec) {
      if (ec) return self->Close();
      self->Answer();
    });
  }

 private:
  void Answer() {
    io_.WriteMessage(res_, [self = shared_from_this()](error_code ec, size_t) {
      if (ec) return self->Close();
      error_code ignored;
      self->io_.socket().shutdown(Socket::shutdown_send, ignored);
      self->Drain();
    });
  }

  void Drain() {
    io_.socket().async_read_some(asio::buffer(buf_),
                                 [self = shared_from_this()](error_code ec, size_t n) {
                                   self->drained_ += n;
                                   if (ec || self->drained_ > kMaxDrainBytes) return self->Close();
                                   self->Drain();
                                 });
  }

  void Close() {
    error_code ignored;
    timer_.cancel();
    io_.socket().shutdown(Socket::shutdown_both, ignored);
    io_.socket().close(ignored);
  }

  static constexpr uint64_t kMaxDrainBytes = 64 << 10;
  Transport io_;
  std::shared_ptr<ServerState> state_;
  asio::steady_timer timer_;
  HttpResponse res_;
  std::array<char, 4096> buf_;
  uint64_t drained_ = 0;
};

// ---- Responder ----

Responder::Responder(std::shared_ptr<Connection> conn) : conn_(std::move(conn)) {}

std::string Responder::remote_address() const {
  return conn_ ? conn_->remote_address() : std::string();
}

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

ResponseStream Responder::Stream(HttpResponse&& head, StreamOptions options) {
  if (!conn_) return ResponseStream();
  auto ch = std::make_shared<StreamChannel>(conn_->executor(), options.max_queued_bytes,
                                            std::move(options.on_close));
  ch->conn = conn_;
  auto executor = conn_->executor();
  asio::dispatch(executor, [conn = std::move(conn_), head = std::move(head), ch]() mutable {
    conn->StartStream(std::move(head), std::move(ch));
  });
  return ResponseStream(std::move(ch));
}

// ---- HttpServer ----

struct HttpServer::Impl {
  std::shared_ptr<ServerState> state = std::make_shared<ServerState>();
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<std::unique_ptr<Loop>> loops;
  std::vector<Guard> guards;
  std::vector<std::thread> threads;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::unique_ptr<asio::steady_timer> backoff_timer;  // on loops[0]
  Clock::duration backoff{};
  std::atomic<uint64_t> backoffs{0};
  Clock::duration sweep_period{};
  size_t next_loop = 0;
  bool running = false;

  void Accept() {
    Loop& target = *loops[next_loop];
    next_loop = (next_loop + 1) % loops.size();
    auto socket = std::make_shared<Socket>(target.ctx.get_executor());
    acceptor->async_accept(*socket, [this, socket, &target](error_code ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) return;
      if (OutOfDescriptors(ec)) return BackOff(ec);
      backoff = Clock::duration::zero();
      if (!ec) Admit(std::move(*socket), target);
      // Other accept errors (e.g. the client already gone): keep accepting.
      Accept();
    });
  }

  // Out of file descriptors (or memory): retrying at once would spin, so
  // wait 50 ms, doubling up to 1 s while it lasts.
  void BackOff(const error_code& ec) {
    using std::chrono::milliseconds;
    const bool first = backoff == Clock::duration::zero();
    backoff = first ? Clock::duration(milliseconds(50))
                    : std::min<Clock::duration>(backoff * 2, milliseconds(1000));
    backoffs.fetch_add(1, std::memory_order_relaxed);
    if (first) {
      std::fprintf(stderr, "http server: cannot accept connections (%s); backing off\n",
                   ec.message().c_str());
    }
    backoff_timer->expires_after(backoff);
    backoff_timer->async_wait([this](error_code ec) {
      if (ec || !acceptor->is_open()) return;
      Accept();
    });
  }

  void Admit(Socket socket, Loop& target) {
    error_code ignored;
    socket.set_option(tcp::no_delay(true), ignored);
    const auto open = state->open_connections.load(std::memory_order_relaxed);
    if (static_cast<uint64_t>(open) >= state->max_connections) {
      if (state->refusing.fetch_add(1, std::memory_order_relaxed) >= kMaxRefusing) {
        state->refusing.fetch_sub(1, std::memory_order_relaxed);
        socket.close(ignored);
        return;
      }
      auto refusal = std::make_shared<Refusal>(std::move(socket), state);
      asio::post(target.ctx, [refusal] { refusal->Start(); });
      return;
    }
    state->open_connections.fetch_add(1, std::memory_order_relaxed);
    // The connection starts on its own loop; it lives there from now on.
    auto conn = std::make_shared<Connection>(std::move(socket), state, &target);
    asio::post(conn->executor(), [conn] { conn->Start(); });
  }

  // Every sweep period, on each loop: connections past their deadline.
  void Sweep(Loop* loop) {
    loop->sweep.expires_after(sweep_period);
    loop->sweep.async_wait([this, loop](error_code ec) {
      if (ec) return;
      const auto now = Clock::now();
      std::vector<std::shared_ptr<Connection>> due;
      for (Connection* c : loop->conns) {
        if (c->deadline() <= now) {
          if (auto held = c->weak_from_this().lock()) due.push_back(std::move(held));
        }
      }
      for (auto& c : due) c->OnDeadline();
      due.clear();
      Sweep(loop);
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
  auto& st = *im.state;
  st.handler = std::move(handler);
  const auto& limits = st.options.limits;
  const uint64_t fd_limit = RaiseOpenFileLimit();
  st.max_connections =
      limits.max_connections > 0 ? limits.max_connections : DefaultMaxConnections(fd_limit);
  st.budget = std::make_unique<ByteBudget>(limits.max_buffered_request_bytes,
                                           st.options.max_body_bytes + kReadBytes);
  im.sweep_period = SweepPeriod(limits);
  unsigned n = st.options.threads;
  if (n == 0) n = std::max(1u, std::thread::hardware_concurrency());
  for (unsigned i = 0; i < n; ++i) {
    im.loops.push_back(std::make_unique<Loop>());
    im.guards.emplace_back(im.loops.back()->ctx.get_executor());
  }
  auto unwind = [&] {
    im.acceptor.reset();
    im.guards.clear();
    im.loops.clear();
  };

  error_code ec;
  tcp::endpoint endpoint;
  auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoint = tcp::endpoint(address, port);
  } else {
    tcp::resolver resolver(im.loops[0]->ctx);
    auto results = resolver.resolve(host, std::to_string(port), ec);
    if (ec || results.empty()) {
      if (error) *error = "cannot resolve host '" + host + "': " + ec.message();
      unwind();
      return false;
    }
    endpoint = results.begin()->endpoint();
  }

  im.acceptor = std::make_unique<tcp::acceptor>(im.loops[0]->ctx);
  auto fail = [&](const char* what) {
    if (error)
      *error = std::string(what) + " " + endpoint.address().to_string() + ":" +
               std::to_string(endpoint.port()) + ": " + ec.message();
    unwind();
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
  im.backoff_timer = std::make_unique<asio::steady_timer>(im.loops[0]->ctx);

  im.Accept();
  for (auto& loop : im.loops) {
    if (im.sweep_period > Clock::duration::zero()) im.Sweep(loop.get());
    im.threads.emplace_back([ctx = &loop->ctx] {
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
  // Stop accepting and sweeping, on the loops' own threads.
  asio::post(im.loops[0]->ctx, [&im] {
    error_code ignored;
    im.acceptor->close(ignored);
    im.backoff_timer->cancel();
  });
  for (auto& loop : im.loops) {
    asio::post(loop->ctx, [l = loop.get()] {
      l->sweep.cancel();
      // Streams end now (their last chunk), not when the drain runs out.
      std::vector<std::shared_ptr<Connection>> conns;
      for (Connection* c : l->conns) {
        if (auto held = c->weak_from_this().lock()) conns.push_back(std::move(held));
      }
      for (auto& c : conns) c->OnServerStop();
    });
  }
  // Let requests already received finish and their responses go out.
  auto deadline = Clock::now() + std::chrono::milliseconds(drain_ms);
  while (im.state->in_flight.load() > 0 && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  im.guards.clear();
  for (auto& loop : im.loops) loop->ctx.stop();
  for (auto& t : im.threads) t.join();
  im.threads.clear();
  // Streams still open (their client did not read) accept no more writes,
  // so no writer posts to a loop about to be destroyed.
  for (auto& loop : im.loops) {
    for (Connection* c : loop->conns) c->ShutStream();
  }
  im.backoff_timer.reset();
  im.acceptor.reset();
  // Connections waiting for budget are held by the budget's line: let go of
  // them while their loops still exist.
  im.state->budget->Shutdown();
  // Destroying the loops closes the idle connections still parked on them.
  // If a request is still unanswered (the drain timed out), a Responder may
  // still post to its loop: then the loops live until the destructor.
  if (im.state->in_flight.load() == 0) im.loops.clear();
}

int64_t HttpServer::in_flight() const { return impl_->state->in_flight.load(); }

int64_t HttpServer::open_connections() const {
  return impl_->state->open_connections.load(std::memory_order_relaxed);
}

uint64_t HttpServer::max_connections() const { return impl_->state->max_connections; }

uint64_t HttpServer::buffered_request_bytes() const {
  return impl_->state->budget ? impl_->state->budget->used() : 0;
}

size_t HttpServer::connections_waiting_for_budget() const {
  return impl_->state->budget ? impl_->state->budget->waiting() : 0;
}

uint64_t HttpServer::accept_backoffs() const {
  return impl_->backoffs.load(std::memory_order_relaxed);
}

}  // namespace net
