// Owner-only data: the messages, the users database and the pool's files are
// readable by the account that runs the server and nobody else, whatever
// the umask it was started with.
//
// Two halves: the binaries create every file owner-only from the start
// (CreateOwnerOnlyFiles, umask 077: files 0600, folders 0700), and whoever
// owns a data folder takes group and other permissions away from what an
// earlier version, or another umask, left there (MakeOwnerOnly).
#pragma once

#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <system_error>

namespace base {

// From now on the process creates files 0600 and folders 0700 (umask 077).
// Call first thing in main(), before any thread starts.
inline void CreateOwnerOnlyFiles() { ::umask(077); }

namespace owner_only_detail {

// Takes group and other permissions from one file or folder (never follows
// a symbolic link). Returns "" or what failed.
inline std::string Restrict(const std::filesystem::path& path,
                            const std::filesystem::file_status& st) {
  namespace fs = std::filesystem;
  if (!fs::is_regular_file(st) && !fs::is_directory(st)) return "";
  const fs::perms others = fs::perms::group_all | fs::perms::others_all;
  if ((st.permissions() & others) == fs::perms::none) return "";
  std::error_code ec;
  fs::permissions(path, others, fs::perm_options::remove, ec);
  return ec ? "cannot make " + path.string() + " owner-only: " + ec.message() : "";
}

}  // namespace owner_only_detail

// Makes `path` owner-only: a file 0600, a folder 0700 (owner permissions are
// kept, group and other ones removed); with `recursive`, also everything
// under a folder. Symbolic links are neither changed nor followed; a
// missing path is fine. Returns "" or the first failure, in words.
inline std::string MakeOwnerOnly(const std::filesystem::path& path, bool recursive) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const fs::file_status st = fs::symlink_status(path, ec);
  if (ec || !fs::exists(st)) return "";
  if (std::string e = owner_only_detail::Restrict(path, st); !e.empty()) return e;
  if (!recursive || !fs::is_directory(st)) return "";
  for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    std::error_code sec;
    const fs::file_status entry = it->symlink_status(sec);
    if (sec) continue;  // gone meanwhile
    if (std::string e = owner_only_detail::Restrict(it->path(), entry); !e.empty()) return e;
  }
  return ec ? "cannot list " + path.string() + ": " + ec.message() : "";
}

}  // namespace base
