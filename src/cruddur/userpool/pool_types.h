// The pool's value types, shared by its public face (user_pool.h) and its
// implementation (pool_core.h and the files it uses): a user as callbacks
// see it, the pool's options, one call's response. Only types: including
// this never pulls in the pool itself, so the implementation's headers do
// not include user_pool.h (which would make the two include each other).
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace cruddur::userpool {

// One user of the pool, as Admin* operations and the callbacks see it.
struct PoolUser {
  std::string username;  // Cognito Username: equals sub (e-mail is the username attribute)
  std::string sub;       // uuid v4
  // In the pool's order, sub first: sub, email, email_verified (once set),
  // name, preferred_username, ... as written by SignUp / Admin* calls.
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string status;  // UNCONFIRMED, CONFIRMED, FORCE_CHANGE_PASSWORD
  bool enabled = true;
  double created = 0, modified = 0;  // epoch seconds

  // The value of attribute `name`, or "" if the user has none.
  std::string Attribute(std::string_view name) const;
};

struct UserPoolOptions {
  // Part of the token issuer https://cognito-idp.<region>.amazonaws.com/<pool_id>.
  std::string region = "us-east-1";
  // The pool's id, e.g. "us-east-1_cruddur" (required; Cognito's form
  // <region>_<alphanumerics>). Requests naming another UserPoolId get
  // ResourceNotFoundException.
  std::string pool_id;
  // The one app client (required, [\w+]+). Other ClientIds get
  // ResourceNotFoundException "User pool client X does not exist.".
  std::string client_id;
  // Directory holding userpool.sqlite3 and userpool-signing-key.pem (both
  // created if missing, the key file with mode 0600). "" keeps everything in
  // memory with a fresh key: nothing survives the process.
  std::string data_dir;
  // Lifetimes of the tokens InitiateAuth issues (ExpiresIn is the access
  // token's). Must be positive.
  std::chrono::seconds access_token_validity{3600}, id_token_validity{3600};
  std::chrono::seconds refresh_token_validity{30 * 24 * 3600};
  // Called (outside any pool lock, on the calling thread) after a user becomes
  // CONFIRMED by any route: ConfirmSignUp, AdminConfirmSignUp,
  // AdminSetUserPassword with Permanent, RespondToAuthChallenge
  // NEW_PASSWORD_REQUIRED, and EnsureUser creating a user.
  std::function<void(const PoolUser&)> on_confirmed;
  // Called (outside any pool lock) after AdminDeleteUser or DeleteUser, with
  // the user as it was.
  std::function<void(const PoolUser&)> on_deleted;
  // The pre sign-up hook: what a PreSignUp Lambda trigger is to Cognito.
  // Called (outside any pool lock, on the calling thread) by SignUp and by
  // AdminCreateUser (not its RESEND) with the user about to be created (sub,
  // email, the request's attributes, status UNCONFIRMED or
  // FORCE_CHANGE_PASSWORD) once the request is valid and its e-mail free,
  // before anything is stored or delivered. Also called, so that handles
  // keep one rule, when UpdateUserAttributes, AdminUpdateUserAttributes or a
  // NEW_PASSWORD_REQUIRED answer sets a non-empty preferred_username other
  // than the user's own (ignoring ASCII case), with the user as the writes
  // would leave them (their sub and status). An error refuses the request
  // with UserLambdaValidationException "PreSignUp failed with error
  // <message>.", Cognito's wording for a trigger that fails; nothing is
  // created or changed. Empty = no trigger.
  std::function<base::Status(const PoolUser&)> pre_sign_up;
  // Where messages the real pool would e-mail go (there is no e-mail locally;
  // the server logs them): the 6-digit confirmation code of SignUp and
  // ResendConfirmationCode, ForgotPassword's 6-digit reset code, the 6-digit
  // e-mail verification code of GetUserAttributeVerificationCode and of
  // UpdateUserAttributes changing the e-mail (sent to the new address), and
  // the temporary password of AdminCreateUser when its MessageAction is not
  // SUPPRESS. Empty = dropped.
  std::function<void(const PoolUser&, std::string_view code)> deliver_code;
  // The time for tokens, codes and timestamps. Empty = the system clock.
  std::function<std::chrono::system_clock::time_point()> clock;
  // The custom attributes the pool declares, as Cognito's schema does:
  // names without the "custom:" prefix, at most 50, 1 to 20 characters each.
  // SignUp and Admin* calls writing an undeclared custom:<name> are refused.
  // Cruddur's pool declares none (its users carry email, name and
  // preferred_username), hence the empty default.
  std::vector<std::string> custom_attributes;
  // How long a confirmation, password-reset or e-mail verification code
  // stays valid (Cognito: 24 hours). Positive; tests shorten it.
  std::chrono::seconds code_validity{24 * 3600};
  // The lockout's unit (sign_in_guard.h): 5 failed sign-ins lock a user out
  // for 1 unit, doubling up to 900 units (Cognito: 1 second, so about 15
  // minutes). Positive; tests shorten it.
  std::chrono::milliseconds lockout_unit{1000};
  // scrypt cost for new password hashes: N = 2^scrypt_log2_n (r 8, p 1), in
  // [1, 18]. 15 takes ~32 MiB and ~0.1 s per hash; tests use 10. Existing
  // hashes keep the cost they were made with.
  int scrypt_log2_n = 15;
};

// The answer to one Call: status 200 and the operation's JSON output, or an
// error {"__type":"<Type>","message":"..."} with status 400 (500 only for
// InternalErrorException).
struct PoolResponse {
  unsigned status = 200;
  std::string body;
};

}  // namespace cruddur::userpool
