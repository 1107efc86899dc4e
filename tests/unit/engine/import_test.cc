// Table imports (ImportTable, DescribeImport, ListImports:
// engine/import_ops.cc) from a temporary folder standing in for S3: an
// export imported back into a new table (every attribute type, a GSI; in
// DynamoDB JSON and in Ion), CSV, records that fail (JSON and Ion), the folder's containment
// (engine/import_reader.h) and an import a restart interrupted (engine/import_records.h).
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "ddb/engine/engine.h"
#include "ddb/engine/import_records.h"
#include "ddb/format/catalog.h"
#include "ddb/storage/store.h"
#include "engine_test_util.h"
#include "export_fixture.h"

namespace ddb {
namespace {

namespace fs = std::filesystem;

constexpr char kTable[] = "arn:aws:dynamodb:us-east-1:000000000000:table/";

class ImportTest : public testing::ExportRootFixture {
 protected:
  void SetUp() override {
    MakeFolders("import_test");
    fs::create_directories(root_ / "bk");
    Open();
  }

  void Write(const fs::path& p, const std::string& text) {
    fs::create_directories(p.parent_path());
    std::ofstream(p, std::ios::binary) << text;
  }

  static std::string Params(const std::string& name, bool gsi = false) {
    std::string p = R"({"TableName":")" + name + R"(",
      "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
      "BillingMode":"PAY_PER_REQUEST","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"})";
    if (!gsi) return p + "]}";
    return p + R"(,{"AttributeName":"g","AttributeType":"N"}],
      "GlobalSecondaryIndexes":[{"IndexName":"by-g","KeySchema":[{"AttributeName":"g","KeyType":"HASH"}],
      "Projection":{"ProjectionType":"KEYS_ONLY"}}]})";
  }

  // Starts an import; its ARN ("" after a reported failure).
  std::string Start(const std::string& name, const std::string& prefix,
                    const std::string& extra = R"("InputFormat":"DYNAMODB_JSON")",
                    bool gsi = false) {
    auto d = Ok("ImportTable", R"({"S3BucketSource":{"S3Bucket":"bk","S3KeyPrefix":")" + prefix +
                                   R"("},"TableCreationParameters":)" + Params(name, gsi) + "," +
                                   extra + "}");
    if (!d.HasMember("ImportTableDescription")) return "";
    return d["ImportTableDescription"]["ImportArn"].GetString();
  }

  rapidjson::Document Wait(const std::string& arn) {
    for (int i = 0; i < 1000; ++i) {
      auto d = Ok("DescribeImport", R"({"ImportArn":")" + arn + R"("})");
      if (!d.HasMember("ImportTableDescription") ||
          std::string(d["ImportTableDescription"]["ImportStatus"].GetString()) != "IN_PROGRESS") {
        return d;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "import still IN_PROGRESS: " << arn;
    return Ok("DescribeImport", R"({"ImportArn":")" + arn + R"("})");
  }

  void ExportAndImportBack(const std::string& format);

  static int64_t Count(const rapidjson::Document& d, const char* member) {
    return d["ImportTableDescription"][member].GetInt64();
  }
};

// Exports table src in `format` (DYNAMODB_JSON or ION) and imports the
// export's data files back into table dst, in the same format.
void ImportTest::ExportAndImportBack(const std::string& format) {
  Ok("CreateTable", Params("src", true));
  Ok("UpdateContinuousBackups",
     R"({"TableName":"src","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}})");
  const std::string item =
      R"({"pk":{"S":"K"},"g":{"N":"7"},"s":{"S":"é\n\"x\""},"n":{"N":"-1.5"},"b":{"B":"AAH/"},)"
      R"("ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"bs":{"BS":["AQ==","Ag=="]},)"
      R"("m":{"M":{"k":{"L":[{"S":"v"}]}}},"l":{"L":[{"NULL":true},{"BOOL":false}]},)"
      R"("t":{"BOOL":true},"z":{"NULL":true}})";
  for (int i = 0; i < 30; ++i) {
    std::string it = item;
    it.replace(it.find("\"K\""), 3, "\"k" + std::to_string(i) + "\"");
    Ok("PutItem", R"({"TableName":"src","Item":)" + it + "}");
  }
  auto e = Ok("ExportTableToPointInTime", std::string(R"({"TableArn":")") + kTable +
                                              R"(src","S3Bucket":"bk","S3Prefix":"ex",)" +
                                              R"("ExportFormat":")" + format + R"("})");
  std::string export_arn = e["ExportDescription"]["ExportArn"].GetString();
  for (int i = 0; i < 500; ++i) {
    auto d = Ok("DescribeExport", R"({"ExportArn":")" + export_arn + R"("})");
    if (std::string(d["ExportDescription"]["ExportStatus"].GetString()) != "IN_PROGRESS") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const std::string id = export_arn.substr(export_arn.rfind('/') + 1);

  std::string arn =
      Start("dst", "ex/AWSDynamoDB/" + id + "/data/",
            R"("InputFormat":")" + format + R"(","InputCompressionType":"GZIP")", true);
  ASSERT_EQ(arn.rfind(std::string(kTable) + "dst/import/", 0), 0u) << arn;
  auto d = Wait(arn);
  EXPECT_STREQ(d["ImportTableDescription"]["ImportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(Count(d, "ProcessedItemCount"), 30);
  EXPECT_EQ(Count(d, "ImportedItemCount"), 30);
  EXPECT_EQ(Count(d, "ErrorCount"), 0);
  auto t = Ok("DescribeTable", R"({"TableName":"dst"})");
  EXPECT_STREQ(t["Table"]["TableStatus"].GetString(), "ACTIVE");
  EXPECT_EQ(t["Table"]["ItemCount"].GetInt64(), 30);
  for (int i = 0; i < 30; ++i) {
    std::string key = R"({"pk":{"S":"k)" + std::to_string(i) + R"("}})";
    EXPECT_EQ(Call("GetItem", R"({"TableName":"dst","Key":)" + key + "}"),
              Call("GetItem", R"({"TableName":"src","Key":)" + key + "}"));
  }
  auto q = Ok("Query", R"({"TableName":"dst","IndexName":"by-g","KeyConditionExpression":"g = :g",)"
                       R"("ExpressionAttributeValues":{":g":{"N":"7"}}})");
  EXPECT_EQ(q["Count"].GetInt(), 30);
}

TEST_F(ImportTest, AnExportImportsBackIntoANewTableWithEveryType) {
  ExportAndImportBack("DYNAMODB_JSON");
}

TEST_F(ImportTest, AnIonExportImportsBackIntoANewTableWithEveryType) {
  ExportAndImportBack("ION");
  auto list = Ok("ListImports", "{}");
  EXPECT_STREQ(list["ImportSummaryList"][0]["InputFormat"].GetString(), "ION");
}

// Ion records that are no items count as errors, as bad JSON lines do; a
// malformed one is skipped to the end of its line; a record spread over
// lines is read.
TEST_F(ImportTest, IonBadRecordsAreCountedAndSkipped) {
  Write(root_ / "bk" / "ion" / "a.ion",
        "$ion_1_0 {Item:{pk:\"a\",n:6d2}}\n"
        "$ion_1_0 {Item:{pk:\"b\",n:sym}}\n"          // a symbol value
        "$ion_1_0 {Item:{pk:\"c\",n:2007-01-01T}}\n"  // a timestamp: a syntax error
        "$ion_1_0 {Item:{n:1}}\n"                     // no key
        "$ion_1_0 {Item:{pk:1}}\n"                    // a key of the wrong type
        "$ion_1_0 {Item:{pk:\"d\",x:" +
            std::string(100000, '[') +
            "\n"  // too deep
            "/* a comment */ {\n  'Item' : {\n    \"pk\": '''e''',\n  }\n}\n");
  auto d = Wait(Start("ion", "ion/", R"("InputFormat":"ION")"));
  EXPECT_STREQ(d["ImportTableDescription"]["ImportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(Count(d, "ProcessedItemCount"), 7);
  EXPECT_EQ(Count(d, "ImportedItemCount"), 2);
  EXPECT_EQ(Count(d, "ErrorCount"), 5);
  EXPECT_EQ(Call("GetItem", R"({"TableName":"ion","Key":{"pk":{"S":"a"}}})"),
            R"({"Item":{"n":{"N":"600"},"pk":{"S":"a"}}})");
  EXPECT_EQ(Call("GetItem", R"({"TableName":"ion","Key":{"pk":{"S":"e"}}})"),
            R"({"Item":{"pk":{"S":"e"}}})");
  // CSV options belong to CSV.
  EXPECT_EQ(Call("ImportTable",
                 R"({"S3BucketSource":{"S3Bucket":"bk","S3KeyPrefix":"ion/"},"InputFormat":"ION",)"
                 R"("InputFormatOptions":{"Csv":{"Delimiter":";"}},"TableCreationParameters":)" +
                     Params("ion3") + "}"),
            "ERROR ValidationException: Invalid Request: Unsupported InputFormatOptions for the "
            "given input format: ION.");
  // Not gzip data when GZIP is given: the object counts one error.
  auto g = Wait(Start("ion2", "ion/", R"("InputFormat":"ION","InputCompressionType":"GZIP")"));
  EXPECT_EQ(Count(g, "ErrorCount"), 1);
  EXPECT_EQ(Count(g, "ImportedItemCount"), 0);
}

TEST_F(ImportTest, BadRecordsAreCountedAndSkipped) {
  Write(root_ / "bk" / "in" / "a.json",
        "{\"Item\":{\"pk\":{\"S\":\"a\"}}}\nnot json\n{\"Item\":{\"x\":{\"S\":\"no key\"}}}\n"
        "{\"Item\":{\"pk\":{\"N\":\"1\"}}}\n\n{\"Item\":{\"pk\":{\"S\":\"b\"}}}\n");
  auto d = Wait(Start("tbl", "in/"));
  EXPECT_STREQ(d["ImportTableDescription"]["ImportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(Count(d, "ProcessedItemCount"), 5);
  EXPECT_EQ(Count(d, "ImportedItemCount"), 2);
  EXPECT_EQ(Count(d, "ErrorCount"), 3);
}

TEST_F(ImportTest, ImportsPastTheRunningLimitAreRefusedAndAFinishedOneFreesItsSlot) {
  Write(root_ / "bk" / "in" / "a.json", "{\"Item\":{\"pk\":{\"S\":\"a\"}}}\n");
  engine_.reset();
  EngineOptions o = testing::InMemoryOptions();
  o.export_root = root_.string();
  o.ttl_sweep_seconds = 0;
  o.max_running_imports = 1;
  OpenEngine(o);
  for (const char* name : {"tb1", "tb2", "tb3"}) {  // each waits for the one before to end
    auto d = Wait(Start(name, "in/"));
    EXPECT_STREQ(d["ImportTableDescription"]["ImportStatus"].GetString(), "COMPLETED") << name;
  }

  engine_.reset();
  o.max_running_imports = 0;
  OpenEngine(o);
  EXPECT_EQ(Call("ImportTable", R"({"S3BucketSource":{"S3Bucket":"bk","S3KeyPrefix":"in/"},)"
                                R"("InputFormat":"DYNAMODB_JSON","TableCreationParameters":)" +
                                    Params("tb4") + "}"),
            "ERROR LimitExceededException: Subscriber limit exceeded: Only 0 imports can be in "
            "progress at the same time");
  // No table was created for it.
  EXPECT_EQ(Call("DescribeTable", R"({"TableName":"tb4"})").rfind("ERROR ResourceNotFound", 0), 0u);
}

// Items are written 500 to a batch (one fsync each); a key that repeats,
// inside one batch or across batches, leaves the last line's item, counted
// once in the table and its index.
TEST_F(ImportTest, ARepeatedKeyKeepsTheLastLineAcrossBatches) {
  std::string lines;
  for (int i = 0; i < 1200; ++i) {
    // Keys k0..k299 four times over: repeats inside a batch and across them.
    lines += "{\"Item\":{\"pk\":{\"S\":\"k" + std::to_string(i % 300) + "\"},\"g\":{\"N\":\"" +
             std::to_string(i / 300) + "\"}}}\n";
  }
  Write(root_ / "bk" / "rep" / "a.json", lines);
  auto d = Wait(Start("rep", "rep/", R"("InputFormat":"DYNAMODB_JSON")", true));
  EXPECT_STREQ(d["ImportTableDescription"]["ImportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(Count(d, "ProcessedItemCount"), 1200);
  EXPECT_EQ(Count(d, "ErrorCount"), 0);
  EXPECT_EQ(Call("GetItem", R"({"TableName":"rep","Key":{"pk":{"S":"k7"}}})"),
            R"({"Item":{"g":{"N":"3"},"pk":{"S":"k7"}}})");
  auto t = Ok("DescribeTable", R"({"TableName":"rep"})");
  EXPECT_EQ(t["Table"]["ItemCount"].GetInt64(), 300);
  EXPECT_EQ(t["Table"]["GlobalSecondaryIndexes"][0]["ItemCount"].GetInt64(), 300);
  auto q = Ok("Query", R"({"TableName":"rep","IndexName":"by-g","KeyConditionExpression":"g = :g",)"
                       R"("ExpressionAttributeValues":{":g":{"N":"3"}},"Select":"COUNT"})");
  EXPECT_EQ(q["Count"].GetInt(), 300);
  auto old =
      Ok("Query", R"({"TableName":"rep","IndexName":"by-g","KeyConditionExpression":"g = :g",)"
                  R"("ExpressionAttributeValues":{":g":{"N":"0"}},"Select":"COUNT"})");
  EXPECT_EQ(old["Count"].GetInt(), 0);
}

// A line nested thousands deep is a bad record, not a crash of the job (its
// JSON is parsed with a depth limit).
TEST_F(ImportTest, ADeeplyNestedLineIsABadRecord) {
  Write(root_ / "bk" / "deep" / "a.json",
        "{\"Item\":{\"pk\":{\"S\":\"a\"}}}\n{\"Item\":" + std::string(50000, '[') +
            std::string(50000, ']') + "}\n{\"Item\":{\"pk\":{\"S\":\"b\"}}}\n");
  auto d = Wait(Start("deep", "deep/"));
  EXPECT_STREQ(d["ImportTableDescription"]["ImportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(Count(d, "ImportedItemCount"), 2);
  EXPECT_EQ(Count(d, "ErrorCount"), 1);
}

TEST_F(ImportTest, CsvValuesAreStringsAndKeysTakeTheirType) {
  Ok("CreateTable", Params("unused"));
  Write(root_ / "bk" / "c.csv", "g;pk;note\n5;x;\"a;b\"\"c\"\nnotanumber;y;z\n");
  auto d =
      Wait(Start("tbl", "c.csv",
                 R"("InputFormat":"CSV","InputFormatOptions":{"Csv":{"Delimiter":";"}})", true));
  EXPECT_EQ(Count(d, "ImportedItemCount"), 1);
  EXPECT_EQ(Count(d, "ErrorCount"), 1);
  EXPECT_EQ(Call("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"x"}}})"),
            R"({"Item":{"g":{"N":"5"},"note":{"S":"a;b\"c"},"pk":{"S":"x"}}})");
}

TEST_F(ImportTest, NothingOutsideTheRootIsRead) {
  Write(base_ / "outside" / "f.json", "{\"Item\":{\"pk\":{\"S\":\"leak\"}}}\n");
  fs::create_directory_symlink(base_ / "outside", root_ / "bk" / "link");
  for (const char* prefix : {"link/", "link/f", "../outside/", "a/../../outside/", "/etc/"}) {
    std::string r = Call("ImportTable", R"({"S3BucketSource":{"S3Bucket":"bk","S3KeyPrefix":")" +
                                            std::string(prefix) +
                                            R"("},"InputFormat":"DYNAMODB_JSON",)"
                                            R"("TableCreationParameters":)" +
                                            Params("tbl") + "}");
    EXPECT_EQ(r.rfind("ERROR ValidationException", 0), 0u) << prefix << ": " << r;
  }
  EXPECT_EQ(Call("DescribeTable", R"({"TableName":"tbl"})").rfind("ERROR ResourceNotFound", 0), 0u);
  // A link inside the prefix is skipped, not followed: nothing to import.
  std::string r =
      Call("ImportTable", R"({"S3BucketSource":{"S3Bucket":"bk"},)"
                          R"("InputFormat":"DYNAMODB_JSON","TableCreationParameters":)" +
                              Params("tbl") + "}");
  EXPECT_EQ(r.rfind("ERROR ValidationException", 0), 0u) << r;
}

TEST_F(ImportTest, AnInterruptedImportFailsAndItsTableIsDropped) {
  engine_.reset();
  Open(/*durable=*/true);
  Write(root_ / "bk" / "in" / "a.json", "{\"Item\":{\"pk\":{\"S\":\"a\"}}}\n");
  std::string done_arn = Start("done", "in/");
  Wait(done_arn);
  engine_.reset();
  // A CREATING table and its IN_PROGRESS record, as a crash mid-import leaves them.
  {
    StoreOptions so;
    so.path = (base_ / "db").string();
    so.sync = false;
    auto store = Store::Open(so);
    ASSERT_TRUE(store.ok());
    Catalog catalog(store->get());
    ASSERT_TRUE(catalog.Load().ok());
    TableInfo info;
    info.name = "half";
    info.key.hash = {"pk", AttrType::kS};
    info.attribute_definitions = {{"pk", AttrType::kS}};
    info.billing_mode = "PAY_PER_REQUEST";
    info.status = "CREATING";
    info.region = "us-east-1";
    info.account = "000000000000";
    auto t = catalog.Create(info);
    ASSERT_TRUE(t.ok());
    imports::ImportRecord r;
    r.arn = std::string(kTable) + "half/import/01700000000000-deadbeef";
    r.import_id = "01700000000000-deadbeef";
    r.seq = 1u << 30;
    r.table_arn = std::string(kTable) + "half";
    r.table_name = "half";
    r.table_uid = (*t)->info.id;
    r.bucket = "bk";
    r.format = "DYNAMODB_JSON";
    ASSERT_TRUE(imports::SaveImport(**store, r).ok());
  }
  Open(/*durable=*/true);
  auto done = Ok("DescribeImport", R"({"ImportArn":")" + done_arn + R"("})");
  EXPECT_STREQ(done["ImportTableDescription"]["ImportStatus"].GetString(), "COMPLETED");
  auto failed = Ok("DescribeImport", std::string(R"({"ImportArn":")") + kTable +
                                         R"(half/import/01700000000000-deadbeef"})");
  EXPECT_STREQ(failed["ImportTableDescription"]["ImportStatus"].GetString(), "FAILED");
  EXPECT_STREQ(failed["ImportTableDescription"]["FailureCode"].GetString(), "ImportInterrupted");
  EXPECT_EQ(Call("DescribeTable", R"({"TableName":"half"})").rfind("ERROR ResourceNotFound", 0),
            0u);
  EXPECT_EQ(Call("DescribeTable", R"({"TableName":"done"})").rfind("ERROR", 0), std::string::npos);
  auto list = Ok("ListImports", "{}");
  EXPECT_EQ(list["ImportSummaryList"].Size(), 2u);
}

TEST_F(ImportTest, ListImportsPagesWithAnOpaqueToken) {
  Write(root_ / "bk" / "in" / "a.json", "{\"Item\":{\"pk\":{\"S\":\"a\"}}}\n");
  std::vector<std::string> arns;
  for (int i = 0; i < 3; ++i) arns.push_back(Start("tb" + std::to_string(i), "in/"));
  for (const auto& a : arns) Wait(a);
  auto p1 = Ok("ListImports", R"({"PageSize":2})");
  ASSERT_EQ(p1["ImportSummaryList"].Size(), 2u);
  std::string token = p1["NextToken"].GetString();
  EXPECT_GE(token.size(), 112u);
  EXPECT_EQ(token.size() % 16, 0u);
  auto p2 = Ok("ListImports", R"({"PageSize":2,"NextToken":")" + token + R"("})");
  ASSERT_EQ(p2["ImportSummaryList"].Size(), 1u);
  EXPECT_EQ(p2["ImportSummaryList"][0]["ImportArn"].GetString(), arns[2]);
  EXPECT_FALSE(p2.HasMember("NextToken"));
  EXPECT_EQ(Call("ListImports", R"({"PageSize":26})").rfind("ERROR ValidationException", 0), 0u);
}

// A record in the encoding the store holds (written out by hand from what
// SerializeImport writes: every field, strings, then doubles, then integers,
// then seq and table_uid) still loads, and is written back byte for byte.
TEST(ImportRecordEncoding, ARecordAsStoredLoadsAndIsWrittenBackTheSame) {
  const std::string arn = std::string(kTable) + "tbl/import/01700000000000-0badf00d";
  const std::string json =
      R"({"arn":")" + arn +
      R"(","import_id":"01700000000000-0badf00d","status":"FAILED","table_arn":")" + kTable +
      R"(tbl","table_id":"tid","table_name":"tbl","client_token":"tok","bucket":"bk",)"
      R"("bucket_owner":"123456789012","prefix":"in/","format":"CSV","compression":"GZIP",)"
      R"("format_options_json":"{\"Csv\":{\"Delimiter\":\";\"}}",)"
      R"("creation_params_json":"{\"TableName\":\"tbl\"}","failure_code":"TableDeleted",)"
      R"("failure_message":"gone","start_time":1700000001.5,"end_time":1700000002.0,)"
      R"("processed_items":5,"imported_items":4,"error_count":1,"processed_bytes":99,)"
      R"("seq":7,"table_uid":42})";
  std::unique_ptr<Store> store = testing::StoreHolding(std::string("\x08") + "i" + arn, json);
  ASSERT_NE(store, nullptr);

  auto loaded = imports::LoadImport(*store, arn);
  ASSERT_TRUE(loaded.ok());
  ASSERT_TRUE(loaded->has_value());
  const imports::ImportRecord& r = **loaded;
  EXPECT_EQ(r.arn, arn);
  EXPECT_EQ(r.import_id, "01700000000000-0badf00d");
  EXPECT_EQ(r.status, "FAILED");
  EXPECT_EQ(r.table_arn, std::string(kTable) + "tbl");
  EXPECT_EQ(r.table_id, "tid");
  EXPECT_EQ(r.table_name, "tbl");
  EXPECT_EQ(r.client_token, "tok");
  EXPECT_EQ(r.bucket, "bk");
  EXPECT_EQ(r.bucket_owner, "123456789012");
  EXPECT_EQ(r.prefix, "in/");
  EXPECT_EQ(r.format, "CSV");
  EXPECT_EQ(r.compression, "GZIP");
  EXPECT_EQ(r.format_options_json, R"({"Csv":{"Delimiter":";"}})");
  EXPECT_EQ(r.creation_params_json, R"({"TableName":"tbl"})");
  EXPECT_EQ(r.failure_code, "TableDeleted");
  EXPECT_EQ(r.failure_message, "gone");
  EXPECT_EQ(r.start_time, 1700000001.5);
  EXPECT_EQ(r.end_time, 1700000002.0);
  EXPECT_EQ(r.processed_items, 5);
  EXPECT_EQ(r.imported_items, 4);
  EXPECT_EQ(r.error_count, 1);
  EXPECT_EQ(r.processed_bytes, 99);
  EXPECT_EQ(r.seq, 7u);
  EXPECT_EQ(r.table_uid, 42u);
  EXPECT_EQ(imports::SerializeImport(r), json);
  auto all = imports::LoadImports(*store);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].arn, arn);
  // A record missing a field is corrupt.
  EXPECT_FALSE(imports::ParseImport(R"({"arn":"x"})").ok());
}

}  // namespace
}  // namespace ddb
