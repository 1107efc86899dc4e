#include "cruddur/api/authenticate.h"

#include "cruddur/api/error_codes.h"
#include "cruddur/api/error_mapping.h"

namespace cruddur::api {

std::optional<ApiReply> Authenticate(const auth::TokenVerifier& verifier,
                                     users::UsersDirectory& users,
                                     std::string_view authorization_header, Caller* caller,
                                     CallerCache* callers) {
  auto claims = verifier.VerifyAuthorizationHeader(authorization_header);
  if (!claims.ok()) {
    const auth::AuthErrorCode code = claims.error().code;
    ApiReply reply = code == auth::AuthErrorCode::kJwksUnavailable
                         ? ErrorReply(503, {codes::kAuthUnavailable})
                         : Unauthorized();
    reply.log_error = std::string(auth::AuthErrorCodeName(code));
    return reply;
  }
  caller->cognito_user_id = std::move(claims->sub);
  if (callers) {
    if (auto known = callers->Find(caller->cognito_user_id)) {
      caller->user_uuid = std::move(*known);
      return std::nullopt;
    }
  }

  auto uuid = users.FindUuidByCognitoUserId(caller->cognito_user_id);
  if (!uuid.ok()) {
    const base::Error& e = uuid.error();
    if (e.code == users::kUserNotFound || e.code == users::kInvalidUserInput) {
      ApiReply reply = Unauthorized();
      reply.log_error = e.Name();
      return reply;
    }
    return ReplyForError(e);
  }
  caller->user_uuid = std::move(uuid).value();
  if (callers) callers->Remember(caller->cognito_user_id, caller->user_uuid);
  return std::nullopt;
}

}  // namespace cruddur::api
