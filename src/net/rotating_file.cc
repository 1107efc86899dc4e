#include "net/rotating_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace net {

namespace {

std::string Numbered(const std::string& path, unsigned n) { return path + "." + std::to_string(n); }

std::string Failed(const std::string& what, const std::string& path) {
  return what + " " + path + ": " + std::strerror(errno);
}

// Files numbered past the bound are left by an earlier, larger
// --audit-log-files; how many are looked for.
constexpr unsigned kStaleFilesChecked = 64;

}  // namespace

RotatingFile::RotatingFile(std::string path, uint64_t max_bytes, unsigned max_files)
    : path_(std::move(path)),
      max_bytes_(max_bytes == 0 ? 1 : max_bytes),
      max_files_(max_files == 0 ? 1 : max_files) {}

RotatingFile::~RotatingFile() {
  if (fd_ >= 0) ::close(fd_);
}

std::unique_ptr<RotatingFile> RotatingFile::Open(std::string path, uint64_t max_bytes,
                                                 unsigned max_files, std::string* error) {
  std::unique_ptr<RotatingFile> f(new RotatingFile(std::move(path), max_bytes, max_files));
  if (std::string e = f->OpenCurrent(); !e.empty()) {
    *error = std::move(e);
    return nullptr;
  }
  return f;
}

std::string RotatingFile::OpenCurrent() {
  fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
  if (fd_ < 0) return Failed("cannot open", path_);
  struct stat st {};
  if (::fstat(fd_, &st) != 0) return Failed("cannot stat", path_);
  if ((st.st_mode & 077) != 0 && ::fchmod(fd_, st.st_mode & 0700) != 0) {
    return Failed("cannot make owner-only", path_);
  }
  size_ = static_cast<uint64_t>(st.st_size);
  return "";
}

std::string RotatingFile::Rotate() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  for (unsigned n = max_files_; n < max_files_ + kStaleFilesChecked; ++n) {
    if (::unlink(Numbered(path_, n).c_str()) != 0 && errno == ENOENT && n > max_files_) break;
  }
  if (max_files_ == 1) {
    if (::unlink(path_.c_str()) != 0 && errno != ENOENT) return Failed("cannot remove", path_);
  } else {
    for (unsigned n = max_files_ - 1; n >= 2; --n) {
      if (::rename(Numbered(path_, n - 1).c_str(), Numbered(path_, n).c_str()) != 0 &&
          errno != ENOENT) {
        return Failed("cannot rotate", Numbered(path_, n - 1));
      }
    }
    if (::rename(path_.c_str(), Numbered(path_, 1).c_str()) != 0 && errno != ENOENT) {
      return Failed("cannot rotate", path_);
    }
  }
  return OpenCurrent();
}

std::string RotatingFile::Append(std::string_view bytes) {
  if (fd_ < 0 || (size_ > 0 && size_ + bytes.size() > max_bytes_)) {
    if (std::string e = Rotate(); !e.empty()) {
      if (fd_ >= 0) ::close(fd_);
      fd_ = -1;  // the next append tries again
      return e;
    }
  }
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Failed("cannot write", path_);
    }
    size_ += static_cast<uint64_t>(n);
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return "";
}

}  // namespace net
