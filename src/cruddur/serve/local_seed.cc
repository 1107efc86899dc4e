#include "cruddur/serve/local_seed.h"

#include "cruddur/messaging/seed_conversation.h"
#include "cruddur/messaging/table_admin.h"
#include "cruddur/serve/directory_link.h"

namespace cruddur::serve {

base::Result<SeedSummary> SeedLocalStack(aws::AwsJsonClient& dynamodb, const std::string& table,
                                         users::UsersDirectory& directory,
                                         userpool::UserPool* pool) {
  SeedSummary summary;
  auto exists = messaging::TableExists(dynamodb, table);
  if (!exists.ok()) return std::move(exists).error();
  if (*exists) {
    // Not a first start: only the users (cheap and idempotent).
    if (auto s = directory.CreateSchema(); !s.ok()) return std::move(s).error();
    auto inserted = directory.SeedUsers();
    if (!inserted.ok()) return std::move(inserted).error();
    summary.users_inserted = *inserted;
  } else {
    auto created = messaging::CreateMessagesTable(dynamodb, table);
    if (!created.ok()) return std::move(created).error();
    summary.table_created = true;
    auto seeded = messaging::SeedData(dynamodb, table, directory, nullptr);
    if (!seeded.ok()) return std::move(seeded).error();
    summary.users_inserted = seeded->users_inserted;
    summary.messages_written = seeded->conversation.written;
  }

  if (pool) {
    for (const auto& seed : users::SeedUsers()) {
      auto user =
          pool->EnsureUser(seed.email, kDevPassword,
                           {{"name", seed.display_name}, {"preferred_username", seed.handle}});
      if (!user.ok()) return std::move(user).error();
      if (auto s = LinkConfirmedUser(directory, *user); !s.ok()) return std::move(s).error();
      ++summary.pool_users;
    }
  }
  return summary;
}

}  // namespace cruddur::serve
