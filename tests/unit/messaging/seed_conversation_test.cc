// seed_conversation.h: the dialogue's parsing and the compiled-in dialogue.
// (Writing it into a table is covered through SeedLocalStack in
// tests/unit/serve/local_seed_test.cc and end to end by tests/wire/test_cli.py.)
#include "cruddur/messaging/seed_conversation.h"

#include <gtest/gtest.h>

#include <string>

namespace cruddur::messaging {
namespace {

TEST(SeedConversationTest, ParsesBothPeopleAndSkipsBlankLines) {
  auto lines = ParseDialogue("Person 1: Hello\r\n\nPerson 2: Hi: there\nPerson 1: \n");
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  ASSERT_EQ(lines->size(), 3u);
  EXPECT_EQ((*lines)[0].person, 1);
  EXPECT_EQ((*lines)[0].text, "Hello");
  EXPECT_EQ((*lines)[1].person, 2);
  EXPECT_EQ((*lines)[1].text, "Hi: there");
  EXPECT_EQ((*lines)[2].person, 1);
  EXPECT_EQ((*lines)[2].text, "");
}

TEST(SeedConversationTest, NamesTheFirstLineOfAnotherShape) {
  auto lines = ParseDialogue("Person 1: Hello\n\nPerson 3: Who?\nnonsense\n");
  ASSERT_FALSE(lines.ok());
  EXPECT_EQ(lines.error().code, kInvalidArgument);
  EXPECT_EQ(lines.error().message,
            "dialogue line 3 does not start with \"Person 1: \" or \"Person 2: \"");
}

TEST(SeedConversationTest, CompiledInDialogueParses) {
  auto lines = ParseDialogue(kSeedDialogueText);
  ASSERT_TRUE(lines.ok()) << lines.error().message;
  ASSERT_FALSE(lines->empty());
  EXPECT_EQ(lines->front().person, 1);
  for (const auto& line : *lines) {
    EXPECT_TRUE(line.person == 1 || line.person == 2);
    EXPECT_FALSE(line.text.empty());
  }
}

}  // namespace
}  // namespace cruddur::messaging
