// Test support for the export and import tests (export_test.cc,
// export_incremental_test.cc, import_test.cc): an engine whose
// --export-root is a fresh temporary folder, opened over an in-memory store
// or, to test restarts, a durable one in the same folder; a store holding a
// record as written by hand; reading what an export wrote.
//
//   class MyTest : public testing::ExportRootFixture {
//    protected:
//     void SetUp() override { MakeFolders("my_test"); Open(); }
//   };
#pragma once

#include <unistd.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "ddb/storage/store.h"
#include "engine_test_util.h"

namespace ddb::testing {

class ExportRootFixture : public EngineFixture {
 protected:
  // Makes base_ (<temp>/<tag>_<pid>_<test name>, emptied) and its root_
  // (root/, the folder standing in for S3; created by the engine's users).
  void MakeFolders(const std::string& tag) {
    base_ = std::filesystem::path(::testing::TempDir()) /
            (tag + "_" + std::to_string(::getpid()) + "_" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(base_);
    std::filesystem::create_directories(base_);
    root_ = base_ / "root";
  }

  void TearDown() override {
    EngineFixture::TearDown();
    std::filesystem::remove_all(base_);
  }

  // Opens the engine with root_ as its export root and no TTL sweeper;
  // `durable`: over a store in base_/db that outlives the engine.
  void Open(bool durable = false) {
    EngineOptions o = InMemoryOptions();
    if (durable) {
      o.store.in_memory = false;
      o.store.path = (base_ / "db").string();
      o.store.sync = false;
    }
    o.export_root = root_.string();
    o.ttl_sweep_seconds = 0;
    OpenEngine(o);
  }

  std::filesystem::path base_, root_;
};

// An in-memory store holding `value` at `key` (as an earlier server wrote
// it); null, with a test failure, if it cannot be made.
inline std::unique_ptr<Store> StoreHolding(const std::string& key, const std::string& value) {
  StoreOptions so;
  so.in_memory = true;
  auto store = Store::Open(so);
  if (!store.ok()) {
    ADD_FAILURE() << store.error().message;
    return nullptr;
  }
  WriteBatch b;
  b.Put(key, value);
  if (Status st = (*store)->Write(b); !st.ok()) {
    ADD_FAILURE() << st.error().message;
    return nullptr;
  }
  return std::move(*store);
}

// The bytes of a file ("" if it cannot be read).
inline std::string ReadWholeFile(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream s;
  s << f.rdbuf();
  return s.str();
}

// The decompressed bytes of a gzip file (a test failure if it cannot be
// opened).
inline std::string GunzipFile(const std::filesystem::path& p) {
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

// The lines of `s` that are not empty.
inline std::vector<std::string> NonEmptyLines(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) out.push_back(line);
  }
  return out;
}

}  // namespace ddb::testing
