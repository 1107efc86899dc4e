// Content codings on the wire: Accept-Encoding negotiation (DynamoDB's
// reading of RFC 9110), Content-Encoding parsing, the streaming deflater,
// and through a real server: compressed streams, chunked + gzip request
// bodies, the refusal statuses, and the header-size limits.
#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "net/accept_encoding.h"
#include "net/content_encoding.h"
#include "net/gzip.h"
#include "net/http_server.h"

namespace net {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string Chosen(std::string_view accept) {
  auto c = NegotiateResponseCoding(accept);
  if (!c) return "none";
  return *c == Coding::kGzip ? "gzip" : "deflate";
}

// Every case of ScyllaDB's test_compressed_response_accept_encodings, which
// passes against DynamoDB (scylladb/scylladb test/alternator).
TEST(AcceptEncoding, AsDynamoDbReadsIt) {
  const std::pair<const char*, const char*> cases[] = {
      {"identity", "none"},
      {"", "none"},
      {"br", "none"},
      {"zstd", "none"},
      {"compress", "none"},
      {"x-gzip", "none"},
      {"gzip", "gzip"},
      {"deflate", "deflate"},
      {"gzip, deflate", "gzip"},
      {"br, identity, deflate, gzip", "deflate"},  // the first listed wins a tie
      {"GZIP, identity", "gzip"},
      {"dog, gzip ,, cat", "gzip"},
      {"gzip;q=0.8, deflate;q=0.5", "gzip"},
      {"br, gzip;q=0, deflate; q = 0.5 , identity;q=0", "deflate"},
      {"*", "gzip"},
      {"*, deflate;q=0.5", "gzip"},
      {"*, deflate", "deflate"},  // named beats "*" on a tie
      {"*, identity", "gzip"},
      {"*, gzip;q=0.5", "deflate"},
      {"gzip ;q=0", "none"},
      {"identity;q=0", "none"},
      {"*;q=0", "none"},
      {"*;q=0.5,identity", "gzip"},
      {"gzip;q=0.5,identity;q=0.8", "gzip"},
      {"br;q=0.8,identity;q=0.5,*;q=0", "none"},
      {"\"gzip\"", "none"},
      {"gzip br", "none"},
      {"gzip:q=1", "none"},
      {"deflate;q=0.5, gzip;q=31", "gzip"},
      {"gzip;q=31,deflate;q=51", "gzip"},
      {"deflate;q=0.5, gzip;q=0.2", "deflate"},
      {"deflate;q=0.5, gzip;q=1;q=0.2", "gzip"},
      {"deflate;q=0.5,gzip;q=0.", "deflate"},
      {"deflate;q=0.5,gzip;q=0.x", "gzip"},
      {"deflate;q=-0.5,gzip;q=0.2", "gzip"},
      {"gzip;nq=1;q=0 ", "none"},
      {"gzip;q=0, gzip;q=1, gzip;q=0", "gzip"},
      {"br,identity;q=0.5,gzip;q=0.0001", "gzip"},
  };
  for (const auto& [accept, want] : cases) EXPECT_EQ(Chosen(accept), want) << accept;
}

// RFC 9110's syntax details DynamoDB's table does not spell out.
TEST(AcceptEncoding, CaseBlanksAndWeights) {
  EXPECT_EQ(Chosen("DeFlAtE"), "deflate");
  EXPECT_EQ(Chosen("\tgzip\t;\tQ=0.000"), "none");  // tabs, upper-case Q
  EXPECT_EQ(Chosen("gzip;q=0.001"), "gzip");
  EXPECT_EQ(Chosen("gzip;q=1.000, deflate;q=1"), "gzip");
  EXPECT_EQ(Chosen("deflate;q=0.9, gzip;q=0.8"), "deflate");
  EXPECT_EQ(Chosen(" , ,"), "none");
  EXPECT_EQ(Chosen("*;q=0, deflate"), "deflate");  // named beats "*;q=0"
  EXPECT_EQ(Chosen("gzip;level=9"), "gzip");       // other parameters ignored
  EXPECT_EQ(Chosen(std::string(100000, ',') + "gzip"), "gzip");
}

TEST(ContentEncoding, Names) {
  EXPECT_EQ(ParseContentEncoding(""), BodyCoding::kIdentity);
  EXPECT_EQ(ParseContentEncoding(" identity "), BodyCoding::kIdentity);
  EXPECT_EQ(ParseContentEncoding("gzip"), BodyCoding::kGzip);
  EXPECT_EQ(ParseContentEncoding("GZip\t"), BodyCoding::kGzip);
  EXPECT_EQ(ParseContentEncoding("x-gzip"), BodyCoding::kGzip);
  EXPECT_EQ(ParseContentEncoding("Deflate"), BodyCoding::kDeflate);
  for (const char* bad : {"br", "compress", "zstd", "gzip, gzip", "gzip,identity", "garbage!",
                          "gzip;q=1", "\"gzip\""}) {
    EXPECT_EQ(ParseContentEncoding(bad), BodyCoding::kUnsupported) << bad;
  }
}

// Decodes a gzip or zlib stream fed in pieces; each piece's output must be
// complete (the sync flush).
class StreamInflater {
 public:
  StreamInflater() { inflateInit2(&zs_, 15 + 32); }
  ~StreamInflater() { inflateEnd(&zs_); }
  // The bytes `piece` decodes to; `*ended` once the stream's end was seen.
  std::string Feed(const std::string& piece, bool* ended) {
    std::string out;
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
    zs_.avail_in = static_cast<uInt>(piece.size());
    char buf[4096];
    int rc = Z_OK;
    while (zs_.avail_in > 0 && rc == Z_OK) {
      zs_.next_out = reinterpret_cast<Bytef*>(buf);
      zs_.avail_out = sizeof buf;
      rc = inflate(&zs_, Z_SYNC_FLUSH);
      out.append(buf, sizeof buf - zs_.avail_out);
    }
    *ended = rc == Z_STREAM_END;
    return out;
  }

 private:
  z_stream zs_{};
};

TEST(StreamDeflater, EveryPieceDecodesOnItsOwn) {
  for (Coding coding : {Coding::kGzip, Coding::kDeflate}) {
    StreamDeflater d(coding);
    StreamInflater in;
    bool ended = false;
    std::string all, plain;
    for (int i = 0; i < 50; ++i) {
      std::string msg = "data: event " + std::to_string(i) + " " + std::string(200, 'x') + "\n\n";
      std::string packed;
      ASSERT_TRUE(d.Write(msg, false, &packed));
      EXPECT_EQ(in.Feed(packed, &ended), msg);  // nothing held back
      EXPECT_FALSE(ended);
      all += packed;
      plain += msg;
    }
    std::string tail;
    ASSERT_TRUE(d.Write("", true, &tail));
    EXPECT_EQ(in.Feed(tail, &ended), "");
    EXPECT_TRUE(ended);
    std::string more;
    EXPECT_FALSE(d.Write("late", false, &more));  // finished
    // The whole is one valid member / zlib stream.
    std::string out;
    ASSERT_EQ(Inflate(coding, all + tail, &out, 1 << 20), InflateResult::kOk);
    EXPECT_EQ(out, plain);
  }
}

// ---- through a server ----

using Clock = std::chrono::steady_clock;

// What a raw client got: the status line and headers, and the body (chunks
// joined).
struct Reply {
  std::string head;
  std::string body;
  bool closed = false;  // the server closed the connection afterwards
  bool Has(std::string_view header_line) const {
    return head.find(std::string(header_line) + "\r\n") != std::string::npos;
  }
  int status() const { return head.size() > 12 ? std::stoi(head.substr(9, 3)) : 0; }
};

// Joins the chunks of a chunked body; false if the framing is broken.
bool Dechunk(std::string_view wire, std::string* out) {
  out->clear();
  for (;;) {
    size_t eol = wire.find("\r\n");
    if (eol == std::string_view::npos) return false;
    size_t size = std::stoul(std::string(wire.substr(0, eol)), nullptr, 16);
    wire.remove_prefix(eol + 2);
    if (size == 0) return wire == "\r\n";
    if (wire.size() < size + 2) return false;
    out->append(wire.substr(0, size));
    wire.remove_prefix(size + 2);
  }
}

class EncodingServerTest : public ::testing::Test {
 protected:
  void StartServer(HttpServerOptions opts = {}) {
    opts.threads = 2;
    server_ = std::make_unique<HttpServer>(std::move(opts));
    std::string err;
    ASSERT_TRUE(server_->Start(
        "127.0.0.1", 0, [this](HttpRequest&& req, Responder r) { Handle(std::move(req), r); },
        &err))
        << err;
  }
  void TearDown() override {
    if (server_) server_->Stop();
  }

  // "/stream": a stream the test writes to; "/stream-coded": one whose head
  // names its own Content-Encoding; "/big": 8 KB of text; anything else
  // echoes "<content-encoding header>|<body>".
  void Handle(HttpRequest&& req, Responder& r) {
    std::string target(req.target());
    HttpResponse res{http::status::ok, 11};
    if (target.rfind("/stream", 0) == 0) {
      if (target == "/stream-coded") res.set(http::field::content_encoding, "br");
      auto s = r.Stream(std::move(res));
      std::lock_guard<std::mutex> lock(mu_);
      streams_.push_back(s);
      return;
    }
    if (target == "/big") {
      for (int i = 0; res.body().size() < 8192; ++i)
        res.body() += "line " + std::to_string(i) + "\n";
    } else {
      res.body() = std::string(req[http::field::content_encoding]) + "|" + req.body();
    }
    r.Send(std::move(res));
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

  tcp::socket Connect() {
    tcp::socket s(ioc_);
    s.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), server_->port()));
    return s;
  }

  // Reads one response (Content-Length or chunked, else until close).
  static Reply ReadReply(tcp::socket& s, std::string* pending) {
    Reply r;
    char buf[65536];
    boost::system::error_code ec;
    auto fill = [&]() {
      size_t n = s.read_some(asio::buffer(buf), ec);
      pending->append(buf, n);
      return !ec;
    };
    size_t end;
    while ((end = pending->find("\r\n\r\n")) == std::string::npos) {
      if (!fill()) return r;
    }
    r.head = pending->substr(0, end + 2);
    pending->erase(0, end + 4);
    std::string lower = r.head;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t cl = lower.find("content-length: ");
    if (cl != std::string::npos) {
      size_t len = std::stoul(r.head.substr(cl + 16));
      while (pending->size() < len && fill()) {
      }
      r.body = pending->substr(0, len);
      pending->erase(0, std::min(len, pending->size()));
    } else {
      while (fill()) {
      }
      if (lower.find("transfer-encoding: chunked") != std::string::npos) {
        EXPECT_TRUE(Dechunk(*pending, &r.body)) << *pending;
      } else {
        r.body = *pending;
      }
      pending->clear();
    }
    if (lower.find("connection: close") != std::string::npos) {
      while (fill()) {
      }
      r.closed = ec == asio::error::eof || ec == asio::error::connection_reset;
    }
    return r;
  }

  Reply Exchange(const std::string& wire) {
    auto s = Connect();
    asio::write(s, asio::buffer(wire));
    std::string pending;
    return ReadReply(s, &pending);
  }

  asio::io_context ioc_;
  std::unique_ptr<HttpServer> server_;
  std::mutex mu_;
  std::vector<ResponseStream> streams_;
};

std::string Packed(Coding coding, std::string_view data, int level = 1) {
  std::string out;
  EXPECT_TRUE(Deflate(coding, data, &out, level));
  return out;
}

std::string Inflated(Coding coding, std::string_view data) {
  std::string out;
  EXPECT_EQ(Inflate(coding, data, &out, 64u << 20), InflateResult::kOk);
  return out;
}

// The cruddur API's event stream (the server's chunked response path)
// honours Accept-Encoding like any response, whatever its size, and each
// flush decodes before the stream ends.
TEST_F(EncodingServerTest, StreamsAreCompressedWhenAccepted) {
  StartServer();
  for (auto [accept, coding, name] :
       {std::tuple{"gzip", Coding::kGzip, "gzip"},
        std::tuple{"deflate", Coding::kDeflate, "deflate"},
        std::tuple{"br, deflate;q=0.5", Coding::kDeflate, "deflate"}}) {
    streams_.clear();
    auto s = Connect();
    std::string req =
        std::string("GET /stream HTTP/1.1\r\nHost: x\r\nAccept-Encoding: ") + accept + "\r\n\r\n";
    asio::write(s, asio::buffer(req));
    ResponseStream st = WaitStream();
    ASSERT_TRUE(st.Write("data: first\n\n"));
    // The first event arrives, decodable, while the stream is still open.
    std::string wire;
    StreamInflater in;
    bool ended = false;
    std::string decoded;
    auto deadline = Clock::now() + std::chrono::seconds(5);
    while (decoded.empty() && Clock::now() < deadline) {
      char buf[4096];
      size_t n = s.read_some(asio::buffer(buf));
      wire.append(buf, n);
      size_t body = wire.find("\r\n\r\n");
      if (body == std::string::npos) continue;
      std::string rest = wire.substr(body + 4);
      size_t eol = rest.find("\r\n");
      if (eol == std::string::npos) continue;
      size_t size = std::stoul(rest.substr(0, eol), nullptr, 16);
      if (rest.size() < eol + 2 + size + 2) continue;
      decoded = in.Feed(rest.substr(eol + 2, size), &ended);
    }
    EXPECT_EQ(decoded, "data: first\n\n") << accept;
    EXPECT_FALSE(ended);
    ASSERT_TRUE(st.Write(std::string(3000, 'z')));
    st.End();
    std::string pending = wire;
    Reply r;
    {
      char buf[65536];
      boost::system::error_code ec;
      while (!ec) pending.append(buf, s.read_some(asio::buffer(buf), ec));
    }
    size_t body = pending.find("\r\n\r\n");
    ASSERT_NE(body, std::string::npos);
    r.head = pending.substr(0, body + 2);
    EXPECT_TRUE(r.Has(std::string("Content-Encoding: ") + name)) << r.head;
    EXPECT_TRUE(r.Has("Transfer-Encoding: chunked")) << r.head;
    EXPECT_TRUE(r.Has("Connection: close")) << r.head;
    std::string packed;
    ASSERT_TRUE(Dechunk(std::string_view(pending).substr(body + 4), &packed));
    EXPECT_EQ(Inflated(coding, packed), "data: first\n\n" + std::string(3000, 'z')) << accept;
  }
}

TEST_F(EncodingServerTest, StreamsStayPlainWhenNotAcceptedOrCodedByTheHandler) {
  StartServer();
  for (auto [target, accept] : {std::pair{"/stream", "identity"}, std::pair{"/stream", "gzip;q=0"},
                                std::pair{"/stream-coded", "gzip"}}) {
    streams_.clear();
    auto s = Connect();
    std::string req = std::string("GET ") + target +
                      " HTTP/1.1\r\nHost: x\r\nAccept-Encoding: " + accept + "\r\n\r\n";
    asio::write(s, asio::buffer(req));
    ResponseStream st = WaitStream();
    ASSERT_TRUE(st.Write("abc"));
    st.End();
    std::string pending;
    Reply r = ReadReply(s, &pending);
    EXPECT_EQ(r.body, "abc") << target << " " << accept;
    EXPECT_EQ(r.Has("Content-Encoding: br"), std::string(target) == "/stream-coded") << r.head;
    EXPECT_FALSE(r.Has("Content-Encoding: gzip")) << r.head;
  }
}

TEST_F(EncodingServerTest, Http10StreamIsCompressedUnframed) {
  StartServer();
  auto s = Connect();
  asio::write(s,
              asio::buffer(std::string("GET /stream HTTP/1.0\r\nAccept-Encoding: gzip\r\n\r\n")));
  ResponseStream st = WaitStream();
  ASSERT_TRUE(st.Write("one "));
  ASSERT_TRUE(st.Write("two"));
  st.End();
  std::string pending;
  Reply r = ReadReply(s, &pending);
  EXPECT_TRUE(r.Has("Content-Encoding: gzip")) << r.head;
  EXPECT_FALSE(r.Has("Transfer-Encoding: chunked")) << r.head;
  EXPECT_EQ(Inflated(Coding::kGzip, r.body), "one two");
}

// Of repeated Accept-Encoding fields the last counts, as in DynamoDB
// (test_compressed_response.py's note on repeated headers).
TEST_F(EncodingServerTest, LastAcceptEncodingFieldCounts) {
  StartServer();
  Reply r = Exchange(
      "GET /big HTTP/1.1\r\nHost: x\r\nAccept-Encoding: identity\r\nAccept-Encoding: deflate\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_TRUE(r.Has("Content-Encoding: deflate")) << r.head;
  r = Exchange(
      "GET /big HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nAccept-Encoding: identity\r\n"
      "Connection: close\r\n\r\n");
  EXPECT_FALSE(r.Has("Content-Encoding: gzip")) << r.head;
  EXPECT_GE(r.body.size(), 8192u);
}

std::string Chunked(std::string_view body, size_t piece) {
  std::string out;
  char size[20];
  for (size_t i = 0; i < body.size(); i += piece) {
    std::string_view p = body.substr(i, piece);
    std::snprintf(size, sizeof size, "%zx\r\n", p.size());
    out.append(size).append(p).append("\r\n");
  }
  return out + "0\r\n\r\n";
}

TEST_F(EncodingServerTest, ChunkedCompressedRequestBodies) {
  StartServer();
  const std::string json =
      "{\"TableName\":\"t\",\"Item\":{\"pk\":{\"S\":\"" + std::string(5000, 'k') + "\"}}}";
  for (auto [coding, name] :
       {std::pair{Coding::kGzip, "gzip"}, std::pair{Coding::kDeflate, "deflate"}}) {
    Reply r = Exchange(std::string("POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n") +
                       "Content-Encoding: " + name + "\r\nConnection: close\r\n\r\n" +
                       Chunked(Packed(coding, json), 7));
    EXPECT_EQ(r.status(), 200) << r.head;
    EXPECT_EQ(r.body, "|" + json);  // inflated, Content-Encoding removed
  }
  // A bomb sent chunked: refused while inflating, like any other.
  const std::string bomb = Packed(Coding::kGzip, std::string((16u << 20) + 1, ' '), 9);
  Reply r = Exchange(
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n" +
      Chunked(bomb, 4096));
  EXPECT_EQ(r.status(), 413) << r.head;
  EXPECT_TRUE(r.Has("Connection: close")) << r.head;
}

// The generic server answers RFC 9110's statuses; each is a whole response
// and the connection stays open when the body was read in full.
TEST_F(EncodingServerTest, BrokenEncodingsWithDefaultStatuses) {
  StartServer();
  auto s = Connect();
  std::string pending;
  auto post = [&](std::string_view headers, std::string_view body) {
    std::string wire = "POST / HTTP/1.1\r\nHost: x\r\n" + std::string(headers) +
                       "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
                       std::string(body);
    asio::write(s, asio::buffer(wire));
    return ReadReply(s, &pending);
  };
  const std::string gz = Packed(Coding::kGzip, "{\"a\":1}");
  EXPECT_EQ(post("Content-Encoding: br\r\n", "x").status(), 415);
  EXPECT_EQ(post("Content-Encoding: compress\r\n", "x").status(), 415);
  EXPECT_EQ(post("Content-Encoding: gzip, gzip\r\n", Packed(Coding::kGzip, gz)).status(), 415);
  EXPECT_EQ(post("Content-Encoding: gzip\r\nContent-Encoding: gzip\r\n", gz).status(), 415);
  EXPECT_EQ(post("Content-Encoding: !!\r\n", "x").status(), 415);
  EXPECT_EQ(post("Content-Encoding: gzip\r\n", gz.substr(0, gz.size() - 1)).status(), 400);
  EXPECT_EQ(post("Content-Encoding: gzip\r\n", gz + "junk").status(), 400);
  EXPECT_EQ(post("Content-Encoding: gzip\r\n", "").status(), 400);
  EXPECT_EQ(post("Content-Encoding: deflate\r\n", "plain text").status(), 400);
  Reply ok = post("Content-Encoding: GZIP\r\n", gz);
  EXPECT_EQ(ok.status(), 200);
  EXPECT_EQ(ok.body, "|{\"a\":1}");
  EXPECT_EQ(post("Content-Encoding: identity\r\n", "plain").body, "|plain");
}

// ddb-server's choice (DynamoDB's statuses): configurable per server.
TEST_F(EncodingServerTest, RefusalStatusesAreConfigurable) {
  HttpServerOptions opts;
  opts.refusals.header_too_large = 400;
  opts.refusals.unsupported_coding = 500;
  opts.refusals.undecodable_body = 500;
  opts.max_header_bytes = 4096;
  opts.error_response = [](unsigned status, std::string_view message) {
    HttpResponse res{static_cast<http::status>(status), 11};
    res.set(http::field::content_type, "application/x-amz-json-1.0");
    res.body() = "{\"__type\":\"E\",\"message\":\"" + std::string(message) + "\"}";
    return res;
  };
  StartServer(opts);
  Reply r =
      Exchange("POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: br\r\nContent-Length: 1\r\n\r\nx");
  EXPECT_EQ(r.status(), 500);
  EXPECT_NE(r.body.find("Unsupported Content-Encoding: br"), std::string::npos) << r.body;
  r = Exchange(
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 1\r\n\r\nx");
  EXPECT_EQ(r.status(), 500);
  EXPECT_NE(r.body.find("not valid gzip"), std::string::npos) << r.body;
  r = Exchange("GET /" + std::string(5000, 'u') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(r.status(), 400);
  EXPECT_TRUE(r.Has("Connection: close")) << r.head;
  EXPECT_NE(r.body.find("exceed the limit of 4096 bytes"), std::string::npos) << r.body;
  EXPECT_TRUE(r.closed);
}

// Request line and header block: one limit, answered with a whole
// response and Connection: close, whichever part is too big.
TEST_F(EncodingServerTest, HeaderLimitsAreAnswered) {
  StartServer();  // 64 KiB, 431
  const std::string big(70000, 'a');
  std::string many;
  for (int i = 0; i < 20000; ++i) many += "h" + std::to_string(i) + ": v\r\n";
  for (const std::string& wire :
       {"GET /" + big + " HTTP/1.1\r\nHost: x\r\n\r\n",              // request line
        "GET /?" + big + " HTTP/1.1\r\nHost: x\r\n\r\n",             // query string
        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + big + "\r\n\r\n",   // one header
        "GET / HTTP/1.1\r\nHost: x\r\n" + many + "\r\n",             // many headers
        "GET / HTTP/1.1\r\nHost: x\r\nX-" + big + ": v\r\n\r\n"}) {  // a long name
    Reply r = Exchange(wire);
    EXPECT_EQ(r.status(), 431) << wire.substr(0, 40);
    EXPECT_TRUE(r.Has("Connection: close")) << r.head;
    EXPECT_FALSE(r.body.empty());
    EXPECT_TRUE(r.closed);
  }
  // Just under the limit: served.
  Reply r = Exchange("POST /" + std::string(30000, 'a') +
                     " HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(30000, 'b') +
                     "\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  EXPECT_EQ(r.status(), 200) << r.head;
  EXPECT_EQ(r.body, "|ok");
}

// Beast leaves chunk extensions and trailers unbounded; the server holds
// them to the header limit instead of buffering them.
TEST_F(EncodingServerTest, RunawayChunkHeadersAndTrailersAreRefused) {
  HttpServerOptions opts;
  opts.max_header_bytes = 8192;
  StartServer(opts);
  const std::string head = "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  std::string trailers = "3\r\nabc\r\n0\r\n";
  for (int i = 0; i < 20000; ++i) trailers += "T" + std::to_string(i) + ": v\r\n";
  for (const std::string& wire : {head + "5;" + std::string(200000, 'e'), head + trailers}) {
    auto s = Connect();
    boost::system::error_code ec;
    asio::write(s, asio::buffer(wire), ec);  // the server may stop reading first
    std::string pending;
    Reply r = ReadReply(s, &pending);
    EXPECT_EQ(r.status(), 431) << r.head;
    EXPECT_TRUE(r.Has("Connection: close")) << r.head;
  }
  // Within the limit, trailers are fine.
  Reply r = Exchange(head.substr(0, head.size() - 2) + "Connection: close\r\n\r\n" +
                     "3\r\nabc\r\n0\r\nT: v\r\n\r\n");
  EXPECT_EQ(r.status(), 200) << r.head;
  EXPECT_EQ(r.body, "|abc");
}

}  // namespace
}  // namespace net
