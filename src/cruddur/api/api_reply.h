// ApiReply: what a route decided, before api_handler.cc turns it into an
// HTTP response (adding Content-Type, X-Request-Id, CORS and the headers the
// status calls for: Allow on 405, WWW-Authenticate on 401, Retry-After on
// 503).
#pragma once

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace cruddur::api {

struct ApiReply {
  unsigned status = 200;
  std::string body;         // JSON text
  std::string next_cursor;  // sent as X-Next-Cursor when non-empty
  std::string allow;        // sent as Allow (405)
  std::string log_error;    // a lower layer's error name: access log only, never sent
  // A send: the transactions it took (more than 1: it lost races for its
  // conversation and tried again). Access log only.
  int log_transactions = 0;
  // Non-empty: answer with this user's event stream (events_route.h); the
  // body is unused.
  std::string event_stream_user;
};

// 200 (or `status`) with a JSON body.
ApiReply JsonReply(std::string body, unsigned status = 200);

// `status` with {"errors": [codes...]}.
ApiReply ErrorReply(unsigned status, std::span<const std::string_view> codes);
ApiReply ErrorReply(unsigned status, std::initializer_list<std::string_view> codes);

// 401 with the body "{}" (the seed's answer to any token problem).
ApiReply Unauthorized();

}  // namespace cruddur::api
