// Reading XML that tools write (JUnit, ReqIF): Boost.PropertyTree with errors at
// `origin:line`, after refusing nesting deep enough to exhaust the parser's stack.
#pragma once

#include <boost/property_tree/ptree.hpp>

#include <string>
#include <string_view>

namespace attest::trace::detail {

/// Parses `text`; InputError "origin:line: malformed XML: ..." on bad input.
/// `flags` are boost::property_tree::xml_parser's (no_concat_text keeps mixed content in order).
boost::property_tree::ptree parse_xml(std::string_view text, const std::string& origin,
                                      int flags = 0);

}  // namespace attest::trace::detail
