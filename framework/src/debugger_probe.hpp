// Boost.Test's debugger probe (debug::under_debugger), asked once per run: see
// debugger_probe.cpp.
#pragma once

namespace attest::detail {

/// From now on Boost's "under a debugger?" is answered once and kept, unless
/// ATTEST_BOOST_DEBUGGER_PROBE=each-test. Called by the runner before any test runs.
void keep_debugger_answer();

}  // namespace attest::detail
