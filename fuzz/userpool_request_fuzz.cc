// libFuzzer target: a Cognito user-pool request body through
// cruddur::userpool::Request (src/cruddur/userpool/request.h) as the
// operations read it: Parse, every kind of member reader over the members
// the pool's operations take, with their shapes, then Check. Also
// MatchesShape on the raw input with every shape.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cruddur/userpool/request.h"

namespace {

namespace up = cruddur::userpool;

constexpr const up::StringShape* kShapes[] = {
    &up::shape::kClientId,     &up::shape::kUserPoolId,       &up::shape::kUsername,
    &up::shape::kPassword,     &up::shape::kConfirmationCode, &up::shape::kAccessToken,
    &up::shape::kSession,      &up::shape::kAttributeName,    &up::shape::kAttributeValue,
    &up::shape::kFilter,       &up::shape::kPaginationToken,  &up::shape::kSecretHash,
    &up::shape::kClientSecret,
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  for (const up::StringShape* shape : kShapes) (void)up::MatchesShape(body, *shape);
  (void)up::MemberPath(body);

  up::Request req;
  if (!req.Parse(body).ok()) return 0;
  (void)req.String("ClientId", up::shape::kClientId, true);
  (void)req.String("UserPoolId", up::shape::kUserPoolId);
  (void)req.String("Username", up::shape::kUsername, true);
  (void)req.String("Password", up::shape::kPassword);
  (void)req.String("ConfirmationCode", up::shape::kConfirmationCode);
  (void)req.String("AccessToken", up::shape::kAccessToken);
  (void)req.String("Session", up::shape::kSession);
  (void)req.String("Filter", up::shape::kFilter);
  (void)req.String("PaginationToken", up::shape::kPaginationToken);
  (void)req.String("SecretHash", up::shape::kSecretHash);
  (void)req.String("ClientSecret", up::shape::kClientSecret);
  (void)req.String("Token", up::shape::kAccessToken);
  (void)req.String("AttributeName", up::shape::kAttributeName);
  (void)req.String("Code", up::shape::kConfirmationCode);
  (void)req.Enum("AuthFlow",
                 {"USER_PASSWORD_AUTH", "USER_SRP_AUTH", "REFRESH_TOKEN_AUTH", "REFRESH_TOKEN"});
  (void)req.Enum("ChallengeName", {"PASSWORD_VERIFIER", "NEW_PASSWORD_REQUIRED"});
  (void)req.Enum("MessageAction", {"RESEND", "SUPPRESS"});
  (void)req.Bool("ForceAliasCreation");
  (void)req.Bool("Permanent");
  (void)req.Int("Limit", 0, 60);
  (void)req.Int("MaxResults", 1, 60);
  (void)req.Attributes("UserAttributes");
  (void)req.Attributes("ValidationData");
  (void)req.StringMap("AuthParameters");
  (void)req.StringMap("ChallengeResponses");
  (void)req.StringMap("ClientMetadata");
  (void)req.StringList("AttributesToGet", up::shape::kAttributeName);
  (void)req.StringList("UserAttributeNames", up::shape::kAttributeName);
  (void)req.Check();
  return 0;
}
