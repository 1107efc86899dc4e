// ConnectionLimits: what keeps an HttpServer's clients from exhausting it -
// deadlines on every connection phase, a cap on open connections and a
// budget for request bytes buffered in memory. Part of HttpServerOptions;
// ddb-server and `cruddur serve` set it from their flags (see
// server/http_limit_flags.h for the flag names).
#pragma once

#include <cstdint>

namespace net {

struct ConnectionLimits {
  // Seconds for a request's header block to arrive, counted from its first
  // byte (a fresh connection: from accept). On expiry the connection closes;
  // with 408 Request Timeout first if part of a request arrived, quietly if
  // nothing did. 0 = no deadline. Flag --header-timeout-seconds.
  double header_timeout_seconds = 30;
  // Seconds for a request's body to arrive, counted from the end of its
  // header; time spent waiting for the buffered-bytes budget counts too. On
  // expiry: 408 Request Timeout, and the connection closes. 0 = no
  // deadline. Flag --body-timeout-seconds.
  double body_timeout_seconds = 60;
  // Seconds a keep-alive connection may sit between requests (after a
  // response, before the next request's first byte); then it is closed
  // quietly. 0 = no deadline. Flag --idle-timeout-seconds.
  double idle_timeout_seconds = 120;
  // Seconds to write one response; a client that does not read it in time
  // is disconnected. 0 = no deadline. Flag --write-timeout-seconds.
  double write_timeout_seconds = 60;
  // Open connections at most; 0 = derived from the process's open-file
  // limit (after HttpServer::Start raised it): the limit minus 1,024 for
  // files and other sockets, at least half the limit, at most 10,000
  // (net::DefaultMaxConnections). A connection over the cap is answered 503
  // Service Unavailable with `Connection: close` and closed. Flag
  // --max-connections.
  uint64_t max_connections = 0;
  // Bytes of request bodies received and not yet handed to the handler,
  // across all connections of the server (net::ByteBudget). When spent,
  // connections stop reading their bodies until bytes free up
  // (backpressure; the body deadline still runs). Raised to at least
  // max_body_bytes plus one read (64 KiB), so one request can always
  // finish. Flag --max-buffered-request-bytes.
  uint64_t max_buffered_request_bytes = uint64_t{256} << 20;
};

}  // namespace net
