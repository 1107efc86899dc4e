// The Cognito wire form of errors (pool_error.h): the pool's own codes by
// their exception names, the "aws-auth" credential errors by theirs, and any
// other domain's error as an InternalErrorException.
#include "cruddur/userpool/pool_error.h"

#include <gtest/gtest.h>

#include "cruddur/users/errors.h"
#include "net/auth_error.h"

namespace cruddur::userpool {
namespace {

TEST(PoolError, WireFormByDomain) {
  const base::Error not_authorized = NotAuthorized("Incorrect username or password.");
  EXPECT_EQ(ErrorName(not_authorized), "NotAuthorizedException");
  EXPECT_EQ(ErrorStatus(not_authorized), 400);
  EXPECT_EQ(ErrorBody(not_authorized),
            R"({"__type":"NotAuthorizedException","message":"Incorrect username or password."})");
  EXPECT_EQ(ErrorStatus(InternalError("disk")), 500);
  EXPECT_EQ(ErrorName(InternalError("disk")), "InternalErrorException");

  const base::Error missing(net::AuthErrorCode::kMissingAuthenticationToken, "m");
  EXPECT_EQ(ErrorName(missing), "MissingAuthenticationTokenException");
  EXPECT_EQ(ErrorStatus(missing), 400);
  const base::Error refused(net::AuthErrorCode::kRequestRefused, "r");
  EXPECT_EQ(ErrorName(refused), "AccessDeniedException");
  EXPECT_EQ(ErrorStatus(refused), 403);

  const base::Error stray(users::kUserNotFound, "nobody");
  EXPECT_EQ(ErrorName(stray), "InternalErrorException");
  EXPECT_EQ(ErrorStatus(stray), 500);
}

TEST(PoolError, LowerLayerErrorsBecomeInternalErrors) {
  const base::Error kept = AsPoolError(UserNotFound());
  EXPECT_EQ(kept.code, kUserNotFound);
  EXPECT_EQ(kept.message, "User does not exist.");
  const base::Error wrapped = AsPoolError(base::Error(users::kDatabaseUnavailable, "locked"));
  EXPECT_EQ(wrapped.code, kInternalError);
  EXPECT_EQ(wrapped.message, "DatabaseUnavailable: locked");
}

}  // namespace
}  // namespace cruddur::userpool
