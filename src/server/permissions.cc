#include "server/permissions.h"

#include <array>

#include "ddb/partiql/target.h"

namespace server {
namespace {

// Where an operation's tables are in its request.
enum class Where : uint8_t {
  kNone,              // names no table
  kTableName,         // "TableName"
  kOptionalTable,     // "TableName" if present, else none
  kRequestItems,      // the keys of "RequestItems"
  kTransactItems,     // "TransactItems"[].{Put,Update,Delete,ConditionCheck,Get}.TableName
  kResourceArn,       // the table of "ResourceArn"
  kBackupArn,         // the table of "BackupArn"
  kRestoreBackup,     // "TargetTableName" and the table of "BackupArn"
  kRestorePitr,       // "TargetTableName" and "SourceTableName" / "SourceTableArn"
  kStreamArn,         // the table of "StreamArn"
  kShardIterator,     // the table of the ARN a "ShardIterator" starts with
  kTableArn,          // the table of "TableArn"
  kOptionalTableArn,  // the table of "TableArn" if present, else none
  kExportArn,         // the table of "ExportArn"
  kImportArn,         // the table of "ImportArn"
  kImportTable,       // "TableCreationParameters".TableName (the new table)
  // PartiQL: the table of "Statement" / of each "Statements"[].Statement /
  // "TransactStatements"[].Statement; read for SELECT and EXISTS, write for
  // INSERT, UPDATE and DELETE.
  kStatement,
  kStatements,
  kTransactStatements,
};

struct Action {
  std::string_view operation;
  ActionGroup group;
  Where where;
};

constexpr std::array kDynamoDbActions = {
    // read
    Action{"GetItem", ActionGroup::kRead, Where::kTableName},
    Action{"BatchGetItem", ActionGroup::kRead, Where::kRequestItems},
    Action{"Query", ActionGroup::kRead, Where::kTableName},
    Action{"Scan", ActionGroup::kRead, Where::kTableName},
    Action{"TransactGetItems", ActionGroup::kRead, Where::kTransactItems},
    Action{"ExecuteStatement", ActionGroup::kRead, Where::kStatement},
    Action{"BatchExecuteStatement", ActionGroup::kRead, Where::kStatements},
    Action{"ExecuteTransaction", ActionGroup::kRead, Where::kTransactStatements},
    Action{"DescribeTable", ActionGroup::kRead, Where::kTableName},
    Action{"ListTables", ActionGroup::kRead, Where::kNone},
    Action{"DescribeTimeToLive", ActionGroup::kRead, Where::kTableName},
    Action{"DescribeContinuousBackups", ActionGroup::kRead, Where::kTableName},
    Action{"DescribeBackup", ActionGroup::kRead, Where::kBackupArn},
    Action{"ListBackups", ActionGroup::kRead, Where::kOptionalTable},
    Action{"ListTagsOfResource", ActionGroup::kRead, Where::kResourceArn},
    Action{"DescribeLimits", ActionGroup::kRead, Where::kNone},
    Action{"DescribeEndpoints", ActionGroup::kRead, Where::kNone},
    Action{"DescribeExport", ActionGroup::kRead, Where::kExportArn},
    Action{"ListExports", ActionGroup::kRead, Where::kOptionalTableArn},
    Action{"DescribeImport", ActionGroup::kRead, Where::kImportArn},
    Action{"ListImports", ActionGroup::kRead, Where::kOptionalTableArn},
    // write
    Action{"PutItem", ActionGroup::kWrite, Where::kTableName},
    Action{"UpdateItem", ActionGroup::kWrite, Where::kTableName},
    Action{"DeleteItem", ActionGroup::kWrite, Where::kTableName},
    Action{"BatchWriteItem", ActionGroup::kWrite, Where::kRequestItems},
    Action{"TransactWriteItems", ActionGroup::kWrite, Where::kTransactItems},
    // admin (control plane)
    Action{"CreateTable", ActionGroup::kAdmin, Where::kTableName},
    Action{"UpdateTable", ActionGroup::kAdmin, Where::kTableName},
    Action{"DeleteTable", ActionGroup::kAdmin, Where::kTableName},
    Action{"CreateBackup", ActionGroup::kAdmin, Where::kTableName},
    Action{"DeleteBackup", ActionGroup::kAdmin, Where::kBackupArn},
    Action{"RestoreTableFromBackup", ActionGroup::kAdmin, Where::kRestoreBackup},
    Action{"RestoreTableToPointInTime", ActionGroup::kAdmin, Where::kRestorePitr},
    Action{"UpdateTimeToLive", ActionGroup::kAdmin, Where::kTableName},
    Action{"UpdateContinuousBackups", ActionGroup::kAdmin, Where::kTableName},
    Action{"ExportTableToPointInTime", ActionGroup::kAdmin, Where::kTableArn},
    Action{"ImportTable", ActionGroup::kAdmin, Where::kImportTable},
    Action{"TagResource", ActionGroup::kAdmin, Where::kResourceArn},
    Action{"UntagResource", ActionGroup::kAdmin, Where::kResourceArn},
};

constexpr std::array kStreamsActions = {
    Action{"ListStreams", ActionGroup::kStreams, Where::kOptionalTable},
    Action{"DescribeStream", ActionGroup::kStreams, Where::kStreamArn},
    Action{"GetShardIterator", ActionGroup::kStreams, Where::kStreamArn},
    Action{"GetRecords", ActionGroup::kStreams, Where::kShardIterator},
};

std::string_view StringMember(const rapidjson::Value& obj, const char* name) {
  if (!obj.IsObject()) return {};
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

// A table as the request names it: a name, or a table ARN.
std::string TableRef(std::string_view name_or_arn) {
  if (name_or_arn.starts_with("arn:")) return TableOfArn(name_or_arn);
  return std::string(name_or_arn);
}

// A need of an operation whose table is optional ("" = none named).
void Add(std::vector<Need>& needs, ActionGroup group, std::string_view table) {
  needs.push_back(Need{group, TableRef(table)});
}

// A need of an operation that must name a table. An absent or unreadable
// one is checked as "*" (table names cannot contain '*'), which only a
// grant on every table matches; the engine then rejects the request.
void AddNamed(std::vector<Need>& needs, ActionGroup group, std::string_view table) {
  std::string name = TableRef(table);
  needs.push_back(Need{group, name.empty() ? std::string("*") : std::move(name)});
}

// The need of one PartiQL statement: read or write on its table ("*" when
// it cannot be read; the engine then rejects it).
void AddStatement(std::vector<Need>& needs, std::string_view statement) {
  auto target = ddb::partiql::TargetOf(statement);
  if (!target) {
    AddNamed(needs, ActionGroup::kWrite, "");
    return;
  }
  AddNamed(needs, target->read_only ? ActionGroup::kRead : ActionGroup::kWrite, target->table);
}

// The needs of each "Statement" of the list member `member`.
void AddStatements(std::vector<Need>& needs, const rapidjson::Value& body, const char* member) {
  auto it = body.IsObject() ? body.FindMember(member) : body.MemberEnd();
  bool any = false;
  if (body.IsObject() && it != body.MemberEnd() && it->value.IsArray()) {
    for (auto& entry : it->value.GetArray()) {
      AddStatement(needs, StringMember(entry, "Statement"));
      any = true;
    }
  }
  if (!any) AddNamed(needs, ActionGroup::kRead, "");
}

}  // namespace

bool IsControlPlaneOperation(std::string_view operation) {
  for (const Action& a : kDynamoDbActions) {
    if (a.operation == operation) return a.group == ActionGroup::kAdmin;
  }
  return false;
}

std::optional<uint8_t> ParseGroupName(std::string_view name) {
  if (name == "*") return kAllGroups;
  if (name == "read") return static_cast<uint8_t>(ActionGroup::kRead);
  if (name == "write") return static_cast<uint8_t>(ActionGroup::kWrite);
  if (name == "admin") return static_cast<uint8_t>(ActionGroup::kAdmin);
  if (name == "streams") return static_cast<uint8_t>(ActionGroup::kStreams);
  if (name == "userpool-admin") return static_cast<uint8_t>(ActionGroup::kUserPoolAdmin);
  return std::nullopt;
}

std::string_view GroupName(ActionGroup group) {
  switch (group) {
    case ActionGroup::kRead:
      return "read";
    case ActionGroup::kWrite:
      return "write";
    case ActionGroup::kAdmin:
      return "admin";
    case ActionGroup::kStreams:
      return "streams";
    case ActionGroup::kUserPoolAdmin:
      return "userpool-admin";
  }
  return "";
}

bool GlobMatch(std::string_view pattern, std::string_view name) {
  // Iterative matching with backtracking to the last '*'.
  size_t p = 0, n = 0, star = std::string_view::npos, mark = 0;
  while (n < name.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = n;
    } else if (p < pattern.size() && pattern[p] == name[n]) {
      ++p;
      ++n;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      n = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool Allows(const std::vector<Grant>& grants, ActionGroup group, std::string_view resource) {
  const auto bit = static_cast<uint8_t>(group);
  for (const Grant& g : grants) {
    if ((g.groups & bit) == 0) continue;
    if (resource.empty() && !g.patterns.empty()) return true;
    for (const std::string& pattern : g.patterns) {
      if (GlobMatch(pattern, resource)) return true;
    }
  }
  return false;
}

std::string TableOfArn(std::string_view arn) {
  const size_t at = arn.find(":table/");
  if (at == std::string_view::npos) return "";
  std::string_view rest = arn.substr(at + 7);
  return std::string(rest.substr(0, rest.find('/')));
}

std::vector<Need> RequiredAccess(std::string_view operation, bool streams,
                                 const rapidjson::Value& body) {
  const Action* action = nullptr;
  if (streams) {
    for (const Action& a : kStreamsActions) action = a.operation == operation ? &a : action;
  } else {
    for (const Action& a : kDynamoDbActions) action = a.operation == operation ? &a : action;
  }
  std::vector<Need> needs;
  if (action == nullptr) {
    needs.push_back(Need{ActionGroup::kAdmin, "*"});
    return needs;
  }
  const ActionGroup group = action->group;
  switch (action->where) {
    case Where::kNone:
      Add(needs, group, "");
      break;
    case Where::kTableName:
      AddNamed(needs, group, StringMember(body, "TableName"));
      break;
    case Where::kOptionalTable:
      Add(needs, group, StringMember(body, "TableName"));
      break;
    case Where::kRequestItems: {
      auto it = body.IsObject() ? body.FindMember("RequestItems") : body.MemberEnd();
      bool any = false;
      if (body.IsObject() && it != body.MemberEnd() && it->value.IsObject()) {
        for (auto& m : it->value.GetObject()) {
          Add(needs, group, {m.name.GetString(), m.name.GetStringLength()});
          any = true;
        }
      }
      if (!any) Add(needs, group, "*");
      break;
    }
    case Where::kTransactItems: {
      auto it = body.IsObject() ? body.FindMember("TransactItems") : body.MemberEnd();
      bool any = false;
      if (body.IsObject() && it != body.MemberEnd() && it->value.IsArray()) {
        for (auto& entry : it->value.GetArray()) {
          if (!entry.IsObject()) continue;
          for (auto& m : entry.GetObject()) {
            std::string_view kind(m.name.GetString(), m.name.GetStringLength());
            ActionGroup g = kind == "ConditionCheck" || kind == "Get" ? ActionGroup::kRead : group;
            AddNamed(needs, g, StringMember(m.value, "TableName"));
            any = true;
          }
        }
      }
      if (!any) Add(needs, group, "*");
      break;
    }
    case Where::kResourceArn:
      AddNamed(needs, group, TableOfArn(StringMember(body, "ResourceArn")));
      break;
    case Where::kBackupArn:
      AddNamed(needs, group, TableOfArn(StringMember(body, "BackupArn")));
      break;
    case Where::kRestoreBackup:
      AddNamed(needs, group, StringMember(body, "TargetTableName"));
      AddNamed(needs, group, TableOfArn(StringMember(body, "BackupArn")));
      break;
    case Where::kRestorePitr: {
      AddNamed(needs, group, StringMember(body, "TargetTableName"));
      std::string_view source = StringMember(body, "SourceTableName");
      AddNamed(needs, group,
               source.empty() ? TableOfArn(StringMember(body, "SourceTableArn")) : source);
      break;
    }
    case Where::kStreamArn:
      AddNamed(needs, group, TableOfArn(StringMember(body, "StreamArn")));
      break;
    case Where::kTableArn:
      AddNamed(needs, group, TableOfArn(StringMember(body, "TableArn")));
      break;
    case Where::kOptionalTableArn:
      Add(needs, group, TableOfArn(StringMember(body, "TableArn")));
      break;
    case Where::kExportArn:
      AddNamed(needs, group, TableOfArn(StringMember(body, "ExportArn")));
      break;
    case Where::kImportArn:
      AddNamed(needs, group, TableOfArn(StringMember(body, "ImportArn")));
      break;
    case Where::kImportTable: {
      auto params = body.IsObject() ? body.FindMember("TableCreationParameters") : body.MemberEnd();
      AddNamed(needs, group,
               params != body.MemberEnd() ? StringMember(params->value, "TableName") : "");
      break;
    }
    case Where::kStatement:
      AddStatement(needs, StringMember(body, "Statement"));
      break;
    case Where::kStatements:
      AddStatements(needs, body, "Statements");
      break;
    case Where::kTransactStatements:
      AddStatements(needs, body, "TransactStatements");
      break;
    case Where::kShardIterator: {
      std::string_view iterator = StringMember(body, "ShardIterator");
      AddNamed(needs, group, TableOfArn(iterator.substr(0, iterator.find('|'))));
      break;
    }
  }
  return needs;
}

}  // namespace server
