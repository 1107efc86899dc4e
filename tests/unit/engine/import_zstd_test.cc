// ZSTD import objects (engine/import_reader.h, InputCompressionType ZSTD):
// decoded as a stream (several frames, more than one buffer), and an object
// that is truncated or not zstd data is an error of the object.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zstd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ddb/engine/export_root.h"
#include "ddb/engine/import_reader.h"

namespace ddb::imports {
namespace {

namespace fs = std::filesystem;

std::string Compress(const std::string& text, int level = 3) {
  std::string out(ZSTD_compressBound(text.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), text.data(), text.size(), level);
  EXPECT_FALSE(ZSTD_isError(n));
  out.resize(n);
  return out;
}

std::string Lines(int from, int to) {
  std::string s;
  for (int i = from; i < to; ++i) {
    s += R"({"Item":{"pk":{"S":"k)" + std::to_string(i) + R"("},"pad":{"S":")" +
         std::string(40, 'x') + "\"}}}\n";
  }
  return s;
}

class ImportZstdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) / ("import_zstd_test_" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "bk");
    table_.name = "t";
    table_.key.hash = {"pk", AttrType::kS};
    table_.attribute_definitions = {{"pk", AttrType::kS}};
  }
  void TearDown() override { fs::remove_all(root_); }

  // Reads the object `bytes` as ZSTD: the records read, or -1 if the object
  // failed (then `error` holds the error's name).
  int Read(const std::string& bytes, std::string* error = nullptr) {
    std::ofstream(root_ / "bk" / "f.zst", std::ios::binary) << bytes;
    SourceObject o{{"f.zst"}, "f.zst", static_cast<int64_t>(bytes.size())};
    auto reader =
        OpenSource(ExportRoot(root_.string()), "bk", o, Compression::kZstd, table_, std::nullopt);
    EXPECT_TRUE(reader.ok());
    int n = 0;
    while (true) {
      SourceRecord r;
      auto more = (*reader)->Next(&r);
      if (!more.ok()) {
        if (error) *error = more.error().Name();
        return -1;
      }
      if (!*more) return n;
      EXPECT_TRUE(r.problem.ok()) << r.problem.error().message;
      EXPECT_EQ(r.item.at("pk").scalar, "k" + std::to_string(n));
      ++n;
    }
  }

  fs::path root_;
  TableInfo table_;
};

TEST_F(ImportZstdTest, CompressionNames) {
  EXPECT_EQ(CompressionFromName("ZSTD"), Compression::kZstd);
  EXPECT_EQ(CompressionFromName("GZIP"), Compression::kGzip);
  EXPECT_EQ(CompressionFromName("NONE"), Compression::kNone);
  EXPECT_EQ(CompressionFromName(""), Compression::kNone);
}

TEST_F(ImportZstdTest, ConcatenatedFramesLongerThanABufferAreRead) {
  // About 400 KB of text in two frames: several 64 KiB output buffers.
  EXPECT_EQ(Read(Compress(Lines(0, 3000)) + Compress(Lines(3000, 5000), 19)), 5000);
  EXPECT_EQ(Read(""), 0);
}

TEST_F(ImportZstdTest, TruncatedOrNotZstdDataIsAnErrorOfTheObject) {
  std::string whole = Compress(Lines(0, 100));
  std::string error;
  EXPECT_EQ(Read(whole.substr(0, whole.size() - 5), &error), -1);
  EXPECT_EQ(error, "ValidationException");
  error.clear();
  EXPECT_EQ(Read(Lines(0, 3), &error), -1);
  EXPECT_EQ(error, "ValidationException");
}

}  // namespace
}  // namespace ddb::imports
