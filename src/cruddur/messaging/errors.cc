#include "cruddur/messaging/errors.h"

#include <string>

namespace cruddur::messaging {
namespace {

// The name of the code `value` of this domain.
std::string_view CodeName(int value) {
  switch (static_cast<ErrorCode>(value)) {
    case kInvalidArgument:
      return "InvalidArgument";
    case kBlankMessage:
      return "BlankMessage";
    case kMessageTooLong:
      return "MessageTooLong";
    case kConversationNotFound:
      return "ConversationNotFound";
    case kNotAMember:
      return "NotAMember";
    case kSelfConversation:
      return "SelfConversation";
    case kSendContention:
      return "SendContention";
    case kNoRandomness:
      return "NoRandomness";
    case kInvalidCursor:
      return "InvalidCursor";
    case kInvalidTimestamp:
      return "InvalidTimestamp";
    case kNoStream:
      return "NoStream";
    case kUnprocessedItems:
      return "UnprocessedItems";
  }
  return "MessagingError";
}

}  // namespace

const std::error_category& ErrorCategory() {
  static const base::NamedCategory category("messaging", &CodeName);
  return category;
}

}  // namespace cruddur::messaging
