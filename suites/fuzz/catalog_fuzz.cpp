// libFuzzer target for the catalog readers behind the registry: built once per
// format with ATTEST_FUZZ_ORIGIN naming a file of that format ("fuzz/c.reqif",
// "fuzz/REQ001.yml"), whose extension picks the reader. Any input reads or
// throws InputError naming its origin; never crashes, never hangs.
#include <attest/trace/catalogs.hpp>

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const attest::trace::CatalogOptions options = [] {
    attest::trace::CatalogOptions o;
    o.id_pattern = std::regex(".+");
    return o;
  }();
  std::string_view text(reinterpret_cast<const char*>(data), size);
  const char* origin = ATTEST_FUZZ_ORIGIN;
  try {
    for (const auto& r : attest::trace::read_catalog(text, origin, options))
      if (r.id.empty()) std::abort();
  } catch (const attest::InputError& e) {
    if (std::string_view(e.what()).substr(0, std::char_traits<char>::length(origin)) != origin)
      std::abort();
  }
  return 0;
}
