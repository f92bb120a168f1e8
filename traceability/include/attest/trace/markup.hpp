// Escaping for XML and HTML text and attributes, shared by the runner's JUnit
// writer and trace-check's HTML report.
#pragma once

#include <string>
#include <string_view>

namespace attest::trace {

/// Escapes & < > " ' (as entities valid in both XML and HTML) and replaces the
/// control characters XML 1.0 cannot carry at all with U+FFFD, so a stray byte
/// in a test's message never makes a report invalid.
std::string escape_markup(std::string_view text);

}  // namespace attest::trace
