// libFuzzer target for the -m/-k expression parser: any input either compiles
// or throws ExpressionError with a column inside the input; never crashes.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "expression.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    auto expr = attest::detail::Expression::compile(text);
    std::size_t calls = 0;
    expr.evaluate([&](std::string_view id) { return (++calls + id.size()) % 2 == 0; });
    for (const auto& id : expr.identifiers())
      if (id.column < 1 || id.column > size ||
          text.compare(id.column - 1, id.name.size(), id.name) != 0)
        std::abort();  // an identifier's column must point at it
  } catch (const attest::detail::ExpressionError& e) {
    if (e.column() < 1 || e.column() > size + 1) std::abort();
  }
  return 0;
}
