// Table exports (ExportTableToPointInTime, DescribeExport, ListExports:
// engine/export_ops.cc) into a temporary folder standing in for S3: the
// files and manifests written, the table as of ExportTime while writes go
// on, the errors, ClientToken idempotency, paging, the folder's containment
// (engine/export_root.h), and an interrupted export after a restart.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <zlib.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "ddb/engine/engine.h"
#include "ddb/engine/export_records.h"
#include "ddb/engine/export_root.h"
#include "ddb/storage/store.h"
#include "engine_test_util.h"
#include "export_fixture.h"

namespace ddb {
namespace {

namespace fs = std::filesystem;
using testing::g_now;

constexpr double kT0 = testing::kClockStart;

std::string Time(double t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", t);
  return buf;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

std::string Gunzip(const fs::path& p) {
  gzFile f = gzopen(p.c_str(), "rb");
  EXPECT_NE(f, nullptr) << p;
  if (!f) return "";
  std::string out;
  char buf[4096];
  int n;
  while ((n = gzread(f, buf, sizeof buf)) > 0) out.append(buf, n);
  gzclose(f);
  return out;
}

std::vector<std::string> Lines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

class ExportTest : public testing::ExportRootFixture {
 protected:
  void SetUp() override {
    UseFakeClock(kT0);
    MakeFolders("export_test");
    Open();
  }

  std::string Arn(const std::string& table) {
    return "arn:aws:dynamodb:us-east-1:000000000000:table/" + table;
  }

  void CreateTable(const std::string& name, bool pitr = true) {
    Ok("CreateTable", R"({"TableName":")" + name + R"(",
      "AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "BillingMode":"PAY_PER_REQUEST"})");
    if (pitr) {
      Ok("UpdateContinuousBackups", R"({"TableName":")" + name +
                                        R"(","PointInTimeRecoverySpecification":)"
                                        R"({"PointInTimeRecoveryEnabled":true}})");
    }
  }

  void Put(const std::string& table, const std::string& pk, const std::string& v) {
    Ok("PutItem", R"({"TableName":")" + table + R"(","Item":{"pk":{"S":")" + pk +
                      R"("},"v":{"S":")" + v + R"("}}})");
  }

  // Waits until the export is no longer IN_PROGRESS; its description.
  rapidjson::Document WaitDone(const std::string& arn) {
    for (int i = 0; i < 500; ++i) {
      auto d = Ok("DescribeExport", R"({"ExportArn":")" + arn + R"("})");
      if (!d.HasMember("ExportDescription")) return d;
      if (std::string(d["ExportDescription"]["ExportStatus"].GetString()) != "IN_PROGRESS") {
        return d;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "export still IN_PROGRESS: " << arn;
    return Ok("DescribeExport", R"({"ExportArn":")" + arn + R"("})");
  }

  std::string StartExport(const std::string& extra) {
    auto d = Ok("ExportTableToPointInTime", "{" + extra + "}");
    if (!d.HasMember("ExportDescription")) return "";
    return d["ExportDescription"]["ExportArn"].GetString();
  }

  // pk -> v of every item in the export's data files (read through
  // manifest-files.json).
  std::map<std::string, std::string> ExportedItems(const std::string& bucket,
                                                   const rapidjson::Value& desc) {
    std::map<std::string, std::string> items;
    const fs::path bucket_dir = root_ / bucket;
    std::string manifest = desc["ExportManifest"].GetString();
    auto summary_doc = testing::ParseObject(ReadFile(bucket_dir / manifest));
    std::string files_key = summary_doc["manifestFilesS3Key"].GetString();
    for (const std::string& line : Lines(ReadFile(bucket_dir / files_key))) {
      auto f = testing::ParseObject(line);
      std::string data = Gunzip(bucket_dir / f["dataFileS3Key"].GetString());
      auto rows = Lines(data);
      EXPECT_EQ(static_cast<int64_t>(rows.size()), f["itemCount"].GetInt64());
      for (const std::string& row : rows) {
        auto item = testing::ParseObject(row);
        EXPECT_TRUE(item.HasMember("Item")) << row;
        items[item["Item"]["pk"]["S"].GetString()] = item["Item"]["v"]["S"].GetString();
      }
    }
    return items;
  }
};

TEST_F(ExportTest, WritesDynamoDbJsonFilesAndManifests) {
  CreateTable("tbl");
  for (int i = 0; i < 30; ++i) Put("tbl", "k" + std::to_string(i), "v" + std::to_string(i));
  g_now = kT0 + 10;
  auto first = Ok("ExportTableToPointInTime", R"({"TableArn":")" + Arn("tbl") +
                                                  R"(","S3Bucket":"bucket","S3Prefix":"p/q",)"
                                                  R"("ClientToken":"tok-1"})");
  ASSERT_TRUE(first.HasMember("ExportDescription"));
  const auto& started = first["ExportDescription"];
  EXPECT_STREQ(started["ExportStatus"].GetString(), "IN_PROGRESS");
  EXPECT_STREQ(started["ExportFormat"].GetString(), "DYNAMODB_JSON");
  EXPECT_STREQ(started["S3Bucket"].GetString(), "bucket");
  EXPECT_STREQ(started["S3Prefix"].GetString(), "p/q");
  EXPECT_STREQ(started["TableArn"].GetString(), Arn("tbl").c_str());
  EXPECT_STREQ(started["ClientToken"].GetString(), "tok-1");
  EXPECT_EQ(started["ExportTime"].GetDouble(), kT0 + 10);
  const std::string arn = started["ExportArn"].GetString();
  EXPECT_EQ(arn.rfind(Arn("tbl") + "/export/", 0), 0u) << arn;
  const std::string id = arn.substr(arn.rfind('/') + 1);
  EXPECT_EQ(id.size(), 23u) << id;  // 14 digits, '-', 8 hex

  auto done = WaitDone(arn);
  const auto& d = done["ExportDescription"];
  ASSERT_STREQ(d["ExportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(d["ItemCount"].GetInt64(), 30);
  EXPECT_GT(d["BilledSizeBytes"].GetInt64(), 0);
  EXPECT_TRUE(d.HasMember("EndTime"));
  EXPECT_EQ(std::string(d["ExportManifest"].GetString()),
            "p/q/AWSDynamoDB/" + id + "/manifest-summary.json");

  const fs::path folder = root_ / "bucket" / "p" / "q" / "AWSDynamoDB" / id;
  EXPECT_TRUE(fs::is_regular_file(folder / "_started"));
  EXPECT_EQ(fs::file_size(folder / "_started"), 0u);
  EXPECT_TRUE(fs::is_regular_file(folder / "manifest-files.checksum"));
  EXPECT_TRUE(fs::is_regular_file(folder / "manifest-summary.checksum"));
  auto summary = testing::ParseObject(ReadFile(folder / "manifest-summary.json"));
  EXPECT_STREQ(summary["version"].GetString(), "2020-06-30");
  EXPECT_STREQ(summary["exportArn"].GetString(), arn.c_str());
  EXPECT_STREQ(summary["tableArn"].GetString(), Arn("tbl").c_str());
  EXPECT_STREQ(summary["s3Bucket"].GetString(), "bucket");
  EXPECT_STREQ(summary["s3Prefix"].GetString(), "p/q");
  EXPECT_TRUE(summary["s3SseAlgorithm"].IsNull());
  EXPECT_STREQ(summary["outputFormat"].GetString(), "DYNAMODB_JSON");
  EXPECT_STREQ(summary["exportType"].GetString(), "FULL_EXPORT");
  EXPECT_STREQ(summary["exportTime"].GetString(), "2023-11-14T22:13:30.000Z");
  EXPECT_EQ(summary["itemCount"].GetInt64(), 30);
  EXPECT_EQ(std::string(summary["manifestFilesS3Key"].GetString()),
            "p/q/AWSDynamoDB/" + id + "/manifest-files.json");
  auto files = Lines(ReadFile(folder / "manifest-files.json"));
  ASSERT_EQ(files.size(), 1u);
  auto entry = testing::ParseObject(files[0]);
  EXPECT_EQ(entry["itemCount"].GetInt64(), 30);
  EXPECT_EQ(std::string(entry["md5Checksum"].GetString()).size(), 24u);  // base64 of 16 bytes
  EXPECT_EQ(std::string(entry["etag"].GetString()).size(), 32u);         // hex
  const std::string data_key = entry["dataFileS3Key"].GetString();
  EXPECT_EQ(data_key.rfind("p/q/AWSDynamoDB/" + id + "/data/", 0), 0u) << data_key;
  EXPECT_TRUE(data_key.ends_with(".json.gz")) << data_key;

  auto items = ExportedItems("bucket", d);
  ASSERT_EQ(items.size(), 30u);
  EXPECT_EQ(items["k7"], "v7");
  // One JSON line per item, {"Item":{...}} in DynamoDB JSON.
  auto lines = Lines(Gunzip(root_ / "bucket" / data_key));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0].rfind(R"({"Item":{)", 0), 0u) << lines[0];

  // The same ClientToken and parameters: the same export.
  auto again = Ok("ExportTableToPointInTime", R"({"TableArn":")" + Arn("tbl") +
                                                  R"(","S3Bucket":"bucket","S3Prefix":"p/q",)"
                                                  R"("ClientToken":"tok-1"})");
  EXPECT_STREQ(again["ExportDescription"]["ExportArn"].GetString(), arn.c_str());
  EXPECT_STREQ(again["ExportDescription"]["ExportStatus"].GetString(), "COMPLETED");
  // ... other parameters: a conflict.
  EXPECT_EQ(Call("ExportTableToPointInTime",
                 R"({"TableArn":")" + Arn("tbl") + R"(","S3Bucket":"other","ClientToken":"tok-1"})")
                .rfind("ERROR ExportConflictException", 0),
            0u);
}

TEST_F(ExportTest, ExportsTheTableAsOfExportTime) {
  CreateTable("tbl");
  Put("tbl", "a", "1");
  Put("tbl", "b", "1");
  g_now = kT0 + 10;
  Put("tbl", "a", "2");
  Ok("DeleteItem", R"({"TableName":"tbl","Key":{"pk":{"S":"b"}}})");
  Put("tbl", "c", "2");
  g_now = kT0 + 20;
  // As of kT0 + 5: a=1, b=1, no c.
  std::string arn = StartExport(R"("TableArn":")" + Arn("tbl") +
                                R"(","S3Bucket":"b1x","ExportTime":)" + Time(kT0 + 5));
  auto d = WaitDone(arn);
  ASSERT_STREQ(d["ExportDescription"]["ExportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(d["ExportDescription"]["ExportTime"].GetDouble(), kT0 + 5);
  auto items = ExportedItems("b1x", d["ExportDescription"]);
  EXPECT_EQ(items, (std::map<std::string, std::string>{{"a", "1"}, {"b", "1"}}));
  // Now (no ExportTime): a=2, c=2.
  arn = StartExport(R"("TableArn":")" + Arn("tbl") + R"(","S3Bucket":"b1x")");
  d = WaitDone(arn);
  items = ExportedItems("b1x", d["ExportDescription"]);
  EXPECT_EQ(items, (std::map<std::string, std::string>{{"a", "2"}, {"c", "2"}}));
}

TEST_F(ExportTest, EmptyTableHasOneEmptyDataFile) {
  CreateTable("tbl");
  std::string arn = StartExport(R"("TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bk")");
  auto d = WaitDone(arn);
  ASSERT_STREQ(d["ExportDescription"]["ExportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(d["ExportDescription"]["ItemCount"].GetInt64(), 0);
  EXPECT_TRUE(ExportedItems("bk", d["ExportDescription"]).empty());
  std::string id = arn.substr(arn.rfind('/') + 1);
  EXPECT_EQ(Lines(ReadFile(root_ / "bk" / "AWSDynamoDB" / id / "manifest-files.json")).size(), 1u);
}

TEST_F(ExportTest, Errors) {
  CreateTable("nopitr", false);
  CreateTable("tbl");
  auto err = [&](const std::string& body) { return Call("ExportTableToPointInTime", body); };
  auto starts = [](const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; };
  EXPECT_TRUE(starts(err(R"({"S3Bucket":"bk"})"),
                     "ERROR ValidationException: 1 validation error detected: Value null at "
                     "'tableArn' failed to satisfy constraint: Member must not be null"));
  EXPECT_TRUE(starts(err(R"({"TableArn":")" + Arn("tbl") + R"("})"),
                     "ERROR ValidationException: 1 validation error detected: Value null at "
                     "'s3Bucket'"));
  EXPECT_TRUE(starts(err(R"({"TableArn":")" + Arn("tbl") + R"(","S3Bucket":"a/b"})"),
                     "ERROR ValidationException: 1 validation error detected: Value 'a/b' at "
                     "'s3Bucket' failed to satisfy constraint: Member must satisfy regular "
                     "expression pattern"));
  EXPECT_TRUE(
      starts(err(R"({"TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bk","ExportFormat":"X"})"),
             "ERROR ValidationException: 1 validation error detected: Value 'X' at "
             "'exportFormat'"));
  EXPECT_TRUE(starts(err(R"({"TableArn":")" + Arn("tbl") +
                         R"(","S3Bucket":"bk","ExportType":"INCREMENTAL_EXPORT"})"),
                     "ERROR ValidationException: Invalid Request: Incremental Export "
                     "Specification expected when export type is set as Incremental Export"));
  EXPECT_TRUE(starts(err(R"({"TableArn":")" + Arn("missing") + R"(","S3Bucket":"bk"})"),
                     "ERROR TableNotFoundException"));
  EXPECT_TRUE(starts(err(R"({"TableArn":"arn:aws:dynamodb:eu-west-1:000000000000:table/tbl",)"
                         R"("S3Bucket":"bk"})"),
                     "ERROR TableNotFoundException"));
  EXPECT_TRUE(starts(err(R"({"TableArn":")" + Arn("nopitr") + R"(","S3Bucket":"bk"})"),
                     "ERROR PointInTimeRecoveryUnavailableException"));
  EXPECT_TRUE(starts(err(R"({"TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bk","ExportTime":)" +
                         Time(kT0 - 100) + "}"),
                     "ERROR InvalidExportTimeException: Export Time is invalid"));
  EXPECT_TRUE(starts(err(R"({"TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bk","ExportTime":)" +
                         Time(kT0 + 100) + "}"),
                     "ERROR InvalidExportTimeException: Export Time is invalid"));
  EXPECT_TRUE(
      starts(err(R"({"TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bk","ExportTime":"x"})"),
             "ERROR SerializationException"));
  EXPECT_TRUE(starts(Call("DescribeExport", R"({"ExportArn":")" + Arn("tbl") +
                                                R"(/export/01234567890123-abcdef01"})"),
                     "ERROR ExportNotFoundException"));
  EXPECT_TRUE(starts(Call("DescribeExport", R"({"ExportArn":"short"})"),
                     "ERROR ValidationException: 1 validation error detected: Value 'short' at "
                     "'exportArn' failed to satisfy constraint: Member must have length greater "
                     "than or equal to 37"));
  EXPECT_TRUE(starts(Call("ListExports", R"({"MaxResults":26})"),
                     "ERROR ValidationException: 1 validation error detected: Value '26' at "
                     "'maxResults'"));
  // Nothing was written for a refused request.
  EXPECT_FALSE(fs::exists(root_ / "bk"));
}

TEST_F(ExportTest, LocationsOutsideTheRootAreRefused) {
  CreateTable("tbl");
  fs::create_directories(root_ / "bucket");
  fs::create_directories(base_ / "outside");
  fs::create_symlink(base_ / "outside", root_ / "bucket" / "link");
  fs::create_symlink(base_ / "outside", root_ / "linkbucket");
  auto call = [&](const std::string& bucket, const std::string& prefix) {
    return Call("ExportTableToPointInTime", R"({"TableArn":")" + Arn("tbl") + R"(","S3Bucket":")" +
                                                bucket + R"(","S3Prefix":")" + prefix + R"("})");
  };
  for (const char* prefix :
       {"/abs", "../x", "a/../../x", "a/./b", "a//b", "..", "link", "link/sub"}) {
    std::string r = call("bucket", prefix);
    EXPECT_EQ(r.rfind("ERROR ValidationException", 0), 0u) << prefix << ": " << r;
  }
  std::string r = call("linkbucket", "x");
  EXPECT_EQ(r.rfind("ERROR ValidationException", 0), 0u) << r;
  EXPECT_TRUE(fs::is_empty(base_ / "outside"));
  // A trailing '/' is the same prefix.
  std::string arn =
      StartExport(R"("TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bucket","S3Prefix":"ok/")");
  EXPECT_STREQ(WaitDone(arn)["ExportDescription"]["ExportStatus"].GetString(), "COMPLETED");
  EXPECT_TRUE(fs::is_directory(root_ / "bucket" / "ok" / "AWSDynamoDB"));
}

TEST(ExportRootTest, SplitPrefix) {
  auto parts = ExportRoot::SplitPrefix("a/b/c/");
  ASSERT_TRUE(parts.ok());
  EXPECT_EQ(*parts, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(ExportRoot::SplitPrefix("")->empty());
  EXPECT_FALSE(ExportRoot::SplitPrefix("/a").ok());
  EXPECT_FALSE(ExportRoot::SplitPrefix("a/..").ok());
  EXPECT_FALSE(ExportRoot::SplitPrefix(std::string("a\0b", 3)).ok());
  EXPECT_TRUE(ExportRoot::SplitPrefix("a..b/.c").ok());  // not '..' components
}

TEST_F(ExportTest, WithoutAnExportRootExportsAreRefused) {
  engine_.reset();
  EngineOptions o = testing::InMemoryOptions();
  OpenEngine(o);
  CreateTable("tbl");
  std::string r =
      Call("ExportTableToPointInTime", R"({"TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bk"})");
  EXPECT_EQ(r.rfind("ERROR ValidationException: Exports need a folder standing in for S3", 0), 0u)
      << r;
}

TEST_F(ExportTest, ExportsPastTheRunningLimitAreRefusedAndAFinishedOneFreesItsSlot) {
  engine_.reset();
  EngineOptions o = testing::InMemoryOptions();
  o.export_root = root_.string();
  o.ttl_sweep_seconds = 0;
  o.max_running_exports = 1;
  OpenEngine(o);
  CreateTable("tbl");
  const std::string req = R"("TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bk")";
  for (int i = 0; i < 3; ++i) {  // each waits for the one before to end
    std::string arn = StartExport(req);
    ASSERT_FALSE(arn.empty());
    EXPECT_STREQ(WaitDone(arn)["ExportDescription"]["ExportStatus"].GetString(), "COMPLETED");
  }

  engine_.reset();
  o.max_running_exports = 0;
  OpenEngine(o);
  EXPECT_EQ(Call("ExportTableToPointInTime", "{" + req + "}"),
            "ERROR LimitExceededException: Subscriber limit exceeded: Only 0 exports can be in "
            "progress at the same time");
  // Neither a record nor a folder for it (the store is new; the folder is not).
  EXPECT_EQ(Ok("ListExports", "{}")["ExportSummaries"].Size(), 0u);
  EXPECT_EQ(
      std::distance(fs::directory_iterator(root_ / "bk" / "AWSDynamoDB"), fs::directory_iterator()),
      3);
}

TEST_F(ExportTest, ListExportsPagesAndFilters) {
  CreateTable("tbl");
  CreateTable("ubl");
  std::vector<std::string> arns;
  for (int i = 0; i < 3; ++i) {
    arns.push_back(StartExport(R"("TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bk")"));
  }
  std::string other = StartExport(R"("TableArn":")" + Arn("ubl") + R"(","S3Bucket":"bk")");
  for (const auto& a : arns) WaitDone(a);
  WaitDone(other);
  auto all = Ok("ListExports", "{}");
  EXPECT_EQ(all["ExportSummaries"].Size(), 4u);
  EXPECT_FALSE(all.HasMember("NextToken"));
  auto page1 = Ok("ListExports", R"({"TableArn":")" + Arn("tbl") + R"(","MaxResults":2})");
  ASSERT_EQ(page1["ExportSummaries"].Size(), 2u);
  EXPECT_STREQ(page1["ExportSummaries"][0]["ExportArn"].GetString(), arns[0].c_str());
  EXPECT_STREQ(page1["ExportSummaries"][0]["ExportStatus"].GetString(), "COMPLETED");
  ASSERT_TRUE(page1.HasMember("NextToken"));
  auto page2 =
      Ok("ListExports", R"({"TableArn":")" + Arn("tbl") + R"(","MaxResults":2,"NextToken":")" +
                            page1["NextToken"].GetString() + R"("})");
  ASSERT_EQ(page2["ExportSummaries"].Size(), 1u);
  EXPECT_STREQ(page2["ExportSummaries"][0]["ExportArn"].GetString(), arns[2].c_str());
  EXPECT_FALSE(page2.HasMember("NextToken"));
}

TEST_F(ExportTest, RecordsSurviveARestartAndInterruptedExportsFail) {
  engine_.reset();
  Open(/*durable=*/true);
  CreateTable("tbl");
  Put("tbl", "a", "1");
  std::string arn = StartExport(R"("TableArn":")" + Arn("tbl") + R"(","S3Bucket":"bk")");
  WaitDone(arn);
  engine_.reset();
  // An IN_PROGRESS record left behind, as by a crash mid-export.
  {
    StoreOptions so;
    so.path = (base_ / "db").string();
    so.sync = false;
    auto store = Store::Open(so);
    ASSERT_TRUE(store.ok());
    exports::ExportRecord r;
    r.arn = Arn("tbl") + "/export/01700000000000-deadbeef";
    r.export_id = "01700000000000-deadbeef";
    r.seq = 1u << 30;
    r.table_arn = Arn("tbl");
    r.bucket = "bk";
    r.start_time = kT0;
    r.export_time = kT0;
    ASSERT_TRUE(exports::SaveExport(**store, r).ok());
  }
  Open(/*durable=*/true);
  auto done = Ok("DescribeExport", R"({"ExportArn":")" + arn + R"("})");
  EXPECT_STREQ(done["ExportDescription"]["ExportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(done["ExportDescription"]["ItemCount"].GetInt64(), 1);
  auto failed = Ok("DescribeExport",
                   R"({"ExportArn":")" + Arn("tbl") + R"(/export/01700000000000-deadbeef"})");
  EXPECT_STREQ(failed["ExportDescription"]["ExportStatus"].GetString(), "FAILED");
  EXPECT_STREQ(failed["ExportDescription"]["FailureCode"].GetString(), "ExportInterrupted");
  EXPECT_EQ(Ok("ListExports", "{}")["ExportSummaries"].Size(), 2u);
}

// A record in the encoding the store holds (written out by hand from what
// SerializeExport writes: every field, strings, then doubles, then integers,
// then seq) still loads, and is written back byte for byte.
TEST(ExportRecordEncoding, ARecordAsStoredLoadsAndIsWrittenBackTheSame) {
  const std::string arn =
      "arn:aws:dynamodb:us-east-1:000000000000:table/tbl/export/01700000000000-0badf00d";
  const std::string json =
      R"({"arn":")" + arn +
      R"(","export_id":"01700000000000-0badf00d","status":"COMPLETED",)"
      R"("table_arn":"arn:aws:dynamodb:us-east-1:000000000000:table/tbl",)"
      R"("table_id":"tid","table_name":"tbl","client_token":"tok","bucket":"bk",)"
      R"("bucket_owner":"123456789012","prefix":"p/q","sse_algorithm":"KMS","kms_key_id":"key",)"
      R"("format":"DYNAMODB_JSON","type":"FULL_EXPORT","manifest":"p/q/AWSDynamoDB/m.json",)"
      R"("failure_code":"","failure_message":"","export_time":1700000000.25,)"
      R"("start_time":1700000001.5,"end_time":1700000002.0,"item_count":3,)"
      R"("billed_size_bytes":120,"seq":7})";
  std::unique_ptr<Store> store = testing::StoreHolding(std::string("\x08") + "e" + arn, json);
  ASSERT_NE(store, nullptr);

  auto loaded = exports::LoadExport(*store, arn);
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(loaded->has_value());
  const exports::ExportRecord& r = **loaded;
  EXPECT_EQ(r.arn, arn);
  EXPECT_EQ(r.export_id, "01700000000000-0badf00d");
  EXPECT_EQ(r.status, "COMPLETED");
  EXPECT_EQ(r.table_arn, "arn:aws:dynamodb:us-east-1:000000000000:table/tbl");
  EXPECT_EQ(r.table_id, "tid");
  EXPECT_EQ(r.table_name, "tbl");
  EXPECT_EQ(r.client_token, "tok");
  EXPECT_EQ(r.bucket, "bk");
  EXPECT_EQ(r.bucket_owner, "123456789012");
  EXPECT_EQ(r.prefix, "p/q");
  EXPECT_EQ(r.sse_algorithm, "KMS");
  EXPECT_EQ(r.kms_key_id, "key");
  EXPECT_EQ(r.format, "DYNAMODB_JSON");
  EXPECT_EQ(r.type, "FULL_EXPORT");
  EXPECT_EQ(r.manifest, "p/q/AWSDynamoDB/m.json");
  EXPECT_EQ(r.failure_code, "");
  EXPECT_EQ(r.export_time, 1700000000.25);
  EXPECT_EQ(r.start_time, 1700000001.5);
  EXPECT_EQ(r.end_time, 1700000002.0);
  EXPECT_EQ(r.item_count, 3);
  EXPECT_EQ(r.billed_size_bytes, 120);
  EXPECT_EQ(r.seq, 7u);
  EXPECT_EQ(exports::SerializeExport(r), json);
  EXPECT_EQ(exports::ExportKey(arn), std::string("\x08") + "e" + arn);
  auto all = exports::LoadExports(*store);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].arn, arn);
  // A record missing a field is corrupt.
  EXPECT_FALSE(exports::ParseExport(R"({"arn":"x"})").ok());
}

}  // namespace
}  // namespace ddb
