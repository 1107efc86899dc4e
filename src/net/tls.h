// TlsContext: a server's TLS certificate chain and private key (PEM files),
// loaded once at start-up and shared by every connection of every HttpServer
// given it (HttpServerOptions::tls). Settings: TLS 1.2 at least, no
// renegotiation, server cipher preference; encrypted private keys are not
// supported (nothing may prompt for a pass phrase).
#pragma once

#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <utility>

namespace net {

class TlsContext {
 public:
  explicit TlsContext(boost::asio::ssl::context context) : context_(std::move(context)) {}
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // For the connections' TLS streams (OpenSSL's SSL_CTX is safe to share
  // between threads once loaded).
  boost::asio::ssl::context& context() { return context_; }

 private:
  boost::asio::ssl::context context_;
};

// Loads `cert_file` (the certificate chain, PEM, the server's certificate
// first) and `key_file` (its private key, PEM, unencrypted). Null with a
// one-line `*error` naming the file and the problem when a file cannot be
// read, holds no PEM certificate / private key, or the key is not the
// certificate's.
std::shared_ptr<TlsContext> LoadTlsContext(const std::string& cert_file,
                                           const std::string& key_file, std::string* error);

}  // namespace net
