// The table of error_mapping.h: each lower-layer error type, and what the
// client sees. Nothing a backend outage produces may become a 500.
#include "cruddur/api/error_mapping.h"

#include <gtest/gtest.h>

#include <string>

#include "aws/http_client.h"
#include "cruddur/messaging/cursor.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::api {
namespace {

ddb::Error E(std::string_view type, int http_status = 400) {
  return ddb::Error{std::string(type), "message", http_status};
}

void Expect(const ddb::Error& error, unsigned status, const std::string& body) {
  ApiReply reply = ReplyForError(error);
  EXPECT_EQ(reply.status, status) << error.type;
  EXPECT_EQ(reply.body, body) << error.type;
  EXPECT_EQ(reply.log_error, error.type);
  EXPECT_EQ(IsUnavailable(error), status == 503) << error.type;
}

TEST(ErrorMappingTest, EveryLowerLayerError) {
  Expect(E(messaging::kNotAMember, 403), 404, R"({"errors":["message_group_not_found"]})");
  Expect(E(messaging::kConversationNotFound, 404), 404,
         R"({"errors":["message_group_not_found"]})");
  Expect(E(messaging::kInvalidCursor), 400, R"({"errors":["invalid_cursor"]})");
  Expect(E(messaging::kInvalidArgument), 400, R"({"errors":["invalid_argument"]})");
  Expect(E(users::kInvalidUserInput, 422), 400, R"({"errors":["invalid_argument"]})");
  Expect(E(messaging::kSelfConversation, 422), 422, R"({"errors":["message_self"]})");
  Expect(E(users::kSelfMessage, 422), 422, R"({"errors":["message_self"]})");
  Expect(E(users::kUserNotFound, 404), 404, R"({"errors":["user_not_found"]})");
  Expect(E(messaging::kSendContention, 503), 503, R"({"errors":["conversation_busy"]})");
  Expect(E(users::kDatabaseUnavailable, 503), 503, R"({"errors":["users_unavailable"]})");
  Expect(E(users::kSchemaMissing, 500), 503, R"({"errors":["users_unavailable"]})");
  for (const auto& e :
       {E(aws::kConnectionError, 0), E(aws::kTimeoutError, 0), E("ResourceNotFoundException"),
        E("ProvisionedThroughputExceededException"), E("ThrottlingException"),
        E("InternalServerError", 500), E("ServiceUnavailable", 503)}) {
    Expect(e, 503, R"({"errors":["messages_unavailable"]})");
  }
  // Requests we built wrong are our bug.
  Expect(E("ValidationException"), 500, R"({"errors":["internal_error"]})");
  Expect(E(users::kDatabaseError, 500), 500, R"({"errors":["internal_error"]})");
  Expect(E(messaging::kNoRandomness, 500), 500, R"({"errors":["internal_error"]})");
}

// The code comes from the error's type, never from its message: a blank
// message whose text does not say "empty" is still message_blank, and a too
// long one whose text does is still message_exceed_max_chars_1024.
TEST(ErrorMappingTest, InvalidMessageNamesTheProblemByType) {
  ddb::Error blank{std::string(messaging::kBlankMessage), "nothing to send", 422};
  EXPECT_EQ(ReplyForError(blank).status, 422);
  EXPECT_EQ(ReplyForError(blank).body, R"({"errors":["message_blank"]})");
  ddb::Error long_text{std::string(messaging::kMessageTooLong),
                       "the message is longer than 1024 characters, not empty", 422};
  EXPECT_EQ(ReplyForError(long_text).status, 422);
  EXPECT_EQ(ReplyForError(long_text).body, R"({"errors":["message_exceed_max_chars_1024"]})");
}

}  // namespace
}  // namespace cruddur::api
