// The seed's conversation (bin/ddb/seed, and a first `cruddur serve` start):
// the Babylon 5 dialogue between two seed users, written into the messages
// table idempotently. Part of the messaging layer so that both the `cruddur`
// tools (cruddur/cli) and the local stack (cruddur/serve) seed the same data
// without depending on each other.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/client.h"
#include "base/error.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/users/users_directory.h"

namespace cruddur::messaging {

// The seed's fixed conversation uuid.
inline constexpr std::string_view kSeedGroupUuid = "5ae290ed-55d1-47a0-bc6d-fe2bc2700399";

// The dialogue compiled in from src/cruddur/messaging/data/babylon5-conversation.txt
// (CMakeLists.txt generates its definition into the cruddur_messaging library).
extern const char* const kSeedDialogueText;

struct DialogueLine {
  int person = 1;  // 1: the first user (andrewbrown), 2: the other (bayko)
  std::string text;
};

// Parses "Person 1: text" / "Person 2: text" lines (blank lines skipped).
// Error (InvalidArgument) naming the first line of another shape.
base::Result<std::vector<DialogueLine>> ParseDialogue(std::string_view text);

struct SeedReport {
  int written = 0;          // messages written by this run
  int already_present = 0;  // lines found in the table already
  std::string last_message_at;
};

// Writes every line the conversation does not already hold (same sender and
// text), at first-line time + i minutes (first-line time: the earliest
// message already there, else now - 1 day), then sets both inbox items to
// the last line (removing older inbox items of the group) and links the two
// users' pair item to kSeedGroupUuid unless they already have one
// (MessageStore::LinkConversation). A second run writes nothing new.
// `progress(done, total)` is called as lines are handled.
base::Result<SeedReport> SeedConversation(aws::AwsJsonClient& client, const std::string& table,
                                          const Participant& first, const Participant& second,
                                          const std::vector<DialogueLine>& lines,
                                          const std::function<void(int, int)>& progress);

struct SeedDataReport {
  int users_inserted = 0;  // seed users added to the directory by this run
  SeedReport conversation;
};

// The seed's data, as bin/ddb/seed and a first `cruddur serve` write it: the
// users table and the seed's users in `directory` (when missing), then the
// seed's conversation between andrewbrown and bayko (SeedConversation with
// the compiled-in dialogue) in `table`, which must exist. Errors: the
// directory's (users_directory.h types) or the service's.
base::Result<SeedDataReport> SeedData(aws::AwsJsonClient& client, const std::string& table,
                                      users::UsersDirectory& directory,
                                      const std::function<void(int, int)>& progress);

}  // namespace cruddur::messaging
