#include "ddb/engine/export_root.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>

namespace ddb {
namespace {

// An I/O error: the detail (which names server paths) goes to stderr, the
// client sees a generic message.
Error IoError(std::string_view what, std::string_view name, int err) {
  std::fprintf(stderr, "ddb: export folder: %.*s '%.*s': %s\n", static_cast<int>(what.size()),
               what.data(), static_cast<int>(name.size()), name.data(), std::strerror(err));
  return Internal("Internal server error");
}

// One path component from a client: non-empty, not "." or "..", no '/' or
// NUL. (The kernel would resolve "." and ".." even under O_NOFOLLOW.)
bool PlainComponent(std::string_view c) {
  return !c.empty() && c != "." && c != ".." && c.find('/') == std::string_view::npos &&
         c.find('\0') == std::string_view::npos && c.size() <= NAME_MAX;
}

Error NotAPlainFolder(std::string_view name) {
  return Validation(
      "S3 location is not a folder under the export root (a symbolic link or a file "
      "is in the way): '" +
      std::string(name) + "'");
}

}  // namespace

Fd::~Fd() {
  if (fd_ >= 0) ::close(fd_);
}

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = o.release();
  }
  return *this;
}

Result<ExportDir> ExportDir::Sub(std::string_view name, bool create) const {
  if (!PlainComponent(name)) return NotAPlainFolder(name);
  const std::string n(name);
  if (create && ::mkdirat(fd(), n.c_str(), 0700) != 0 && errno != EEXIST) {
    return IoError("mkdir", name, errno);
  }
  int f = ::openat(fd(), n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (f < 0) {
    if (errno == ELOOP || errno == ENOTDIR) return NotAPlainFolder(name);
    if (errno == ENOENT) {
      return Validation("S3 location does not exist under the export root: '" + n + "'");
    }
    return IoError("open", name, errno);
  }
  return ExportDir(Fd(f));
}

Result<Fd> ExportDir::CreateFile(std::string_view name) const {
  if (!PlainComponent(name)) return NotAPlainFolder(name);
  const std::string n(name);
  int f = ::openat(fd(), n.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (f < 0) {
    if (errno == ELOOP || errno == EEXIST) return NotAPlainFolder(name);
    return IoError("create", name, errno);
  }
  return Fd(f);
}

Result<Fd> ExportDir::OpenFile(std::string_view name) const {
  if (!PlainComponent(name)) return NotAPlainFolder(name);
  const std::string n(name);
  int f = ::openat(fd(), n.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (f < 0) {
    if (errno == ELOOP || errno == ENOENT) {
      return Validation("S3 object is not a file under the export root: '" + n + "'");
    }
    return IoError("open", name, errno);
  }
  struct stat st;
  if (::fstat(f, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(f);
    return Validation("S3 object is not a file under the export root: '" + n + "'");
  }
  return Fd(f);
}

Result<std::vector<std::string>> ExportRoot::SplitPrefix(std::string_view prefix) {
  std::vector<std::string> parts;
  if (prefix.ends_with('/')) prefix.remove_suffix(1);
  if (prefix.empty()) return parts;
  auto bad = [&] {
    return Validation(
        "S3Prefix must be a relative path of plain folder names (no leading '/', no "
        "empty, '.' or '..' part): '" +
        std::string(prefix) + "'");
  };
  size_t start = 0;
  while (true) {
    size_t slash = prefix.find('/', start);
    std::string_view part = prefix.substr(
        start, slash == std::string_view::npos ? std::string_view::npos : slash - start);
    if (!PlainComponent(part)) return bad();
    parts.emplace_back(part);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

Result<ExportDir> ExportRoot::Open(std::string_view bucket, std::string_view prefix,
                                   bool create) const {
  if (!configured()) {
    return Validation(
        "Exports and imports need a folder standing in for S3: start the server with "
        "--export-root DIR");
  }
  if (!PlainComponent(bucket)) {
    return Validation("S3Bucket must be a plain folder name: '" + std::string(bucket) + "'");
  }
  ASSIGN_OR_RETURN(std::vector<std::string> parts, SplitPrefix(prefix));
  if (create) {
    // The root and its parents (the operator's path, trusted).
    std::string partial;
    for (size_t i = 0; i <= path_.size(); ++i) {
      if (i == path_.size() || (path_[i] == '/' && i > 0)) {
        partial = path_.substr(0, i);
        if (::mkdir(partial.c_str(), 0700) != 0 && errno != EEXIST) {
          return IoError("mkdir", "<export root>", errno);
        }
      }
    }
  }
  char resolved[PATH_MAX];
  if (!::realpath(path_.c_str(), resolved)) {
    if (errno == ENOENT) {
      return Validation("S3 bucket does not exist under the export root: '" + std::string(bucket) +
                        "'");
    }
    return IoError("resolve", "<export root>", errno);
  }
  int f = ::open(resolved, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (f < 0) return IoError("open", "<export root>", errno);
  ExportDir dir{Fd(f)};
  ASSIGN_OR_RETURN(dir, dir.Sub(bucket, create));
  for (const std::string& p : parts) {
    ASSIGN_OR_RETURN(dir, dir.Sub(p, create));
  }
  return dir;
}

Status WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("write", "<export file>", errno);
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

Status SyncAndClose(Fd fd) {
  if (::fsync(fd.get()) != 0) return IoError("fsync", "<export file>", errno);
  int f = fd.release();
  if (::close(f) != 0) return IoError("close", "<export file>", errno);
  return Status::Ok();
}

}  // namespace ddb
