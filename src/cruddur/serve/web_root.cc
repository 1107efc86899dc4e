#include "cruddur/serve/web_root.h"

#include <optional>
#include <system_error>

namespace cruddur::serve {

namespace fs = std::filesystem;

namespace {

constexpr int kLevels = 4;

std::optional<fs::path> Search(fs::path dir) {
  std::error_code ec;
  for (int level = 0; level <= kLevels && !dir.empty(); ++level) {
    if (fs::is_regular_file(dir / "web" / "package.json", ec)) return dir / "web" / "dist";
    if (dir == dir.parent_path()) break;
    dir = dir.parent_path();
  }
  return std::nullopt;
}

}  // namespace

fs::path FindWebRoot(const fs::path& executable_dir, const fs::path& working_dir) {
  if (!executable_dir.empty()) {
    if (auto found = Search(executable_dir)) return *found;
  }
  if (auto found = Search(working_dir)) return *found;
  return working_dir / "web" / "dist";
}

fs::path DefaultWebRoot() {
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  fs::path cwd = fs::current_path(ec);
  if (ec) cwd = ".";
  return FindWebRoot(exe.empty() ? fs::path() : exe.parent_path(), cwd);
}

}  // namespace cruddur::serve
