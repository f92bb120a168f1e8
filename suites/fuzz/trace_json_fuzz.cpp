// libFuzzer target for trace-check's JSON readers (catalog, manifest, results):
// any input parses or throws InputError naming its origin; never crashes.
#include <attest/trace/readers.hpp>

#include <cstdint>
#include <cstdlib>

namespace {
template <typename F>
void expect_clean(F&& read, const char* origin) {
  try {
    read();
  } catch (const attest::trace::InputError& e) {
    if (std::string_view(e.what()).substr(0, std::char_traits<char>::length(origin)) != origin)
      std::abort();
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  expect_clean([&] { attest::trace::read_json_catalog(text, "reqs.json"); }, "reqs.json");
  expect_clean([&] { attest::trace::read_manifest(text, "m.json"); }, "m.json");
  expect_clean([&] { attest::trace::read_results(text, "r.json"); }, "r.json");
  return 0;
}
