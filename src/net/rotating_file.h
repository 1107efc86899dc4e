// RotatingFile: an append-only log file bounded in size and in number.
//
// Lines are appended with write(2) to an O_APPEND descriptor (no fsync: the
// caller never waits for the disk). Before an append would take the file
// past `max_bytes`, the file is rotated: PATH.(n-1) is removed, PATH.k is
// renamed PATH.(k+1) for k = n-2 .. 1, PATH becomes PATH.1 and a new, empty
// PATH is opened - so at most `max_files` files exist (PATH and PATH.1 ..
// PATH.(max_files-1)); with max_files 1 the file is simply started anew. A
// line longer than max_bytes gets a file of its own. Files are created
// owner-only (0600), and an existing file loses group and other permissions.
//
// Not thread-safe (AuditLog serializes the calls).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace net {

class RotatingFile {
 public:
  // Opens (creating it if needed) `path` for appending. Null and `*error`
  // (one line) when it cannot be opened. max_bytes >= 1, max_files >= 1.
  static std::unique_ptr<RotatingFile> Open(std::string path, uint64_t max_bytes,
                                            unsigned max_files, std::string* error);
  ~RotatingFile();
  RotatingFile(const RotatingFile&) = delete;
  RotatingFile& operator=(const RotatingFile&) = delete;

  // Appends `bytes` (whole lines), rotating first when needed. "" or what
  // failed; when rotating fails nothing is written, so the file never grows
  // past its bound.
  std::string Append(std::string_view bytes);

  // Bytes in the current file.
  uint64_t size() const { return size_; }
  const std::string& path() const { return path_; }

 private:
  RotatingFile(std::string path, uint64_t max_bytes, unsigned max_files);
  std::string OpenCurrent();
  std::string Rotate();

  std::string path_;
  uint64_t max_bytes_;
  unsigned max_files_;
  int fd_ = -1;
  uint64_t size_ = 0;
};

}  // namespace net
