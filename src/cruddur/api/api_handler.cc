#include "cruddur/api/api_handler.h"

#include <atomic>
#include <boost/asio/post.hpp>
#include <boost/beast/http/field.hpp>
#include <exception>
#include <mutex>
#include <optional>
#include <string>

#include "cruddur/api/access_log.h"
#include "cruddur/api/api_reply.h"
#include "cruddur/api/authenticate.h"
#include "cruddur/api/cors.h"
#include "cruddur/api/error_codes.h"
#include "cruddur/api/events_route.h"
#include "cruddur/api/message_routes.h"
#include "cruddur/api/request_target.h"
#include "cruddur/api/routes.h"
#include "net/request_id.h"

namespace cruddur::api {

namespace http = boost::beast::http;

namespace {

std::string_view HeaderValue(const net::HttpRequest& request, http::field field) {
  auto it = request.find(field);
  if (it == request.end()) return {};
  return std::string_view(it->value().data(), it->value().size());
}

std::string_view Sv(boost::beast::string_view s) { return std::string_view(s.data(), s.size()); }

// What Dispatch learned besides the reply, for the response and the log.
struct Exchange {
  std::optional<RouteId> route;
  bool preflight = false;
  Caller caller;
  bool message_stored = false;  // a POST /api/messages stored its message
};

}  // namespace

namespace {
// FRONTEND_URL, BACKEND_URL and the extra origins.
std::vector<std::string> AllowedOrigins(const ApiOptions& o) {
  std::vector<std::string> out = {o.frontend_url, o.backend_url};
  out.insert(out.end(), o.extra_origins.begin(), o.extra_origins.end());
  return out;
}
}  // namespace

struct ApiHandler::Impl {
  messaging::MessageStore* store;
  users::UsersDirectory* users;
  const auth::TokenVerifier* verifier;
  ApiOptions options;
  CorsPolicy cors;
  CallerCache callers;
  std::atomic<bool> draining{false};
  std::once_flag drained;

  Impl(messaging::MessageStore* s, users::UsersDirectory* u, const auth::TokenVerifier* v,
       ApiOptions o)
      : store(s),
        users(u),
        verifier(v),
        options(std::move(o)),
        cors(AllowedOrigins(options)),
        callers(options.caller_cache_ttl, options.caller_cache_ttl.count() > 0 ? 10000 : 0) {}

  ApiReply Dispatch(const net::HttpRequest& request, const RequestTarget& target, Exchange* ex) {
    auto match = MatchRoute(target.path);
    if (!match) return ErrorReply(404, {codes::kNotFound});
    ex->route = match->id;
    if (!RouteAllows(match->id, request.method())) {
      ApiReply reply = ErrorReply(405, {codes::kMethodNotAllowed});
      reply.allow = std::string(AllowHeader(match->id));
      return reply;
    }
    if (request.method() == http::verb::options) {
      ex->preflight = true;
      ApiReply reply;
      reply.status = 204;
      return reply;
    }
    if (auto refused =
            Authenticate(*verifier, *users, HeaderValue(request, http::field::authorization),
                         &ex->caller, &callers)) {
      return std::move(*refused);
    }
    switch (match->id) {
      case RouteId::kMessageGroups:
        return ListConversationsRoute(*store, ex->caller, target.query);
      case RouteId::kMessages:
        return ListMessagesRoute(*store, ex->caller, match->param, target.query);
      case RouteId::kCreateMessage: {
        ApiReply reply =
            CreateMessageRoute(*store, *users, ex->caller,
                               HeaderValue(request, http::field::content_type), request.body());
        ex->message_stored = reply.status == 200;
        return reply;
      }
      case RouteId::kUserShort:
        return UserShortRoute(*store, *users, ex->caller, match->param);
      case RouteId::kEvents:
        return EventsRoute(options.events, ex->caller);
    }
    return ErrorReply(500, {codes::kInternal});
  }

  net::HttpResponse Respond(const net::HttpRequest& request, const RequestTarget& target,
                            const Exchange& ex, ApiReply&& reply, std::string_view request_id) {
    net::HttpResponse res{static_cast<http::status>(reply.status), request.version()};
    res.set("X-Request-Id", request_id);
    if (ex.preflight) {
      res.set(http::field::allow, AllowHeader(*ex.route));
      cors.DecoratePreflight(request, &res);
      return res;
    }
    res.set(http::field::content_type, "application/json");
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    if (target.path.starts_with("/api/")) cors.Decorate(request, &res);
    if (!reply.next_cursor.empty()) res.set("X-Next-Cursor", reply.next_cursor);
    if (!reply.allow.empty()) res.set(http::field::allow, reply.allow);
    if (reply.status == 401) res.set(http::field::www_authenticate, "Bearer");
    if (reply.status == 503) res.set(http::field::retry_after, "1");
    // HEAD: the GET's headers without its body.
    if (request.method() != http::verb::head) res.body() = std::move(reply.body);
    return res;
  }

  void Log(const net::HttpRequest& request, const RequestTarget& target, const Exchange& ex,
           const ApiReply& reply, std::string_view request_id,
           std::chrono::system_clock::time_point arrived, double duration_ms) {
    if (!options.access_log) return;
    AccessRecord record;
    record.time = arrived;
    record.request_id = request_id;
    record.method = Sv(request.method_string());
    record.path = target.path;
    if (ex.route) record.route = RouteName(*ex.route);
    record.status = reply.status;
    record.duration_ms = duration_ms;
    record.user = ex.caller.cognito_user_id;
    record.error = reply.log_error;
    record.transactions = reply.log_transactions;
    options.access_log(AccessLogLine(record));
  }
};

ApiHandler::ApiHandler(messaging::MessageStore* store, users::UsersDirectory* users,
                       const auth::TokenVerifier* verifier, ApiOptions options)
    : impl_(std::make_unique<Impl>(store, users, verifier, std::move(options))),
      workers_(impl_->options.worker_threads == 0 ? 1 : impl_->options.worker_threads) {}

ApiHandler::~ApiHandler() { Drain(); }

void ApiHandler::Drain() {
  impl_->draining.store(true);
  std::call_once(impl_->drained, [this] { workers_.join(); });
}

void ApiHandler::Handle(net::HttpRequest&& request, net::Responder responder) {
  const Clock::time_point received = Clock::now();
  if (impl_->draining.load()) {
    // Not queued: the workers are gone or going. Answered here, on the loop.
    char id[net::kRequestIdLength];
    net::NewRequestId(id);
    const std::string_view request_id(id, sizeof id);
    const RequestTarget target = SplitTarget(Sv(request.target()));
    Exchange ex;
    ApiReply reply = ErrorReply(503, {codes::kShuttingDown});
    impl_->Log(request, target, ex, reply, request_id, std::chrono::system_clock::now(), 0);
    return responder.Send(impl_->Respond(request, target, ex, std::move(reply), request_id));
  }
  boost::asio::post(workers_, [this, request = std::move(request), responder = std::move(responder),
                               received]() mutable {
    std::string stream_user;
    bool stored = false;
    net::HttpResponse res = ServeSince(request, received, &stream_user, &stored);
    if (!stream_user.empty() && impl_->options.events) {
      return impl_->options.events->Subscribe(std::move(stream_user), LastEventId(request),
                                              std::move(responder), std::move(res));
    }
    responder.Send(std::move(res));
    // After the answer is on its way, so that the event's fan-out does not
    // queue ahead of it on the event loop.
    if (stored && impl_->options.message_stored) impl_->options.message_stored();
  });
}

net::HttpResponse ApiHandler::Serve(const net::HttpRequest& request) {
  bool stored = false;
  net::HttpResponse res = ServeSince(request, Clock::now(), nullptr, &stored);
  if (stored && impl_->options.message_stored) impl_->options.message_stored();
  return res;
}

net::HttpResponse ApiHandler::ServeSince(const net::HttpRequest& request,
                                         Clock::time_point received, std::string* stream_user,
                                         bool* message_stored) {
  const auto arrived =
      std::chrono::system_clock::now() -
      std::chrono::duration_cast<std::chrono::system_clock::duration>(Clock::now() - received);
  char id[net::kRequestIdLength];
  net::NewRequestId(id);
  const std::string_view request_id(id, sizeof id);
  const RequestTarget target = SplitTarget(Sv(request.target()));
  Exchange ex;
  ApiReply reply;
  try {
    reply = impl_->Dispatch(request, target, &ex);
  } catch (const std::exception& e) {  // a bug below (or bad_alloc): still answer JSON
    reply = ErrorReply(500, {codes::kInternal});
    reply.log_error = "exception";
  }
  const double duration_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - received).count();
  impl_->Log(request, target, ex, reply, request_id, arrived, duration_ms);
  if (stream_user) *stream_user = reply.event_stream_user;
  if (message_stored) *message_stored = ex.message_stored;
  return impl_->Respond(request, target, ex, std::move(reply), request_id);
}

}  // namespace cruddur::api
