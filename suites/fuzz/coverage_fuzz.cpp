// libFuzzer target for the coverage record reader and the unified-diff reader behind
// --affected-since: a record parses or throws InputError naming its origin; any diff
// parses; the affected tests of what was read are computed without crashing.
#include <attest/coverage/affected.hpp>
#include <attest/coverage/record.hpp>
#include <attest/input_error.hpp>

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  attest::coverage::Record record;
  try {
    record = attest::coverage::from_json(text, "cov.json");
    (void)attest::coverage::to_json(record);
  } catch (const attest::InputError& e) {
    if (std::string_view(e.what()).substr(0, 8) != "cov.json") std::abort();
  }
  auto change = attest::coverage::parse_unified_diff(text, "/repo");
  std::vector<attest::coverage::TestDefinition> tests{{"b", "t1", "/repo/t.cpp", 3},
                                                      {"b", "t2", "/repo/t.cpp", 9}};
  auto affected = attest::coverage::affected_tests(record, tests, change,
                                                   [](const std::string&) { return 10u; });
  if (affected.selected.size() != tests.size()) std::abort();
  return 0;
}
