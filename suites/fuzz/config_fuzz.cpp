// libFuzzer target for the attest.json reader: any input either parses or
// throws ConfigError whose message starts with the file name; never crashes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <attest/config.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto config = attest::parse_config(text, "fuzz/attest.json");
    (void)config.is_valid_requirement("FR-001");
  } catch (const attest::ConfigError& e) {
    if (std::string(e.what()).rfind("fuzz/attest.json:", 0) != 0) std::abort();
  }
  return 0;
}
