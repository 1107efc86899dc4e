#include "cruddur/api/routes.h"

#include "cruddur/api/request_target.h"

namespace cruddur::api {
namespace {

namespace http = boost::beast::http;

// One decoded, non-empty path segment, or nullopt.
std::optional<std::string> Segment(std::string_view encoded) {
  if (encoded.empty() || encoded.find('/') != std::string_view::npos) return std::nullopt;
  auto decoded = PercentDecode(encoded, false);
  if (!decoded || decoded->empty()) return std::nullopt;
  return decoded;
}

bool ConsumePrefix(std::string_view* s, std::string_view prefix) {
  if (s->substr(0, prefix.size()) != prefix) return false;
  s->remove_prefix(prefix.size());
  return true;
}

bool ConsumeSuffix(std::string_view* s, std::string_view suffix) {
  if (s->size() < suffix.size() || s->substr(s->size() - suffix.size()) != suffix) return false;
  s->remove_suffix(suffix.size());
  return true;
}

}  // namespace

std::optional<RouteMatch> MatchRoute(std::string_view path) {
  if (path == "/api/message_groups") return RouteMatch{RouteId::kMessageGroups, {}};
  if (path == "/api/messages") return RouteMatch{RouteId::kCreateMessage, {}};
  if (path == "/api/events") return RouteMatch{RouteId::kEvents, {}};
  std::string_view rest = path;
  if (ConsumePrefix(&rest, "/api/messages/")) {
    if (auto uuid = Segment(rest)) return RouteMatch{RouteId::kMessages, std::move(*uuid)};
    return std::nullopt;
  }
  rest = path;
  if (ConsumePrefix(&rest, "/api/users/@") && ConsumeSuffix(&rest, "/short")) {
    if (auto handle = Segment(rest)) return RouteMatch{RouteId::kUserShort, std::move(*handle)};
  }
  return std::nullopt;
}

bool RouteAllows(RouteId id, http::verb method) {
  if (method == http::verb::options) return true;
  if (id == RouteId::kCreateMessage) return method == http::verb::post;
  if (id == RouteId::kEvents) return method == http::verb::get;
  return method == http::verb::get || method == http::verb::head;
}

std::string_view AllowHeader(RouteId id) {
  if (id == RouteId::kEvents) return "GET, OPTIONS";
  return id == RouteId::kCreateMessage ? "POST, OPTIONS" : "GET, HEAD, OPTIONS";
}

std::string_view RouteName(RouteId id) {
  switch (id) {
    case RouteId::kMessageGroups:
      return "/api/message_groups";
    case RouteId::kCreateMessage:
      return "/api/messages";
    case RouteId::kMessages:
      return "/api/messages/{message_group_uuid}";
    case RouteId::kUserShort:
      return "/api/users/@{handle}/short";
    case RouteId::kEvents:
      return "/api/events";
  }
  return "";
}

}  // namespace cruddur::api
