// GCC's coverage file formats as attest reads them (gcc/gcov-io.h): little-endian 32-bit
// words, 64-bit counters as two words (low first), strings as a byte length (with the NUL) and
// the bytes, records as tag, byte length, body. Shared by the notes' reader (gcov_notes.cpp)
// and the counters' (gcov.cpp).
#pragma once

#include <attest/input_error.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace attest::coverage::gcov::internal {

constexpr std::uint32_t gcno_magic = 0x67636e6f;  // "gcno"
constexpr std::uint32_t gcda_magic = 0x67636461;  // "gcda"
constexpr std::uint32_t tag_function = 0x01000000;
constexpr std::uint32_t tag_blocks = 0x01410000;
constexpr std::uint32_t tag_arcs = 0x01430000;
constexpr std::uint32_t tag_lines = 0x01450000;
constexpr std::uint32_t tag_arc_counters = 0x01a10000;
constexpr std::uint32_t arc_on_tree = 1, arc_fake = 2, arc_fall_through = 4;

class Reader {
 public:
  Reader(std::string_view data, const std::string& origin) : data_(data), origin_(origin) {}
  bool done() const { return pos_ >= data_.size(); }
  std::size_t pos() const { return pos_; }
  void seek(std::size_t pos) {
    if (pos > data_.size()) fail("truncated coverage data (a record runs past the end)");
    pos_ = pos;
  }
  std::uint32_t u32() {
    need(4);
    std::uint32_t v;
    std::memcpy(&v, data_.data() + pos_, 4);
    pos_ += 4;
    return v;
  }
  std::uint64_t u64() {
    std::uint64_t lo = u32();
    std::uint64_t hi = u32();
    return lo | (hi << 32);
  }
  std::string_view str() {
    std::uint32_t length = u32();
    need(length);
    std::string_view s(data_.data() + pos_, length ? length - 1 : 0);
    pos_ += length;
    return s;
  }
  [[noreturn]] void fail(const std::string& what) const {
    throw InputError({origin_}, what + " at byte " + std::to_string(pos_));
  }

 private:
  void need(std::size_t n) const {
    if (pos_ + n > data_.size()) fail("truncated coverage data");
  }
  std::string_view data_;
  const std::string& origin_;
  std::size_t pos_ = 0;
};

}  // namespace attest::coverage::gcov::internal
