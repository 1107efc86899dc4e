// The audit log (net/audit_log.h): its lines, rotation and file bound,
// owner-only files, and the aggregation of denials with its memory bound.
#include "net/audit_log.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace net {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::system_clock;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("audit_log_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

rapidjson::Document Parse(const std::string& line) {
  rapidjson::Document d;
  d.Parse(line.data(), line.size());
  EXPECT_FALSE(d.HasParseError()) << line;
  EXPECT_TRUE(d.IsObject()) << line;
  return d;
}

std::string Str(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return "<absent>";
  return it->value.GetString();
}

AuditEvent Control(std::string name = "CreateTable") {
  AuditEvent e;
  e.event_source = std::string(kDynamoDbEventSource);
  e.event_name = std::move(name);
  e.access_key_id = "AKIDADMIN";
  e.source_ip = "127.0.0.1";
  e.user_agent = "Boto3/1.26";
  e.resources = {"arn:aws:dynamodb:us-east-1:000000000000:table/t"};
  e.request_id = "REQ";
  return e;
}

AuditEvent Denial(std::string source = "10.0.0.1", std::string code = "AccessDeniedException") {
  AuditEvent e = Control("PutItem");
  e.source_ip = std::move(source);
  e.outcome = AuditOutcome::kDenied;
  e.error_code = std::move(code);
  return e;
}

// A clock the test moves.
struct FakeClock {
  std::shared_ptr<std::atomic<int64_t>> seconds =
      std::make_shared<std::atomic<int64_t>>(1'800'000'000);
  std::function<Clock::time_point()> fn() const {
    return [s = seconds] { return Clock::time_point(std::chrono::seconds(s->load())); };
  }
  void advance(int64_t by) { *seconds += by; }
};

AuditLogOptions Options(const TempDir& dir, const FakeClock& clock) {
  AuditLogOptions o;
  o.path = dir.file("audit.log");
  o.sweep_interval = std::chrono::milliseconds(0);
  o.clock = clock.fn();
  return o;
}

TEST(AuditEvent, LineHasCloudTrailFields) {
  AuditEvent e = Control();
  const std::string line = FormatAuditEvent(e, Clock::time_point(std::chrono::seconds(1796503388)));
  EXPECT_EQ(line.find('\n'), std::string::npos);
  auto d = Parse(line);
  EXPECT_EQ(Str(d, "eventTime"), "2026-12-05T20:43:08Z");
  EXPECT_EQ(Str(d, "eventSource"), "dynamodb.amazonaws.com");
  EXPECT_EQ(Str(d, "eventName"), "CreateTable");
  EXPECT_EQ(Str(d, "accessKeyId"), "AKIDADMIN");
  EXPECT_EQ(Str(d, "sourceIPAddress"), "127.0.0.1");
  EXPECT_EQ(Str(d, "userAgent"), "Boto3/1.26");
  ASSERT_TRUE(d["resources"].IsArray());
  EXPECT_EQ(std::string(d["resources"][0].GetString()),
            "arn:aws:dynamodb:us-east-1:000000000000:table/t");
  EXPECT_EQ(Str(d, "outcome"), "success");
  EXPECT_EQ(Str(d, "errorCode"), "<absent>");
  EXPECT_EQ(Str(d, "requestID"), "REQ");

  e.outcome = AuditOutcome::kError;
  e.error_code = "ResourceInUseException";
  auto err = Parse(FormatAuditEvent(e, Clock::now()));
  EXPECT_EQ(Str(err, "outcome"), "error");
  EXPECT_EQ(Str(err, "errorCode"), "ResourceInUseException");
}

TEST(AuditEvent, HostileTextIsEscapedSanitizedAndBounded) {
  AuditEvent e = Control();
  e.user_agent = std::string("evil\"}\n{\"eventName\":\"Forged\\\r\t\x1b[31m\x7f\xc3\xa9") +
                 std::string(10000, 'A');
  e.access_key_id = "AKID\n\"x";
  e.event_name = "Create\0Table";
  e.resources = std::vector<std::string>(100, std::string(5000, 'r'));
  const std::string line = FormatAuditEvent(e, Clock::now());
  EXPECT_EQ(line.find('\n'), std::string::npos);
  EXPECT_EQ(line.find('\r'), std::string::npos);
  EXPECT_EQ(line.find('\x1b'), std::string::npos);
  for (char c : line) {
    const auto b = static_cast<unsigned char>(c);
    EXPECT_TRUE(b >= 0x20 && b < 0x7f) << static_cast<int>(b);
  }
  auto d = Parse(line);
  const std::string ua = Str(d, "userAgent");
  EXPECT_EQ(ua.size(), kAuditFieldMaxUserAgent);
  EXPECT_EQ(ua.substr(0, 40), "evil\"}?{\"eventName\":\"Forged\\???[31m???AA");
  EXPECT_EQ(Str(d, "eventName"), "Create");  // a string_view literal stops at NUL
  EXPECT_EQ(Str(d, "accessKeyId"), "AKID?\"x");
  EXPECT_EQ(d["resources"].Size(), kAuditMaxResources);
  EXPECT_EQ(d["resources"][0].GetStringLength(), kAuditFieldMaxResource);
  EXPECT_LT(line.size(), 20000u);
}

TEST(AuditLog, WritesOneLinePerEventOwnerOnly) {
  TempDir dir;
  FakeClock clock;
  {
    std::string error;
    auto log = AuditLog::Open(Options(dir, clock), &error);
    ASSERT_TRUE(log) << error;
    log->Record(Control("CreateTable"));
    log->Record(Control("DeleteTable"));
  }
  auto lines = Lines(dir.file("audit.log"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Str(Parse(lines[0]), "eventName"), "CreateTable");
  EXPECT_EQ(Str(Parse(lines[1]), "eventName"), "DeleteTable");
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("audit.log").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(AuditLog, ExistingFileIsAppendedToAndMadeOwnerOnly) {
  TempDir dir;
  FakeClock clock;
  { std::ofstream(dir.file("audit.log")) << "{\"old\":1}\n"; }
  ::chmod(dir.file("audit.log").c_str(), 0644);
  {
    std::string error;
    auto log = AuditLog::Open(Options(dir, clock), &error);
    ASSERT_TRUE(log) << error;
    log->Record(Control());
  }
  EXPECT_EQ(Lines(dir.file("audit.log")).size(), 2u);
  struct stat st {};
  ASSERT_EQ(::stat(dir.file("audit.log").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(AuditLog, OpenFailsWithAReason) {
  AuditLogOptions o;
  o.path = "/nonexistent-dir-for-audit-test/audit.log";
  std::string error;
  EXPECT_EQ(AuditLog::Open(o, &error), nullptr);
  EXPECT_NE(error.find("/nonexistent-dir-for-audit-test/audit.log"), std::string::npos) << error;
}

TEST(RotatingFile, RotatesBySizeAndKeepsAtMostNFiles) {
  TempDir dir;
  const std::string path = dir.file("audit.log");
  std::string error;
  auto f = RotatingFile::Open(path, 100, 3, &error);
  ASSERT_TRUE(f) << error;
  const std::string line = std::string(29, 'x') + "\n";  // 30 bytes: 3 per file
  for (int i = 0; i < 40; ++i) {
    std::string numbered = line;
    numbered[0] = static_cast<char>('A' + i % 26);
    ASSERT_EQ(f->Append(numbered), "");
  }
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    names.push_back(entry.path().filename().string());
    EXPECT_LE(fs::file_size(entry.path()), 100u) << entry.path();
    struct stat st {};
    ASSERT_EQ(::stat(entry.path().c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << entry.path();
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"audit.log", "audit.log.1", "audit.log.2"}));
  // The newest lines are in the current file, the older ones shifted up.
  auto current = Lines(path);
  ASSERT_EQ(current.size(), 1u);  // 40 = 13 * 3 + 1
  EXPECT_EQ(current[0][0], 'A' + 39 % 26);
  auto previous = Lines(path + ".1");
  ASSERT_EQ(previous.size(), 3u);
  EXPECT_EQ(previous[2][0], 'A' + 38 % 26);
}

TEST(RotatingFile, OneFileStartsAnewAndAnOversizedLineStillGoesIn) {
  TempDir dir;
  const std::string path = dir.file("audit.log");
  std::string error;
  auto f = RotatingFile::Open(path, 50, 1, &error);
  ASSERT_TRUE(f) << error;
  ASSERT_EQ(f->Append(std::string(30, 'a') + "\n"), "");
  ASSERT_EQ(f->Append(std::string(99, 'b') + "\n"), "");
  ASSERT_EQ(f->Append(std::string(9, 'c') + "\n"), "");
  EXPECT_FALSE(fs::exists(path + ".1"));
  auto lines = Lines(path);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], std::string(9, 'c'));
}

TEST(RotatingFile, StaleFilesOfALargerBoundAreRemoved) {
  TempDir dir;
  const std::string path = dir.file("audit.log");
  for (int n = 1; n <= 6; ++n) std::ofstream(path + "." + std::to_string(n)) << "old\n";
  std::string error;
  auto f = RotatingFile::Open(path, 10, 2, &error);
  ASSERT_TRUE(f) << error;
  ASSERT_EQ(f->Append("0123456789\n"), "");
  ASSERT_EQ(f->Append("0123456789\n"), "");  // rotates
  EXPECT_TRUE(fs::exists(path));
  EXPECT_TRUE(fs::exists(path + ".1"));
  for (int n = 2; n <= 6; ++n) EXPECT_FALSE(fs::exists(path + "." + std::to_string(n))) << n;
}

TEST(AuditLog, RepeatedDenialsFromOneSourceAreAggregated) {
  TempDir dir;
  FakeClock clock;
  {
    std::string error;
    auto log = AuditLog::Open(Options(dir, clock), &error);
    ASSERT_TRUE(log) << error;
    for (int i = 0; i < 1000; ++i) log->Record(Denial());
    log->Record(Control());  // not aggregated
    EXPECT_EQ(Lines(dir.file("audit.log")).size(), 2u);
    clock.advance(30);
    for (int i = 0; i < 10; ++i) log->Record(Denial());
    log->Sweep();  // the window is still open
    EXPECT_EQ(Lines(dir.file("audit.log")).size(), 2u);
    clock.advance(31);
    log->Sweep();  // now closed: one summary
    auto lines = Lines(dir.file("audit.log"));
    ASSERT_EQ(lines.size(), 3u);
    auto summary = Parse(lines[2]);
    EXPECT_EQ(Str(summary, "eventName"), "AggregatedDenials");
    EXPECT_EQ(Str(summary, "sourceIPAddress"), "10.0.0.1");
    EXPECT_EQ(Str(summary, "errorCode"), "AccessDeniedException");
    EXPECT_EQ(Str(summary, "outcome"), "denied");
    EXPECT_EQ(summary["count"].GetUint64(), 1009u);
    EXPECT_NE(Str(summary, "firstTime"), Str(summary, "lastTime"));
    // A new window: the next denial is written in full again.
    log->Record(Denial());
    EXPECT_EQ(Lines(dir.file("audit.log")).size(), 4u);
    // Another source, another code: their own windows.
    log->Record(Denial("10.0.0.2"));
    log->Record(Denial("10.0.0.1", "InvalidSignatureException"));
    EXPECT_EQ(Lines(dir.file("audit.log")).size(), 6u);
    log->Record(Denial());  // counted; written at shutdown
  }
  auto lines = Lines(dir.file("audit.log"));
  ASSERT_EQ(lines.size(), 7u);
  auto last = Parse(lines[6]);
  EXPECT_EQ(Str(last, "eventName"), "AggregatedDenials");
  EXPECT_EQ(last["count"].GetUint64(), 1u);
}

TEST(AuditLog, NextDenialAfterTheWindowWritesTheSummaryFirst) {
  TempDir dir;
  FakeClock clock;
  std::string error;
  auto log = AuditLog::Open(Options(dir, clock), &error);
  ASSERT_TRUE(log) << error;
  log->Record(Denial());
  log->Record(Denial());
  log->Record(Denial());
  clock.advance(61);
  log->Record(Denial());
  auto lines = Lines(dir.file("audit.log"));
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(Str(Parse(lines[0]), "eventName"), "PutItem");
  auto summary = Parse(lines[1]);
  EXPECT_EQ(Str(summary, "eventName"), "AggregatedDenials");
  EXPECT_EQ(summary["count"].GetUint64(), 2u);
  EXPECT_EQ(Str(Parse(lines[2]), "eventName"), "PutItem");
}

TEST(DenialAggregator, MapIsBoundedAndOtherSourcesShareOneCounter) {
  DenialAggregator agg(std::chrono::seconds(60), 100);
  const auto t0 = Clock::time_point(std::chrono::seconds(1'800'000'000));
  std::vector<DenialSummary> closed;
  int written = 0;
  for (int i = 0; i < 100000; ++i) {
    AuditEvent d = Denial("10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) +
                          "." + std::to_string(i % 256));
    written += agg.Note(d, t0, &closed) ? 1 : 0;
  }
  EXPECT_EQ(written, 100);
  EXPECT_EQ(agg.size(), 100u);
  EXPECT_TRUE(closed.empty());
  agg.Sweep(t0 + std::chrono::seconds(60), &closed);
  ASSERT_EQ(closed.size(), 1u);  // the 100 tracked sources were denied once each
  EXPECT_EQ(closed[0].source_ip, kOtherSources);
  EXPECT_EQ(closed[0].count, 99900u);
  EXPECT_EQ(agg.size(), 0u);
  // Space again for new sources.
  EXPECT_TRUE(agg.Note(Denial("192.0.2.1"), t0 + std::chrono::seconds(61), &closed));
}

TEST(DenialAggregator, EachRefusalRuleHasItsOwnWindow) {
  DenialAggregator agg(std::chrono::seconds(60), 10);
  const auto t0 = Clock::now();
  std::vector<DenialSummary> closed;
  AuditEvent host = Denial();
  host.error_message = "Host not allowed";
  AuditEvent origin = Denial();
  origin.error_message = "Origin not allowed";
  EXPECT_TRUE(agg.Note(host, t0, &closed));
  EXPECT_TRUE(agg.Note(origin, t0, &closed));
  EXPECT_TRUE(agg.Note(Denial(), t0, &closed));
  EXPECT_FALSE(agg.Note(origin, t0, &closed));
  agg.Drain(&closed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].error_message, "Origin not allowed");
  EXPECT_NE(FormatDenialSummary(closed[0], t0).find("\"errorMessage\":\"Origin not allowed\""),
            std::string::npos);
}

TEST(DenialAggregator, HostileKeysAreCutToABound) {
  DenialAggregator agg(std::chrono::seconds(60), 10);
  const auto t0 = Clock::now();
  std::vector<DenialSummary> closed;
  EXPECT_TRUE(agg.Note(Denial(std::string(100000, '1'), std::string(100000, 'E')), t0, &closed));
  EXPECT_FALSE(agg.Note(Denial(std::string(100000, '1'), std::string(100000, 'E')), t0, &closed));
  agg.Drain(&closed);
  ASSERT_EQ(closed.size(), 1u);
  EXPECT_EQ(closed[0].source_ip.size(), kAuditFieldMax);
  EXPECT_EQ(closed[0].error_code.size(), kAuditFieldMax);
}

TEST(AuditLog, BackgroundSweepWritesClosedWindows) {
  TempDir dir;
  FakeClock clock;
  AuditLogOptions o = Options(dir, clock);
  o.sweep_interval = std::chrono::milliseconds(10);
  std::string error;
  auto log = AuditLog::Open(o, &error);
  ASSERT_TRUE(log) << error;
  log->Record(Denial());
  log->Record(Denial());
  clock.advance(61);
  for (int i = 0; i < 500 && Lines(dir.file("audit.log")).size() < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto lines = Lines(dir.file("audit.log"));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(Str(Parse(lines[1]), "eventName"), "AggregatedDenials");
}

TEST(AuditLog, ConcurrentWritersNeverInterleaveLines) {
  TempDir dir;
  FakeClock clock;
  AuditLogOptions o = Options(dir, clock);
  o.max_bytes = 64 << 10;
  o.max_files = 100;
  std::string error;
  auto log = AuditLog::Open(o, &error);
  ASSERT_TRUE(log) << error;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&log, t] {
      for (int i = 0; i < 500; ++i) {
        log->Record(Control("T" + std::to_string(t)));
        log->Record(Denial("10.1.0." + std::to_string(t)));
      }
    });
  }
  for (auto& th : threads) th.join();
  log.reset();
  size_t total = 0;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    for (const std::string& line : Lines(entry.path().string())) {
      Parse(line);
      ++total;
    }
  }
  EXPECT_EQ(total, 4u * 500 + 4 + 4);  // events, first denials, summaries
}

}  // namespace
}  // namespace net
