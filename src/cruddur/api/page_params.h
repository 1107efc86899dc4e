// The paging parameters of the list routes, from the query string:
//   limit   1..messaging::kMaxPageSize decimal digits (default kDefaultPageSize)
//   cursor  the X-Next-Cursor of the previous page, passed back unchanged
// Other parameters are ignored. The cursor itself is checked by the store
// (kInvalidCursor: 400 invalid_cursor), here only that it is short enough and
// percent-decodes.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"
#include "cruddur/api/api_reply.h"

namespace cruddur::api {

struct PageParams {
  int limit = 0;
  std::string cursor;  // empty: the first page
};

// The parameters, or a 400 reply (invalid_limit / invalid_cursor).
base::Result<PageParams, ApiReply> ParsePageParams(std::string_view query);

}  // namespace cruddur::api
