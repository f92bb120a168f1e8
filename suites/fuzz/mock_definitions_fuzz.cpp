// libFuzzer target for MockServer-style mock definitions: any input either
// parses into expectations or throws MockDefinitionError naming the source;
// never crashes. (A bad regex is the one other error, std::regex_error,
// turned into MockDefinitionError by the loader.)
#include <cstdint>
#include <cstdlib>
#include <string>

#include "mock_http_load.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto definitions = attest::detail::parse_mock_definitions(text, "fuzz/mock.json");
    for (const auto& d : definitions) (void)d.request.describe();
  } catch (const attest::MockDefinitionError& e) {
    if (std::string(e.what()).rfind("fuzz/mock.json", 0) != 0) std::abort();
  }
  return 0;
}
