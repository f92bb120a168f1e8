// A hash that is the same on every machine, compiler and run (std::hash need not be):
// FNV-1a, 64 bits. Shards are assigned by it, and file names derived from test ids.
#pragma once

#include <cstdint>
#include <string_view>

namespace attest::detail {

inline std::uint64_t stable_hash(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace attest::detail
