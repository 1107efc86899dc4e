// libFuzzer target: what the cruddur API parses of a request
// (src/cruddur/api, src/cruddur/messaging/cursor.h): the request target
// (SplitTarget, PercentDecode, FindQueryParam), the paging parameters of the
// query string (ParsePageParams), the POST /api/messages body
// (ParseMessageRequest and its Content-Type / text helpers) and pagination
// cursors (DecodeCursor on the input as a cursor and on the input's
// base64url, so that the JSON checks behind the base64 are reached). Oracle
// besides the sanitizers: a cursor that decodes encodes back to one that
// decodes to the same key.
#include <rapidjson/document.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/base64.h"
#include "cruddur/api/message_request.h"
#include "cruddur/api/page_params.h"
#include "cruddur/api/request_target.h"
#include "cruddur/messaging/cursor.h"
#include "fuzz_check.h"

namespace {

namespace api = cruddur::api;
namespace messaging = cruddur::messaging;

// As the message store continues a conversation's page.
void Cursor(std::string_view cursor) {
  auto key = messaging::DecodeCursor(cursor, {"pk", "sk"}, "pk", "MSG#fuzz");
  if (!key.ok()) return;
  std::string again = messaging::EncodeCursor(key.value());
  auto key2 = messaging::DecodeCursor(again, {"pk", "sk"}, "pk", "MSG#fuzz");
  FUZZ_CHECK(key2.ok());
  FUZZ_CHECK(key2.value() == key.value());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);

  api::RequestTarget target = api::SplitTarget(in);
  (void)api::PercentDecode(target.path, false);
  (void)api::PercentDecode(target.query, true);
  std::string value;
  for (std::string_view name : {"limit", "cursor", "handle", ""}) {
    (void)api::FindQueryParam(target.query, name, &value);
  }
  (void)api::ParsePageParams(target.query);
  (void)api::ParsePageParams(in);

  api::ParsedMessageRequest message = api::ParseMessageRequest(in);
  if (message.bad_request.empty()) {
    (void)api::CodePoints(message.request.message);
    (void)api::IsBlank(message.request.message);
  }
  (void)api::IsJsonContentType(in);

  Cursor(in);
  Cursor(base::Base64UrlEncode(in));
  return 0;
}
