// TLS (net/tls.h, HttpServerOptions::tls): loading a certificate and key
// (and the one-line errors when they do not load), a request round trip and
// a streaming response over TLS, plain HTTP and garbage sent to a TLS port,
// the handshake under the header deadline, and TLS 1.1 refused.
#include "net/tls.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "net/http_server.h"

namespace net {
namespace {

namespace asio = boost::asio;
namespace ssl = asio::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using error_code = boost::system::error_code;

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;
using Cert = std::unique_ptr<X509, X509Free>;

Pkey NewKey() { return Pkey(EVP_EC_gen("P-256")); }

// A self-signed certificate for localhost and 127.0.0.1, valid for a day.
Cert SelfSigned(EVP_PKEY* key) {
  Cert cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, &ctx, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1");
  X509_add_ext(cert.get(), san, -1);
  X509_EXTENSION_free(san);
  X509_sign(cert.get(), key, EVP_sha256());
  return cert;
}

void WriteText(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

void WriteKey(const std::string& path, EVP_PKEY* key) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  PEM_write_PrivateKey(f, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(f);
}

void WriteCert(const std::string& path, X509* cert) {
  std::FILE* f = std::fopen(path.c_str(), "wb");
  PEM_write_X509(f, cert);
  std::fclose(f);
}

// cert.pem / key.pem (a pair), other-key.pem (another key), in a fresh
// directory removed at the end.
class TlsFiles {
 public:
  TlsFiles() {
    char tmpl[] = "/tmp/cruddur-tls-test-XXXXXX";
    dir_ = ::mkdtemp(tmpl);
    Pkey key = NewKey();
    Cert cert = SelfSigned(key.get());
    WriteKey(key_path(), key.get());
    WriteCert(cert_path(), cert.get());
    Pkey other = NewKey();
    WriteKey(other_key_path(), other.get());
  }
  ~TlsFiles() { std::filesystem::remove_all(dir_); }
  std::string cert_path() const { return dir_ + "/cert.pem"; }
  std::string key_path() const { return dir_ + "/key.pem"; }
  std::string other_key_path() const { return dir_ + "/other-key.pem"; }
  std::string path(const char* name) const { return dir_ + "/" + name; }

 private:
  std::string dir_;
};

TEST(LoadTlsContextTest, LoadsAMatchingPair) {
  TlsFiles files;
  std::string error;
  EXPECT_NE(LoadTlsContext(files.cert_path(), files.key_path(), &error), nullptr) << error;
  EXPECT_EQ(error, "");
}

TEST(LoadTlsContextTest, ProblemsAreOneLineNamingTheFile) {
  TlsFiles files;
  auto problem = [](const std::string& cert, const std::string& key) {
    std::string error;
    EXPECT_EQ(LoadTlsContext(cert, key, &error), nullptr);
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    return error;
  };
  const std::string missing = files.path("missing.pem");
  EXPECT_EQ(problem(missing, files.key_path()),
            "TLS certificate file '" + missing + "': No such file or directory");
  EXPECT_EQ(problem(files.cert_path(), missing),
            "TLS key file '" + missing + "': No such file or directory");
  WriteText(files.path("empty.pem"), "");
  EXPECT_EQ(problem(files.path("empty.pem"), files.key_path()),
            "TLS certificate file '" + files.path("empty.pem") + "': the file is empty");
  // The files swapped: the key is no certificate, the certificate no key.
  EXPECT_NE(problem(files.key_path(), files.cert_path())
                .find("TLS certificate file '" + files.key_path() + "': not a PEM certificate"),
            std::string::npos);
  EXPECT_NE(problem(files.cert_path(), files.cert_path())
                .find("TLS key file '" + files.cert_path() + "': not an unencrypted PEM"),
            std::string::npos);
  EXPECT_EQ(problem(files.cert_path(), files.other_key_path()),
            "TLS key file '" + files.other_key_path() + "' does not match the certificate in '" +
                files.cert_path() + "'");
  // A directory.
  EXPECT_NE(problem(files.path(""), files.key_path()).find("Is a directory"), std::string::npos);
}

// Echoes "<target> <body>"; "/stream" answers with a stream of "a", "b".
void Handler(HttpRequest&& req, Responder r) {
  if (req.target() == "/stream") {
    HttpResponse head{http::status::ok, 11};
    head.set(http::field::content_type, "text/event-stream");
    ResponseStream s = r.Stream(std::move(head));
    std::thread([s]() mutable {
      s.Write("a");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      s.Write("b");
      s.End();
    }).detach();
    return;
  }
  HttpResponse res{http::status::ok, 11};
  res.body() = std::string(req.target()) + " " + req.body();
  r.Send(std::move(res));
}

class TlsServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    auto tls = LoadTlsContext(files_.cert_path(), files_.key_path(), &error);
    ASSERT_NE(tls, nullptr) << error;
    HttpServerOptions opts;
    opts.threads = 2;
    opts.tls = tls;
    opts.limits.header_timeout_seconds = 0.5;
    server_ = std::make_unique<HttpServer>(std::move(opts));
    ASSERT_TRUE(server_->Start("127.0.0.1", 0, Handler, &error)) << error;
  }
  void TearDown() override { server_->Stop(); }

  tcp::endpoint Endpoint() const {
    return tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port());
  }

  // A client trusting only the test's certificate, checking the name.
  std::unique_ptr<ssl::stream<tcp::socket>> TlsClient(
      error_code* handshake_error, ssl::context::method method = ssl::context::tls_client) {
    client_ctx_ = std::make_unique<ssl::context>(method);
    client_ctx_->load_verify_file(files_.cert_path());
    client_ctx_->set_verify_mode(ssl::verify_peer);
    auto s = std::make_unique<ssl::stream<tcp::socket>>(ioc_, *client_ctx_);
    s->set_verify_callback(ssl::host_name_verification("127.0.0.1"));
    s->next_layer().connect(Endpoint());
    s->handshake(ssl::stream_base::client, *handshake_error);
    return s;
  }

  // One request over a fresh TLS connection; the response's body.
  std::string RoundTrip(const std::string& target, const std::string& body) {
    error_code ec;
    auto s = TlsClient(&ec);
    EXPECT_FALSE(ec) << ec.message();
    if (ec) return "";
    http::request<http::string_body> req{http::verb::post, target, 11};
    req.set(http::field::host, "127.0.0.1");
    req.body() = body;
    req.prepare_payload();
    http::write(*s, req);
    beast::flat_buffer buf;
    http::response<http::string_body> res;
    http::read(*s, buf, res);
    return res.body();
  }

  // Reads from a plain socket until the server closes it (or 5 s pass).
  static std::string ReadUntilClosed(tcp::socket& s, bool* closed) {
    std::string out;
    *closed = false;
    timeval tv{5, 0};
    ::setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char buf[4096];
    for (;;) {
      error_code ec;
      size_t n = s.read_some(asio::buffer(buf), ec);
      out.append(buf, n);
      if (ec) {
        *closed = ec == asio::error::eof || ec == asio::error::connection_reset;
        return out;
      }
    }
  }

  TlsFiles files_;
  asio::io_context ioc_;
  std::unique_ptr<ssl::context> client_ctx_;
  std::unique_ptr<HttpServer> server_;
};

TEST_F(TlsServerTest, RequestsRoundTripAndKeepAlive) {
  error_code ec;
  auto s = TlsClient(&ec);
  ASSERT_FALSE(ec) << ec.message();
  beast::flat_buffer buf;
  for (int i = 0; i < 3; ++i) {
    http::request<http::string_body> req{http::verb::post, "/echo", 11};
    req.set(http::field::host, "127.0.0.1");
    req.body() = "hello " + std::to_string(i) + std::string(100000 * i, 'x');
    req.prepare_payload();
    http::write(*s, req);
    http::response<http::string_body> res;
    http::read(*s, buf, res);
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), "/echo " + req.body());
    EXPECT_TRUE(res.keep_alive());
  }
}

TEST_F(TlsServerTest, StreamsOverTls) {
  error_code ec;
  auto s = TlsClient(&ec);
  ASSERT_FALSE(ec) << ec.message();
  http::request<http::empty_body> req{http::verb::get, "/stream", 11};
  req.set(http::field::host, "127.0.0.1");
  http::write(*s, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(*s, buf, res);
  EXPECT_EQ(res.result(), http::status::ok);
  EXPECT_EQ(res[http::field::transfer_encoding], "chunked");
  EXPECT_EQ(res.body(), "ab");
}

TEST_F(TlsServerTest, PlainHttpGetsNoAnswerAndTheServerCarriesOn) {
  for (std::string bytes :
       {std::string("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"), std::string(3000, '\x16'),
        std::string("\x16\x03\x01\x00\x05hello", 10)}) {
    tcp::socket raw(ioc_);
    raw.connect(Endpoint());
    asio::write(raw, asio::buffer(bytes));
    bool closed = false;
    std::string got = ReadUntilClosed(raw, &closed);
    EXPECT_TRUE(closed);
    EXPECT_EQ(got.rfind("HTTP/", 0), std::string::npos) << got;
  }
  EXPECT_EQ(RoundTrip("/after", "x"), "/after x");
}

TEST_F(TlsServerTest, SilentClientIsClosedByTheHeaderDeadline) {
  tcp::socket raw(ioc_);
  raw.connect(Endpoint());
  const auto start = std::chrono::steady_clock::now();
  bool closed = false;
  EXPECT_EQ(ReadUntilClosed(raw, &closed), "");
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  // Also after the handshake: TLS, then no request.
  error_code ec;
  auto s = TlsClient(&ec);
  ASSERT_FALSE(ec) << ec.message();
  char c;
  s->read_some(asio::buffer(&c, 1), ec);
  EXPECT_TRUE(ec);  // closed, without a byte
}

TEST_F(TlsServerTest, UntrustedOrOldClientsFailTheHandshake) {
  // A client that does not trust the certificate.
  ssl::context untrusting(ssl::context::tls_client);
  untrusting.set_verify_mode(ssl::verify_peer);
  ssl::stream<tcp::socket> s(ioc_, untrusting);
  s.next_layer().connect(Endpoint());
  error_code ec;
  s.handshake(ssl::stream_base::client, ec);
  EXPECT_TRUE(ec);
  // TLS 1.1 at most: refused (TLS 1.2 is the minimum).
  ssl::context old(ssl::context::tls_client);
  SSL_CTX_set_security_level(old.native_handle(), 0);
  SSL_CTX_set_max_proto_version(old.native_handle(), TLS1_1_VERSION);
  SSL_CTX_set_min_proto_version(old.native_handle(), TLS1_VERSION);
  ssl::stream<tcp::socket> o(ioc_, old);
  o.next_layer().connect(Endpoint());
  o.handshake(ssl::stream_base::client, ec);
  EXPECT_TRUE(ec);
  EXPECT_EQ(RoundTrip("/still", "up"), "/still up");
}

}  // namespace
}  // namespace net
