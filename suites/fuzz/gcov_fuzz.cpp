// libFuzzer target for GCC's coverage files as --cov reads them (attest::coverage::gcov). The
// input is read twice: as the .gcda stream libgcov hands the runner (read_gcda), and as an
// object's .gcno notes, written to a file and mapped to lines and branches by build_record with
// a layout made from the input's own records — its version and stamp, and each function's
// identity and count of counted arcs — so that mutations reach the flow solver too — and mapped
// again from the cache of parsed notes the first mapping left (the same record). Each parses
// or throws InputError naming its file; nothing may crash.
#include <attest/coverage/gcov.hpp>
#include <attest/input_error.hpp>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

namespace cov = attest::coverage;
namespace fs = std::filesystem;

namespace {

std::uint32_t word(const std::uint8_t* data, std::size_t size, std::size_t at) {
  std::uint32_t v = 0;
  if (at + 4 <= size) std::memcpy(&v, data + at, 4);
  return v;
}

// A directory for the notes file, made for one input and removed after it: libFuzzer ends a
// run without the process's exit handlers, so a directory kept for the process stayed in /tmp
// after every run.
struct WorkDir {
  fs::path path;
  WorkDir() {
    std::string pattern = (fs::temp_directory_path() / "attest-gcov-fuzz-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) std::abort();
    path = pattern;
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  ~WorkDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

bool names(const attest::InputError& e, std::string_view file) {
  return std::string_view(e.what()).find(file) != std::string_view::npos;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // 1. The input as a .gcda stream. A record of zero counters is 8 bytes however many it
  // stands for (up to 2^24 each): inputs standing for more than 2^20 in all are left out, as
  // they only measure how fast memory is filled (libgcov's own streams are the real input).
  std::size_t zeros = 0;
  for (std::size_t at = 16; at + 8 <= size;) {
    std::uint32_t tag = word(data, size, at);
    auto length = static_cast<std::int32_t>(word(data, size, at + 4));
    if (tag == 0x01a10000 && length < 0)
      zeros += static_cast<std::size_t>(-std::int64_t{length}) / 8;
    at += 8 + (length > 0 ? static_cast<std::size_t>(length) : 0);
  }
  if (zeros <= (std::size_t{1} << 20)) try {
      cov::gcov::Layout layout;
      std::vector<std::uint64_t> values;
      cov::gcov::read_gcda(bytes, "fuzz.gcda", &layout, values);
    } catch (const attest::InputError& e) {
      if (!names(e, "fuzz.gcda")) std::abort();
    }

  // 2. The input as notes: a layout of one object agreeing with it.
  WorkDir work;
  const auto gcno = work.path / "fuzz.gcno";
  {
    std::ofstream out(gcno, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  cov::gcov::ObjectCounters object;
  object.gcda = (work.path / "fuzz.gcda").string();
  object.version = word(data, size, 4);
  object.stamp = word(data, size, 8);
  // The records after the header (magic, version, stamp, checksum, cwd string, a flag).
  std::size_t pos = 16 + 4 + std::size_t{word(data, size, 16)} + 4;
  std::size_t counters = 0;
  cov::gcov::FunctionCounters* current = nullptr;
  while (pos + 8 <= size && object.functions.size() < 256) {
    std::uint32_t tag = word(data, size, pos), length = word(data, size, pos + 4);
    std::size_t body = pos + 8;
    if (tag == 0x01000000 && length >= 12) {  // a function: its identity
      object.functions.push_back({word(data, size, body), word(data, size, body + 4),
                                  word(data, size, body + 8), counters, 0});
      current = &object.functions.back();
    } else if (tag == 0x01430000 && current && length >= 4) {  // arcs: those off the tree count
      for (std::size_t a = body + 4; a + 8 <= body + length && a + 8 <= size; a += 8)
        if (!(word(data, size, a + 4) & 1)) ++current->count, ++counters;
    }
    if (length > size) break;
    pos = body + length;
  }
  cov::gcov::Layout layout;
  layout.objects.push_back(std::move(object));
  layout.size = counters;
  std::vector<std::uint64_t> totals(counters);
  for (std::size_t i = 0; i < counters; ++i) totals[i] = size ? data[i % size] % 3 : 0;
  std::vector<cov::gcov::Delta> deltas(1);
  for (std::size_t i = 0; i < counters; ++i)
    if (totals[i] && (data[(i * 7) % size] & 1))
      deltas[0].emplace_back(static_cast<std::uint32_t>(i), totals[i]);
  try {
    auto record =
        cov::gcov::build_record(layout, totals, {{"fuzz", "t", {}}}, deltas, cov::gcov::Filter{});
    (void)cov::totals(record);
    // Read again: from the cache the first reading left beside the notes, the same record.
    auto again =
        cov::gcov::build_record(layout, totals, {{"fuzz", "t", {}}}, deltas, cov::gcov::Filter{});
    if (!(again == record)) std::abort();
  } catch (const attest::InputError& e) {
    if (!names(e, "fuzz.gcno")) std::abort();
  }
  return 0;
}
