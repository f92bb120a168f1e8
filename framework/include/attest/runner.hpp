// The attest runner. attest::main calls attest::run() from its main(); a
// project that needs its own main() (to set something up first) calls it too.
#pragma once

namespace attest {

/// Exit codes, as pytest's.
enum exit_code : int {
  exit_ok = 0,                ///< every selected test passed
  exit_tests_failed = 1,      ///< some selected test failed
  exit_usage_error = 2,       ///< bad flag, expression, config, unknown marker or requirement ID
  exit_no_tests_selected = 5  ///< the filters selected nothing
};

/// Parses attest's flags out of argv, hands the rest to Boost.Test, applies
/// selection, runs and writes reports. Returns one of attest::exit_code.
/// `init` is a Boost.Test init function (may be null).
int run(int argc, char* argv[], bool (*init)() = nullptr);

}  // namespace attest
