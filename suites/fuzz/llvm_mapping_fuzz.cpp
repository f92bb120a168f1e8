// libFuzzer target for Clang's coverage mapping reader (--cov with Clang): the input is an
// object's __llvm_covmap, __llvm_covfun and __llvm_prf_names sections (two 32-bit lengths,
// then the three contents). Decoding parses or throws InputError naming its origin; what was
// decoded is then mapped to lines and branches with counters taken from the input, without
// crashing (expressions, regions and counters as a corrupted binary could hold them).
#include <attest/coverage/llvm.hpp>
#include <attest/input_error.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>

namespace cov = attest::coverage;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 8) return 0;
  std::uint32_t covmap_size, covfun_size;
  std::memcpy(&covmap_size, data, 4);
  std::memcpy(&covfun_size, data + 4, 4);
  std::string_view rest(reinterpret_cast<const char*>(data) + 8, size - 8);
  auto take = [&](std::size_t n) {
    auto part = rest.substr(0, n);
    rest.remove_prefix(part.size());
    return part;
  };
  auto covmap = take(covmap_size), covfun = take(covfun_size), names = rest;
  cov::llvm::ObjectMapping mapping;
  try {
    mapping = cov::llvm::decode_mapping(covmap, covfun, names, "fuzz.o");
  } catch (const attest::InputError& e) {
    if (std::string_view(e.what()).substr(0, 6) != "fuzz.o") std::abort();
    return 0;
  }
  // Mapping to lines takes time in proportion to the lines the regions span (every line of a
  // file from its first region to its last is visited, as llvm-cov does), so a corrupted
  // binary naming line 16,777,216 makes a report that long. Such inputs are slow, not wrong:
  // they are left out here, where a run has ten seconds per input.
  for (const auto& f : mapping.functions)
    for (const auto& r : f.regions)
      if (r.line_end > (1u << 12)) return 0;
  // Counters for every function the mapping names, valued from the input's bytes.
  cov::llvm::Layout layout;
  for (const auto& f : mapping.functions) {
    std::size_t count = 1;
    for (const auto& r : f.regions)
      for (const auto& c : {r.count, r.false_count})
        if (c.kind == cov::llvm::Counter::Kind::counter)
          count = std::max<std::size_t>(count, std::size_t{c.id} + 1);
    count = std::min<std::size_t>(count, 1 << 12);
    layout.functions.push_back({f.name_hash, f.func_hash, layout.size, count});
    layout.size += count;
    if (layout.size > (1 << 16)) return 0;
  }
  std::vector<std::uint64_t> totals(layout.size);
  for (std::size_t i = 0; i < totals.size(); ++i) totals[i] = data[i % size] % 4;
  std::vector<cov::gcov::Delta> deltas(1);
  for (std::size_t i = 0; i < totals.size(); ++i)
    if (totals[i] && data[(i * 7) % size] & 1)
      deltas[0].push_back({static_cast<std::uint32_t>(i), 1});
  try {
    auto record = cov::llvm::build_record({mapping}, layout, totals, {{"fuzz", "t", {}}}, deltas,
                                          cov::gcov::Filter{});
    (void)cov::totals(record);
  } catch (const attest::InputError& e) {
    if (std::string_view(e.what()).substr(0, 6) != "fuzz.o" &&
        std::string_view(e.what()).find("fuzz") == std::string_view::npos)
      std::abort();
  }
  return 0;
}
