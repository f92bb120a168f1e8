// Where attest's own lines go (the summary, durations, skips, phases): stdout,
// unless Boost writes an XML or JUnit document there (--log_format=JUNIT,
// -o XML, --logger=XML,...), which a line of ours would make malformed.
#pragma once

#include <iosfwd>

namespace attest::detail {

/// std::cout, or std::cerr once decide_console() found a document on stdout.
std::ostream& console();

/// Looks at Boost's runtime configuration (after framework::init).
void decide_console();

}  // namespace attest::detail
