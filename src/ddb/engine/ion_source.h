// Where the Ion reader's bytes come from (ion_reader.h, ion_text.h): a byte
// at a time, from a decompressing import stream or from a string.
#pragma once

#include <cstddef>
#include <string_view>

namespace ddb::ion {

// Where the reader's bytes come from.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // The next byte (0..255), or -1 at the end (or on an error the source
  // keeps for its owner to report).
  virtual int Get() = 0;
};

// A ByteSource over a string (tests, the fuzz target).
class StringSource : public ByteSource {
 public:
  explicit StringSource(std::string_view s) : s_(s) {}
  int Get() override { return pos_ < s_.size() ? static_cast<unsigned char>(s_[pos_++]) : -1; }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

}  // namespace ddb::ion
