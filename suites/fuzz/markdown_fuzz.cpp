// libFuzzer target for the spec-kit Markdown catalog reader: never crashes,
// every requirement it returns has a matching ID and a line inside the input.
#include <attest/config.hpp>
#include <attest/trace/readers.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::regex pattern(attest::default_requirement_pattern);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  for (const auto& r : attest::trace::read_markdown_catalog(text, "spec.md", pattern, "001-f")) {
    if (!std::regex_match(r.bare_id, pattern) || r.where.line < 1 || r.where.line > lines)
      std::abort();
    if (r.id != "001-f/" + r.bare_id) std::abort();
  }
  return 0;
}
