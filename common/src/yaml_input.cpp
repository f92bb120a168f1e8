// Text checks YAML readers (yaml-cpp) need before parsing; see yaml_input.hpp.
#include <attest/detail/yaml_input.hpp>

namespace attest::detail {

void check_yaml_nesting(std::string_view text, const std::string& origin) {
  constexpr int kMax = 256;
  int flow = 0, line_depth = 0;
  std::size_t line = 1, indent = 0;
  bool at_start = true;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      line_depth = 0;
      indent = 0;
      at_start = true;
      quoted = false;
      continue;
    }
    if (at_start && c == ' ' && ++indent > 4 * kMax)  // block nesting by indentation
      throw InputError({origin, line},
                       "YAML nested deeper than " + std::to_string(kMax) + " levels");
    at_start = at_start && c == ' ';
    if (c == '"' || c == '\'') quoted = !quoted;
    if (quoted) continue;
    if (c == '[' || c == '{') ++flow;
    if ((c == ']' || c == '}') && flow > 0) --flow;
    if ((c == '-' || c == '?' || c == ':') && i + 1 < text.size() && text[i + 1] == ' ')
      ++line_depth;
    if (flow > kMax || line_depth > kMax)
      throw InputError({origin, line},
                       "YAML nested deeper than " + std::to_string(kMax) + " levels");
  }
}

}  // namespace attest::detail
