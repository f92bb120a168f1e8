// libFuzzer target for attest.json's "services" reader: any input either becomes an environment
// or throws InputError whose message starts with the file's name; never crashes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <attest/environment.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto spec = attest::parse_environment_spec(text, "fuzz/attest.json");
    for (const auto& s : spec.services)
      if (s.name.empty() || s.type.empty()) std::abort();
  } catch (const attest::InputError& e) {
    if (std::string(e.what()).rfind("fuzz/attest.json", 0) != 0) std::abort();
  }
  return 0;
}
