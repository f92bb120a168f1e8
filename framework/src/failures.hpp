// attest::Failure (pg::expect_*, mock verify) as Boost.Test sees it: a failure
// at the caller's file:line, not an exception at "unknown location(0)".
#pragma once

namespace attest::detail {

/// Registers the exception translator with Boost.Test's unit_test_monitor (once).
void report_failures_at_their_line();

}  // namespace attest::detail
