#include "cruddur/api/page_params.h"

#include "cruddur/api/error_codes.h"
#include "cruddur/api/request_target.h"
#include "cruddur/messaging/cursor.h"
#include "cruddur/messaging/message_store.h"

namespace cruddur::api {

base::Result<PageParams, ApiReply> ParsePageParams(std::string_view query) {
  PageParams params;
  params.limit = messaging::kDefaultPageSize;

  std::string limit;
  switch (FindQueryParam(query, "limit", &limit)) {
    case QueryLookup::kAbsent:
      break;
    case QueryLookup::kMalformed:
      return ErrorReply(400, {codes::kInvalidLimit});
    case QueryLookup::kFound: {
      // At most 3 digits, so no overflow; no sign, space or leading '+'.
      int value = 0;
      bool ok = !limit.empty() && limit.size() <= 3;
      for (size_t i = 0; ok && i < limit.size(); ++i) {
        ok = limit[i] >= '0' && limit[i] <= '9';
        value = value * 10 + (limit[i] - '0');
      }
      if (!ok || value < 1 || value > messaging::kMaxPageSize) {
        return ErrorReply(400, {codes::kInvalidLimit});
      }
      params.limit = value;
      break;
    }
  }

  switch (FindQueryParam(query, "cursor", &params.cursor)) {
    case QueryLookup::kAbsent:
      params.cursor.clear();
      break;
    case QueryLookup::kMalformed:
      return ErrorReply(400, {codes::kInvalidCursor});
    case QueryLookup::kFound:
      // An empty cursor would silently mean "first page"; a client that
      // sends one has lost its place.
      if (params.cursor.empty() || params.cursor.size() > messaging::kMaxCursorLength) {
        return ErrorReply(400, {codes::kInvalidCursor});
      }
      break;
  }
  return params;
}

}  // namespace cruddur::api
