// A directory of one test's own under the system's temp directory (named
// after the process and a random number), removed with everything in it
// when the test ends. The directory itself is not created: Store::Open and
// RocksDB create it.
#pragma once

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

namespace ddb::storage_test {

struct TempDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() /
      ("storage_test_" + std::to_string(getpid()) + "_" + std::to_string(rand()));
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
};

}  // namespace ddb::storage_test
