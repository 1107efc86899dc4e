#include "cruddur/messaging/errors.h"

#include <string>

namespace cruddur::messaging {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "messaging"; }
  std::string message(int value) const override {
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
};

}  // namespace

const std::error_category& ErrorCategory() {
  static const Category category;
  return category;
}

}  // namespace cruddur::messaging
