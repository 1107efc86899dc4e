// The table of error_mapping.h: each lower-layer error code, and what the
// client sees. Nothing a backend outage produces may become a 500.
#include "cruddur/api/error_mapping.h"

#include <gtest/gtest.h>

#include <string>

#include "aws/client_error.h"
#include "cruddur/messaging/cursor.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/users/users_directory.h"
#include "ddb/common/error.h"

namespace cruddur::api {
namespace {

template <typename Code>
base::Error E(Code code) {
  return base::Error(code, "message");
}

void Expect(const base::Error& error, unsigned status, const std::string& body) {
  ApiReply reply = ReplyForError(error);
  EXPECT_EQ(reply.status, status) << error.Name();
  EXPECT_EQ(reply.body, body) << error.Name();
  EXPECT_EQ(reply.log_error, error.Name());
  EXPECT_EQ(IsUnavailable(error), status == 503) << error.Name();
}

TEST(ErrorMappingTest, EveryLowerLayerError) {
  Expect(E(messaging::kNotAMember), 404, R"({"errors":["message_group_not_found"]})");
  Expect(E(messaging::kConversationNotFound), 404, R"({"errors":["message_group_not_found"]})");
  Expect(E(messaging::kInvalidCursor), 400, R"({"errors":["invalid_cursor"]})");
  Expect(E(messaging::kInvalidArgument), 400, R"({"errors":["invalid_argument"]})");
  Expect(E(users::kInvalidUserInput), 400, R"({"errors":["invalid_argument"]})");
  Expect(E(messaging::kSelfConversation), 422, R"({"errors":["message_self"]})");
  Expect(E(users::kSelfMessage), 422, R"({"errors":["message_self"]})");
  Expect(E(users::kUserNotFound), 404, R"({"errors":["user_not_found"]})");
  Expect(E(messaging::kSendContention), 503, R"({"errors":["conversation_busy"]})");
  Expect(E(users::kDatabaseUnavailable), 503, R"({"errors":["users_unavailable"]})");
  Expect(E(users::kSchemaMissing), 503, R"({"errors":["users_unavailable"]})");
  for (const auto& e :
       {E(aws::ClientErrorCode::kConnection), E(aws::ClientErrorCode::kTimeout),
        E(aws::ClientErrorCode::kThrottled), E(aws::ClientErrorCode::kServerError),
        E(ddb::ErrorCode::kResourceNotFound), E(ddb::ErrorCode::kProvisionedThroughputExceeded),
        E(ddb::ErrorCode::kThrottling), E(ddb::ErrorCode::kInternalServerError),
        E(ddb::ErrorCode::kServiceUnavailable)}) {
    Expect(e, 503, R"({"errors":["messages_unavailable"]})");
  }
  // Requests we built wrong are our bug.
  Expect(E(ddb::ErrorCode::kValidation), 500, R"({"errors":["internal_error"]})");
  Expect(E(aws::ClientErrorCode::kServiceError), 500, R"({"errors":["internal_error"]})");
  Expect(E(users::kDatabaseError), 500, R"({"errors":["internal_error"]})");
  Expect(E(messaging::kNoRandomness), 500, R"({"errors":["internal_error"]})");
}

// The code comes from the error's code, never from its message: a blank
// message whose text does not say "empty" is still message_blank, and a too
// long one whose text does is still message_exceed_max_chars_1024.
TEST(ErrorMappingTest, InvalidMessageNamesTheProblemByType) {
  base::Error blank{messaging::kBlankMessage, "nothing to send"};
  EXPECT_EQ(ReplyForError(blank).status, 422);
  EXPECT_EQ(ReplyForError(blank).body, R"({"errors":["message_blank"]})");
  base::Error long_text{messaging::kMessageTooLong,
                        "the message is longer than 1024 characters, not empty"};
  EXPECT_EQ(ReplyForError(long_text).status, 422);
  EXPECT_EQ(ReplyForError(long_text).body, R"({"errors":["message_exceed_max_chars_1024"]})");
}

}  // namespace
}  // namespace cruddur::api
