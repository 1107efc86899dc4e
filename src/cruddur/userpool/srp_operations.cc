// USER_SRP_AUTH: InitiateAuth with SRP_A answers the PASSWORD_VERIFIER
// challenge (SALT, SRP_B, SECRET_BLOCK, USER_ID_FOR_SRP, USERNAME), and
// RespondToAuthChallenge PASSWORD_VERIFIER checks the client's
// PASSWORD_CLAIM_SIGNATURE (srp.h has the math, srp_challenges.h the state
// kept in between).
//
// Users SRP cannot sign in: unknown users, and users with no verifier yet
// (created before the pool spoke SRP, until their next USER_PASSWORD_AUTH or
// password change). Cognito documents no special answer for a user who
// cannot do SRP; with PreventUserExistenceErrors ENABLED it answers an
// unknown user's USER_SRP_AUTH with a well-formed challenge and fails the
// claim with NotAuthorizedException "Incorrect username or password.". The
// pool does the same for both: a decoy challenge (random salt and verifier)
// that no password can answer. Such failures are not counted towards a
// lockout (there is no password to guess).
#include "base/base64.h"
#include "cruddur/userpool/pool_core.h"
#include "cruddur/userpool/pool_error.h"
#include "cruddur/userpool/response.h"
#include "cruddur/userpool/secrets.h"

namespace cruddur::userpool {
namespace {

constexpr std::string_view kDecoyPassword = "decoy: no password answers this challenge";

}  // namespace

base::Result<std::string> PoolCore::StartSrp(const std::optional<AttributeList>& params) {
  ASSIGN_OR_RETURN(std::string username, RequiredParameter(params, "USERNAME"));
  ASSIGN_OR_RETURN(std::string A_hex, RequiredParameter(params, "SRP_A"));
  // Guessed wording: Cognito's message for an SRP_A that is not hex or is 0
  // mod N is not documented.
  if (!ValidSrpPublic(A_hex)) return InvalidParameter("SRP_A is not a valid SRP public value.");

  std::optional<StoredUser> user;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(user, store_->FindUser(username));
  }
  SrpChallenge challenge;
  challenge.A_hex = A_hex;
  challenge.real = user && !user->srp.empty();
  challenge.username = user ? user->user.username : username;
  SrpVerifier verifier;
  if (challenge.real) {
    verifier = user->srp;
  } else {
    ASSIGN_OR_RETURN(verifier, MakeSrpVerifier(srp_pool_name_, challenge.username, kDecoyPassword));
  }
  challenge.verifier_hex = verifier.verifier_hex;
  ASSIGN_OR_RETURN(challenge.server, MakeSrpServerKey(verifier.verifier_hex));
  const std::string B_hex = challenge.server.B_hex;
  const std::string user_id = challenge.username;
  const int64_t now_ms = NowMillis();
  challenge.expires_ms =
      now_ms + std::chrono::duration_cast<std::chrono::milliseconds>(kChallengeValidity).count();
  ASSIGN_OR_RETURN(std::string secret_block, srp_challenges_.Put(std::move(challenge), now_ms));

  ResponseWriter out;
  out.Member("ChallengeName", "PASSWORD_VERIFIER");
  out.StartObject("ChallengeParameters");
  out.Member("SALT", verifier.salt_hex);
  out.Member("SECRET_BLOCK", secret_block);
  out.Member("SRP_B", B_hex);
  out.Member("USERNAME", user_id);
  out.Member("USER_ID_FOR_SRP", user_id);
  out.EndObject();
  return out.Finish();
}

base::Result<std::string> PoolCore::VerifySrpClaim(const std::optional<AttributeList>& responses) {
  ASSIGN_OR_RETURN(std::string username, RequiredParameter(responses, "USERNAME"));
  ASSIGN_OR_RETURN(std::string block, RequiredParameter(responses, "PASSWORD_CLAIM_SECRET_BLOCK"));
  ASSIGN_OR_RETURN(std::string signature, RequiredParameter(responses, "PASSWORD_CLAIM_SIGNATURE"));
  ASSIGN_OR_RETURN(std::string timestamp, RequiredParameter(responses, "TIMESTAMP"));
  // Guessed wording (Cognito refuses other formats; its message is not
  // documented).
  if (!ValidSrpTimestamp(timestamp)) {
    return InvalidParameter("TIMESTAMP must be of the form EEE MMM d HH:mm:ss UTC yyyy.");
  }
  std::string block_bytes;
  if (base::Base64Decode(block, &block_bytes) != base::Base64Problem::kNone) {
    return IncorrectUsernameOrPassword();
  }

  std::optional<SrpChallenge> challenge = srp_challenges_.Take(block);
  if (!challenge) return IncorrectUsernameOrPassword();
  if (NowMillis() >= challenge->expires_ms) {
    return NotAuthorized("Invalid session for the user, session is expired.");
  }
  if (username != challenge->username || !challenge->real) return IncorrectUsernameOrPassword();

  std::optional<StoredUser> user;
  {
    std::lock_guard lock(mu_);
    ASSIGN_OR_RETURN(user, store_->FindUser(challenge->username));
  }
  // Gone, or the password changed since the challenge: no claim can match.
  if (!user || user->srp.verifier_hex != challenge->verifier_hex) {
    return IncorrectUsernameOrPassword();
  }
  if (LockedOutNow(*user)) return PasswordAttemptsExceeded();
  auto key = SrpSessionKey(challenge->A_hex, challenge->server, challenge->verifier_hex);
  const bool match =
      key.ok() &&
      ConstantTimeEquals(signature, SrpClaimSignature(*key, srp_pool_name_, challenge->username,
                                                      block_bytes, timestamp));
  if (!match) {
    RETURN_IF_ERROR(RecordSignInFailure(user->user.username));
    return IncorrectUsernameOrPassword();
  }
  return PasswordVerified(*user, std::nullopt);
}

}  // namespace cruddur::userpool
