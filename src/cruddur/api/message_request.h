// The body of POST /api/messages, parsed and checked as far as it can be
// without asking the users directory.
//
//   {"message": "...", "handle": "<receiver>"}             create mode: start
//                                                           (or reuse) a conversation
//   {"message": "...", "message_group_uuid": "<uuid>"}     update mode: add to one
//
// The mode is update exactly when message_group_uuid is present and not null
// (so it wins over handle, as in the seed). Absent and null fields count as
// empty strings; other members are ignored.
//
// Bad requests (400): a body that is not UTF-8 JSON or not an object
// (invalid_json), a field of another type than string or null
// (<field>_not_string, one per field). Invalid fields (422), every one that
// applies: message_blank (empty or only spaces, tabs and line breaks, the
// store's rule), message_exceed_max_chars_1024 (over messaging::kMaxMessageChars
// Unicode code points), user_receiver_handle_blank (create mode),
// message_group_uuid_blank (update mode). message_self needs the directory
// and is the route's.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cruddur::api {

struct MessageRequest {
  bool update = false;  // message_group_uuid given: SendMessage, else StartConversation
  std::string message;
  std::string handle;              // create mode: the receiver's handle
  std::string message_group_uuid;  // update mode
};

struct ParsedMessageRequest {
  MessageRequest request;
  std::vector<std::string_view> bad_request;  // 400 codes; if any, the rest is meaningless
  std::vector<std::string_view> invalid;      // 422 codes
};

ParsedMessageRequest ParseMessageRequest(std::string_view body);

// True for a Content-Type the body may have: none at all, or a JSON media
// type (application/json or any application/...+json), parameters ignored.
bool IsJsonContentType(std::string_view content_type);

// Unicode code points of valid UTF-8 text.
size_t CodePoints(std::string_view utf8);

// True if `text` is empty or only spaces, tabs, CRs and LFs.
bool IsBlank(std::string_view text);

}  // namespace cruddur::api
