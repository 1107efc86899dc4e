// The API's error vocabulary: the codes of {"errors": [...]} bodies. They are
// part of the contract (docs/openapi.yaml lists them; the web client maps
// them to messages), so they never change meaning.
#pragma once

#include <string_view>

namespace cruddur::api::codes {

// 422: POST /api/messages fields (all that apply are listed together).
inline constexpr std::string_view kMessageBlank = "message_blank";
inline constexpr std::string_view kMessageTooLong = "message_exceed_max_chars_1024";
inline constexpr std::string_view kReceiverHandleBlank = "user_receiver_handle_blank";
inline constexpr std::string_view kGroupUuidBlank = "message_group_uuid_blank";
inline constexpr std::string_view kMessageSelf = "message_self";

// 400: the request itself.
inline constexpr std::string_view kInvalidJson = "invalid_json";  // not JSON, or not an object
inline constexpr std::string_view kMessageNotString = "message_not_string";
inline constexpr std::string_view kHandleNotString = "handle_not_string";
inline constexpr std::string_view kGroupUuidNotString = "message_group_uuid_not_string";
inline constexpr std::string_view kInvalidCursor = "invalid_cursor";
inline constexpr std::string_view kInvalidLimit = "invalid_limit";
inline constexpr std::string_view kInvalidArgument = "invalid_argument";
inline constexpr std::string_view kBadRequest = "bad_request";  // malformed HTTP

// 404.
inline constexpr std::string_view kNotFound = "not_found";  // no such route
inline constexpr std::string_view kConversationNotFound = "message_group_not_found";
inline constexpr std::string_view kReceiverNotFound = "user_receiver_not_found";
inline constexpr std::string_view kUserNotFound = "user_not_found";

// Other client errors.
inline constexpr std::string_view kMethodNotAllowed = "method_not_allowed";          // 405
inline constexpr std::string_view kUnsupportedMediaType = "unsupported_media_type";  // 415
inline constexpr std::string_view kRequestTooLarge = "request_too_large";            // 413

// 503: try again later.
inline constexpr std::string_view kAuthUnavailable = "auth_unavailable";          // JWKS fetch
inline constexpr std::string_view kUsersUnavailable = "users_unavailable";        // users database
inline constexpr std::string_view kMessagesUnavailable = "messages_unavailable";  // DynamoDB
inline constexpr std::string_view kBusy = "conversation_busy";                    // send contention
inline constexpr std::string_view kShuttingDown = "shutting_down";

// 500: a server bug.
inline constexpr std::string_view kInternal = "internal_error";

}  // namespace cruddur::api::codes
