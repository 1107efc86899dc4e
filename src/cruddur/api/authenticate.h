// Who is calling: the Authorization header's Cognito access token, verified,
// and its sub's row in the users directory.
//
// Any token problem is 401 "{}" (the seed's answer), and so is a valid token
// whose sub has no directory row (the reference crashed with a 500 there):
// the API has no user to act as. When the pool's keys cannot be fetched
// (auth kJwksUnavailable) the token may well be good, so that is 503
// auth_unavailable, as is an unreachable directory (users_unavailable).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "cruddur/api/api_reply.h"
#include "cruddur/api/caller_cache.h"
#include "cruddur/auth/token_verifier.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::api {

struct Caller {
  std::string cognito_user_id;  // the token's sub
  std::string user_uuid;        // the directory's uuid of that user
};

// nullopt when `*caller` is complete; otherwise the reply to send (its
// log_error names the reason). caller->cognito_user_id is set as soon as the
// token verifies, so that logs can name the user even when the lookup fails.
// With `callers`, a recently found user is taken from it instead of the
// directory (see caller_cache.h for how stale it may be).
std::optional<ApiReply> Authenticate(const auth::TokenVerifier& verifier,
                                     users::UsersDirectory& users,
                                     std::string_view authorization_header, Caller* caller,
                                     CallerCache* callers = nullptr);

}  // namespace cruddur::api
