// base::Error with DynamoDB's codes: a code's name is the exception's, names
// decode back to their codes, and errors of different domains never compare
// equal even when their values do.
#include "base/error.h"

#include <gtest/gtest.h>

#include <string>

#include "ddb/common/error.h"

namespace ddb {
namespace {

enum class OtherCode { kFirst = 1 };

class OtherCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "other"; }
  std::string message(int) const override { return "First"; }
};
const OtherCategory kOther;

TEST(ErrorCodes, EveryNameDecodesToItsCode) {
  for (int v = static_cast<int>(ErrorCode::kValidation);
       v <= static_cast<int>(ErrorCode::kImportNotFound); ++v) {
    const auto code = static_cast<ErrorCode>(v);
    const std::string_view name = ErrorCodeName(code);
    EXPECT_NE(name, "UnknownError") << v;
    ASSERT_TRUE(ErrorCodeForName(name).has_value()) << name;
    // kRequestRefused shares AccessDeniedException's name (a 403 of it);
    // a received AccessDeniedException is kAccessDenied.
    EXPECT_EQ(*ErrorCodeForName(name),
              code == ErrorCode::kRequestRefused ? ErrorCode::kAccessDenied : code)
        << name;
  }
  EXPECT_FALSE(ErrorCodeForName("NoSuchException").has_value());
  EXPECT_FALSE(ErrorCodeForName("validationexception").has_value());
  EXPECT_FALSE(ErrorCodeForName("").has_value());
}

TEST(ErrorCodes, ConstructorsCarryTheirCodes) {
  EXPECT_EQ(Validation("v").code, ErrorCode::kValidation);
  EXPECT_EQ(Validation("v").Name(), "ValidationException");
  EXPECT_EQ(Validation("v").message, "v");
  EXPECT_EQ(ResourceNotFound().message, "Requested resource not found");
  EXPECT_EQ(ResourceNotFound().code, ErrorCode::kResourceNotFound);
  EXPECT_EQ(ResourceInUse("r").code, ErrorCode::kResourceInUse);
  EXPECT_EQ(ConditionalCheckFailed().message, "The conditional request failed");
  EXPECT_EQ(Serialization("s").Name(), "SerializationException");
  EXPECT_EQ(Internal().Name(), "InternalServerError");
  EXPECT_EQ(LimitExceeded("l").code, ErrorCode::kLimitExceeded);
  EXPECT_EQ(std::string(Validation("v").code.category().name()), "dynamodb");
}

TEST(ErrorCodes, DomainsKeepEqualValuesApart) {
  const base::Error ours(ErrorCode::kValidation, "m");
  const base::Error theirs(std::error_code(1, kOther), "m");
  ASSERT_EQ(ours.code.value(), theirs.code.value());
  EXPECT_NE(ours.code, theirs.code);
  EXPECT_FALSE(theirs.code == ErrorCode::kValidation);
  EXPECT_EQ(theirs.Name(), "First");
}

TEST(ErrorCodes, ResultAndStatusCarryTheError) {
  base::Result<int> r = Validation("bad");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kValidation);
  base::Result<int> fine = 7;
  ASSERT_TRUE(fine.ok());
  EXPECT_EQ(*fine, 7);
  auto twice = [](base::Result<int> in) -> base::Result<int> {
    ASSIGN_OR_RETURN(int v, std::move(in));
    return v * 2;
  };
  EXPECT_EQ(*twice(21), 42);
  EXPECT_EQ(twice(ResourceInUse("busy")).error().code, ErrorCode::kResourceInUse);
  auto check = [](base::Status s) -> base::Status {
    RETURN_IF_ERROR(std::move(s));
    return Internal("reached");
  };
  EXPECT_EQ(check(Validation("first")).error().code, ErrorCode::kValidation);
  EXPECT_EQ(check(base::Status::Ok()).error().code, ErrorCode::kInternalServerError);
  const base::Error with_extra(ErrorCode::kTransactionCanceled, "c", "\"CancellationReasons\":[]");
  EXPECT_EQ(with_extra.extra_json, "\"CancellationReasons\":[]");
}

}  // namespace
}  // namespace ddb
