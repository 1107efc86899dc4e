// HttpClient: HTTP/1.1 requests over http:// and https:// with connection
// reuse (keep-alive) and per-request timeouts. Thread-safe: any number of
// threads may Send at once.
//
// Built on libcurl (Debian's libcurl4-openssl-dev) rather than Boost.Beast:
// an AWS client needs what curl has spent decades getting right and Beast
// leaves to its user - certificate verification against the system store
// with hostname checks, HTTPS_PROXY / NO_PROXY (which the AWS CLI and SDKs
// honour and corporate networks require), a connection pool with stale
// connection detection, DNS caching, TLS session resumption, and timeouts
// that cover resolve, connect, TLS and transfer. With Beast each of those is
// our code to write and to get wrong; the cost of curl is one more Debian
// package. Connections, DNS and TLS sessions are shared by every request of
// one HttpClient.
//
// Compression is never requested, so response bodies arrive exactly as the
// server sent them (the x-amz-crc32 checksum covers those bytes).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "aws/http_types.h"
#include "base/error.h"

namespace aws {

struct HttpRequest {
  std::string method = "POST";
  std::string url;     // absolute http:// or https:// URL
  HeaderList headers;  // sent as given; a Host header here replaces curl's
  std::string body;
};

struct HttpResponse {
  int status = 0;
  HeaderList headers;  // of the final response, in order
  std::string body;
};

struct HttpClientOptions {
  // Longest wait for a TCP (and TLS) connection.
  std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
  // Verify the server's certificate and host name (https only). Turn off
  // only for tests against self-signed servers.
  bool verify_tls = true;
  // A PEM bundle of trusted CAs; empty for the system's store.
  std::string ca_file;
  // Idle transfer handles kept for reuse (each remembers its connections).
  size_t max_idle_handles = 16;
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientOptions options = {});
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and waits for the whole response, at most `timeout`
  // (connecting included). Any HTTP status is a response, not an error.
  // Errors: ConnectionError ("Could not connect to the endpoint URL:
  // \"<url>\" (<curl's reason>)" or a failure mid-exchange), TimeoutError,
  // SSLError (kUntrustedCertificate: the certificate did not verify).
  base::Result<HttpResponse> Send(const HttpRequest& request, std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aws
