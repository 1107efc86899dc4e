// StaticPath: which file under a web root a request target names, refusing
// everything that would leave the root, and the Content-Type of a file.
//
// A target is "/" followed by percent-encoded path segments (a query string
// is ignored). It is decoded once; then a segment "." or ".." (however it was
// spelt: "..", "%2e%2e", "%2E."), a NUL, a backslash or a malformed escape
// makes it kRefused. A segment starting with "." (a hidden file) is never
// served as a file. Otherwise the path is resolved inside the root with its
// symbolic links followed: a regular file inside the root is kFile; anything
// that resolves outside the root is kOutside (a link out of the root);
// anything else (no such file, a directory, a hidden file) is kNotAFile,
// which the caller answers with the app's index.html (SPA routing).
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace cruddur::serve {

enum class StaticKind { kFile, kNotAFile, kRefused, kOutside };

struct StaticTarget {
  StaticKind kind = StaticKind::kNotAFile;
  // The decoded path of the target, e.g. "/assets/index-1.js" (all but
  // kRefused).
  std::string url_path;
  // kFile: the file's canonical path (symbolic links resolved).
  std::filesystem::path file;
};

// `root` must be canonical (std::filesystem::canonical); it need not exist.
StaticTarget ResolveStaticTarget(const std::filesystem::path& root, std::string_view target);

// The Content-Type for a file name by its extension (case-insensitive):
// text types carry "; charset=utf-8"; unknown ones are
// application/octet-stream.
std::string_view ContentTypeFor(std::string_view file_name);

}  // namespace cruddur::serve
