#include "cruddur/api/events_route.h"

#include "cruddur/api/error_codes.h"

namespace cruddur::api {

ApiReply EventsRoute(const EventHub* hub, const Caller& caller) {
  if (!hub) {
    ApiReply reply = ErrorReply(404, {codes::kNotFound});
    reply.log_error = "no_event_stream";
    return reply;
  }
  ApiReply reply;
  reply.status = 200;
  reply.event_stream_user = caller.user_uuid;
  return reply;
}

std::string_view LastEventId(const net::HttpRequest& request) {
  auto it = request.find("Last-Event-ID");
  if (it == request.end()) return {};
  return std::string_view(it->value().data(), it->value().size());
}

}  // namespace cruddur::api
