#include "aws/http_client.h"

#include <curl/curl.h>

#include <array>
#include <mutex>
#include <vector>

#include "aws/client_error.h"
#include "aws/shared_config.h"

namespace aws {

namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<HttpResponse*>(user)->body.append(data, size * n);
  return size * n;
}

// One header line per call, status lines included. A status line starts a
// new response (after 100 Continue or a redirect): forget earlier headers.
size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* response = static_cast<HttpResponse*>(user);
  std::string_view line(data, size * n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (line.starts_with("HTTP/")) {
    response->headers.clear();
  } else if (size_t colon = line.find(':'); colon != std::string_view::npos) {
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t'))
      value.remove_prefix(1);
    while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
    response->headers.push_back({std::string(line.substr(0, colon)), std::string(value)});
  }
  return size * n;
}

}  // namespace

struct HttpClient::Impl {
  HttpClientOptions options;
  CURLSH* share = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks;
  std::mutex idle_mu;
  std::vector<CURL*> idle;

  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* user) {
    static_cast<Impl*>(user)->share_locks[data].lock();
  }
  static void Unlock(CURL*, curl_lock_data data, void* user) {
    static_cast<Impl*>(user)->share_locks[data].unlock();
  }

  CURL* Acquire() {
    {
      std::lock_guard<std::mutex> lock(idle_mu);
      if (!idle.empty()) {
        CURL* h = idle.back();
        idle.pop_back();
        curl_easy_reset(h);  // keeps the handle's live connections
        return h;
      }
    }
    return curl_easy_init();
  }

  void Release(CURL* h) {
    std::lock_guard<std::mutex> lock(idle_mu);
    if (idle.size() < options.max_idle_handles) {
      idle.push_back(h);
      return;
    }
    curl_easy_cleanup(h);
  }
};

HttpClient::HttpClient(HttpClientOptions options) : impl_(std::make_unique<Impl>()) {
  GlobalInit();
  impl_->options = std::move(options);
  impl_->share = curl_share_init();
  curl_share_setopt(impl_->share, CURLSHOPT_LOCKFUNC, &Impl::Lock);
  curl_share_setopt(impl_->share, CURLSHOPT_UNLOCKFUNC, &Impl::Unlock);
  curl_share_setopt(impl_->share, CURLSHOPT_USERDATA, impl_.get());
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
  curl_share_setopt(impl_->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
}

HttpClient::~HttpClient() {
  for (CURL* h : impl_->idle) curl_easy_cleanup(h);
  curl_share_cleanup(impl_->share);
}

base::Result<HttpResponse> HttpClient::Send(const HttpRequest& request,
                                            std::chrono::milliseconds timeout) {
  CURL* h = impl_->Acquire();
  if (h == nullptr)
    return ClientError(ClientErrorCode::kConnection, "cannot create an HTTP transfer handle");

  struct curl_slist* headers = nullptr;
  for (const Header& header : request.headers) {
    std::string line = header.name + (header.value.empty() ? ";" : ": " + header.value);
    headers = curl_slist_append(headers, line.c_str());
  }
  // No "Expect: 100-continue" round trip; no unasked-for Accept header.
  headers = curl_slist_append(headers, "Expect:");
  headers = curl_slist_append(headers, "Accept:");

  HttpResponse response;
  char error_text[CURL_ERROR_SIZE] = {0};
  const HttpClientOptions& o = impl_->options;
  curl_easy_setopt(h, CURLOPT_SHARE, impl_->share);
  curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(o.connect_timeout.count()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(std::max<int64_t>(1, timeout.count())));
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, o.verify_tls ? 1L : 0L);
  curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, o.verify_tls ? 2L : 0L);
  if (!o.ca_file.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, o.ca_file.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_text);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
  curl_easy_setopt(h, CURLOPT_WRITEDATA, &response);
  curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
  curl_easy_setopt(h, CURLOPT_HEADERDATA, &response);
  if (request.method == "GET" && request.body.empty()) {
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
  } else if (request.method == "HEAD") {
    curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
  } else {
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.data());
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    if (request.method != "POST")
      curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
  }

  CURLcode rc = curl_easy_perform(h);
  long status = 0;
  if (rc == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  // A failed transfer may leave its connection half-used; curl closes such
  // connections itself, so the handle is safe to reuse either way.
  impl_->Release(h);

  std::string reason = error_text[0] != '\0' ? error_text : curl_easy_strerror(rc);
  switch (rc) {
    case CURLE_OK:
      response.status = static_cast<int>(status);
      return response;
    case CURLE_OPERATION_TIMEDOUT:
      return ClientError(ClientErrorCode::kTimeout,
                         "timed out after " + std::to_string(timeout.count()) + " ms waiting for " +
                             request.url + " (" + reason + ")");
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
      return ClientError(ClientErrorCode::kConnection, "Could not connect to the endpoint URL: \"" +
                                                           request.url + "\" (" + reason + ")");
    case CURLE_PEER_FAILED_VERIFICATION:
      return ClientError(ClientErrorCode::kUntrustedCertificate,
                         "SSL validation failed for " + request.url + " (" + reason +
                             "): a server whose certificate a private CA signed needs "
                             "AWS_CA_BUNDLE, or ca_bundle in the profile, set to that CA's "
                             "PEM file");
    default:
      return ClientError(ClientErrorCode::kConnection,
                         "connection to " + request.url + " failed: " + reason);
  }
}

}  // namespace aws
