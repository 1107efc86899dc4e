#include "cruddur/cli/ddb_commands.h"

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <string>

#include "cruddur/cli/command_support.h"
#include "cruddur/cli/ddb_transfer_commands.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/messaging/seed_conversation.h"
#include "cruddur/messaging/table_admin.h"
#include "cruddur/messaging/timestamp.h"
#include "ddb/common/error.h"

namespace cruddur::cli {
namespace {

using messaging::MessageStore;

struct DdbArgs : Target {
  std::string table;  // for drop
  std::string group = std::string(messaging::kSeedGroupUuid);
  std::string handle = "andrewbrown";
  int limit = 20;
  std::string cursor;
};

// "2023-03-20 10:30 PM" (UTC), as the seed's get-conversation prints.
std::string SeedDateTime(const std::string& sk) {
  auto t = messaging::ParseTimestamp(sk);
  if (!t.ok()) return sk;
  std::string f = messaging::FormatTimestamp(*t);
  int hour = std::stoi(f.substr(11, 2));
  const char* ampm = hour < 12 ? "AM" : "PM";
  hour = hour % 12 == 0 ? 12 : hour % 12;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s %02d:%s %s", f.substr(0, 10).c_str(), hour,
                f.substr(14, 2).c_str(), ampm);
  return buf;
}

// The first `n` characters (code points) of `s`.
std::string Prefix(const std::string& s, size_t n) {
  size_t i = 0, count = 0;
  while (i < s.size() && count < n) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    ++count;
  }
  return s.substr(0, i);
}

std::string Pad(const std::string& s, size_t width) {
  size_t cps = 0;
  for (unsigned char c : s) cps += (c & 0xC0) != 0x80;
  return cps >= width ? s + " " : s + std::string(width - cps, ' ');
}

void Progress(int done, int total) {
  constexpr int kWidth = 40;
  const int filled = total ? done * kWidth / total : kWidth;
  std::fprintf(stderr, "\r[%s%s] %d/%d", std::string(filled, '#').c_str(),
               std::string(kWidth - filled, '.').c_str(), done, total);
  if (done >= total) std::fprintf(stderr, "\n");
  std::fflush(stderr);
}

void DdbSchemaLoad(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  const std::string table = messaging::MessageTableFromEnv();
  auto r = messaging::CreateMessagesTable(*client, table);
  if (!r.ok() && r.error().code == ddb::ErrorCode::kResourceInUse) {
    throw Failure{"table " + table + " already exists at " + Where(a.prod())};
  }
  std::cout << Check(std::move(r), a.prod()) << "\n";
  std::cerr << "created table " << table << "\n";
  if (!a.prod()) {
    // Live updates (GET /api/events) read the table's stream.
    Check(messaging::EnsureMessagesStream(*client, table), a.prod(), table);
    std::cerr << "enabled the stream of " << table << " (NEW_IMAGE)\n";
  } else {
    std::cerr << "for live updates enable its stream: aws dynamodb update-table --table-name "
              << table << " --stream-specification StreamEnabled=true,StreamViewType=NEW_IMAGE\n";
  }
}

void DdbListTables(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  for (const auto& n : Check(messaging::ListTableNames(*client), a.prod())) std::cout << n << "\n";
}

void DdbDrop(const DdbArgs& a) {
  if (a.table.empty()) {
    throw Failure{"No TABLE_NAME argument supplied eg bin/ddb/drop cruddur-messages prod"};
  }
  auto client = Client(aws::kDynamoDB, a.prod());
  std::cout << "Deleting table: " << a.table << std::endl;
  Check(messaging::DeleteTable(*client, a.table), a.prod(), a.table);
}

void DdbScan(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  const std::string table = messaging::MessageTableFromEnv();
  auto n = Check(messaging::ScanTable(*client, table,
                                      [](const std::string& item) { std::cout << item << "\n"; }),
                 a.prod(), table);
  std::cerr << n << " items\n";
}

void DdbSeed(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  const std::string table = messaging::MessageTableFromEnv();
  if (!Check(messaging::TableExists(*client, table), a.prod())) {
    throw Failure{"table " + table + " does not exist at " + Where(a.prod()) +
                  " (run bin/ddb/schema-load" + (a.prod() ? " prod" : "") + ")"};
  }
  auto dir = Users();
  const bool tty = isatty(STDERR_FILENO);
  auto seeded = messaging::SeedData(*client, table, *dir,
                                    tty ? std::function<void(int, int)>(Progress) : nullptr);
  if (!seeded.ok() && IsUsersError(seeded.error())) CheckUsers(base::Status(seeded.error()));
  auto report = Check(std::move(seeded), a.prod(), table);
  std::cout << "users: " << report.users_inserted << " inserted\n"
            << "conversation " << messaging::kSeedGroupUuid
            << " (andrewbrown, bayko): " << report.conversation.written << " messages written, "
            << report.conversation.already_present << " already present\n"
            << "last message at " << report.conversation.last_message_at << "\n";
}

void PrintCapacity(double units, const std::string& table) {
  std::printf("{\n  \"CapacityUnits\": %.1f,\n  \"TableName\": \"%s\"\n}\n", units, table.c_str());
}

void DdbGetConversation(const DdbArgs& a) {
  auto client = Client(aws::kDynamoDB, a.prod());
  MessageStore store(client.get());
  auto page = Check(store.ListMessages(a.group, a.limit, a.cursor), a.prod(), store.table());
  PrintCapacity(page.consumed_capacity, store.table());
  for (const auto& m : page.messages) {
    std::cout << Pad(m.sender.handle, 16) << Pad(SeedDateTime(m.sk), 22) << Prefix(m.message, 40)
              << "...\n";
  }
  if (!page.older_cursor.empty()) std::cout << "older: --cursor " << page.older_cursor << "\n";
}

void DdbListConversations(const DdbArgs& a) {
  auto dir = Users();
  auto user = CheckUsers(dir->FindByHandle(a.handle));
  auto client = Client(aws::kDynamoDB, a.prod());
  MessageStore store(client.get());
  std::cout << "my-uuid: " << user.uuid << "\n";
  auto page = Check(store.ListConversations(user.uuid, a.limit, a.cursor), a.prod(), store.table());
  PrintCapacity(page.consumed_capacity, store.table());
  for (const auto& c : page.conversations) {
    std::cout << Pad(c.other.handle, 16) << Pad(SeedDateTime(c.sk), 22) << Prefix(c.message, 40)
              << "...  " << c.message_group_uuid << "\n";
  }
  if (!page.next_cursor.empty()) std::cout << "more: --cursor " << page.next_cursor << "\n";
}

}  // namespace

void AddDdbCommands(CLI::App& app, Action& action) {
  auto a = std::make_shared<DdbArgs>();
  CLI::App* ddb = app.add_subcommand(
      "ddb", "The messages table (DDB_MESSAGE_TABLE, default cruddur-messages) in DynamoDB");
  ddb->require_subcommand(1);
  auto* c = ddb->add_subcommand("schema-load", "Create the messages table (the seed's schema)");
  AddTarget(c, a.get());
  OnChosen(c, action, [a] { DdbSchemaLoad(*a); });
  c = ddb->add_subcommand("list-tables", "List the tables");
  AddTarget(c, a.get());
  OnChosen(c, action, [a] { DdbListTables(*a); });
  c = ddb->add_subcommand("drop", "Delete a table");
  // Optional for CLI11 so that a missing name gets the seed's usage line.
  c->add_option("TABLE_NAME", a->table, "Table to delete, e.g. cruddur-messages");
  AddTarget(c, a.get());
  OnChosen(c, action, [a] { DdbDrop(*a); });
  c = ddb->add_subcommand("seed",
                          "Create the seed users and the seed's Babylon 5 conversation "
                          "(idempotent)");
  AddTarget(c, a.get());
  OnChosen(c, action, [a] { DdbSeed(*a); });
  c = ddb->add_subcommand("scan", "Print every item of the messages table");
  AddTarget(c, a.get());
  OnChosen(c, action, [a] { DdbScan(*a); });
  c = ddb->add_subcommand("get-conversation",
                          "Show a conversation (pattern A), oldest first, with its read cost");
  AddTarget(c, a.get());
  c->add_option("--group", a->group, "Conversation uuid")->capture_default_str();
  c->add_option("--limit", a->limit, "Messages per page (1-100)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  c->add_option("--cursor", a->cursor, "Continue with older messages (printed as 'older:')");
  OnChosen(c, action, [a] { DdbGetConversation(*a); });
  c = ddb->add_subcommand("list-conversations",
                          "Show a user's conversations (pattern B), newest first");
  AddTarget(c, a.get());
  c->add_option("--handle", a->handle, "Whose conversations")->capture_default_str();
  c->add_option("--limit", a->limit, "Conversations per page (1-100)")
      ->capture_default_str()
      ->check(CLI::Range(1, 100));
  c->add_option("--cursor", a->cursor, "Continue (printed as 'more:')");
  OnChosen(c, action, [a] { DdbListConversations(*a); });
  AddDdbTransferCommands(ddb, action);
}

}  // namespace cruddur::cli
