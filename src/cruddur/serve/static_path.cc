#include "cruddur/serve/static_path.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <system_error>
#include <utility>

#include "base/percent_decode.h"

namespace cruddur::serve {

namespace fs = std::filesystem;

namespace {

std::optional<std::string> PercentDecode(std::string_view s) {
  return base::PercentDecodeStrict(s);
}

// True when `path` is `root` itself or below it.
bool Inside(const fs::path& root, const fs::path& path) {
  auto [r, p] = std::mismatch(root.begin(), root.end(), path.begin(), path.end());
  return r == root.end();
}

}  // namespace

StaticTarget ResolveStaticTarget(const fs::path& root, std::string_view target) {
  StaticTarget out;
  const size_t query = target.find_first_of("?#");
  if (query != std::string_view::npos) target = target.substr(0, query);
  auto decoded = PercentDecode(target);
  if (!decoded || decoded->empty() || decoded->front() != '/' ||
      decoded->find_first_of(std::string_view("\0\\", 2)) != std::string::npos) {
    out.kind = StaticKind::kRefused;
    return out;
  }
  out.url_path = *decoded;

  fs::path relative;
  bool hidden = false;
  size_t start = 1;
  while (start <= decoded->size()) {
    size_t end = decoded->find('/', start);
    if (end == std::string::npos) end = decoded->size();
    const std::string_view segment = std::string_view(*decoded).substr(start, end - start);
    if (segment == "." || segment == "..") {
      out.kind = StaticKind::kRefused;
      return out;
    }
    if (!segment.empty()) {
      if (segment.front() == '.') hidden = true;
      relative /= std::string(segment);
    }
    start = end + 1;
  }
  if (hidden || relative.empty()) return out;  // kNotAFile

  std::error_code ec;
  const fs::path file = fs::canonical(root / relative, ec);
  if (ec) return out;  // no such file (or a dangling link)
  if (!Inside(root, file)) {
    out.kind = StaticKind::kOutside;
    return out;
  }
  if (!fs::is_regular_file(file, ec)) return out;
  out.kind = StaticKind::kFile;
  out.file = file;
  return out;
}

std::string_view ContentTypeFor(std::string_view file_name) {
  static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".map", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".txt", "text/plain; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".jpeg", "image/jpeg"},
      {".gif", "image/gif"},
      {".webp", "image/webp"},
      {".avif", "image/avif"},
      {".ico", "image/x-icon"},
      {".woff", "font/woff"},
      {".woff2", "font/woff2"},
      {".ttf", "font/ttf"},
      {".otf", "font/otf"},
      {".wasm", "application/wasm"},
  };
  const size_t dot = file_name.rfind('.');
  const size_t slash = file_name.rfind('/');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) {
    return "application/octet-stream";
  }
  std::string ext(file_name.substr(dot));
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const auto& [e, type] : kTypes) {
    if (e == ext) return type;
  }
  return "application/octet-stream";
}

}  // namespace cruddur::serve
