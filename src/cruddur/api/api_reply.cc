#include "cruddur/api/api_reply.h"

#include "cruddur/api/json_views.h"

namespace cruddur::api {

ApiReply JsonReply(std::string body, unsigned status) {
  ApiReply reply;
  reply.status = status;
  reply.body = std::move(body);
  return reply;
}

ApiReply ErrorReply(unsigned status, std::span<const std::string_view> codes) {
  return JsonReply(ErrorsJson(codes), status);
}

ApiReply ErrorReply(unsigned status, std::initializer_list<std::string_view> codes) {
  return ErrorReply(status, std::span<const std::string_view>(codes.begin(), codes.size()));
}

ApiReply Unauthorized() { return JsonReply("{}", 401); }

}  // namespace cruddur::api
