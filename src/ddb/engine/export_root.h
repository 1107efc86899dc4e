// ExportRoot: the local folder that stands in for Amazon S3 in
// ExportTableToPointInTime (--export-root). An S3 bucket is a
// folder under the root and an S3 key a path under the bucket:
//   s3://<bucket>/<prefix>/AWSDynamoDB/...  ->  <root>/<bucket>/<prefix>/AWSDynamoDB/...
//
// Containment: nothing outside the root is ever read or written. Bucket
// names and key prefixes come from clients, so they are checked as relative
// paths (no leading '/', no empty, "." or ".." component, no NUL byte), and
// every folder and file below the root is opened one component at a time
// with openat(..., O_NOFOLLOW) relative to its already-open parent: a
// symbolic link anywhere below the root is refused (ELOOP / ENOTDIR), and
// since no path string is ever resolved by the kernel as a whole, a link
// swapped in between a check and a use cannot redirect anything (no
// check-then-open race, which a weakly_canonical() + prefix comparison would
// have). The root itself is the operator's choice: it is canonicalized once
// (realpath, so a root reached through links is fine) and then opened with
// O_NOFOLLOW as well.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ddb/common/error.h"

namespace ddb {

// An open file descriptor, closed on destruction (-1: none).
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  int release() {
    int f = fd_;
    fd_ = -1;
    return f;
  }

 private:
  int fd_ = -1;
};

// A folder below the root, open. Its files are opened by name (one
// component, no '/', never through a link).
class ExportDir {
 public:
  explicit ExportDir(Fd fd) : fd_(std::move(fd)) {}
  int fd() const { return fd_.get(); }
  // A subfolder `name`, created (mode 0700) if `create` and missing.
  // ValidationException for a link or a non-folder; InternalServerError for
  // other I/O errors.
  Result<ExportDir> Sub(std::string_view name, bool create) const;
  // Creates file `name` for writing (mode 0600; it must not exist).
  Result<Fd> CreateFile(std::string_view name) const;
  // Opens the existing regular file `name` for reading (never through a
  // link: ValidationException, as for a missing file). Used by ImportTable.
  Result<Fd> OpenFile(std::string_view name) const;

 private:
  Fd fd_;
};

class ExportRoot {
 public:
  // `path` is the configured root ("" = none: every call answers a
  // ValidationException saying exports need --export-root).
  explicit ExportRoot(std::string path) : path_(std::move(path)) {}
  bool configured() const { return !path_.empty(); }

  // The folder <root>/<bucket>/<prefix components>, creating missing
  // folders (0700) when `create`, the root included. `prefix` is an S3 key
  // prefix: "" or "a/b" (one trailing '/' is ignored). ValidationException
  // for a bucket or prefix that is not a plain relative path, for a link or
  // a file on the way, and (create false) for a missing folder.
  Result<ExportDir> Open(std::string_view bucket, std::string_view prefix, bool create) const;

  // The components of `prefix` (see Open); ValidationException if it is not
  // a plain relative path. Exposed for the S3 keys the manifests name.
  static Result<std::vector<std::string>> SplitPrefix(std::string_view prefix);

 private:
  std::string path_;
};

// Writes all of `data` to `fd`; InternalServerError on failure.
Status WriteAll(int fd, std::string_view data);
// fsyncs and closes `fd`; InternalServerError on failure.
Status SyncAndClose(Fd fd);

}  // namespace ddb
