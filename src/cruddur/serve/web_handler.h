// WebHandler: the web app's origin on `cruddur serve`'s web port (:3000,
// FRONTEND_URL's port): the built app (web/dist) and its /config.json.
//
//   GET|HEAD /config.json        -> the runtime configuration (web_config.h)
//                                   for the page's Host; 503 until SetConfig
//   GET|HEAD <a file in the root> -> the file with its Content-Type
//                                   (static_path.h)
//   GET|HEAD /assets/<no file>   -> 404 (Vite's content-hashed assets: a
//                                   stale one must fail, not turn into HTML)
//   GET|HEAD anything else that is not a file
//                                -> the root's index.html (SPA routing)
//   a target leaving the root    -> 400 ("..", "%2e%2e", a bad escape) or
//                                   404 (a symbolic link out of the root)
//   other methods                -> 405, Allow: GET, HEAD
//
// Caching: /assets/* "public, max-age=31536000, immutable"; index.html
// (also as the SPA fallback) and config.json "no-store"; other files
// "no-cache". Every answer has X-Content-Type-Options: nosniff.
//
// When the root has no index.html (the app is not built), every page path
// gets 503 with a small HTML page saying how to build it (scripts/web.sh);
// a build made later is served at once: files are read on each request, on
// a small worker pool (never on the event loop).
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "cruddur/serve/web_config.h"
#include "net/http_server.h"

namespace cruddur::serve {

// Files larger than this are not served (500).
inline constexpr uintmax_t kMaxStaticFileBytes = 64u << 20;

class WebHandler {
 public:
  // `root`: the built app's directory (it may not exist yet).
  explicit WebHandler(const std::filesystem::path& root, unsigned threads = 2);
  ~WebHandler();  // Drain()s

  // The configuration /config.json answers from now on. Thread-safe.
  void SetConfig(WebAppConfig config);

  // The HttpServer handler: queues the request on the worker pool.
  void Handle(net::HttpRequest&& request, net::Responder responder);

  // The answer to `request`, on the calling thread (the workers and tests).
  net::HttpResponse Serve(const net::HttpRequest& request) const;

  // Waits for queued requests; call after HttpServer::Stop.
  void Drain();

  // True when the root holds index.html now.
  bool AppBuilt() const;
  // The root as configured (made absolute).
  const std::filesystem::path& root() const { return root_; }

 private:
  net::HttpResponse ServeFile(const net::HttpRequest& request, const std::filesystem::path& file,
                              std::string_view cache_control) const;
  net::HttpResponse ServeRuntimeConfig(const net::HttpRequest& request) const;

  std::filesystem::path root_;       // absolute
  std::filesystem::path canonical_;  // its canonical form (links resolved)
  mutable std::mutex mu_;
  std::shared_ptr<const WebAppConfig> config_;  // guarded by mu_
  boost::asio::thread_pool workers_;
  std::once_flag drained_;
};

// The page served when the app is not built: how to build it, and where
// the server looks (`root`).
std::string NotBuiltPage(const std::filesystem::path& root);

}  // namespace cruddur::serve
