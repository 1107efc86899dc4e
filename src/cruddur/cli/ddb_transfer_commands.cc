#include "cruddur/cli/ddb_transfer_commands.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cruddur/cli/command_support.h"
#include "cruddur/messaging/message_store.h"
#include "cruddur/messaging/table_admin.h"

namespace cruddur::cli {
namespace {

// Locally the bucket is a folder under the server's --export-root.
constexpr const char* kLocalBucket = "cruddur-exports";

struct TransferArgs {
  std::vector<std::string> args;  // [prod] then the command's own
};

std::string Quoted(const std::string& s) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  w.String(s);
  return b.GetString();
}

std::string Text(const rapidjson::Value& v) {
  rapidjson::StringBuffer b;
  rapidjson::Writer<rapidjson::StringBuffer> w(b);
  v.Accept(w);
  return b.GetString();
}

rapidjson::Document CallOrFail(aws::AwsJsonClient& c, const char* op, const std::string& body,
                               bool prod, const std::string& table = "") {
  auto out = Check(c.Call(op, body), prod, table);
  rapidjson::Document d;
  d.Parse(out.c_str());
  if (!d.IsObject()) throw Failure{std::string(op) + ": unreadable response"};
  return d;
}

std::string Member(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

// The operation and members that describe a background job.
struct JobKind {
  const char* what;         // in messages
  const char* describe;     // the operation
  const char* arn;          // its request's ARN member
  const char* description;  // its response's description member
  const char* status;       // the description's status member
};
constexpr JobKind kExportJob{"export", "DescribeExport", "ExportArn", "ExportDescription",
                             "ExportStatus"};
constexpr JobKind kImportJob{"import", "DescribeImport", "ImportArn", "ImportTableDescription",
                             "ImportStatus"};

// Polls the job `arn` until its status leaves IN_PROGRESS; the describe
// response once COMPLETED, else throws Failure (the status and the
// FailureMessage).
rapidjson::Document WaitCompleted(aws::AwsJsonClient& c, const JobKind& k, const std::string& arn,
                                  bool prod) {
  const std::string body = "{" + Quoted(k.arn) + ":" + Quoted(arn) + "}";
  while (true) {
    auto done = CallOrFail(c, k.describe, body, prod);
    const auto& d = done[k.description];
    const std::string status = Member(d, k.status);
    if (status == "COMPLETED") return done;
    if (status != "IN_PROGRESS") {
      throw Failure{std::string(k.what) + " " + status + ": " + Member(d, "FailureMessage")};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(prod ? 5000 : 200));
  }
}

void Export(const TransferArgs& a) {
  const bool prod = !a.args.empty() && a.args[0] == "prod";
  const std::vector<std::string> rest(a.args.begin() + (prod ? 1 : 0), a.args.end());
  std::string bucket = kLocalBucket, prefix = "messages";
  if (prod) {
    if (rest.empty()) throw Failure{"usage: bin/ddb/export prod BUCKET [PREFIX]"};
    bucket = rest[0];
    prefix = rest.size() > 1 ? rest[1] : "";
  } else if (!rest.empty()) {
    prefix = rest[0];
  }
  auto client = Client(aws::kDynamoDB, prod);
  const std::string table = messaging::MessageTableFromEnv();
  const std::string name = R"({"TableName":)" + Quoted(table) + "}";
  auto t = CallOrFail(*client, "DescribeTable", name, prod, table);
  const std::string arn = Member(t["Table"], "TableArn");
  auto backups = CallOrFail(*client, "DescribeContinuousBackups", name, prod, table);
  const auto& pitr = backups["ContinuousBackupsDescription"]["PointInTimeRecoveryDescription"];
  if (Member(pitr, "PointInTimeRecoveryStatus") != "ENABLED") {
    if (prod) {
      throw Failure{"point-in-time recovery is off for " + table +
                    "; exports need it: aws dynamodb update-continuous-backups --table-name " +
                    table +
                    " --point-in-time-recovery-specification PointInTimeRecoveryEnabled=true"};
    }
    CallOrFail(*client, "UpdateContinuousBackups",
               R"({"TableName":)" + Quoted(table) +
                   R"(,"PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}})",
               prod, table);
    std::cerr << "enabled point-in-time recovery on " << table << " (exports need it)\n";
  }
  std::string req = R"({"TableArn":)" + Quoted(arn) + R"(,"S3Bucket":)" + Quoted(bucket);
  if (!prefix.empty()) req += R"(,"S3Prefix":)" + Quoted(prefix);
  req += "}";
  auto started = CallOrFail(*client, "ExportTableToPointInTime", req, prod, table);
  const std::string export_arn = Member(started["ExportDescription"], "ExportArn");
  std::cerr << "exporting " << table << " (" << export_arn << ")\n";
  auto done = WaitCompleted(*client, kExportJob, export_arn, prod);
  const auto& d = done["ExportDescription"];
  const std::string manifest = Member(d, "ExportManifest");
  const std::string folder = manifest.substr(0, manifest.rfind('/'));
  std::cout << "s3://" << bucket << "/" << folder << "/\n";
  std::cerr << d["ItemCount"].GetInt64() << " items; import with: bin/ddb/import "
            << (prod ? "prod " + bucket + " " : "") << folder << "/data/\n";
  if (!prod) {
    std::cerr << "(locally s3://" << bucket << "/ is the folder " << bucket
              << "/ under the ddb-server's --export-root)\n";
  }
}

// TableCreationParameters for `target` with the schema of `source` (the
// messages table).
std::string CreationParameters(const rapidjson::Value& source, const std::string& target) {
  std::string p = R"({"TableName":)" + Quoted(target) + R"(,"BillingMode":"PAY_PER_REQUEST")";
  p += R"(,"KeySchema":)" + Text(source["KeySchema"]);
  p += R"(,"AttributeDefinitions":)" + Text(source["AttributeDefinitions"]);
  auto gsis = source.FindMember("GlobalSecondaryIndexes");
  if (gsis != source.MemberEnd() && gsis->value.IsArray() && !gsis->value.Empty()) {
    p += R"(,"GlobalSecondaryIndexes":[)";
    bool first = true;
    for (const auto& g : gsis->value.GetArray()) {
      if (!first) p += ",";
      first = false;
      p += R"({"IndexName":)" + Quoted(Member(g, "IndexName")) + R"(,"KeySchema":)" +
           Text(g["KeySchema"]) + R"(,"Projection":)" + Text(g["Projection"]) + "}";
    }
    p += "]";
  }
  return p + "}";
}

void Import(const TransferArgs& a) {
  const bool prod = !a.args.empty() && a.args[0] == "prod";
  const std::vector<std::string> rest(a.args.begin() + (prod ? 1 : 0), a.args.end());
  std::string bucket = kLocalBucket, prefix, target;
  const size_t need = prod ? 2 : 1;
  if (rest.size() < need || rest.size() > need + 1) {
    throw Failure{prod ? "usage: bin/ddb/import prod BUCKET SRC_PREFIX [TABLE]"
                       : "usage: bin/ddb/import SRC_PREFIX [TABLE]"};
  }
  if (prod) bucket = rest[0];
  prefix = rest[need - 1];
  const std::string source = messaging::MessageTableFromEnv();
  target = rest.size() > need ? rest[need] : source + "-imported";
  auto client = Client(aws::kDynamoDB, prod);
  auto t =
      CallOrFail(*client, "DescribeTable", R"({"TableName":)" + Quoted(source) + "}", prod, source);
  const std::string req = R"({"S3BucketSource":{"S3Bucket":)" + Quoted(bucket) +
                          R"(,"S3KeyPrefix":)" + Quoted(prefix) +
                          R"(},"InputFormat":"DYNAMODB_JSON","InputCompressionType":"GZIP",)"
                          R"("TableCreationParameters":)" +
                          CreationParameters(t["Table"], target) + "}";
  auto started = CallOrFail(*client, "ImportTable", req, prod);
  const std::string arn = Member(started["ImportTableDescription"], "ImportArn");
  std::cerr << "importing into " << target << " (" << arn << ")\n";
  auto done = WaitCompleted(*client, kImportJob, arn, prod);
  const auto& d = done["ImportTableDescription"];
  std::cout << target << "\n";
  std::cerr << d["ImportedItemCount"].GetInt64() << " items imported, "
            << d["ErrorCount"].GetInt64() << " errors\n";
}

}  // namespace

void AddDdbTransferCommands(CLI::App* ddb, Action& action) {
  auto a = std::make_shared<TransferArgs>();
  auto* c = ddb->add_subcommand(
      "export",
      "Export the messages table and wait: [DIR] locally (a prefix in the bucket folder "
      "cruddur-exports under the server's --export-root), or prod BUCKET [PREFIX]");
  c->add_option("args", a->args, "[prod BUCKET] [PREFIX]");
  OnChosen(c, action, [a] { Export(*a); });
  auto b = std::make_shared<TransferArgs>();
  c = ddb->add_subcommand("import",
                          "Import an export into a new table with the messages table's schema "
                          "and wait: SRC_PREFIX [TABLE], or prod BUCKET SRC_PREFIX [TABLE]");
  c->add_option("args", b->args, "[prod BUCKET] SRC_PREFIX [TABLE]");
  OnChosen(c, action, [b] { Import(*b); });
}

}  // namespace cruddur::cli
