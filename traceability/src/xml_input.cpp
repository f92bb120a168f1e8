#include "xml_input.hpp"

#include <attest/input_error.hpp>

#include <boost/property_tree/xml_parser.hpp>

#include <sstream>

namespace attest::trace::detail {
namespace {

// The XML parser recurses per element: refuse absurd nesting up front, so a
// hostile or corrupt file gets an error instead of exhausting the stack.
void check_nesting(std::string_view text, const std::string& origin) {
  constexpr int kMaxDepth = 256;
  int depth = 0;
  std::size_t line = 1;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '\n') ++line;
    if (text[i] != '<') continue;
    char next = text[i + 1];
    if (next == '/') {
      --depth;
    } else if (next != '?' && next != '!') {
      auto close = text.find('>', i);
      if (close == std::string_view::npos) return;  // the parser reports it
      if (text[close - 1] != '/' && ++depth > kMaxDepth)
        throw InputError({origin, line},
                         "XML nested deeper than " + std::to_string(kMaxDepth) + " elements");
    }
  }
}

}  // namespace

boost::property_tree::ptree parse_xml(std::string_view text, const std::string& origin, int flags) {
  check_nesting(text, origin);
  boost::property_tree::ptree tree;
  std::istringstream in{std::string(text)};
  try {
    boost::property_tree::read_xml(in, tree, flags);
  } catch (const boost::property_tree::xml_parser_error& e) {
    throw InputError({origin, e.line()}, "malformed XML: " + e.message());
  }
  return tree;
}

}  // namespace attest::trace::detail
