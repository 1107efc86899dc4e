// Test support for the export and import tests (export_test.cc,
// import_test.cc): an engine whose --export-root is a fresh temporary
// folder, opened over an in-memory store or, to test restarts, a durable
// one in the same folder; a store holding a record as written by hand.
//
//   class MyTest : public testing::ExportRootFixture {
//    protected:
//     void SetUp() override { MakeFolders("my_test"); Open(); }
//   };
#pragma once

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>

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

}  // namespace ddb::testing
