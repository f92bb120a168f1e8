// libFuzzer target for the cache of parsed notes a --cov run keeps beside each .gcno
// (coverage/src/notes_cache.hpp). The input is read as a cache twice: as it is, and behind a
// valid header with a valid checksum after it, so that mutations reach the checks of counts
// and indices rather than stop at the checksum. A cache decoded is encoded again and must
// decode to the same bytes; nothing may crash, throw or read out of bounds.
#include "notes_cache.hpp"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

namespace internal = attest::coverage::gcov::internal;

namespace {

const internal::FileIdentity source{1, 2, 3, 4};
const attest::coverage::gcov::Filter filter;

void check(std::string_view bytes) {
  attest::coverage::detail::Arena arena;
  auto notes = internal::decode_notes(bytes, source, filter, arena.resource());
  if (!notes) return;
  // What decodes is what encoding it gives back.
  std::string again;
  internal::encode_notes(*notes, source, filter, again);
  if (again != bytes) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check(input);
  // A header of this format and the source above, the input as the notes, the checksum.
  std::string bytes = "attestNC";
  auto word32 = [&](std::uint32_t v) { bytes.append(reinterpret_cast<const char*>(&v), 4); };
  auto word64 = [&](std::uint64_t v) { bytes.append(reinterpret_cast<const char*>(&v), 8); };
  word32(5);  // (the format's number)
  word32(0x01020304);
  word64(source.device);
  word64(source.inode);
  word64(source.size);
  word64(source.mtime_ns);
  word32(0);  // the filter: no prefixes
  bytes.append(input);
  word64(internal::cache_checksum(bytes));
  check(bytes);
  return 0;
}
