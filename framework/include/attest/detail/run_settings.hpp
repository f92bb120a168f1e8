// What the runner's flags say to features that live beside it (property tests): the
// run cache's directory for this binary and --prop-seed / --prop-max-success. Set by
// attest::run() before the tests run; defaults outside it.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace attest::detail {

struct RunSettings {
  std::filesystem::path cache_dir = ".attest_cache/tests";  // <cache>/<binary>
  std::optional<std::uint64_t> prop_seed;                   // --prop-seed N
  std::optional<int> prop_max_success;                      // --prop-max-success N
};

const RunSettings& run_settings();
void set_run_settings(RunSettings settings);

/// A line of attest's own while tests run, through the terminal reporter (console.hpp).
void note(const std::string& line);

}  // namespace attest::detail
