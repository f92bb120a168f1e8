// libFuzzer target for the Compose file reader: any input either becomes an environment or
// throws InputError whose message starts with the file's name; never crashes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include <attest/compose_file.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto spec = attest::parse_compose_file(text, "fuzz/docker-compose.yml", {"integration"},
                                           {{"DB_PASSWORD", "x"}, {"EMPTY", ""}});
    for (const auto& s : spec.services)
      if (s.name.empty() || s.type != "container") std::abort();
  } catch (const attest::InputError& e) {
    if (std::string(e.what()).rfind("fuzz/docker-compose.yml", 0) != 0 &&
        std::string(e.what()).rfind("service \"", 0) != 0)
      std::abort();
  }
  return 0;
}
