// GET /api/events: the caller's live-update stream (event_hub.h has the
// format). The route itself only decides whether there is one: without a
// hub (the table has no stream, e.g. --prod before it is enabled) it is 404
// {"errors": ["not_found"]}, which tells the web client to poll instead.
// Otherwise the reply asks ApiHandler to hand the request to the hub.
#pragma once

#include <string_view>

#include "cruddur/api/api_reply.h"
#include "cruddur/api/authenticate.h"
#include "cruddur/api/event_hub.h"
#include "net/http_server.h"

namespace cruddur::api {

// After authentication: 404 without a hub; else 200 with
// reply.event_stream_user = the caller's uuid.
ApiReply EventsRoute(const EventHub* hub, const Caller& caller);

// The request's Last-Event-ID header ("" if absent).
std::string_view LastEventId(const net::HttpRequest& request);

}  // namespace cruddur::api
