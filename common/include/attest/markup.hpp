// Escaping for XML and HTML text and attributes, shared by every writer of markup: the
// runner's JUnit, trace-check's HTML report, the coverage reports (cobertura, HTML).
#pragma once

#include <string>
#include <string_view>

namespace attest {

/// Escapes & < > " ' (as entities valid in both XML and HTML) and replaces the
/// control characters XML 1.0 cannot carry at all with U+FFFD, so a stray byte
/// in a test's message never makes a report invalid.
std::string escape_markup(std::string_view text);

}  // namespace attest
