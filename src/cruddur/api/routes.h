// The API's routes: which path is which route, and which methods it answers.
//
//   /api/message_groups                 GET HEAD OPTIONS
//   /api/messages                       POST OPTIONS
//   /api/messages/{message_group_uuid}  GET HEAD OPTIONS
//   /api/users/@{handle}/short          GET HEAD OPTIONS
//   /api/events                         GET OPTIONS (an event stream)
//
// Paths match exactly (no trailing '/'). A path parameter is one non-empty
// segment, percent-decoded; a segment that does not decode matches nothing.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "net/http_server.h"  // boost::beast::http::verb, with what it needs

namespace cruddur::api {

enum class RouteId { kMessageGroups, kCreateMessage, kMessages, kUserShort, kEvents };

struct RouteMatch {
  RouteId id;
  std::string param;  // message_group_uuid or handle, decoded; else empty
};

// The route of an (encoded) request path, or nullopt.
std::optional<RouteMatch> MatchRoute(std::string_view path);

// True if the route answers `method` (OPTIONS, a CORS preflight, included).
bool RouteAllows(RouteId id, boost::beast::http::verb method);

// The Allow header of a route, e.g. "GET, HEAD, OPTIONS".
std::string_view AllowHeader(RouteId id);

// A stable name for logs and metrics, e.g. "/api/messages/{message_group_uuid}".
std::string_view RouteName(RouteId id);

}  // namespace cruddur::api
