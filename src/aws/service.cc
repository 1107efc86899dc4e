#include "aws/service.h"

#include "ddb/common/error.h"

namespace aws {

std::error_code DecodeDynamoDbError(std::string_view name) {
  if (auto code = ddb::ErrorCodeForName(name)) return *code;
  return {};
}

}  // namespace aws
