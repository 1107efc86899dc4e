// ApiHandler: Cruddur's HTTP API (the seed's backend-flask messaging routes,
// with the bugs of docs/DESIGN.md §10 fixed) as a net::HttpServer
// handler. docs/openapi.yaml is the client-facing description.
//
//   GET  /api/message_groups                 my conversations, newest first
//   GET  /api/messages/{message_group_uuid}  a conversation's messages, oldest first
//   POST /api/messages                       start ({message, handle}) or continue
//                                            ({message, message_group_uuid}) one
//   GET  /api/users/@{handle}/short          {uuid, handle, display_name,
//                                            message_group_uuid}
//
// Every route needs "Authorization: Bearer <Cognito access token>" and a
// users-directory row for the token's sub (users/short included: the seed's
// prod frontend already sends the token, and a directory of handles is no
// business of anonymous clients). A request is checked in this order, so an
// unauthenticated client learns nothing about bodies or conversations:
//   route (404) -> method (405, Allow) -> CORS preflight (204)
//   -> token and directory row (401 "{}"; 503 if the JWKS cannot be fetched)
//   -> query / content type / JSON body (400, 415) -> body fields (422)
//   -> the lookups (404 for a conversation the caller is not part of, or an
//      unknown receiver; 503 when DynamoDB or the users database is down).
// Error bodies are {"errors": [codes...]} (error_codes.h), except 401's "{}".
// No request a client can send gets a 500; that is left for server bugs.
//
// GET routes also answer HEAD. Pages: `limit` (1..100, default 20) and
// `cursor` in the query; the cursor of the next (older) page is returned in
// the X-Next-Cursor header, absent on the last page. Every response carries
// X-Request-Id and, under /api/, CORS headers for the configured origins.
//
// Thread-safe. Serve never throws.
#pragma once

#include <boost/asio/thread_pool.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cruddur/api/event_hub.h"
#include "cruddur/auth/token_verifier.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/users/users_directory.h"
#include "net/http_server.h"

namespace cruddur::api {

struct ApiOptions {
  // Origins allowed by CORS (the seed's flask-cors configuration); a
  // trailing '/' is ignored, empty strings allow nothing.
  std::string frontend_url = "http://localhost:3000";  // FRONTEND_URL
  std::string backend_url = "http://localhost:4567";   // BACKEND_URL
  // More allowed origins (cruddur serve: the dev servers' origins the :8000
  // endpoint allows too, server::kDefaultOrigins, or its -cors list).
  std::vector<std::string> extra_origins;
  // Threads that run requests (they block on the users database and on
  // DynamoDB); 0 means 1.
  unsigned worker_threads = 8;
  // Called with one JSON line per request (access_log.h lists the fields),
  // on the thread that served it, so possibly from several threads at once;
  // empty = no log. Never contains tokens or message text.
  std::function<void(std::string_view json_line)> access_log;
  // How long the directory's uuid of a caller is reused (caller_cache.h); a
  // user unlinked in the directory keeps acting for at most this long.
  // Zero: every request asks the directory.
  std::chrono::milliseconds caller_cache_ttl{std::chrono::seconds(30)};
  // GET /api/events (events_route.h): the live-update hub, or null when
  // the table has no stream (then the route is 404 and clients poll). Not
  // owned; must outlive the handler.
  EventHub* events = nullptr;
  // Called after POST /api/messages has stored a message (status 200), on
  // the worker that served it, once the answer is handed to the server
  // (Handle) or built (Serve): cruddur serve wakes its stream follower
  // (StreamFollower::Wake), whose next poll then finds the message's stream
  // record and publishes it to `events`. Must be cheap, non-blocking and
  // thread-safe; empty = nothing is called.
  std::function<void()> message_stored;
};

class ApiHandler {
 public:
  // None owned; all must outlive the handler.
  ApiHandler(messaging::MessageStore* store, users::UsersDirectory* users,
             const auth::TokenVerifier* verifier, ApiOptions options);
  ~ApiHandler();  // Drain()s
  ApiHandler(const ApiHandler&) = delete;
  ApiHandler& operator=(const ApiHandler&) = delete;

  // The HttpServer handler: queues the request on the worker pool (the event
  // loop never waits on a database) and answers from there. After Drain it
  // answers 503 at once.
  void Handle(net::HttpRequest&& request, net::Responder responder);

  // Answers one request synchronously (tests, and the worker pool). Writes
  // the access log line. Thread-safe.
  net::HttpResponse Serve(const net::HttpRequest& request);

  // Waits for queued requests to be answered and stops the workers.
  // Idempotent. Call after HttpServer::Stop (Responders must not outlive
  // their server) and before destroying the store, directory or verifier.
  void Drain();

 private:
  using Clock = std::chrono::steady_clock;
  // `*stream_user`, if given, is set when the answer is an event stream
  // for that user (the response is then its head); `*message_stored`, if
  // given, when a POST /api/messages stored its message (the caller then
  // calls ApiOptions::message_stored).
  net::HttpResponse ServeSince(const net::HttpRequest& request, Clock::time_point received,
                               std::string* stream_user = nullptr, bool* message_stored = nullptr);

  struct Impl;
  std::unique_ptr<Impl> impl_;
  boost::asio::thread_pool workers_;
};

// HttpServer options for the API: the server's own rejections (413 body too
// large, 400 malformed HTTP, ...) answered as JSON {"errors": [...]}, and a
// 1 MiB body limit.
net::HttpServerOptions MakeApiServerOptions(unsigned io_threads);

}  // namespace cruddur::api
