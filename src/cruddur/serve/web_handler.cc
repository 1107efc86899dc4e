#include "cruddur/serve/web_handler.h"

#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

#include "cruddur/serve/static_path.h"

namespace cruddur::serve {

namespace fs = std::filesystem;
namespace http = boost::beast::http;

namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kNoStore = "no-store";
constexpr std::string_view kNoCache = "no-cache";

std::string_view Sv(boost::beast::string_view s) { return std::string_view(s.data(), s.size()); }

net::HttpResponse Plain(const net::HttpRequest& request, http::status status,
                        std::string_view text) {
  net::HttpResponse res{status, request.version()};
  res.set(http::field::content_type, "text/plain; charset=utf-8");
  res.set(http::field::cache_control, kNoStore);
  res.set("X-Content-Type-Options", "nosniff");
  if (request.method() != http::verb::head) res.body() = std::string(text) + "\n";
  return res;
}

// The whole file, or nullopt if it cannot be read or is too large.
std::optional<std::string> ReadWhole(const fs::path& file) {
  std::error_code ec;
  const uintmax_t size = fs::file_size(file, ec);
  if (ec || size > kMaxStaticFileBytes) return std::nullopt;
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::string body((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return std::nullopt;
  return body;
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

}  // namespace

std::string NotBuiltPage(const fs::path& root) {
  return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
         "<title>Cruddur: the web app is not built</title></head>\n<body>\n"
         "<h1>The web app is not built</h1>\n"
         "<p><code>cruddur serve</code> serves the built app from <code>" +
         HtmlEscape(root.string()) +
         "</code>, which has no <code>index.html</code>.</p>\n"
         "<p>Build it from the repository (Node.js 18 or later) with <code>scripts/web.sh</code> "
         "(or <code>make run</code>, which builds it first), then reload this page. "
         "<code>--web-root DIR</code> names another directory.</p>\n</body></html>\n";
}

WebHandler::WebHandler(const fs::path& root, unsigned threads)
    : root_(fs::absolute(root)), workers_(threads == 0 ? 1 : threads) {
  std::error_code ec;
  canonical_ = fs::weakly_canonical(root_, ec);
  if (ec) canonical_ = root_.lexically_normal();
}

WebHandler::~WebHandler() { Drain(); }

void WebHandler::Drain() {
  std::call_once(drained_, [this] { workers_.join(); });
}

void WebHandler::SetConfig(WebAppConfig config) {
  auto shared = std::make_shared<const WebAppConfig>(std::move(config));
  std::lock_guard lock(mu_);
  config_ = std::move(shared);
}

bool WebHandler::AppBuilt() const {
  std::error_code ec;
  return fs::is_regular_file(canonical_ / "index.html", ec);
}

void WebHandler::Handle(net::HttpRequest&& request, net::Responder responder) {
  boost::asio::post(
      workers_, [this, request = std::move(request), responder = std::move(responder)]() mutable {
        net::HttpResponse res;
        try {
          res = Serve(request);
        } catch (const std::exception&) {  // bad_alloc: still answer
          res = Plain(request, http::status::internal_server_error, "internal error");
        }
        responder.Send(std::move(res));
      });
}

net::HttpResponse WebHandler::Serve(const net::HttpRequest& request) const {
  if (request.method() != http::verb::get && request.method() != http::verb::head) {
    net::HttpResponse res =
        Plain(request, http::status::method_not_allowed, "method not allowed: use GET or HEAD");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  const StaticTarget target = ResolveStaticTarget(canonical_, Sv(request.target()));
  if (target.kind == StaticKind::kRefused) {
    return Plain(request, http::status::bad_request, "bad path");
  }
  if (target.url_path == "/config.json") return ServeRuntimeConfig(request);
  if (target.kind == StaticKind::kOutside) {
    // A link out of the root exists on disk but is not ours to serve.
    return Plain(request, http::status::not_found, "not found");
  }
  if (target.kind == StaticKind::kFile) {
    const bool index = target.file == canonical_ / "index.html";
    const bool asset = target.url_path.starts_with("/assets/");
    return ServeFile(request, target.file, index ? kNoStore : asset ? kImmutable : kNoCache);
  }
  if (target.url_path.starts_with("/assets/")) {
    return Plain(request, http::status::not_found, "not found");
  }
  if (!AppBuilt()) {
    net::HttpResponse res{http::status::service_unavailable, request.version()};
    res.set(http::field::content_type, "text/html; charset=utf-8");
    res.set(http::field::cache_control, kNoStore);
    res.set("X-Content-Type-Options", "nosniff");
    if (request.method() != http::verb::head) res.body() = NotBuiltPage(root_);
    return res;
  }
  return ServeFile(request, canonical_ / "index.html", kNoStore);
}

net::HttpResponse WebHandler::ServeFile(const net::HttpRequest& request, const fs::path& file,
                                        std::string_view cache_control) const {
  auto body = ReadWhole(file);
  if (!body) {
    return Plain(request, http::status::internal_server_error, "cannot read the file");
  }
  net::HttpResponse res{http::status::ok, request.version()};
  res.set(http::field::content_type, ContentTypeFor(file.filename().string()));
  res.set(http::field::cache_control, cache_control);
  res.set("X-Content-Type-Options", "nosniff");
  if (request.method() != http::verb::head) res.body() = std::move(*body);
  return res;
}

net::HttpResponse WebHandler::ServeRuntimeConfig(const net::HttpRequest& request) const {
  std::shared_ptr<const WebAppConfig> config;
  {
    std::lock_guard lock(mu_);
    config = config_;
  }
  if (!config) {
    net::HttpResponse res = Plain(request, http::status::service_unavailable, "starting");
    res.set(http::field::retry_after, "1");
    return res;
  }
  auto host = request.find(http::field::host);
  const std::string_view page_host = host == request.end() ? "" : Sv(host->value());
  net::HttpResponse res{http::status::ok, request.version()};
  res.set(http::field::content_type, "application/json");
  res.set(http::field::cache_control, kNoStore);
  res.set("X-Content-Type-Options", "nosniff");
  if (request.method() != http::verb::head) res.body() = WebAppConfigJson(*config, page_host);
  return res;
}

}  // namespace cruddur::serve
