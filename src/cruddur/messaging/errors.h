// The messaging layer's error codes: the "messaging" domain. The API maps
// them to its 4xx and 5xx at its edge (api/error_mapping.h); errors of the
// DynamoDB client pass through with their own domains.
#pragma once

#include <system_error>
#include <type_traits>

#include "base/error.h"

namespace cruddur::messaging {

enum class ErrorCode {
  // A bad uuid or limit, or a seed dialogue line of the wrong shape.
  kInvalidArgument = 1,
  // A message text that is empty or only spaces, tabs and line breaks.
  kBlankMessage,
  // A message text longer than kMaxMessageChars.
  kMessageTooLong,
  kConversationNotFound,
  kNotAMember,
  // Both sides of a conversation are the same user.
  kSelfConversation,
  // A send lost the race for its conversation max_send_attempts times.
  kSendContention,
  // OpenSSL's CSPRNG failed, so no uuid could be made.
  kNoRandomness,
  // DecodeCursor: not a cursor this server made.
  kInvalidCursor,
  // ParseTimestamp: not a timestamp in the stored format.
  kInvalidTimestamp,
  // The messages table has no enabled stream.
  kNoStream,
  // BatchWriteItem kept returning UnprocessedItems while seeding.
  kUnprocessedItems,
};
// The codes by their short names (messaging::kNotAMember).
using enum ErrorCode;

const std::error_category& ErrorCategory();
inline std::error_code make_error_code(ErrorCode c) {
  return {static_cast<int>(c), ErrorCategory()};
}

}  // namespace cruddur::messaging

template <>
struct std::is_error_code_enum<cruddur::messaging::ErrorCode> : std::true_type {};
