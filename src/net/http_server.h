// HttpServer: a multi-threaded HTTP/1.1 server on Boost.Beast.
//
// Threading: `threads` event loops (one io_context per thread); the acceptor
// hands connections out round-robin, and each connection lives on one loop
// for its whole life, so a connection needs no locks. The handler is called on
// the connection's loop; it may answer at once or hand the Responder to
// another thread (a worker pool) and answer from there: the response is
// posted back to the connection's loop. The handler must never block the
// loop on disk.
//
// Per connection: keep-alive, and one request at a time in arrival order
// (pipelined requests wait in the read buffer until the previous response is
// written). Request bodies over `max_body_bytes` get 413 and the connection
// closes. `Content-Encoding: gzip` or `deflate` bodies, with Content-Length
// or chunked, are inflated (same limit, checked while inflating, so memory
// stays bounded) before the handler sees them (net/content_encoding.h);
// `Expect: 100-continue` is answered. Responses of at least
// `gzip_min_bytes` are compressed with the coding the request's
// Accept-Encoding prefers (net/accept_encoding.h), streams whatever their
// size. When `crc32_header` is set, every response carries the CRC32 of the
// body bytes as sent (after compression), in decimal.
//
// Every request the server refuses itself gets a whole HTTP response (the
// status, the ErrorResponder's body, `Connection: close` unless the request
// was read in full) and never more memory than the limits: the request line
// and header block together at most `max_header_bytes`, a chunk header or
// the trailers at most that too.
//
// Protection from clients (`limits`, see net/connection_limits.h): every
// connection phase has a deadline (waiting for a request, its header, its
// body, writing the response; none while the handler works), checked by one
// sweep timer per event loop, so a deadline fires up to a tenth of the
// shortest timeout late (between 10 ms and 1 s). Open connections are
// capped; over the cap a client gets 503 with `Connection: close`. Request
// bodies are read in chunks of at most 64 KiB, each taken from a budget
// shared by all connections (net/byte_budget.h) and given back when the
// request reaches the handler; when it is spent, connections stop reading
// until it frees up. If accepting fails for lack of file descriptors (or
// memory) the acceptor waits (50 ms, doubling up to 1 s) instead of
// retrying at once. Start raises the process's open-file soft limit to its
// hard limit (net/fd_limit.h).
//
// TLS (`tls`, net/tls.h): every accepted connection first does a TLS
// handshake, on its event loop and under the header deadline, which then
// runs on until the first request's first byte (a client that connects and
// sends nothing is closed when it expires). A failed handshake (plain HTTP,
// garbage) just closes the connection, unlogged. Connections over the cap
// get their 503 over TLS too, within the same second.
#pragma once

#include <atomic>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "net/connection_limits.h"

namespace net {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

class Connection;
class HttpServer;
class TlsContext;
struct StreamChannel;

// How a streaming response (Responder::Stream) behaves.
struct StreamOptions {
  // Bytes queued by Write and not yet handed to the socket, at most. A Write
  // beyond it drops the subscriber: the queue is discarded, the stream ends
  // cleanly (its last chunk) and the connection closes; Write returns false.
  size_t max_queued_bytes = 256u << 10;
  // Called once when the stream is over for any reason (End, the client
  // gone, dropped as too slow, a deadline, HttpServer::Stop), on an event
  // loop thread or the thread calling Stop, with no lock of the stream
  // held: it may call Write (which then returns false).
  std::function<void()> on_close;
};

// A streaming response, begun with Responder::Stream: the status and headers
// go out first, then each Write as one chunk (Transfer-Encoding: chunked;
// an HTTP/1.0 client gets the bytes unframed), then End's last chunk, and
// the connection closes (a stream is never followed by another request).
// A copyable handle; every method may be called from any thread.
//
// Deadlines (ConnectionLimits): writing queued bytes must finish within
// write_timeout_seconds, else the connection is dropped; a stream with no
// Write for idle_timeout_seconds is ended (cleanly), so a stream that must
// stay open sends heartbeats more often than that. HttpServer::Stop ends
// every stream (queued bytes and the last chunk get up to one second) and
// waits for that like for any response. A stream is compressed when the
// request accepts gzip or deflate (Content-Encoding set on the head; each
// flush of queued writes is one chunk that decodes on its own, zlib's sync
// flush), unless the head sets a Content-Encoding itself; it never carries
// the CRC32 header. A stream whose handles are all dropped without End
// stays open until its idle deadline.
class ResponseStream {
 public:
  ResponseStream() = default;  // closed

  // Queues `bytes` (non-empty) as one chunk (uncompressed streams; a
  // compressed one sends each flush as one chunk). False if the stream is closed
  // or this Write overflowed the queue (see StreamOptions).
  bool Write(std::string_view bytes);
  // Ends the stream after the queued chunks. Idempotent.
  void End();
  // True once the stream accepts no more writes.
  bool closed() const;

 private:
  friend class Responder;
  explicit ResponseStream(std::shared_ptr<StreamChannel> channel);
  std::shared_ptr<StreamChannel> channel_;
};

// The one-shot way to answer a request. Movable, not copyable. Send may be
// called from any thread; a Responder destroyed without sending answers 500.
// A Responder must not outlive its HttpServer (drain worker pools first).
class Responder {
 public:
  Responder() = default;
  explicit Responder(std::shared_ptr<Connection> conn);
  Responder(Responder&&) noexcept = default;
  Responder& operator=(Responder&&) noexcept;
  ~Responder();

  // Sends `response` (status, headers, body). The server sets
  // Content-Length, Connection and, as configured, Content-Encoding and the
  // CRC32 header.
  void Send(HttpResponse&& response);

  // Answers with a stream instead (see ResponseStream): `head` is the
  // status and headers (its body is ignored). The server sets
  // Transfer-Encoding and Connection: close.
  ResponseStream Stream(HttpResponse&& head, StreamOptions options = {});

  explicit operator bool() const { return conn_ != nullptr; }

  // The client's IP address as text ("127.0.0.1", "::1"), for logs; empty
  // once answered or when unknown. Any thread.
  std::string remote_address() const;

 private:
  std::shared_ptr<Connection> conn_;
};

using HttpHandler = std::function<void(HttpRequest&&, Responder)>;

// Builds the response for a request the server itself rejects (body too
// large: 413, header block too large, unsupported Content-Encoding, a body
// that does not inflate: see RefusalStatuses, malformed HTTP: 400, a
// deadline missed: 408, over the connection cap: 503) with `message`
// describing the problem.
using ErrorResponder = std::function<HttpResponse(unsigned status, std::string_view message)>;

// The statuses of the refusals whose answer differs between protocols. The
// defaults are RFC 9110's; ddb-server uses DynamoDB's (see
// server::MakeHttpServerOptions).
struct RefusalStatuses {
  // The request line and header block exceed max_header_bytes (also a
  // chunk header or the trailers of a chunked body).
  unsigned header_too_large = 431;
  // A Content-Encoding other than gzip, x-gzip, deflate or identity, or a
  // list of codings.
  unsigned unsupported_coding = 415;
  // A gzip or deflate body that does not inflate: not that format,
  // truncated, empty, a bad checksum, or bytes after its end.
  unsigned undecodable_body = 400;
};

struct HttpServerOptions {
  // Event-loop threads; 0 = the number of cores.
  unsigned threads = 0;
  // Largest request body accepted (after gzip inflation too).
  uint64_t max_body_bytes = 16u << 20;
  // Largest request line plus header block (refusals.header_too_large
  // beyond). Keep it at most 64 KiB: Beast stores a field's size in 16 bits
  // and throws on a longer field, which would drop the connection without
  // an answer instead of this limit's refusal.
  uint32_t max_header_bytes = 64u << 10;
  // Responses with bodies smaller than this are never compressed (streams
  // are compressed whatever their size).
  size_t gzip_min_bytes = 1024;
  // zlib level for response compression (1 = fastest).
  int gzip_level = 1;
  // If non-empty, the header carrying the CRC32 of each response body.
  std::string crc32_header;
  // Builds the server's own error responses (also 408 on a deadline and
  // 503 over the connection cap); if empty, a text/plain body.
  ErrorResponder error_response;
  // The statuses of those refusals that differ between protocols.
  RefusalStatuses refusals;
  // Deadlines, connection cap and buffered-bytes budget (each field says its
  // default; see net/connection_limits.h).
  ConnectionLimits limits;
  // If set, HTTPS: the certificate and key every connection's TLS handshake
  // uses (LoadTlsContext); null = plain HTTP.
  std::shared_ptr<TlsContext> tls;
};

class HttpServer {
 public:
  explicit HttpServer(HttpServerOptions options = {});
  ~HttpServer();  // Stop()s if running
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port (port 0 = an ephemeral port, see port()), starts the
  // event-loop threads and accepts connections. Returns false and fills
  // `*error` if the address cannot be bound.
  bool Start(const std::string& host, uint16_t port, HttpHandler handler, std::string* error);

  // The bound port (the real one when Start was given 0).
  uint16_t port() const { return port_; }

  // Stops accepting, waits (up to `drain_ms`) until every request already
  // received has been answered and its response written, then closes all
  // connections and joins the threads. Idempotent. Must not be called from a
  // handler or an event-loop thread.
  void Stop(int drain_ms = 10000);

  // Requests received and not yet answered-and-written.
  int64_t in_flight() const;

  // Open connections (refused ones not counted).
  int64_t open_connections() const;
  // The connection cap in force (limits.max_connections, or the one derived
  // from the open-file limit); 0 before Start.
  uint64_t max_connections() const;
  // Request-body bytes currently held against the budget, and connections
  // waiting for budget.
  uint64_t buffered_request_bytes() const;
  size_t connections_waiting_for_budget() const;
  // Times accepting failed for lack of descriptors or memory.
  uint64_t accept_backoffs() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  uint16_t port_ = 0;
};

}  // namespace net
