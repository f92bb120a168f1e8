// libFuzzer target for the JUnit XML reader: parses or throws InputError; never crashes.
#include <attest/trace/readers.hpp>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text = "<";  // make every input take the XML path
  text.append(reinterpret_cast<const char*>(data), size);
  try {
    for (const auto& r : attest::trace::read_results(text, "j.xml"))
      if (r.id.empty()) std::abort();
  } catch (const attest::trace::InputError& e) {
    if (std::string_view(e.what()).substr(0, 5) != "j.xml") std::abort();
  }
  return 0;
}
