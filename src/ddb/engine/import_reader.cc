#include "ddb/engine/import_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <rapidjson/document.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

#include "base/base64.h"
#include "base/bounded_json.h"
#include "ddb/engine/ion_reader.h"
#include "ddb/model/json_codec.h"
#include "ddb/model/number.h"

namespace ddb::imports {
namespace {

// A record longer than this is refused (DynamoDB's items are at most
// 400 KB; their JSON text with base64 binaries is longer).
constexpr size_t kMaxRecordBytes = 4 * 1024 * 1024;
// {"Item": {...}} around an item of at most 32 levels (json_codec.h).
constexpr unsigned kMaxImportLineDepth = 80;
constexpr size_t kBufferBytes = 64 * 1024;

std::string JoinPath(const std::vector<std::string>& parts, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    if (i) s += '/';
    s += parts[i];
  }
  return s;
}

void Skipped(const std::vector<std::string>& path, std::string_view name, const char* why) {
  std::string key = JoinPath(path, path.size());
  if (!key.empty()) key += '/';
  key += name;
  std::fprintf(stderr, "ddb: import: skipping S3 object '%s': %s\n", key.c_str(), why);
}

// The names in `dir` starting with `starts` ("" = all).
Result<std::vector<std::string>> Names(const ExportDir& dir, std::string_view starts) {
  int dfd = ::dup(dir.fd());
  if (dfd < 0) return Internal();
  DIR* d = ::fdopendir(dfd);
  if (!d) {
    ::close(dfd);
    return Internal();
  }
  ::rewinddir(d);
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d)) {
    std::string_view n = e->d_name;
    if (n == "." || n == "..") continue;
    if (n.starts_with(starts)) names.emplace_back(n);
  }
  ::closedir(d);
  return names;
}

// Adds the regular files below `dir` (whose path below the bucket is
// `path`) whose name starts with `starts`; folders are entered whole.
Status Walk(const ExportDir& dir, std::vector<std::string>& path, std::string_view starts,
            std::vector<SourceObject>* out) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, Names(dir, starts));
  for (const std::string& name : names) {
    struct stat st;
    if (::fstatat(dir.fd(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
    if (S_ISREG(st.st_mode)) {
      SourceObject o;
      o.path = path;
      o.path.push_back(name);
      o.key = JoinPath(o.path, o.path.size());
      o.size = st.st_size;
      out->push_back(std::move(o));
      if (out->size() > kMaxSourceObjects) {
        // Wording a guess.
        return Validation("The import source has more than " + std::to_string(kMaxSourceObjects) +
                          " S3 objects");
      }
    } else if (S_ISDIR(st.st_mode)) {
      auto sub = dir.Sub(name, false);
      if (!sub.ok()) {
        Skipped(path, name, "not a plain folder");
        continue;
      }
      path.push_back(name);
      Status st2 = Walk(*sub, path, "", out);
      path.pop_back();
      RETURN_IF_ERROR(st2);
    } else {
      Skipped(path, name, S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
    }
  }
  return Status::Ok();
}

// The decompressed bytes of one object, one at a time. Memory is bounded:
// a 64 KiB buffer, plus gzip's 32 KiB window or a zstd frame's window, at
// most 2^kZstdWindowLogMax bytes (zstd's own default limit; a frame that
// needs more, written with `zstd --long=28` or above, is refused as the zstd
// tool refuses it without --memory).
class ByteReader : public ion::ByteSource {
 public:
  static constexpr int kZstdWindowLogMax = 27;

  ByteReader(Fd fd, Compression compression) : buf_(kBufferBytes, '\0') {
    if (compression == Compression::kGzip) {
      gz_ = ::gzdopen(fd.release(), "rb");
      if (!gz_) status_ = Internal();
      return;
    }
    fd_ = std::move(fd);
    if (compression == Compression::kZstd) {
      zstd_.reset(::ZSTD_createDCtx());
      if (!zstd_ || ::ZSTD_isError(::ZSTD_DCtx_setParameter(zstd_.get(), ZSTD_d_windowLogMax,
                                                            kZstdWindowLogMax))) {
        status_ = Internal();
        return;
      }
      raw_.resize(::ZSTD_DStreamInSize());
    }
  }
  ~ByteReader() override {
    if (gz_) ::gzclose(gz_);
  }
  ByteReader(const ByteReader&) = delete;
  ByteReader& operator=(const ByteReader&) = delete;

  // The next byte, or -1 at the end or on an error (status()).
  int Get() override {
    if (pos_ < len_) return static_cast<unsigned char>(buf_[pos_++]);
    return Fill();
  }
  const Status& status() const { return status_; }

 private:
  struct FreeDCtx {
    void operator()(ZSTD_DCtx* d) const { ::ZSTD_freeDCtx(d); }
  };

  int Fill() {
    if (!status_.ok() || done_) return -1;
    ssize_t n = 0;
    if (gz_) {
      n = ::gzread(gz_, buf_.data(), static_cast<unsigned>(buf_.size()));
      if (n < 0) {
        int err = 0;
        const char* what = ::gzerror(gz_, &err);
        // Wording ours: the object is not readable gzip data.
        status_ = Validation(std::string("not valid GZIP data: ") + (what ? what : ""));
        return -1;
      }
      if (!checked_) {
        checked_ = true;
        if (n > 0 && ::gzdirect(gz_)) {
          status_ = Validation("not GZIP data (InputCompressionType is GZIP)");
          return -1;
        }
      }
    } else if (zstd_) {
      n = FillZstd();
      if (n < 0) return -1;
    } else {
      n = ReadRaw(buf_.data(), buf_.size());
      if (n < 0) return -1;
    }
    if (n == 0) {
      done_ = true;
      return -1;
    }
    len_ = static_cast<size_t>(n);
    pos_ = 1;
    return static_cast<unsigned char>(buf_[0]);
  }

  // Reads up to `size` bytes of the object as stored: 0 at its end, -1 on
  // an I/O error (status_ set).
  ssize_t ReadRaw(char* to, size_t size) {
    ssize_t n;
    do {
      n = ::read(fd_.get(), to, size);
    } while (n < 0 && errno == EINTR);
    if (n < 0) {
      std::fprintf(stderr, "ddb: import: read: %s\n", std::strerror(errno));
      status_ = Internal();
    }
    return n;
  }

  // Decompresses into buf_ until some bytes come out: their count, 0 at the
  // end of the object (after a complete frame), -1 on an error (status_ set).
  // Wordings ours, as for gzip.
  ssize_t FillZstd() {
    ZSTD_outBuffer out{buf_.data(), buf_.size(), 0};
    while (out.pos == 0) {
      if (in_.pos == in_.size) {
        ssize_t got = ReadRaw(raw_.data(), raw_.size());
        if (got < 0) return -1;
        if (got == 0) {
          if (frame_open_) {
            status_ = Validation("not valid ZSTD data: the stream is truncated");
            return -1;
          }
          return 0;
        }
        in_ = {raw_.data(), static_cast<size_t>(got), 0};
      }
      size_t r = ::ZSTD_decompressStream(zstd_.get(), &out, &in_);
      if (::ZSTD_isError(r)) {
        status_ = Validation(std::string(::ZSTD_getErrorCode(r) == ZSTD_error_prefix_unknown
                                             ? "not ZSTD data (InputCompressionType is ZSTD): "
                                             : "not valid ZSTD data: ") +
                             ::ZSTD_getErrorName(r));
        return -1;
      }
      frame_open_ = r != 0;  // 0: a frame ended (another may follow)
    }
    return static_cast<ssize_t>(out.pos);
  }

  Fd fd_;
  gzFile gz_ = nullptr;
  std::unique_ptr<ZSTD_DCtx, FreeDCtx> zstd_;
  std::string raw_;  // zstd's compressed input
  ZSTD_inBuffer in_{nullptr, 0, 0};
  bool frame_open_ = false;
  std::string buf_;
  size_t pos_ = 0, len_ = 0;
  bool done_ = false, checked_ = false;
  Status status_;
};

bool Blank(std::string_view s) { return s.find_first_not_of(" \t\r") == std::string_view::npos; }

// Wordings of the record errors are ours (AWS logs them to CloudWatch).
Status ParseJsonLine(std::string_view line, Item* item) {
  rapidjson::Document d;
  // Bounded: a line is as untrusted as a request body (a file nested
  // thousands deep must not overflow the job's stack).
  base::JsonParseOutcome parsed =
      base::ParseBoundedJson<rapidjson::kParseDefaultFlags>(&d, line, kMaxImportLineDepth, nullptr);
  if (parsed.too_deep) return Validation("the line nests deeper than an item may");
  if (parsed.error != rapidjson::kParseErrorNone) return Validation("the line is not valid JSON");
  if (!d.IsObject()) return Validation("the line is not a JSON object");
  auto it = d.FindMember("Item");
  if (it == d.MemberEnd() || !it->value.IsObject()) {
    return Validation("the line has no \"Item\" object");
  }
  ASSIGN_OR_RETURN(*item, DecodeItem(it->value));
  return Status::Ok();
}

class JsonLinesReader : public RecordReader {
 public:
  explicit JsonLinesReader(std::unique_ptr<ByteReader> in) : in_(std::move(in)) {}

  Result<bool> Next(SourceRecord* r) override {
    std::string line;
    bool too_long = false;
    while (true) {
      line.clear();
      too_long = false;
      int c;
      bool any = false;
      while ((c = in_->Get()) >= 0 && c != '\n') {
        any = true;
        if (line.size() < kMaxRecordBytes) {
          line.push_back(static_cast<char>(c));
        } else {
          too_long = true;
        }
      }
      RETURN_IF_ERROR(in_->status());
      if (c < 0 && !any) return false;
      if (too_long || !Blank(line)) break;
    }
    *r = SourceRecord{};
    if (too_long) {
      r->problem =
          Validation("the line is longer than " + std::to_string(kMaxRecordBytes) + " bytes");
    } else {
      r->problem = ParseJsonLine(line, &r->item);
    }
    return true;
  }

 private:
  std::unique_ptr<ByteReader> in_;
};

// Ion text (ion_reader.h): the reader's own problems are the records'.
class IonReader : public RecordReader {
 public:
  explicit IonReader(std::unique_ptr<ByteReader> in) : in_(std::move(in)), ion_(*in_) {}

  Result<bool> Next(SourceRecord* r) override {
    *r = SourceRecord{};
    const bool more = ion_.Next(&r->item, &r->problem);
    // An I/O or decompression error ends the object as for the other
    // formats (the partial record it cut is not counted).
    RETURN_IF_ERROR(in_->status());
    return more;
  }

 private:
  std::unique_ptr<ByteReader> in_;
  ion::RecordReader ion_;
};

class CsvReader : public RecordReader {
 public:
  CsvReader(std::unique_ptr<ByteReader> in, const TableInfo& table, CsvFormat format)
      : in_(std::move(in)), format_(std::move(format)) {
    for (const KeyAttr& a : table.attribute_definitions) key_types_.push_back(a);
  }

  Result<bool> Next(SourceRecord* r) override {
    std::vector<std::string> fields;
    Status problem;
    while (true) {
      ASSIGN_OR_RETURN(bool more, ReadRecord(&fields, &problem));
      if (!more) return false;
      if (problem.ok() && fields.size() == 1 && fields[0].empty()) continue;  // a blank line
      if (!format_.header) {                        // the object's first record is its header
        if (!problem.ok()) return problem.error();  // an unreadable header: the object is unusable
        format_.header = std::move(fields);
        continue;
      }
      break;
    }
    *r = SourceRecord{};
    r->problem = problem.ok() ? ToItem(fields, &r->item) : problem;
    return true;
  }

 private:
  // One record's fields; `problem` set (and the record read to its end)
  // when it is malformed. False at the end of the object.
  Result<bool> ReadRecord(std::vector<std::string>* fields, Status* problem) {
    fields->clear();
    *problem = Status::Ok();
    int c = in_->Get();
    if (c < 0) {
      RETURN_IF_ERROR(in_->status());
      return false;
    }
    std::string field;
    size_t total = 0;
    auto add = [&](int ch) {
      if (++total > kMaxRecordBytes) {
        if (problem->ok()) {
          *problem =
              Validation("the record is longer than " + std::to_string(kMaxRecordBytes) + " bytes");
        }
        return;
      }
      field.push_back(static_cast<char>(ch));
    };
    while (true) {
      bool quoted_field = false;
      if (c == '"') {
        quoted_field = true;
        while (true) {
          c = in_->Get();
          if (c < 0) {
            RETURN_IF_ERROR(in_->status());
            *problem = Validation("a quoted field is not closed");
            fields->push_back(std::move(field));
            return true;
          }
          if (c == '"') {
            c = in_->Get();
            if (c == '"') {
              add('"');
              continue;
            }
            break;  // c: the character after the closing quote
          }
          add(c);
        }
      }
      // Unquoted characters (or, after a quoted part, what follows it).
      while (c >= 0 && c != format_.delimiter && c != '\n') {
        if (c == '\r') {
          int n = in_->Get();
          if (n == '\n' || n < 0) {
            c = n;
            break;
          }
          if (!quoted_field) add('\r');
          c = n;
          continue;
        }
        if (quoted_field && problem->ok()) {
          *problem = Validation("characters after a closing quote");
        }
        add(c);
        c = in_->Get();
      }
      RETURN_IF_ERROR(in_->status());
      fields->push_back(std::move(field));
      field.clear();
      if (c != format_.delimiter) return true;  // end of line or of the object
      c = in_->Get();
      if (c < 0 || c == '\n') {  // a trailing delimiter: one more empty field
        RETURN_IF_ERROR(in_->status());
        fields->emplace_back();
        return true;
      }
    }
  }

  Status ToItem(const std::vector<std::string>& fields, Item* item) const {
    const std::vector<std::string>& header = *format_.header;
    if (fields.size() > header.size()) {
      return Validation("the record has " + std::to_string(fields.size()) + " fields, the header " +
                        std::to_string(header.size()));
    }
    for (size_t i = 0; i < fields.size(); ++i) {
      if (fields[i].empty()) continue;
      const std::string& name = header[i];
      if (name.empty()) return Validation("an empty column name in the header");
      AttrType type = AttrType::kS;
      for (const KeyAttr& k : key_types_) {
        if (k.name == name) type = k.type;
      }
      if (type == AttrType::kN) {
        ASSIGN_OR_RETURN(std::string n, NormalizeNumber(fields[i]));
        (*item)[name] = AttributeValue::N(std::move(n));
      } else if (type == AttrType::kB) {
        std::string bytes;
        if (base::Base64Decode(fields[i], &bytes) != base::Base64Problem::kNone) {
          return Validation("the key attribute " + name + " is not base64");
        }
        (*item)[name] = AttributeValue::B(std::move(bytes));
      } else {
        (*item)[name] = AttributeValue::S(fields[i]);
      }
    }
    return Status::Ok();
  }

  std::unique_ptr<ByteReader> in_;
  CsvFormat format_;
  std::vector<KeyAttr> key_types_;
};

}  // namespace

Compression CompressionFromName(std::string_view name) {
  if (name == "GZIP") return Compression::kGzip;
  if (name == "ZSTD") return Compression::kZstd;
  return Compression::kNone;
}

Result<std::vector<SourceObject>> ListSource(const ExportRoot& root, std::string_view bucket,
                                             std::string_view prefix) {
  ASSIGN_OR_RETURN(std::vector<std::string> parts, ExportRoot::SplitPrefix(prefix));
  std::string starts;
  if (!prefix.empty() && !prefix.ends_with('/') && !parts.empty()) {
    starts = parts.back();  // S3 matches the last part as the start of a name
    parts.pop_back();
  }
  ASSIGN_OR_RETURN(ExportDir dir, root.Open(bucket, JoinPath(parts, parts.size()), false));
  std::vector<SourceObject> out;
  RETURN_IF_ERROR(Walk(dir, parts, starts, &out));
  if (out.empty()) {
    // Wording a guess.
    return Validation("No S3 objects found under the import source: s3://" + std::string(bucket) +
                      "/" + std::string(prefix));
  }
  std::sort(out.begin(), out.end(),
            [](const SourceObject& a, const SourceObject& b) { return a.key < b.key; });
  return out;
}

Result<std::unique_ptr<RecordReader>> OpenSource(const ExportRoot& root, std::string_view bucket,
                                                 const SourceObject& object,
                                                 Compression compression, const TableInfo& table,
                                                 const std::optional<CsvFormat>& csv, bool ion) {
  if (object.path.empty()) return Internal();
  ASSIGN_OR_RETURN(ExportDir dir,
                   root.Open(bucket, JoinPath(object.path, object.path.size() - 1), false));
  ASSIGN_OR_RETURN(Fd fd, dir.OpenFile(object.path.back()));
  auto bytes = std::make_unique<ByteReader>(std::move(fd), compression);
  RETURN_IF_ERROR(bytes->status());
  if (csv) return std::unique_ptr<RecordReader>(new CsvReader(std::move(bytes), table, *csv));
  if (ion) return std::unique_ptr<RecordReader>(new IonReader(std::move(bytes)));
  return std::unique_ptr<RecordReader>(new JsonLinesReader(std::move(bytes)));
}

}  // namespace ddb::imports
