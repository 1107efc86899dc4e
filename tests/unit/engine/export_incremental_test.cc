// ExportTableToPointInTime beyond a full DynamoDB-JSON export
// (engine/export_ops.cc): ExportFormat ION (engine/export_lines.h,
// engine/ion_writer.h) and ExportType INCREMENTAL_EXPORT
// (engine/export_incremental.h): the validation of
// IncrementalExportSpecification with DynamoDB's messages, the changes of a
// window read from the point-in-time log (inserts, updates, deletes, an
// insert deleted within the window, writes before and after it), both view
// types, both formats, the manifests and the descriptions.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "ddb/engine/engine.h"
#include "ddb/engine/export_records.h"
#include "ddb/engine/ion_reader.h"
#include "ddb/model/json_codec.h"
#include "engine_test_util.h"
#include "export_fixture.h"

namespace ddb {
namespace {

namespace fs = std::filesystem;
using testing::g_now;
using testing::GunzipFile;
using testing::NonEmptyLines;
using testing::ReadWholeFile;

constexpr double kT0 = testing::kClockStart;  // 2023-11-14T22:13:20Z

std::string Time(double t) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", t);
  return buf;
}

std::string Arn(const std::string& table) {
  return "arn:aws:dynamodb:us-east-1:000000000000:table/" + table;
}

class IncrementalExportTest : public testing::ExportRootFixture {
 protected:
  void SetUp() override {
    UseFakeClock(kT0);
    MakeFolders("export_incremental_test");
    Open();
    CreateTable("tbl");
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

  void Put(const std::string& pk, const std::string& v) {
    Ok("PutItem", R"({"TableName":"tbl","Item":{"pk":{"S":")" + pk + R"("},"v":{"S":")" + v +
                      R"("},"n":{"N":"1.50"}}})");
  }
  void Delete(const std::string& pk) {
    Ok("DeleteItem", R"({"TableName":"tbl","Key":{"pk":{"S":")" + pk + R"("}}})");
  }

  // The history the content tests export, window [kT0+100, kT0+1100):
  //   same  put before the window, untouched
  //   ins   put at the window's first instant (inclusive), updated after it
  //   upd   1 before, 2 in the window, 3 at the window's end (exclusive)
  //   del   put before, deleted in the window
  //   upd2  1 before, 2 then 3 in the window
  //   tmp   put and deleted in the window
  //   late  put at the window's end
  void WriteHistory() {
    g_now = kT0 + 10;
    Put("same", "1");
    Put("upd", "1");
    Put("del", "1");
    Put("upd2", "1");
    g_now = kT0 + 100;
    Put("ins", "1");
    g_now = kT0 + 200;
    Put("upd", "2");
    Delete("del");
    Put("tmp", "1");
    Put("upd2", "2");
    g_now = kT0 + 300;
    Delete("tmp");
    Put("upd2", "3");
    g_now = kT0 + 1100;
    Put("upd", "3");
    Put("late", "1");
    g_now = kT0 + 1200;
    Put("ins", "9");
  }

  std::string Spec(double from, double to, const std::string& view = "") {
    std::string s = R"("ExportType":"INCREMENTAL_EXPORT","IncrementalExportSpecification":{)"
                    R"("ExportFromTime":)" +
                    Time(from) + R"(,"ExportToTime":)" + Time(to);
    if (!view.empty()) s += R"(,"ExportViewType":")" + view + "\"";
    return s + "}";
  }

  std::string StartExport(const std::string& extra) {
    auto d =
        Ok("ExportTableToPointInTime", R"({"TableArn":")" + Arn("tbl") +
                                           R"(","S3Bucket":"bk","S3Prefix":"inc",)" + extra + "}");
    if (!d.HasMember("ExportDescription")) return "";
    return d["ExportDescription"]["ExportArn"].GetString();
  }

  rapidjson::Document WaitDone(const std::string& arn) {
    for (int i = 0; i < 500; ++i) {
      auto d = Ok("DescribeExport", R"({"ExportArn":")" + arn + R"("})");
      if (std::string(d["ExportDescription"]["ExportStatus"].GetString()) != "IN_PROGRESS") {
        return d;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "export still IN_PROGRESS: " << arn;
    return Ok("DescribeExport", R"({"ExportArn":")" + arn + R"("})");
  }

  // The lines of an export's data files (read through its manifests), and
  // its summary.
  std::vector<std::string> DataLines(const rapidjson::Value& desc, rapidjson::Document* summary,
                                     const std::string& extension) {
    const fs::path bucket = root_ / "bk";
    *summary = testing::ParseObject(ReadWholeFile(bucket / desc["ExportManifest"].GetString()));
    std::vector<std::string> lines;
    for (const std::string& f :
         NonEmptyLines(ReadWholeFile(bucket / (*summary)["manifestFilesS3Key"].GetString()))) {
      auto entry = testing::ParseObject(f);
      const std::string key = entry["dataFileS3Key"].GetString();
      EXPECT_TRUE(key.ends_with(extension)) << key;
      auto rows = NonEmptyLines(GunzipFile(bucket / key));
      EXPECT_EQ(static_cast<int64_t>(rows.size()), entry["itemCount"].GetInt64());
      lines.insert(lines.end(), rows.begin(), rows.end());
    }
    return lines;
  }

  // pk -> the change line of each item (JSON lines, or Ion lines turned
  // into the same JSON shape: {"Metadata":{"M":...},...} unwrapped).
  std::map<std::string, std::string> Changes(const std::vector<std::string>& lines, bool ion) {
    std::map<std::string, std::string> out;
    for (const std::string& line : lines) {
      std::string json = line;
      if (ion) {
        ion::StringSource src(line);
        ion::RecordReader reader(src);
        Status problem;
        EXPECT_TRUE(reader.NextValue(&json, &problem)) << line;
        EXPECT_TRUE(problem.ok()) << line;
        json = Unwrap(json);
      }
      auto d = testing::ParseObject(json);
      out[d["Keys"]["pk"]["S"].GetString()] = json;
    }
    return out;
  }

  // An Ion change line's value as DynamoDB JSON ({"M":{"Keys":{"M":...}}})
  // rewritten as the JSON line's shape ({"Keys":{...}}, WriteTimestampMicros
  // {"N":...}).
  static std::string Unwrap(const std::string& value_json) {
    rapidjson::Document d;
    d.Parse(value_json.c_str());
    rapidjson::StringBuffer buf;
    JsonWriter w(buf);
    w.StartObject();
    for (auto& m : d["M"].GetObject()) {
      w.Key(m.name.GetString());
      if (std::string(m.name.GetString()) == "Metadata") {
        w.StartObject();
        w.Key("WriteTimestampMicros");
        EncodeAttributeValue(*DecodeAttributeValue(m.value["M"]["WriteTimestampMicros"]), w);
        w.EndObject();
      } else {
        EncodeItem(*DecodeItem(m.value["M"]), w);
      }
    }
    w.EndObject();
    return buf.GetString();
  }

  static std::string Micros(double t) { return std::to_string(static_cast<int64_t>(t * 1e6)); }
};

TEST_F(IncrementalExportTest, NewAndOldImagesOfTheWindowsChanges) {
  WriteHistory();
  std::string arn = StartExport(Spec(kT0 + 100, kT0 + 1100));
  auto done = WaitDone(arn);
  const auto& d = done["ExportDescription"];
  ASSERT_STREQ(d["ExportStatus"].GetString(), "COMPLETED");
  EXPECT_STREQ(d["ExportType"].GetString(), "INCREMENTAL_EXPORT");
  EXPECT_FALSE(d.HasMember("ExportTime"));
  EXPECT_EQ(d["IncrementalExportSpecification"]["ExportFromTime"].GetDouble(), kT0 + 100);
  EXPECT_EQ(d["IncrementalExportSpecification"]["ExportToTime"].GetDouble(), kT0 + 1100);
  EXPECT_STREQ(d["IncrementalExportSpecification"]["ExportViewType"].GetString(),
               "NEW_AND_OLD_IMAGES");
  EXPECT_EQ(d["ItemCount"].GetInt64(), 4);
  EXPECT_EQ(d["BilledSizeBytes"].GetInt64(), 10'000'000);  // DynamoDB's least

  rapidjson::Document summary;
  auto lines = DataLines(d, &summary, ".json.gz");
  EXPECT_STREQ(summary["version"].GetString(), "2023-08-01");
  EXPECT_STREQ(summary["exportType"].GetString(), "INCREMENTAL_EXPORT");
  EXPECT_STREQ(summary["outputFormat"].GetString(), "DYNAMODB_JSON");
  EXPECT_STREQ(summary["outputView"].GetString(), "NEW_AND_OLD_IMAGES");
  EXPECT_STREQ(summary["exportFromTime"].GetString(), "2023-11-14T22:15:00.000Z");
  EXPECT_STREQ(summary["exportToTime"].GetString(), "2023-11-14T22:31:40.000Z");
  EXPECT_FALSE(summary.HasMember("exportTime"));
  EXPECT_EQ(summary["itemCount"].GetInt64(), 4);
  // Data files in the folder the prefix's incremental exports share.
  const std::string files = ReadWholeFile(root_ / "bk" / summary["manifestFilesS3Key"].GetString());
  EXPECT_NE(files.find(R"("dataFileS3Key":"inc/AWSDynamoDB/data/)"), std::string::npos) << files;
  EXPECT_TRUE(fs::is_directory(root_ / "bk" / "inc" / "AWSDynamoDB" / "data"));

  auto changes = Changes(lines, false);
  ASSERT_EQ(changes.size(), 4u);
  auto image = [](const std::string& pk, const std::string& v) {
    return R"({"n":{"N":"1.5"},"pk":{"S":")" + pk + R"("},"v":{"S":")" + v + R"("}})";
  };
  auto keys = [](const std::string& pk) { return R"({"pk":{"S":")" + pk + R"("}})"; };
  auto meta = [](const std::string& micros) {
    return R"({"Metadata":{"WriteTimestampMicros":{"N":")" + micros + R"("}},)";
  };
  // Inserted at the window's first instant; NewImage as at its end.
  EXPECT_EQ(changes["ins"], meta(Micros(kT0 + 100)) + R"("Keys":)" + keys("ins") +
                                R"(,"NewImage":)" + image("ins", "1") + "}");
  // Updated: both images; the write at the window's end is not in it.
  EXPECT_EQ(changes["upd"], meta(Micros(kT0 + 200)) + R"("Keys":)" + keys("upd") +
                                R"(,"NewImage":)" + image("upd", "2") + R"(,"OldImage":)" +
                                image("upd", "1") + "}");
  // Deleted: the old image only.
  EXPECT_EQ(changes["del"].find("NewImage"), std::string::npos) << changes["del"];
  EXPECT_NE(changes["del"].find(R"("OldImage":)" + image("del", "1")), std::string::npos);
  // Updated twice: the last write's time, the first image.
  auto upd2 = testing::ParseObject(changes["upd2"]);
  EXPECT_GE(std::stoll(upd2["Metadata"]["WriteTimestampMicros"]["N"].GetString()),
            static_cast<int64_t>((kT0 + 300) * 1e6));
  EXPECT_STREQ(upd2["NewImage"]["v"]["S"].GetString(), "3");
  EXPECT_STREQ(upd2["OldImage"]["v"]["S"].GetString(), "1");
  // Untouched, put and deleted in the window, or written at its end: absent.
  EXPECT_FALSE(changes.count("same") || changes.count("tmp") || changes.count("late"));
}

TEST_F(IncrementalExportTest, NewImageViewAndIonFormat) {
  WriteHistory();
  for (const bool ion : {false, true}) {
    std::string arn = StartExport(Spec(kT0 + 100, kT0 + 1100, "NEW_IMAGE") +
                                  (ion ? R"(,"ExportFormat":"ION")" : ""));
    auto done = WaitDone(arn);
    const auto& d = done["ExportDescription"];
    ASSERT_STREQ(d["ExportStatus"].GetString(), "COMPLETED");
    EXPECT_STREQ(d["ExportFormat"].GetString(), ion ? "ION" : "DYNAMODB_JSON");
    rapidjson::Document summary;
    auto lines = DataLines(d, &summary, ion ? ".ion.gz" : ".json.gz");
    EXPECT_STREQ(summary["outputView"].GetString(), "NEW_IMAGE");
    EXPECT_STREQ(summary["outputFormat"].GetString(), ion ? "ION" : "DYNAMODB_JSON");
    if (ion) {
      for (const auto& l : lines) {
        EXPECT_EQ(l.rfind("$ion_1_0 {Metadata:{WriteTimestampMicros:", 0), 0u) << l;
      }
    }
    auto changes = Changes(lines, ion);
    ASSERT_EQ(changes.size(), 4u) << ion;
    for (const auto& [pk, line] : changes) {
      EXPECT_EQ(line.find("OldImage"), std::string::npos) << line;
    }
    // A delete is its keys alone.
    auto del = testing::ParseObject(changes["del"]);
    EXPECT_FALSE(del.HasMember("NewImage"));
    EXPECT_STREQ(del["Keys"]["pk"]["S"].GetString(), "del");
    EXPECT_EQ(std::string(del["Metadata"]["WriteTimestampMicros"]["N"].GetString()).substr(0, 10),
              Micros(kT0 + 200).substr(0, 10));
    auto upd = testing::ParseObject(changes["upd"]);
    EXPECT_STREQ(upd["NewImage"]["v"]["S"].GetString(), "2");
    EXPECT_STREQ(upd["NewImage"]["n"]["N"].GetString(), "1.5");
  }
}

TEST_F(IncrementalExportTest, AWindowWithNoChangeHasOneEmptyFile) {
  g_now = kT0 + 2000;
  std::string arn = StartExport(Spec(kT0 + 10, kT0 + 1000, "NEW_IMAGE"));
  auto done = WaitDone(arn);
  const auto& d = done["ExportDescription"];
  ASSERT_STREQ(d["ExportStatus"].GetString(), "COMPLETED");
  EXPECT_EQ(d["ItemCount"].GetInt64(), 0);
  rapidjson::Document summary;
  EXPECT_TRUE(DataLines(d, &summary, ".json.gz").empty());
  EXPECT_EQ(
      NonEmptyLines(ReadWholeFile(root_ / "bk" / summary["manifestFilesS3Key"].GetString())).size(),
      1u);
}

TEST_F(IncrementalExportTest, ExportToTimeDefaultsToNow) {
  g_now = kT0 + 10;
  Put("a", "1");
  g_now = kT0 + 3600;
  auto d =
      Ok("ExportTableToPointInTime", R"({"TableArn":")" + Arn("tbl") +
                                         R"(","S3Bucket":"bk","ExportType":"INCREMENTAL_EXPORT",)"
                                         R"("IncrementalExportSpecification":{"ExportFromTime":)" +
                                         Time(kT0 + 5) + "}}");
  const auto& started = d["ExportDescription"];
  EXPECT_EQ(started["IncrementalExportSpecification"]["ExportToTime"].GetDouble(), kT0 + 3600);
  auto done = WaitDone(started["ExportArn"].GetString());
  EXPECT_EQ(done["ExportDescription"]["ItemCount"].GetInt64(), 1);
}

TEST_F(IncrementalExportTest, ValidationMessages) {
  CreateTable("nopitr", false);
  g_now = kT0 + 2 * 86400;
  auto call = [&](const std::string& table, const std::string& extra) {
    return Call("ExportTableToPointInTime", R"({"TableArn":")" + Arn(table) +
                                                R"(","S3Bucket":"bk")" +
                                                (extra.empty() ? "" : "," + extra) + "}");
  };
  const std::string spec = R"("IncrementalExportSpecification":{"ExportFromTime":)" +
                           Time(kT0 + 100) + R"(,"ExportToTime":)" + Time(kT0 + 2000) + "}";
  EXPECT_EQ(call("tbl", spec),
            "ERROR ValidationException: Invalid Request: Export Type expected to be Incremental "
            "Export when incremental export specification is provided");
  EXPECT_EQ(call("tbl", R"("ExportType":"FULL_EXPORT",)" + spec),
            "ERROR ValidationException: Invalid Request: When Export Type is Full Export , "
            "Incremental Export Specification should not be provided");
  EXPECT_EQ(call("tbl", R"("ExportType":"INCREMENTAL_EXPORT")"),
            "ERROR ValidationException: Invalid Request: Incremental Export Specification "
            "expected when export type is set as Incremental Export");
  EXPECT_EQ(call("tbl", R"("ExportType":"INCREMENTAL_EXPORT","IncrementalExportSpecification":{})"),
            "ERROR ValidationException: Invalid Request: ExportFromTime must be provided in "
            "IncrementalExportSpecification");
  EXPECT_EQ(call("tbl", R"("ExportType":"INCREMENTAL_EXPORT","IncrementalExportSpecification":)"
                        R"({"ExportViewType":"NEW_IMAGE"})"),
            "ERROR ValidationException: Invalid Request: ExportFromTime must be provided in "
            "IncrementalExportSpecification");
  EXPECT_EQ(call("tbl", R"("ExportType":"INCREMENTAL_EXPORT","IncrementalExportSpecification":)"
                        R"({"ExportFromTime":1,"ExportViewType":"NEW_IMAGES"})"),
            "ERROR ValidationException: 1 validation error detected: Value 'NEW_IMAGES' at "
            "'incrementalExportSpecification.exportViewType' failed to satisfy constraint: "
            "Member must satisfy enum value set: [NEW_IMAGE, NEW_AND_OLD_IMAGES]");
  EXPECT_EQ(call("tbl", R"("ExportType":"INCREMENTAL_EXPORT","IncrementalExportSpecification":)"
                        R"({"ExportFromTime":"x"})"),
            "ERROR SerializationException: Unexpected value type in payload");

  auto window = [&](double from, double to) {
    return R"("ExportType":"INCREMENTAL_EXPORT","IncrementalExportSpecification":{)"
           R"("ExportFromTime":)" +
           Time(from) + R"(,"ExportToTime":)" + Time(to) + "}";
  };
  // Before PITR was enabled (kT0), and on a table without PITR.
  EXPECT_EQ(call("tbl", window(kT0 - 100, kT0 + 1000)),
            "ERROR InvalidExportTimeException: Incremental export period from time cannot be less "
            "than the table creation time : 2023-11-14T22:11:40Z");
  EXPECT_EQ(call("nopitr", window(kT0 + 100, kT0 + 2000)),
            "ERROR InvalidExportTimeException: Incremental export period from time cannot be less "
            "than the table creation time : 2023-11-14T22:15:00Z");
  EXPECT_EQ(call("tbl", window(kT0 + 100, kT0 + 3 * 86400)),
            "ERROR InvalidExportTimeException: Incremental export period to time cannot be greater "
            "than the current time : 2023-11-17T22:13:20Z");
  EXPECT_EQ(call("tbl", window(kT0 + 100, kT0 + 100 + 899)),
            "ERROR InvalidExportTimeException: Difference between export period from time and "
            "export period to time is less than 15 minutes");
  EXPECT_EQ(call("tbl", window(kT0 + 2000, kT0 + 100)),
            "ERROR InvalidExportTimeException: Difference between export period from time and "
            "export period to time is less than 15 minutes");
  EXPECT_EQ(call("tbl", window(kT0 + 100, kT0 + 100 + 86401)),
            "ERROR InvalidExportTimeException: Difference between export period from time and "
            "export period to time is more than 24 hours");
  EXPECT_EQ(call("tbl", window(kT0 + 100, kT0 + 1000) + R"(,"ExportTime":)" + Time(kT0 + 500)),
            "ERROR ValidationException: Invalid Request: Export Time should not be provided when "
            "Export Type is Incremental Export");
  // Exactly 15 minutes and exactly 24 hours are accepted.
  EXPECT_EQ(call("tbl", window(kT0 + 100, kT0 + 1000)).rfind("{\"ExportDescription\"", 0), 0u);
  EXPECT_EQ(call("tbl", window(kT0 + 100, kT0 + 100 + 86400)).rfind("{\"ExportDescription\"", 0),
            0u);
}

TEST_F(IncrementalExportTest, ClientTokenComparesTheWindow) {
  g_now = kT0 + 5000;
  const std::string base = R"("ClientToken":"tok",)";
  std::string arn = StartExport(base + Spec(kT0 + 100, kT0 + 1100));
  WaitDone(arn);
  auto again = Ok("ExportTableToPointInTime", R"({"TableArn":")" + Arn("tbl") +
                                                  R"(","S3Bucket":"bk","S3Prefix":"inc",)" + base +
                                                  Spec(kT0 + 100, kT0 + 1100) + "}");
  EXPECT_STREQ(again["ExportDescription"]["ExportArn"].GetString(), arn.c_str());
  EXPECT_EQ(Call("ExportTableToPointInTime", R"({"TableArn":")" + Arn("tbl") +
                                                 R"(","S3Bucket":"bk","S3Prefix":"inc",)" + base +
                                                 Spec(kT0 + 100, kT0 + 1200) + "}")
                .rfind("ERROR ExportConflictException", 0),
            0u);
  EXPECT_EQ(Call("ExportTableToPointInTime", R"({"TableArn":")" + Arn("tbl") +
                                                 R"(","S3Bucket":"bk","S3Prefix":"inc",)" + base +
                                                 Spec(kT0 + 100, kT0 + 1100, "NEW_IMAGE") + "}")
                .rfind("ERROR ExportConflictException", 0),
            0u);
  // ListExports shows the type.
  auto list = Ok("ListExports", "{}");
  EXPECT_STREQ(list["ExportSummaries"][0]["ExportType"].GetString(), "INCREMENTAL_EXPORT");
}

// A full export in ION: one `$ion_1_0 {Item:{...}}` line per item in
// data/*.ion.gz, read back by the reader to the table's items.
TEST_F(IncrementalExportTest, FullExportInIon) {
  const std::string item =
      R"({"pk":{"S":"K"},"s":{"S":"é\n\"x\""},"n":{"N":"-1500"},"d":{"N":"0.001"},)"
      R"("b":{"B":"AAH/"},"ss":{"SS":["a","b"]},"ns":{"NS":["1","2.5"]},)"
      R"("bs":{"BS":["AQ==","Ag=="]},"m":{"M":{"k":{"L":[{"S":"v"},{"NULL":true}]}}},)"
      R"("l":{"L":[{"BOOL":false},{"M":{}}]},"t":{"BOOL":true},"z":{"NULL":true}})";
  std::map<std::string, std::string> expected;
  for (int i = 0; i < 20; ++i) {
    std::string it = item;
    it.replace(it.find("\"K\""), 3, "\"k" + std::to_string(i) + "\"");
    Ok("PutItem", R"({"TableName":"tbl","Item":)" + it + "}");
    auto got =
        Ok("GetItem", R"({"TableName":"tbl","Key":{"pk":{"S":"k)" + std::to_string(i) + R"("}}})");
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    got["Item"].Accept(w);
    expected["k" + std::to_string(i)] = buf.GetString();
  }
  g_now = kT0 + 10;
  auto done = WaitDone(StartExport(R"("ExportFormat":"ION")"));
  const auto& d = done["ExportDescription"];
  ASSERT_STREQ(d["ExportStatus"].GetString(), "COMPLETED");
  EXPECT_STREQ(d["ExportFormat"].GetString(), "ION");
  EXPECT_STREQ(d["ExportType"].GetString(), "FULL_EXPORT");
  EXPECT_EQ(d["ItemCount"].GetInt64(), 20);
  rapidjson::Document summary;
  auto lines = DataLines(d, &summary, ".ion.gz");
  EXPECT_STREQ(summary["outputFormat"].GetString(), "ION");
  EXPECT_STREQ(summary["version"].GetString(), "2020-06-30");
  ASSERT_EQ(lines.size(), 20u);
  std::map<std::string, std::string> got;
  for (const std::string& line : lines) {
    EXPECT_EQ(line.rfind("$ion_1_0 {Item:{", 0), 0u) << line;
    ion::StringSource src(line);
    ion::RecordReader reader(src);
    Item it;
    Status problem;
    ASSERT_TRUE(reader.Next(&it, &problem)) << line;
    ASSERT_TRUE(problem.ok()) << problem.error().message << ": " << line;
    got[it["pk"].scalar] = ItemToJson(it);
  }
  EXPECT_EQ(got, expected);
  // Numbers as the guide writes them.
  EXPECT_NE(lines[0].find("n:-15d2"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find("d:0.001"), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(R"(ss:$dynamodb_SS::["a","b"])"), std::string::npos) << lines[0];
}

// An incremental export's record keeps its window and view type (optional
// fields, job_records.h) across a save and a load.
TEST(IncrementalExportRecord, KeepsTheWindowAndViewType) {
  exports::ExportRecord r;
  r.arn = Arn("tbl") + "/export/01700000000000-0badf00d";
  r.type = "INCREMENTAL_EXPORT";
  r.export_from_time = kT0 + 100;
  r.export_to_time = kT0 + 1100.5;
  r.view_type = "NEW_IMAGE";
  const std::string json = exports::SerializeExport(r);
  EXPECT_NE(json.find(R"("view_type":"NEW_IMAGE","export_from_time":1700000100.0,)"
                      R"("export_to_time":1700001100.5})"),
            std::string::npos)
      << json;
  auto back = exports::ParseExport(json);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->export_from_time, kT0 + 100);
  EXPECT_EQ(back->export_to_time, kT0 + 1100.5);
  EXPECT_EQ(back->view_type, "NEW_IMAGE");
  EXPECT_EQ(exports::SerializeExport(*back), json);
  // A full export's record has none of them.
  exports::ExportRecord full;
  EXPECT_EQ(exports::SerializeExport(full).find("view_type"), std::string::npos);
}

}  // namespace
}  // namespace ddb
